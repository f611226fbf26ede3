package org.bitcoincommons.sv2.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scanning finds exactly the nonces whose SHA-256d meets the target, cross-checked by brute force with
 * MessageDigest, for every implementation and kernel.
 */
class NonceScannerTest
{
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends()
    {
        return HashBackendConformanceTest.backends();
    }

    private static HashBackend backend(final HashImpl impl, final HashKernel kernel)
    {
        if (impl != HashImpl.JAVA)
        {
            assumeTrue(HashBackends.libraryPath().isPresent(), "native library not built (gcc missing?)");
            assumeTrue(kernel == HashKernel.AUTO || HashBackends.availableKernels().contains(kernel),
                "this CPU lacks " + kernel.kernelName() + "; skipped");
        }
        return HashBackends.create(impl, kernel, kernel);
    }

    /** Brute force: every nonce in range whose MessageDigest sha256d (LE) is <= target (LE). */
    private static int[] bruteForce(final byte[] prefix, final int start, final int count, final byte[] target)
    {
        final BigInteger t = Sha256dOracle.le(target, 0);
        final byte[] header = Arrays.copyOf(prefix, 80);
        return IntStream.range(0, count).map(i -> start + i).filter(nonce ->
        {
            final byte[] h = header.clone();
            h[76] = (byte)nonce;
            h[77] = (byte)(nonce >>> 8);
            h[78] = (byte)(nonce >>> 16);
            h[79] = (byte)(nonce >>> 24);
            return Sha256dOracle.le(Sha256dOracle.sha256d(h, 0, 80), 0).compareTo(t) <= 0;
        }).toArray();
    }

    /** A target whose top word is {@code top} with all lower bytes 0xff: about top / 2^32 of hashes meet it. */
    private static byte[] target(final int top, final int lowFill)
    {
        final byte[] t = new byte[32];
        Arrays.fill(t, 0, 28, (byte)lowFill);
        t[28] = (byte)top;
        t[29] = (byte)(top >>> 8);
        t[30] = (byte)(top >>> 16);
        t[31] = (byte)(top >>> 24);
        return t;
    }

    private static int[] scan(final HashBackend b, final byte[] prefix, final int start, final long count,
        final byte[] target, final int maxFound)
    {
        final int[] found = new int[Math.max(maxFound, 1)];
        final int n = b.scan(MemorySegment.ofArray(prefix), start, count, MemorySegment.ofArray(target),
            MemorySegment.ofArray(found), maxFound);
        return Arrays.copyOf(found, n);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void findsExactlyTheNoncesMessageDigestFinds(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] prefix = new byte[76];
        new SplittableRandom(11).nextBytes(prefix);
        // About 1 in 64 meet; the low fill 0x00 makes the top-word tie case matter too.
        final int count = 3001;
        for (final int lowFill : new int[] {0xff, 0x00})
        {
            final byte[] t = target(0x03ffffff, lowFill);
            final int[] want = bruteForce(prefix, 1000, count, t);
            assertTrue(want.length > 20, "easy target should find some: " + want.length);
            assertArrayEquals(want, scan(b, prefix, 1000, count, t, 1000), "low fill " + lowFill);
        }
        // Counts that are not multiples of any lane width.
        final byte[] t = target(0x0fffffff, 0xff);
        for (final int c : new int[] {0, 1, 3, 5, 17, 33, 100})
        {
            assertArrayEquals(bruteForce(prefix, 77, c, t), scan(b, prefix, 77, c, t, 1000), "count " + c);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void stopsAtMaxFoundAndWrapsAroundTheNonceSpace(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] prefix = new byte[76];
        new SplittableRandom(12).nextBytes(prefix);
        final byte[] t = target(0x0fffffff, 0xff);
        final int start = -300; // 0xfffffed4: the range crosses 2^32 -> 0
        final int[] all = bruteForce(prefix, start, 600, t);
        assertTrue(all.length > 10);
        assertTrue(Arrays.stream(all).anyMatch(x -> x < 0) && Arrays.stream(all).anyMatch(x -> x >= 0));
        assertArrayEquals(all, scan(b, prefix, start, 600, t, 1000));
        assertArrayEquals(Arrays.copyOf(all, 3), scan(b, prefix, start, 600, t, 3));
        assertEquals(0, scan(b, prefix, start, 600, t, 0).length);
        // Resuming after the last found nonce yields the rest.
        final int resume = all[2] + 1;
        final int left = 600 - (resume - start);
        assertArrayEquals(Arrays.copyOfRange(all, 3, all.length), scan(b, prefix, resume, left, t, 1000));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void aTargetOfZeroFindsNothingAndTheMaximumFindsEverything(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] prefix = new byte[76];
        new SplittableRandom(13).nextBytes(prefix);
        assertEquals(0, scan(b, prefix, 0, 5000, new byte[32], 10).length);
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        assertArrayEquals(IntStream.range(5, 5 + 40).toArray(), scan(b, prefix, 5, 40, max, 100));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void scansNativeSegments(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] prefix = new byte[76];
        new SplittableRandom(14).nextBytes(prefix);
        final byte[] t = target(0x07ffffff, 0xff);
        final int[] want = bruteForce(prefix, 0, 2000, t);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment p = arena.allocate(76);
            MemorySegment.copy(MemorySegment.ofArray(prefix), 0, p, 0, 76);
            final MemorySegment ts = arena.allocate(32);
            MemorySegment.copy(MemorySegment.ofArray(t), 0, ts, 0, 32);
            final MemorySegment found = arena.allocate(4L * 500);
            final int n = b.scan(p, 0, 2000, ts, found, 500);
            assertArrayEquals(want, Arrays.copyOf(found.toArray(ValueLayout.JAVA_INT), n));
        }
    }
}
