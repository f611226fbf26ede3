package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/sv2 bench memory}: connections are held in the requested states in a child pool and measured; the 64
 * channels a connection may open without shares cost more than one channel, and every connection got into its state.
 */
class BenchMemoryCommandTest
{
    @Test
    @Timeout(180)
    void measuresEachState() throws Exception
    {
        // 100, not fewer: the first state measured also carries the pool's one-time allocations (~1 MB), which at 20
        // connections made one channel look heavier than 64 (CI: 105,795 B against 75,786 B a connection).
        final CliRunner r = CliRunner.run("bench", "memory", "--connections", "100", "--state", "ONE_CHANNEL",
            "--state", "CHANNELS_WITHOUT_SHARES", "--state", "SV1_AUTHORIZED", "--pool-heap", "512m", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode states = new ObjectMapper().readTree(r.out()).get("states");
        assertEquals(3, states.size(), r.out());
        for (final JsonNode s : states)
        {
            assertEquals(100, s.get("held").asInt(), r.out());
            assertEquals(0, s.get("failed").asInt(), r.out());
            assertTrue(s.get("pool_connections").asInt() >= 100, r.out());
        }
        assertTrue(states.get("channels_without_shares").get("heap_per_connection_bytes").asLong() >
            states.get("one_channel").get("heap_per_connection_bytes").asLong(), "64 channels hold more than one: " + r.out());
    }

    @Test
    void rejectsNonsense()
    {
        final CliRunner r = CliRunner.run("bench", "memory", "--connections", "0");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
    }
}
