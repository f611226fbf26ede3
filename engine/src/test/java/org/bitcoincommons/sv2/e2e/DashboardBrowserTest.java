package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.api.ApiServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a person sees it: a pool with an SV1 worker that found shares and blocks, the page loaded in headless
 * Chromium (Debian's chromium package; .ci/run installs it), its scripts run, and the numbers it shows (cards, workers
 * table, blocks) equal what /api/status and /api/workers answer; a screenshot goes to engine/target/dashboard.png.
 * Where Chromium is not installed or cannot start, the test is skipped with the reason, never passed.
 */
@Timeout(120)
class DashboardBrowserTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private static Path chromium()
    {
        final String env = System.getenv("SV2_CHROMIUM");
        for (final String c : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
        {
            if (c != null && Files.isExecutable(Path.of(c)))
            {
                return Path.of(c);
            }
        }
        return null;
    }

    private String run(final Path chromium, final List<String> args) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(args);
        final Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
        final byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            Assumptions.abort("Chromium did not finish within 60 s: " + Files.readString(dir.resolve("chromium.err")));
        }
        if (p.exitValue() != 0)
        {
            Assumptions.abort("Chromium cannot start here (exit " + p.exitValue() + "): " +
                Files.readString(dir.resolve("chromium.err")));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static JsonNode api(final URI uri) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    private static String attr(final String dom, final String regex)
    {
        final Matcher m = Pattern.compile(regex).matcher(dom);
        assertTrue(m.find(), "the page shows " + regex + " in:\n" + dom);
        return m.group(1);
    }

    @Test
    void thePageShowsWhatTheApiSays() throws Exception
    {
        final Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium; .ci/run does)");
        final String sv1 = """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = 0.00001
            min_difficulty = 0.000001
            """;
        try (PoolHarness h = new PoolHarness(dir, 0.00003, sv1, "min_hashrate = 0.000001", null);
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool);
             Sv1EndpointTest.Client c = new Sv1EndpointTest.Client(h.pool.sv1Address()))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort() + "/");
            c.send("""
                {"id":1,"method":"mining.subscribe","params":["dashboard-test"]}
                {"id":2,"method":"mining.authorize","params":["dash.rig","x"]}
                """);
            final byte[] en1 = HEX.parseHex(c.reply(1).get("result").get(1).asText());
            assertTrue(c.reply(2).get("result").asBoolean());
            int accepted = 0;
            JsonNode notify = c.next("mining.notify");
            for (int i = 0; i < 4; i++)
            {
                final String[] s = Sv1EndpointTest.grind(notify, en1, 4, 0.00001, 0, 20 + i);
                c.send("{\"id\":" + (10 + i) + ",\"method\":\"mining.submit\",\"params\":[\"dash.rig\",\"" + s[0] + "\",\"" +
                    s[1] + "\",\"" + s[2] + "\",\"" + s[3] + "\"]}\n");
                if (c.reply(10 + i).get("result").asBoolean())
                {
                    accepted++;
                }
                for (final JsonNode m : c.notifications)
                {
                    if ("mining.notify".equals(m.path("method").asText()))
                    {
                        notify = m;   // a block moved the tip: mine on the newest job
                    }
                }
                c.notifications.clear();
            }
            final int n = accepted;
            assertTrue(n >= 1);
            // the status snapshot is taken once a second: wait until it has every share, then the numbers stand still
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status() != null && h.pool.status().sharesAccepted() == n));
            Thread.sleep(1_200);   // one more tick: the hashrate window and the snapshot settle
            final String dom = run(chromium, List.of("--virtual-time-budget=8000", "--dump-dom", base.toString()));
            final JsonNode status = api(base.resolve("api/status"));
            final JsonNode workers = api(base.resolve("api/workers"));
            for (final String key : new String[] {"shares_accepted", "shares_rejected", "connections", "channels",
                "height", "blocks_found"})
            {
                assertEquals(status.get(key).asText(), attr(dom,
                    "data-key=\"" + key + "\"><div class=\"label\">[^<]*</div><div class=\"value\" data-value=\"([^\"]*)\""),
                    key);
            }
            final JsonNode w = workers.get("workers").get(0);
            assertEquals("dash.rig", w.get("name").asText());
            assertEquals(w.get("shares_accepted").asText(), attr(dom,
                "<tr data-worker=\"dash.rig\" data-accepted=\"([0-9]+)\""));
            assertEquals("sv1", attr(dom, "data-worker=\"dash.rig\"[^>]*data-transport=\"([a-z0-9]+)\""));
            final JsonNode blocks = api(base.resolve("api/blocks?limit=10")).get("blocks");
            if (blocks.size() > 0)
            {
                attr(dom, "data-hash=\"(" + blocks.get(0).get("hash").asText() + ")\"");
            }
            attr(dom, "<tr data-chain=\"(bitcoin)\"");
            final Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
            run(chromium, List.of("--virtual-time-budget=8000", "--window-size=1280,1800", "--screenshot=" + shot,
                base.toString()));
            assertTrue(Files.size(shot) > 10_000, "a screenshot of the page at " + shot);
        }
    }
}
