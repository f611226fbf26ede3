package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code bin/sv2 bench tail}: the pool beside its echo floor, and the pool child's JVM options. */
class BenchTailCommandTest
{
    @Test
    @Timeout(120)
    void onePoolRoundBesideOneEchoRoundWithTheirMediansAndThePoolsGcPauses() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "tail", "--connections", "2", "--rates", "200", "--rounds", "1",
            "--batch", "1", "--seconds", "1", "--warmup", "0.5", "--pool-jvm-opt=-XX:+UseSerialGC", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("-XX:+UseSerialGC", json.get("pool_jvm_opts").get(0).asText(), r.out());
        final JsonNode rate = json.get("rates").get(0);
        assertEquals(1, rate.get("echo_runs").size(), r.out());
        assertEquals(1, rate.get("pool_runs").size(), r.out());
        final JsonNode pool = rate.get("pool_runs").get(0);
        assertTrue(pool.get("shares_accepted").asLong() > 0, r.out());
        assertEquals(pool.get("ack_latency_us").get("p99").asDouble(), rate.get("pool_p99_us").asDouble(), r.out());
        assertEquals(rate.get("echo_runs").get(0).get("round_trip_us").get("p99").asDouble(),
            rate.get("echo_p99_us").asDouble(), r.out());
        assertTrue(pool.get("pool_gc_pauses").get("count").asLong() >= 0, r.out());
    }

    @Test
    @Timeout(120)
    void aPoolJvmOptionReachesThePoolChildAndItsRefusalIsShown()
    {
        final CliRunner r = CliRunner.run("bench", "tail", "--connections", "2", "--rates", "200", "--rounds", "1",
            "--batch", "1", "--seconds", "0.5", "--warmup", "0.2", "--pool-jvm-opt=-XX:+NoSuchOptionHere", "--json");
        assertEquals(ExitCode.FAILURE, r.exitCode(), r.out());
        // the pool child's JVM refused the option: its own words come back through bench load's error
        assertTrue(r.err().contains("Unrecognized VM option 'NoSuchOptionHere'"), r.err());
    }
}
