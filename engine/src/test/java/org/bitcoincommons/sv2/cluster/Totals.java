package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

/** Compares two accounting totals (in memory or parsed from JSON): every count exactly, sums of share difficulty to 1e-9 relative (summing order). */
final class Totals
{
    private Totals()
    {
    }

    static void assertSame(final Map<?, ?> expected, final Map<?, ?> actual, final String path)
    {
        assertEquals(expected.keySet(), actual.keySet(), path + ": keys");
        for (final Object k : expected.keySet())
        {
            final Object e = expected.get(k);
            final Object a = actual.get(k);
            final String p = path + "." + k;
            if ("last_event_time_ms".equals(k))
            {
                continue;
            }
            if (e instanceof Map<?, ?> em)
            {
                assertTrue(a instanceof Map<?, ?>, p);
                assertSame(em, (Map<?, ?>)a, p);
            }
            else if (e instanceof Double ed)
            {
                final double ad = ((Number)a).doubleValue();
                assertTrue(Math.abs(ed - ad) <= 1e-9 * Math.max(Math.abs(ed), Math.abs(ad)), p + ": " + ed + " vs " + ad);
            }
            else if (e instanceof Number en && a instanceof Number an)
            {
                assertEquals(en.longValue(), an.longValue(), p);
            }
            else
            {
                assertEquals(e, a, p);
            }
        }
    }
}
