package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.engine.StratumV2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress on a terminal for long work: the status line is rewritten in place on stderr only when a terminal is
 * attached and never in --json mode; {@code bin/sv2 bench load} shows its phase and accepted shares that way (here
 * against an in-process pool, the terminal forced), and its --json output stays one clean JSON object.
 */
class LoadProgressTest
{
    @TempDir
    Path dir;

    @AfterEach
    void resetTerminal()
    {
        Progress.terminalOverride = null;
    }

    @Test
    @Timeout(10)
    void theLineIsShownOnlyOnATerminalAndNeverForJson() throws Exception
    {
        Progress.terminalOverride = true;
        final StringWriter shown = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(shown), true, 10, () -> "working"))
        {
            assertTrue(p.shown());
            assertTrue(await(5_000, () -> shown.toString().contains("\rworking")), shown.toString());
        }
        assertTrue(shown.toString().endsWith(System.lineSeparator()), "the line is ended at close");

        final StringWriter json = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(json), false, 10, () -> "working"))
        {
            assertFalse(p.shown());
        }
        Progress.terminalOverride = false;
        final StringWriter piped = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(piped), true, 10, () -> "working"))
        {
            assertFalse(p.shown());
        }
        assertEquals("", json.toString() + piped.toString());
    }

    @Test
    @Timeout(60)
    void benchLoadShowsProgressOnATerminalButNotInJson() throws Exception
    {
        final StratumV2Server pool = StratumV2Server.builder()
            .listen("127.0.0.1:0")
            .journalDir(dir.resolve("journal"))
            .api(false)
            .build();
        pool.start();
        try
        {
            final String address = "127.0.0.1:" + pool.sv2Address().getPort();
            Progress.terminalOverride = true;
            final CliRunner human = CliRunner.run("bench", "load", "--pool", address, "--authority-pubkey",
                pool.authorityPublicKey(), "--connections", "2", "--warmup", "1", "--seconds", "2");
            assertEquals(0, human.exitCode(), human.err());
            assertTrue(human.err().contains("\rload: ") && human.err().contains("connections open"), human.err());
            assertTrue(human.err().contains("measuring"), human.err());
            assertTrue(human.out().contains("accepted_shares_per_second: "), human.out());
            assertFalse(human.out().contains("\r"), "progress goes to stderr only: " + human.out());

            final CliRunner json = CliRunner.run("bench", "load", "--pool", address, "--authority-pubkey",
                pool.authorityPublicKey(), "--connections", "2", "--warmup", "1", "--seconds", "1", "--json");
            assertEquals(0, json.exitCode(), json.err());
            assertFalse(json.err().contains("load: ") || json.err().contains("\r"), "no progress with --json: " + json.err());
            final JsonNode result = Json.MAPPER.readTree(json.out());
            assertTrue(result.has("accepted_shares_per_second"), json.out());
            assertEquals(1, json.out().strip().lines().count(), json.out());
        }
        finally
        {
            pool.close();
        }
    }

    private static boolean await(final long timeoutMs, final BooleanSupplier condition) throws InterruptedException
    {
        final long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > end)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
