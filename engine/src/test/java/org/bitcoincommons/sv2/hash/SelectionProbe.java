package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Run in a child JVM by {@link HashBackendsSelectionTest}: prints "impl kernel scanKernel" of the default
 * backend after checking that it hashes a header like MessageDigest.
 */
public final class SelectionProbe
{
    private SelectionProbe()
    {
    }

    public static void main(final String[] args)
    {
        final HashBackend b = HashBackends.create((String)null);
        final byte[] header = new byte[80];
        Arrays.fill(header, (byte)7);
        final byte[] got = new byte[32];
        b.hash(MemorySegment.ofArray(header), 1, MemorySegment.ofArray(got));
        if (!Arrays.equals(got, Sha256dOracle.sha256d(header, 0, 80)))
        {
            System.out.println("wrong hash from " + b.impl());
            System.exit(1);
        }
        System.out.println(b.impl().configName() + " " + b.kernel() + " " + b.scanKernel());
    }
}
