package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class TargetTest
{
    @Test
    void compactExamplesFromMergeMiningNotes()
    {
        assertEquals("00000000ffff0000000000000000000000000000000000000000000000000000",
            Target.toDisplayHex(Target.fromCompact(0x1d00ffff)));
        assertEquals(Target.DIFF1, Target.fromCompact(0x1d00ffff));
        assertEquals(1.0, Target.difficultyFromBits(0x1d00ffff));
        assertEquals(BigInteger.valueOf(0x12345600L), Target.fromCompact(0x04123456));
    }

    @Test
    void compactEdgeCasesFollowBitcoinCoreArithUint256Tests()
    {
        // cases from Bitcoin Core's arith_uint256 SetCompact/GetCompact unit tests
        assertEquals(BigInteger.ZERO, Target.fromCompact(0x00123456));
        assertEquals(BigInteger.ZERO, Target.fromCompact(0x01003456));
        assertEquals(BigInteger.valueOf(0x12), Target.fromCompact(0x01123456));
        assertEquals(0x01120000, Target.toCompact(BigInteger.valueOf(0x12)));
        assertEquals(BigInteger.valueOf(0x80), Target.fromCompact(0x02008000));
        assertEquals(0x02008000, Target.toCompact(BigInteger.valueOf(0x80)));
        assertEquals(BigInteger.valueOf(0x1234), Target.fromCompact(0x02123456));
        assertEquals(0x02123400, Target.toCompact(BigInteger.valueOf(0x1234)));
        assertEquals(BigInteger.valueOf(0x123456), Target.fromCompact(0x03123456));
        assertEquals(0x03123456, Target.toCompact(BigInteger.valueOf(0x123456)));
        assertEquals(BigInteger.valueOf(0x12345600L), Target.fromCompact(0x04123456));
        assertEquals(0x04123456, Target.toCompact(BigInteger.valueOf(0x12345600L)));
        assertEquals(BigInteger.valueOf(0x92340000L), Target.fromCompact(0x05009234));
        assertEquals(0x05009234, Target.toCompact(BigInteger.valueOf(0x92340000L)));
        final BigInteger big = new BigInteger("1234560000000000000000000000000000000000000000000000000000000000", 16);
        assertEquals(big, Target.fromCompact(0x20123456));
        assertEquals(0x20123456, Target.toCompact(big));
        assertThrows(IllegalArgumentException.class, () -> Target.fromCompact(0x04923456), "negative");
        assertThrows(IllegalArgumentException.class, () -> Target.fromCompact(0xff123456), "overflow");
        assertThrows(IllegalArgumentException.class, () -> Target.fromCompact(0x22012345), "overflow");
    }

    @Test
    void littleEndianExpansionMatchesBigIntegerForManyBits()
    {
        final byte[] le = new byte[32];
        for (int size = 0; size <= 32; size++)
        {
            for (int mantissa : new int[] {0x000001, 0x00ffff, 0x123456, 0x7fffff, 0x008000})
            {
                final int bits = (size << 24) | mantissa;
                final BigInteger expected = Target.fromCompact(bits);
                Target.compactToLittleEndian(bits, le, 0);
                assertEquals(expected, Target.fromLittleEndian(le, 0), String.format("%08x", bits));
            }
        }
    }

    @Test
    void hashrateExampleFromProtocolSection54()
    {
        // 100 TH/s at 6 shares/min: ht = 1e15, target = (2^256 - 1 - ht) / (ht + 1)
        final BigInteger target = Target.fromHashrate(100e12, 6.0);
        final BigInteger ht = BigInteger.TEN.pow(15);
        final BigInteger expected = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).subtract(ht)
            .divide(ht.add(BigInteger.ONE));
        assertEquals(expected, target);
        assertTrue(target.toString(16).startsWith("480ebe7b"), target.toString(16));
        assertEquals(232827.0, Target.difficulty(target), 0.5);
        assertEquals(100e12, Target.hashrateFromTarget(target, 6.0), 100e12 * 1e-9);
    }

    @Test
    void difficultyRoundTripsAndRealBlockDifficulties()
    {
        // bitcoind getblock "difficulty" for block 100000 (bits 1b04864c): 14484.1623612254
        assertEquals(14484.1623612254, Target.difficultyFromBits(0x1b04864c), 1e-9);
        // block 840000 (bits 17034219): 86388558925171.02
        assertEquals(86388558925171.02, Target.difficultyFromBits(0x17034219), 0.1);
        final BigInteger t = Target.fromDifficulty(1.0);
        assertEquals(Target.DIFF1, t);
        final BigInteger t2 = Target.fromDifficulty(232827.0);
        assertEquals(232827.0, Target.difficulty(t2), 1e-6);
        final byte[] le = Target.toLittleEndian(t2);
        assertEquals(Target.difficulty(t2), Target.difficultyFromLittleEndian(le, 0), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Target.fromDifficulty(0.0));
        assertThrows(IllegalArgumentException.class, () -> Target.fromHashrate(-1.0, 6.0));
        assertThrows(IllegalArgumentException.class, () -> Target.fromHashrate(1.0, 0.0));
    }
}
