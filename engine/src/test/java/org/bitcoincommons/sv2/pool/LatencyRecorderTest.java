package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest
{
    @Test
    void percentilesInMicrosecondsSinceTheLastReset()
    {
        final LatencyRecorder r = new LatencyRecorder();
        r.recordNs(5_000_000);   // dropped by the reset below
        r.reset();
        for (int i = 1; i <= 1000; i++)
        {
            r.recordNs(i * 1000L);   // 1 us .. 1000 us
        }
        final Map<String, Object> s = r.snapshotUs();
        assertEquals(1000L, s.get("count"));
        // HdrHistogram with 2 significant digits: within 1% of the exact rank values.
        assertEquals(500.0, (double)s.get("p50"), 5.0);
        assertEquals(990.0, (double)s.get("p99"), 10.0);
        assertEquals(1000.0, (double)s.get("max"), 10.0);
        // A second read keeps the total and adds what came since.
        r.recordNs(2_000_000);
        final Map<String, Object> t = r.snapshotUs();
        assertEquals(1001L, t.get("count"));
        assertEquals(2000.0, (double)t.get("max"), 20.0);
    }

    @Test
    void clampsNonPositiveAndHugeValues()
    {
        final LatencyRecorder r = new LatencyRecorder();
        r.recordNs(-5);
        r.recordNs(Long.MAX_VALUE);
        final Map<String, Object> s = r.snapshotUs();
        assertEquals(2L, s.get("count"));
        assertEquals(60_000_000.0, (double)s.get("max"), 600_000.0);
    }
}
