package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchEchoCommandTest
{
    @Test
    void measuresAChildEchoServerAndPrintsOneJsonObject() throws Exception
    {
        final CliRunner r = echo("platform");
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("platform", json.get("server_threads").asText());
        assertEquals("virtual", json.get("client_threads").asText());
        assertEquals(62, json.get("message_bytes").asInt());
        assertEquals(2, json.get("connections").asInt());
        assertEquals(400.0, json.get("offered_rate").asDouble());
        // How many came back in the time is the measurement (bench echo's job), not a test's.
        assertTrue(json.get("messages").asLong() > 0, r.out());
        assertTrue(json.get("connect_seconds").asDouble() > 0, r.out());
        final JsonNode rtt = json.get("round_trip_us");
        assertTrue(rtt.get("p50").asDouble() > 0 && rtt.get("p50").asDouble() <= rtt.get("p99").asDouble()
            && rtt.get("p99").asDouble() <= rtt.get("max").asDouble(), r.out());
    }

    @Test
    void runsTheEventLoopServerInItsChild() throws Exception
    {
        final CliRunner r = echo("loop");
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("loop", json.get("server_threads").asText());
        assertTrue(json.get("messages").asLong() > 0, r.out());
    }

    @Test
    void clientsOnOnePacerAndOneLoopAgainstTheLoopServer() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "echo", "--connections", "3", "--rate", "600", "--bytes", "62",
            "--seconds", "0.5", "--warmup", "0.3", "--server-threads", "loop", "--client-threads", "loop", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("loop", json.get("server_threads").asText());
        assertEquals("loop", json.get("client_threads").asText());
        assertTrue(json.get("messages").asLong() > 0, r.out());
        final JsonNode rtt = json.get("round_trip_us");
        assertTrue(rtt.get("p50").asDouble() > 0 && rtt.get("p50").asDouble() <= rtt.get("p99").asDouble(), r.out());
    }

    @Test
    void rejectsAnUnknownThreadKind()
    {
        final CliRunner r = CliRunner.run("bench", "echo", "--server-threads", "green");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--server-threads must be virtual, platform or loop"), r.err());
        final CliRunner c = CliRunner.run("bench", "echo", "--client-threads", "green");
        assertEquals(ExitCode.BAD_INPUT, c.exitCode());
        assertTrue(c.err().contains("--client-threads must be virtual, platform or loop"), c.err());
    }

    @Test
    void rejectsANonPositiveRate()
    {
        final CliRunner r = CliRunner.run("bench", "echo", "--rate", "0");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--rate > 0"), r.err());
    }

    /** A short run of 2 connections at 400 messages/s of 62 bytes against the given server; exits 0. */
    private static CliRunner echo(final String serverThreads)
    {
        final CliRunner r = CliRunner.run("bench", "echo", "--connections", "2", "--rate", "400", "--bytes", "62",
            "--seconds", "0.5", "--warmup", "0.3", "--server-threads", serverThreads, "--json");
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }
}
