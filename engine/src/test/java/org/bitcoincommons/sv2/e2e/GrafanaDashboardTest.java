package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in grafana/ queries only metrics the pool exports: every metric name in every panel's
 * expression is found in a live /metrics (a pool with SV2 and SV1 enabled and a miner, so per-worker series exist),
 * and the README's metric table lists exactly the names exported (cluster-only metrics aside).
 */
@Timeout(60)
class GrafanaDashboardTest
{
    private static final Pattern METRIC = Pattern.compile("\\b(sv[12]_[a-z0-9_]+)\\b");

    @TempDir
    Path dir;

    @Test
    void everyQueriedMetricExists() throws Exception
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("grafana/sv2-pool-dashboard.json")))
        {
            root = root.getParent();
        }
        final JsonNode dashboard = new ObjectMapper().readTree(root.resolve("grafana/sv2-pool-dashboard.json").toFile());
        final Set<String> queried = new TreeSet<>();
        for (final JsonNode panel : dashboard.get("panels"))
        {
            for (final JsonNode t : panel.path("targets"))
            {
                final Matcher m = METRIC.matcher(t.get("expr").asText());
                while (m.find())
                {
                    queried.add(m.group(1));
                }
            }
        }
        assertTrue(queried.size() >= 20, "the dashboard queries the pool's metrics: " + queried);
        final String sv1 = """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            """;
        try (PoolHarness h = new PoolHarness(dir, 1e9, sv1, "", null);
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool);
             MinerClient miner = h.miner("grafana.test", 1, false))
        {
            api.start();
            assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= 1));
            final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.address().getPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            final Set<String> exported = new TreeSet<>();
            for (final String line : r.body().split("\n"))
            {
                if (!line.startsWith("#") && !line.isBlank())
                {
                    final int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                    exported.add(line.substring(0, end));
                }
            }
            final Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertTrue(missing.isEmpty(), "queried but not exported: " + missing + "; exported: " + exported);
            // the README's metric table names exactly what is exported (cluster metrics exist only in a cluster)
            final Set<String> documented = new TreeSet<>();
            for (final String line : Files.readAllLines(root.resolve("README.md")))
            {
                if (line.startsWith("| `sv"))
                {
                    final Matcher m = METRIC.matcher(line.substring(0, line.indexOf('|', 2)));
                    while (m.find())
                    {
                        documented.add(m.group(1));
                    }
                }
            }
            final Set<String> undocumented = new TreeSet<>(exported);
            undocumented.removeAll(documented);
            assertTrue(undocumented.isEmpty(), "exported but not in the README's metric table: " + undocumented);
            final Set<String> stale = new TreeSet<>(documented);
            stale.removeAll(exported);
            // a labelled family has no series (and no TYPE line) until its first event: no block was refused here
            stale.remove("sv2_template_blocks_rejected_total");
            stale.removeIf(n -> n.startsWith("sv2_cluster_"));
            // custom-job counters exist only where the Job Declaration Server runs (none here)
            stale.removeIf(n -> n.startsWith("sv2_custom_jobs_"));
            assertTrue(stale.isEmpty(), "in the README's metric table but not exported: " + stale);
        }
    }
}
