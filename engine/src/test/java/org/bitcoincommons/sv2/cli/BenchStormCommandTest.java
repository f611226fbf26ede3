package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `bin/sv2 bench storm`: a small storm against a child pool, and its refusals. */
class BenchStormCommandTest
{
    @Test
    @Timeout(120)
    void connectsTheStormBesideSubmittingMinersAndPrintsBothIntervals() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "storm", "--connections", "2", "--rate", "200", "--storm", "40",
            "--storm-concurrency", "8", "--storms", "2", "--seconds", "0.5", "--warmup", "0.3", "--handshake-concurrency", "1",
            "--prepared-keys", "16", "--pool-heap", "256m", "--crowd-nice", "5", "--crowd-source-addresses", "3",
            "--crowd-warmup-storms", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(40, json.get("storm_connections").asInt());
        assertEquals(40, json.get("storm_connected").asInt(), r.out());
        assertTrue(json.get("storm_connect_seconds").asDouble() > 0, r.out());
        assertEquals(1, json.get("handshake_concurrency").asInt());
        assertTrue(json.get("before").get("shares_accepted").asLong() > 0, r.out());
        final JsonNode during = json.get("during_storm").get("ack_latency_us");
        assertTrue(during.get("p50").asDouble() <= during.get("p99").asDouble(), r.out());
        assertEquals(5, json.get("crowd_nice").asInt(), r.out());
        assertEquals(org.bitcoincommons.sv2.loadgen.LoadGenerator.loopbackAliasesWork() ? 3 : 1,
            json.get("crowd_source_addresses").asInt(), r.out());
        // the pool's own stages over the baseline: every share the generator counted went through both
        final JsonNode stages = json.get("pool_stages_before");
        assertTrue(stages.get("share_to_ack_queued_us").get("count").asLong()
            >= json.get("before").get("shares_accepted").asLong(), r.out());
        assertTrue(stages.get("ack_queued_to_writer_us").has("p99"), r.out());
        // and the pool's GC pauses over the same interval, read from its /api/latency at both ends
        assertTrue(stages.get("gc_pauses").get("count").asLong() >= 0 &&
            stages.get("gc_pauses").get("total_ms").asLong() >= stages.get("gc_pauses").get("max_ms").asLong() - 1, r.out());
        // two storms on the same pool, the second after the first crowd closed: each connected all 40
        assertEquals(2, json.get("storms").size(), r.out());
        for (final JsonNode s : json.get("storms"))
        {
            assertEquals(40, s.get("storm_connected").asInt(), r.out());
            assertTrue(s.get("during_storm").get("shares_accepted").asLong() >= 0, r.out());
            assertTrue(s.get("pool_stages_during_storm").get("share_to_ack_queued_us").has("count"), r.out());
            assertTrue(s.get("pool_stages_during_storm").get("gc_pauses").has("share_of_interval"), r.out());
        }
        // the pool's own counters came back from /metrics: no handshake failed
        assertEquals(0.0, json.get("pool_handshake_metrics").get("sv2_handshake_failures_total").asDouble(), r.out());
        // the crowd warmed up first against a pool of its own: one storm there, none of it here (the measured pool
        // accepted the two steady miners and the two storms' 40 each, nothing more)
        assertEquals(1, json.get("crowd_warmup_storms").asInt(), r.out());
        assertEquals(1, json.get("crowd_warmup_seconds").size(), r.out());
        assertTrue(json.get("crowd_warmup_seconds").get(0).asDouble() > 0, r.out());
        assertEquals(2 + 2 * 40, json.get("pool_handshake_metrics").get("sv2_connections_accepted_total").asDouble(),
            r.out());
    }

    @Test
    @Timeout(120)
    void aPacedStormIsAdmittedWholeAndItsCountersComeBack() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "storm", "--connections", "2", "--rate", "200", "--storm", "40",
            "--storm-concurrency", "8", "--seconds", "0.5", "--warmup", "0.3", "--prepared-keys", "16", "--pool-heap",
            "256m", "--admission-max-in-flight", "4", "--admission-rate", "200", "--admission-burst", "1",
            "--admission-adaptive-p99-us", "100000", "--admission-min-rate", "50", "--crowd-warmup-storms", "0",
            "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(40, json.get("storm_connected").asInt(), r.out());
        assertEquals(4, json.get("admission").get("max_in_flight").asInt());
        assertEquals(200, json.get("admission").get("rate_per_sec").asInt());
        final JsonNode m = json.get("pool_handshake_metrics");
        // a bucket of one token at 200/s, eight connecting at once: some waited, none gave up, none is left waiting
        assertTrue(m.get("sv2_admissions_paced_total").asDouble() > 0, r.out());
        assertEquals(0.0, m.get("sv2_admission_timeouts_total").asDouble(), r.out());
        assertEquals(0.0, m.get("sv2_admissions_waiting").asDouble(), r.out());
        assertTrue(json.get("load_average_before").isNumber(), r.out());
        assertEquals(0, json.get("crowd_warmup_seconds").size(), "no warm-up asked for, none made: " + r.out());
    }

    @Test
    void refusesAStormPastTheBenchmarkPoolsConnectionLimit()
    {
        final CliRunner r = CliRunner.run("bench", "storm", "--connections", "100", "--storm", "19950");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("max_connections"), r.err());
        final CliRunner none = CliRunner.run("bench", "storm", "--storms", "0");
        assertEquals(ExitCode.BAD_INPUT, none.exitCode());
        assertTrue(none.err().contains("--storms 1..10"), none.err());
        final CliRunner adaptive = CliRunner.run("bench", "storm", "--admission-adaptive-p99-us", "2000");
        assertEquals(ExitCode.BAD_INPUT, adaptive.exitCode());
        assertTrue(adaptive.err().contains("--admission-adaptive-p99-us only with --admission-rate"), adaptive.err());
        final CliRunner nice = CliRunner.run("bench", "storm", "--crowd-nice", "20");
        assertEquals(ExitCode.BAD_INPUT, nice.exitCode());
        assertTrue(nice.err().contains("--crowd-nice 0..19"), nice.err());
        final CliRunner sources = CliRunner.run("bench", "storm", "--crowd-source-addresses", "0");
        assertEquals(ExitCode.BAD_INPUT, sources.exitCode());
        assertTrue(sources.err().contains("--crowd-source-addresses 1..250"), sources.err());
        final CliRunner warmups = CliRunner.run("bench", "storm", "--crowd-warmup-storms", "11");
        assertEquals(ExitCode.BAD_INPUT, warmups.exitCode());
        assertTrue(warmups.err().contains("--crowd-warmup-storms 0..10"), warmups.err());
    }
}
