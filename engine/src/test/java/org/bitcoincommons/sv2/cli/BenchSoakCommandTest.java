package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The 90-second soak of issue 19 ({@code bin/sv2 bench soak}, the 60-minute run is {@code make soak}): a pool child
 * under load with churn, hostile and slow clients, a flapping aux node and template source, and three kill -9
 * restarts on the same journal. What must hold here is correctness (nothing acknowledged lost, the replay equal to the
 * pool's accounting, no legitimate miner dropped, every restart resumed, every fault really injected); the latency and
 * memory goals are figures of the long run, not asserted on a 90-second run on a shared machine.
 *
 * <p>It runs beside the rest of the suite (see junit-platform.properties): most of its 90 seconds are the wall clock.
 */
@Execution(ExecutionMode.CONCURRENT)
class BenchSoakCommandTest
{
    @Test
    @Timeout(600)
    void ninetySecondsOfFaultsAndKillsLoseNoAcknowledgedShare() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "soak", "--minutes", "1.5", "--kills", "3", "--kill-min-seconds", "3",
            "--kill-max-seconds", "6", "--rate", "2000", "--churn", "4", "--churn-life", "3", "--flap-seconds", "8",
            "--tip-seconds", "10", "--slow-reader-rate", "2000", "--flood-every-seconds", "20", "--pool-heap", "512m", "--seed", "19", "--json");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        json.get("checks").fields().forEachRemaining(e -> assertTrue(e.getValue().asBoolean(), e.getKey() + ": " + r.out()));
        assertTrue(json.get("correct").asBoolean());

        // every acknowledged share is in the journal, at every kill and at the end
        final JsonNode shares = json.get("shares");
        assertTrue(shares.get("acknowledged").asLong() > 100_000, r.out());
        assertEquals(0, shares.get("lost").asLong(), r.out());
        assertTrue(shares.get("journaled").asLong() >= shares.get("acknowledged").asLong(), r.out());
        assertEquals(3, json.get("kills").size(), r.out());
        long journaledBefore = 0;
        for (final JsonNode k : json.get("kills"))
        {
            assertEquals(0, k.get("lost").asLong(), r.out());
            assertTrue(k.get("journaled").asLong() >= k.get("acknowledged").asLong(), r.out());
            // the restarted pool rebuilt the journal's totals and appended after the previous kill
            assertEquals(k.get("journaled").asLong(), k.get("accounting_after_restart").asLong(), r.out());
            assertTrue(k.get("journaled").asLong() > journaledBefore, r.out());
            journaledBefore = k.get("journaled").asLong();
        }
        assertTrue(shares.get("journaled").asLong() > journaledBefore, "appended after the last restart: " + r.out());
        assertEquals(0, json.get("replay_differences").size(), r.out());

        // the faults were injected, and the pool closed every hostile connection
        final JsonNode f = json.get("faults");
        assertTrue(f.get("churn_connections").asLong() >= 100, r.out());
        assertTrue(f.get("aux_node_outages").asLong() >= 3, r.out());
        assertTrue(f.get("template_source_outages").asLong() >= 3, r.out());
        assertTrue(f.get("tip_moves").asLong() >= 3, r.out());
        assertEquals(3, f.get("kill_9").asLong(), r.out());
        assertTrue(f.get("slow_readers").asLong() >= 2, r.out());
        f.get("hostile_by_kind").fields().forEachRemaining(e ->
        {
            assertTrue(e.getValue().get("opened").asLong() >= 1, e.getKey() + ": " + r.out());
            assertEquals(e.getValue().get("opened").asLong(), e.getValue().get("closed_by_pool").asLong(),
                e.getKey() + ": " + r.out());
            assertEquals(0, e.getValue().get("handshake_failed").asLong(), e.getKey() + ": " + r.out());
        });
        // floods from 127.0.0.2 met the per-address limits (the pool's own counter agrees) while the miners on
        // 127.0.0.1 kept every connection (checked above)
        final JsonNode flood = f.get("flood_from_127_0_0_2");
        assertTrue(flood.get("floods").asLong() >= 2, r.out());
        assertTrue(flood.get("reset_by_pool_at_accept").asLong() > 0, r.out());
        assertTrue(flood.get("held_by_pool").asLong() <= flood.get("per_address_limit").asLong() * flood.get("floods").asLong(), r.out());
        long refused = 0;
        for (final var e : (Iterable<java.util.Map.Entry<String, JsonNode>>)flood.get("pool_refused_total_by_reason")::fields)
        {
            refused += e.getValue().asLong();
        }
        assertTrue(refused >= flood.get("reset_by_pool_at_accept").asLong(), r.out());
        // the steady miners kept their connections and their acknowledgements through the faults
        assertEquals(json.get("connections").asInt(), json.get("steady_open_at_end").asInt(), r.out());
        assertTrue(json.get("faulted").get("shares_accepted").asLong() > 0, r.out());
        assertTrue(json.get("memory").get("reference").get("heap_used_bytes").asLong() > 0, r.out());
        assertTrue(json.get("memory").get("end").get("heap_used_bytes").asLong() > 0, r.out());
    }

    @Test
    void refusesARunWithoutRoomForItsFaultedLoad()
    {
        final CliRunner r = CliRunner.run("bench", "soak", "--minutes", "1", "--kills", "20");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("20 s of faulted load"), r.err());
        final CliRunner fast = CliRunner.run("bench", "soak", "--rate", "10000", "--connections", "10");
        assertEquals(ExitCode.BAD_INPUT, fast.exitCode());
        assertTrue(fast.err().contains("vardiff"), fast.err());
    }
}
