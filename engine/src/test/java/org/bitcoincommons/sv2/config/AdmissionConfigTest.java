package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 22: [stratum_v2.admission], off by default, and what it refuses. */
class AdmissionConfigTest
{
    private static String error(final String admission)
    {
        return assertThrows(ConfigException.class,
            () -> EngineConfig.parse("[stratum_v2.admission]\n" + admission, null)).getMessage();
    }

    @Test
    void offByDefault()
    {
        final AdmissionConfig a = EngineConfig.parse("", null).stratumV2().admission();
        assertFalse(a.paces());
        assertEquals(AdmissionConfig.OFF, a);
    }

    @Test
    void everyKeyIsRead()
    {
        final AdmissionConfig a = EngineConfig.parse("""
            [stratum_v2.admission]
            max_in_flight = 64
            rate_per_sec = 3000
            burst = 100
            adaptive_p99_us = 5000
            adaptive_min_rate_per_sec = 300
            adaptive_window_ms = 50
            """, null).stratumV2().admission();
        assertEquals(new AdmissionConfig(64, 3000, 100, 5000, 300, 50), a);
        assertTrue(a.paces());
        assertTrue(EngineConfig.parse("[stratum_v2.admission]\nmax_in_flight = 1\n", null).stratumV2().admission().paces());
    }

    @Test
    void badValuesNameTheirKey()
    {
        assertTrue(error("max_in_flight = -1").startsWith("stratum_v2.admission.max_in_flight: must be between 0"),
            error("max_in_flight = -1"));
        assertTrue(error("rate_per_sec = 2.5").startsWith("stratum_v2.admission.rate_per_sec: must be an integer"),
            error("rate_per_sec = 2.5"));
        assertTrue(error("burst = 0").startsWith("stratum_v2.admission.burst: must be between 1"), error("burst = 0"));
        assertTrue(error("adaptive_window_ms = 1").startsWith("stratum_v2.admission.adaptive_window_ms:"));
        final String noRate = error("adaptive_p99_us = 2000");
        assertTrue(noRate.startsWith("stratum_v2.admission.adaptive_p99_us: the adaptive mode needs "
            + "stratum_v2.admission.rate_per_sec > 0"), noRate);
        final String floor = error("rate_per_sec = 100\nadaptive_p99_us = 2000\nadaptive_min_rate_per_sec = 500");
        assertTrue(floor.startsWith("stratum_v2.admission.adaptive_min_rate_per_sec: must be <= "
            + "stratum_v2.admission.rate_per_sec (100) (got 500)"), floor);
        final String unknown = error("max_inflight = 3");
        assertTrue(unknown.contains("stratum_v2.admission.max_inflight"), unknown);
    }
}
