package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 12: per-protocol payload limits and the frame deadline, and the migration from max_frame_bytes. */
class FrameLimitsConfigTest
{
    @Test
    void defaultsBoundWhatAMiningClientMaySend()
    {
        final StratumV2Config s = EngineConfig.parse("", null).stratumV2();
        assertEquals(65_536, s.maxPayloadBytes(0), "Mining");
        assertEquals(8 << 20, s.maxPayloadBytes(1), "Job Declaration");
        assertEquals(8 << 20, s.maxPayloadBytes(2), "Template Distribution");
        assertEquals(10_000, s.frameDeadlineMs());
        assertEquals(64, EngineConfig.parse("", null).pool().maxChannelsWithoutShares());
    }

    @Test
    void eachLimitIsItsOwnKey()
    {
        final StratumV2Config s = EngineConfig.parse("""
            [stratum_v2]
            max_mining_payload_bytes = 4096
            max_template_distribution_payload_bytes = 16777215
            max_job_declaration_payload_bytes = 2097152
            frame_deadline_ms = 2500
            """, null).stratumV2();
        assertEquals(4096, s.maxPayloadBytes(0));
        assertEquals(2_097_152, s.maxPayloadBytes(1));
        assertEquals(16_777_215, s.maxPayloadBytes(2));
        assertEquals(2500, s.frameDeadlineMs());
        final ConfigException tooBig = assertThrows(ConfigException.class, () -> EngineConfig.parse("""
            [stratum_v2]
            max_mining_payload_bytes = 16777216
            """, null));
        assertTrue(tooBig.getMessage().startsWith("stratum_v2.max_mining_payload_bytes:"), tooBig.getMessage());
    }

    @Test
    void maxFrameBytesIsRefusedWithTheKeysThatReplaceIt()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> EngineConfig.parse("""
            [stratum_v2]
            max_frame_bytes = 16777215
            """, null));
        final String m = ex.getMessage();
        assertTrue(m.startsWith("stratum_v2.max_frame_bytes: replaced by"), m);
        for (final String key : new String[] {"stratum_v2.max_mining_payload_bytes",
            "stratum_v2.max_template_distribution_payload_bytes", "stratum_v2.max_job_declaration_payload_bytes",
            "stratum_v2.frame_deadline_ms"})
        {
            assertTrue(m.contains(key), m);
        }
    }
}
