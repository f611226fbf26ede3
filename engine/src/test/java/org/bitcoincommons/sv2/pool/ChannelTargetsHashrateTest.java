package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.Test;

/**
 * Vardiff's hashrate of a target, in doubles, against the exact 128-digit division of {@link Target#hashrateFromTarget}
 * over the targets a channel can have (from the 2^128 floor to the maximum): within 1e-12, relative.
 */
class ChannelTargetsHashrateTest
{
    @Test
    void doublesAgreeWithTheExactDivisionOverEveryTargetAChannelCanHave()
    {
        final Random r = new Random(17);
        for (int bits = 128; bits <= 256; bits++)
        {
            for (int k = 0; k < 20; k++)
            {
                BigInteger t = new BigInteger(bits, r).setBit(bits - 1);
                if (t.bitLength() > 256)
                {
                    t = Target.MAX;
                }
                for (final double spm : new double[] {6.0, 0.5, 600.0})
                {
                    final double exact = Target.hashrateFromTarget(t, spm);
                    final double fast = ChannelTargets.hashrateOf(Target.toLittleEndian(t), spm);
                    if (exact < 1e-9)
                    {
                        assertTrue(fast < 1e-9, "target " + t.toString(16) + ": " + fast + " vs " + exact);
                        continue;
                    }
                    assertEquals(exact, fast, exact * 1e-12, "target " + t.toString(16) + " at " + spm + " shares/min");
                }
            }
        }
        // the examples everyone knows: difficulty 1's target at 6 shares a minute is ~2^32 / 10 H/s
        final BigInteger diff1 = Target.fromDifficulty(1.0);
        assertEquals(Target.hashrateFromTarget(diff1, 6.0), ChannelTargets.hashrateOf(Target.toLittleEndian(diff1), 6.0),
            1e-3);
    }
}
