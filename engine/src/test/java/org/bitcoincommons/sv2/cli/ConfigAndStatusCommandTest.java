package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sv2 config check}: every problem of a file, each with its key and line, in one run; a valid file (the
 * example config) passes. {@code bin/sv2 status}: an API that cannot be reached is a clear failure.
 */
class ConfigAndStatusCommandTest
{
    @TempDir
    Path dir;

    @Test
    void everyProblemWithItsKeyAndLine() throws Exception
    {
        final Path f = dir.resolve("bad.toml");
        Files.writeString(f, """
            [pool]
            shares_per_minute = -1
            ring_size = 1000
            [sv1]
            extranonce2_size = 12
            bogus = 1
            [api]
            admin_token = "short"
            """);
        final CliRunner r = CliRunner.run("config", "check", f.toString(), "--json");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        final JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(false, j.get("valid").asBoolean());
        final StringBuilder seen = new StringBuilder();
        j.get("problems").forEach(p -> seen.append(p.get("key").asText()).append('@').append(p.get("line").asInt())
            .append(' '));
        final String s = seen.toString();
        for (final String expected : new String[] {"pool.shares_per_minute@2", "pool.ring_size@3",
            "sv1.extranonce2_size@5", "sv1.bogus@6", "api.admin_token@8"})
        {
            assertTrue(s.contains(expected), expected + " in " + s + " / " + r.out());
        }
        assertEquals(5, j.get("problems").size(), r.out());
    }

    @Test
    void syntaxErrorsAreAllReported() throws Exception
    {
        final Path f = dir.resolve("syntax.toml");
        Files.writeString(f, "[pool]\nshares_per_minute = = 6\n[api\n");
        final CliRunner r = CliRunner.run("config", "check", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.out().contains("syntax.toml:2:") && r.out().contains("syntax.toml:3:"), r.out());
    }

    @Test
    void theExampleConfigIsValid() throws Exception
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("etc/pool.example.toml")))
        {
            root = root.getParent();
        }
        final CliRunner r = CliRunner.run("config", "check", root.resolve("etc/pool.example.toml").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("valid"), r.out());
    }

    @Test
    void statusWithoutAPoolSaysSo()
    {
        final CliRunner r = CliRunner.run("status", "--api", "http://127.0.0.1:1");
        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertTrue(r.err().contains("cannot reach the pool's API at http://127.0.0.1:1"), r.err());
    }
}
