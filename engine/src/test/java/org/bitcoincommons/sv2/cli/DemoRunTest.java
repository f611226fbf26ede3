package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make run}'s demo as a real child process: Ctrl-C ends it with status 0 and no error, and after a restart on
 * the same data directory every number it shows (status line, /api/status, /api/accounting, replay) counts the same
 * thing, since this start, with chain heights that agree with the journal. A taken port is named with its option.
 */
class DemoRunTest
{
    private static final long WAIT_MS = 90_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChildCli demo(final String name) throws Exception
    {
        // About one block a second, so that blocks come within a short test.
        return ChildCli.start(dir, name, "demo", "--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--journal", "data/j",
            "--block-seconds", "1", "--status-interval", "1");
    }

    private JsonNode get(final URI api, final String path)
    {
        try
        {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        }
        catch (final Exception ex)
        {
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /**
     * Waits for a moment where /api/status and /api/accounting (both published by the same tick) agree and show at
     * least {@code shares} shares and one accepted block, and checks what they say.
     */
    private void assertNumbersAgree(final URI api, final long shares) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        JsonNode status = null;
        JsonNode accounting = null;
        while (System.currentTimeMillis() < deadline)
        {
            status = get(api, "/api/status");
            accounting = get(api, "/api/accounting");
            if (status != null && accounting != null && status.get("shares_accepted").asLong() >= shares &&
                status.get("blocks_accepted").asLong() >= 1 &&
                status.get("shares_accepted").asLong() == accounting.get("shares_accepted").asLong() &&
                status.get("journal_events").asLong() == accounting.get("events").asLong() &&
                status.get("blocks_found").asLong() == accounting.get("blocks_found").asLong() &&
                status.get("height").asLong() == status.get("blocks_accepted").asLong())
            {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("status and accounting never agreed:\n" + status + "\n" + accounting);
    }

    @Test
    @Timeout(300)
    void ctrlCExitsZeroAndARestartCountsFromItsOwnStart() throws Exception
    {
        final long firstRun;
        try (ChildCli first = demo("first"))
        {
            final URI api = URI.create(first.awaitOut("api: (http://127\\.0\\.0\\.1:\\d+/)", WAIT_MS));
            assertNumbersAgree(api, 1);
            // Ctrl-C; where this test runs in the background of a shell (SIGINT ignored), a service manager's SIGTERM.
            final String signal = first.ignoresSigint() ? "TERM" : "INT";
            first.signal(signal);
            assertEquals(0, first.awaitExit(WAIT_MS), first.toString());
            assertTrue(first.out().contains("stopping on SIG" + signal), first.toString());
            firstRun = Long.parseLong(first.awaitOut("stopped: (\\d+) shares accepted", 1));
            assertFalse(first.err().contains("error") || first.err().contains("Exception"), first.err());
        }
        assertEquals(firstRun, CleanStopTest.journaledShares(dir.resolve("data/j")), "the journal holds every share");

        try (ChildCli second = demo("second"))
        {
            final URI api = URI.create(second.awaitOut("api: (http://127\\.0\\.0\\.1:\\d+/)", WAIT_MS));
            assertTrue(second.out().contains("the previous run's is in " + dir.resolve("data/j.previous")),
                second.toString());
            // The restarted demo counts from its own start: its chain starts at height 0 and its journal is fresh,
            // so the counters, the heights and the journal's totals agree again.
            assertNumbersAgree(api, 1);
            final String line = second.awaitOut("(height \\d+ \\| .* \\| since start: shares \\d+ accepted.*)", WAIT_MS);
            assertTrue(line.contains("| journal "), line);
            second.signal("TERM");
            assertEquals(0, second.awaitExit(WAIT_MS), second.toString());
            final long secondRun = Long.parseLong(second.awaitOut("stopped: (\\d+) shares accepted", 1));
            assertEquals(secondRun, CleanStopTest.journaledShares(dir.resolve("data/j")));
        }
        assertEquals(firstRun, CleanStopTest.journaledShares(dir.resolve("data/j.previous")),
            "the first run's journal is kept whole beside the new one");
        final CliRunner replay = CliRunner.run("replay", "--journal", dir.resolve("data/j.previous").toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.out().contains("shares accepted: " + firstRun), replay.out());
    }

    @Test
    @Timeout(120)
    void aTakenPortIsNamedWithItsOption() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final CliRunner api = CliRunner.run("demo", "--listen", "127.0.0.1:0", "--api", "127.0.0.1:" + port,
                "--journal", dir.resolve("a").toString());
            assertEquals(ExitCode.FAILURE, api.exitCode(), api.err());
            assertTrue(api.err().startsWith("error: --api 127.0.0.1:" + port + " is already in use"), api.err());
            assertEquals(1, api.err().lines().count(), "one line: " + api.err());

            final CliRunner sv2 = CliRunner.run("demo", "--listen", "127.0.0.1:" + port, "--api", "127.0.0.1:0",
                "--journal", dir.resolve("b").toString());
            assertEquals(ExitCode.FAILURE, sv2.exitCode(), sv2.err());
            assertTrue(sv2.err().startsWith("error: --listen 127.0.0.1:" + port + " is already in use"), sv2.err());
            assertTrue(sv2.err().contains("make run PORT=N API_PORT=N"), sv2.err());

            final Path config = dir.resolve("pool.toml");
            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                [pool]
                journal_dir = "journal"
                [api]
                listen_addr = "127.0.0.1:%d"
                """.formatted(port));
            final CliRunner pool = CliRunner.run("pool", "--config", config.toString());
            assertEquals(ExitCode.FAILURE, pool.exitCode(), pool.err());
            assertEquals("error: api.listen_addr 127.0.0.1:" + port + " is already in use", pool.err().strip());

            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:%d"
                [pool]
                journal_dir = "journal"
                [api]
                enabled = false
                """.formatted(port));
            final CliRunner sv2Pool = CliRunner.run("pool", "--config", config.toString());
            assertEquals(ExitCode.FAILURE, sv2Pool.exitCode(), sv2Pool.err());
            assertEquals("error: stratum_v2.listen_addr 127.0.0.1:" + port + " is already in use", sv2Pool.err().strip());
        }
    }

    @Test
    @Timeout(60)
    void makeRunPassesPortAndApiPortToTheDemo() throws Exception
    {
        final Path root = Path.of(System.getProperty("sv2.root.dir", "..")).toAbsolutePath().normalize();
        // -n prints the recipe without running it: the demo's command line as make run would start it.
        final Process make = new ProcessBuilder("make", "-s", "-n", "run", "PORT=3339", "API_PORT=9109")
            .directory(root.toFile()).redirectErrorStream(true).start();
        final String out = new String(make.getInputStream().readAllBytes());
        assertEquals(0, make.waitFor(), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("bin/sv2 demo --listen 127.0.0.1:3339 --api 127.0.0.1:9109")), out);
    }
}
