package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Cross-checks of the allocation-free target code against {@link BigInteger} as the oracle.
 */
class TargetPropertiesTest
{
    private static BigInteger le(final byte[] bytes)
    {
        final byte[] be = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            be[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    @Property(tries = 2000)
    void hashMeetsTargetAgreesWithBigIntegerCompare(
        @ForAll @Size(32) final byte[] hash, @ForAll @Size(32) final byte[] target, @ForAll final int sharedTopBytes)
    {
        // share some top bytes so the comparison often has to reach the lower words
        final int shared = Math.floorMod(sharedTopBytes, 33);
        for (int i = 0; i < shared; i++)
        {
            target[31 - i] = hash[31 - i];
        }
        final boolean expected = le(hash).compareTo(le(target)) <= 0;
        assertEquals(expected, Target.hashMeetsTarget(hash, 0, target, 0));
        assertEquals(expected, Target.hashMeetsTarget(
            new org.agrona.concurrent.UnsafeBuffer(hash), 0, new org.agrona.concurrent.UnsafeBuffer(target), 0));
    }

    @Property(tries = 2000)
    void compactExpansionAgreesWithBigInteger(@ForAll final int rawBits)
    {
        final int size = Math.floorMod(rawBits >>> 24, 35);
        final int bits = (size << 24) | (rawBits & 0x007f_ffff);
        BigInteger expected;
        try
        {
            expected = Target.fromCompact(bits);
        }
        catch (final IllegalArgumentException overflow)
        {
            return;
        }
        final byte[] le = new byte[32];
        Target.compactToLittleEndian(bits, le, 0);
        assertEquals(expected, le(le));
        // GetCompact(SetCompact(x)) is the identity on normalized encodings
        if (expected.signum() > 0)
        {
            assertEquals(expected, Target.fromCompact(Target.toCompact(expected)));
        }
    }

    @Property(tries = 1000)
    void difficultyFromLittleEndianMatchesBigDecimalDifficulty(@ForAll @Size(32) final byte[] target)
    {
        final BigInteger t = le(target);
        if (t.signum() == 0)
        {
            return;
        }
        final double exact = Target.difficulty(t);
        assertEquals(exact, Target.difficultyFromLittleEndian(target, 0), Math.abs(exact) * 1e-12);
    }
}
