package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VardiffTest
{
    /** At the aimed 6 shares/min the realized rate maps to hashrate h * spm / 6: a linear stand-in. */
    private static Vardiff.HashrateOfTarget linear(final double hashrate)
    {
        return spm -> hashrate * spm / 6.0;
    }

    @Test
    void waitsFifteenSeconds()
    {
        final Vardiff v = new Vardiff(1000);
        for (int i = 0; i < 100; i++)
        {
            v.onShare();
        }
        assertTrue(Double.isNaN(v.evaluate(1015, 1000.0, linear(1000.0))));
    }

    @Test
    void doublingOrMoreRetargetsAtOnce()
    {
        final Vardiff v = new Vardiff(0);
        for (int i = 0; i < 5; i++)
        {
            v.onShare();   // 5 shares in 20 s = 15/min, 2.5x the aim
        }
        assertEquals(2500.0, v.evaluate(20, 1000.0, linear(1000.0)), 1e-9);
        assertEquals(0, v.sharesInWindow(), "the window restarts after a retarget");
    }

    @Test
    void smallerDeviationsNeedLongerWindows()
    {
        final Vardiff v = new Vardiff(0);
        for (int i = 0; i < 10; i++)
        {
            v.onShare();   // 10 in 70 s = 8.57/min: +43%
        }
        assertTrue(Double.isNaN(v.evaluate(70, 1000.0, linear(1000.0))), "43% after 70 s: under the 60 s threshold of 60%");
        for (int i = 0; i < 27; i++)
        {
            v.onShare();   // 37 in 310 s = 7.16/min: +19%, past the 300 s threshold of 15%
        }
        assertEquals(1000.0 * (37 / (310 / 60.0)) / 6.0, v.evaluate(310, 1000.0, linear(1000.0)), 1e-6);
    }

    @Test
    void silenceEasesTwiceThenHolds()
    {
        final Vardiff v = new Vardiff(0);
        assertEquals(1000.0 / 1.5, v.evaluate(20, 1000.0, linear(1000.0)), 1e-9);
        assertEquals(1000.0 / 2.0, v.evaluate(65, 1000.0, linear(1000.0)), 1e-9);
        assertTrue(Double.isNaN(v.evaluate(200, 1000.0, linear(1000.0))), "a third silent window holds");
        v.onShare();
        v.onShare();
        v.onShare();
        v.onShare();
        v.onShare();
        v.onShare();
        v.onShare();
        v.onShare();
        assertTrue(!Double.isNaN(v.evaluate(220, 1000.0, linear(1000.0))), "shares clear the hold");
    }

    @Test
    void hugeDeviationsAreCapped()
    {
        final Vardiff v = new Vardiff(0);
        for (int i = 0; i < 1000; i++)
        {
            v.onShare();
        }
        assertEquals(10_000.0, v.evaluate(20, 1000.0, linear(1000.0)), 1e-9, "x10 within 30 s");
        for (int i = 0; i < 1000; i++)
        {
            v.onShare();
        }
        assertEquals(3_000.0, v.evaluate(100, 1000.0, linear(1000.0)), 1e-9, "x3 after 60 s");
    }

    @Test
    void neverBelowOneHashPerSecond()
    {
        final Vardiff v = new Vardiff(0);
        assertEquals(Vardiff.MIN_HASHRATE, v.evaluate(20, 1.2, linear(1.2)), 1e-12);
    }
}
