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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lints every metric name /metrics emits against the Prometheus conventions the README promises: counters end in
 * {@code _total} and nothing else does, units are base units spelled out ({@code _seconds}, {@code _bytes},
 * {@code _hashes_per_second}; no {@code _ms}, {@code _us}, {@code _hps}, {@code _kb}...), label names come from a fixed
 * set, and the worker label stays under the configured cap (the rest summed as "_other"). A live pool with SV2 and SV1
 * endpoints and three SV2 workers (cap 1) is scraped; the registrations in the API sources (cluster metrics too, which
 * a single process does not emit) are checked for the unit rule as well.
 */
@Timeout(60)
class MetricNamesTest
{
    /** Name tokens that are not base units or are abbreviations the conventions rule out. */
    static final Set<String> FORBIDDEN_TOKENS = Set.of("ms", "us", "ns", "millis", "micros", "nanos", "milliseconds",
        "microseconds", "nanoseconds", "sec", "secs", "min", "mins", "minutes", "hours", "hps", "hs", "khs", "mhs",
        "ghs", "ths", "kb", "mb", "gb", "kib", "mib", "gib", "kilobytes", "megabytes", "percent", "pct");
    /** The only label names the pool uses; each has a bounded set of values. */
    static final Set<String> LABELS = Set.of("worker", "channel", "transport", "source", "reason", "chain");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? .*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    /** The problems of one metric name by the unit rule (empty: none). */
    static List<String> unitProblems(final String name)
    {
        final List<String> out = new ArrayList<>();
        for (final String token : name.split("_"))
        {
            if (FORBIDDEN_TOKENS.contains(token))
            {
                out.add(name + ": \"" + token + "\" is not a base unit");
            }
        }
        if (!name.matches("[a-z][a-z0-9_]*"))
        {
            out.add(name + ": not snake case");
        }
        return out;
    }

    @Test
    void theLintCatchesWhatItMust()
    {
        assertTrue(!unitProblems("sv2_hashrate_hps").isEmpty());
        assertTrue(!unitProblems("sv2_cluster_commit_latency_p50_us").isEmpty());
        assertTrue(!unitProblems("sv2_backlog_kb").isEmpty());
        assertTrue(!unitProblems("sv2_fetch_ms").isEmpty());
        assertTrue(unitProblems("sv2_hashrate_hashes_per_second").isEmpty());
        assertTrue(unitProblems("sv2_template_source_latency_seconds").isEmpty());
        assertTrue(!lint("# TYPE sv2_x counter\nsv2_x 1\n", 1).isEmpty(), "a counter without _total");
        assertTrue(!lint("# TYPE sv2_x_total gauge\nsv2_x_total 1\n", 1).isEmpty(), "a gauge with _total");
        assertTrue(!lint("# TYPE sv2_x gauge\nsv2_x{ip=\"1.2.3.4\"} 1\n", 1).isEmpty(), "an unbounded label");
        assertTrue(!lint("# TYPE sv2_x gauge\nsv2_x{worker=\"a\"} 1\nsv2_x{worker=\"b\"} 1\nsv2_x{worker=\"c\"} 1\n", 1)
            .isEmpty(), "more workers than the cap");
        assertEquals(List.of(), lint("# TYPE sv2_x counter\nsv2_x_total{worker=\"a\"} 1\nsv2_x_total{worker=\"_other\"} 1\n", 1));
    }

    /**
     * Problems of a scrape in the Prometheus text format: sample names by type and unit, label names, and more
     * distinct worker label values than {@code workerCap} plus "_other".
     */
    static List<String> lint(final String body, final int workerCap)
    {
        final List<String> problems = new ArrayList<>();
        final Map<String, String> types = new HashMap<>();
        final Map<String, Set<String>> workersPerFamily = new HashMap<>();
        String family = "";
        for (final String line : body.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] p = line.split(" ");
                family = p[2];
                types.put(family, p[3]);
                continue;
            }
            if (line.startsWith("#") || line.isBlank())
            {
                continue;
            }
            final Matcher m = SAMPLE.matcher(line);
            if (!m.matches())
            {
                problems.add("unparsed line: " + line);
                continue;
            }
            final String name = m.group(1);
            final String type = types.getOrDefault(family, "untyped");
            if (type.equals("counter") != name.endsWith("_total"))
            {
                problems.add(name + " (" + type + "): counters, and only counters, end in _total");
            }
            if (type.equals("untyped") || type.equals("unknown"))
            {
                problems.add(name + ": has no type");
            }
            problems.addAll(unitProblems(name));
            if (m.group(3) != null)
            {
                final Matcher l = LABEL.matcher(m.group(3));
                while (l.find())
                {
                    if (!LABELS.contains(l.group(1)))
                    {
                        problems.add(name + ": label " + l.group(1) + " is not one of " + new TreeSet<>(LABELS));
                    }
                    if (l.group(1).equals("worker"))
                    {
                        workersPerFamily.computeIfAbsent(name, k -> new HashSet<>()).add(l.group(2));
                    }
                }
            }
        }
        workersPerFamily.forEach((name, workers) ->
        {
            final Set<String> own = new HashSet<>(workers);
            own.remove("_other");
            if (own.size() > workerCap)
            {
                problems.add(name + ": " + own.size() + " worker series over the cap of " + workerCap + ": " + workers);
            }
        });
        return problems;
    }

    @Test
    void everyEmittedMetricFollowsTheConventions() throws Exception
    {
        final String sv1 = """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            """;
        try (PoolHarness h = new PoolHarness(dir, 1e9, sv1, "", null);
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool).workerSeriesCap(1);
             MinerClient a = h.miner("lint.a", 1, false);
             MinerClient b = h.miner("lint.b", 1, false);
             MinerClient c = h.miner("lint.c", 1, true))
        {
            api.start();
            assertTrue(PoolHarness.await(30_000, () -> a.stats().sharesAccepted.sum() >= 1
                && b.stats().sharesAccepted.sum() >= 1 && c.stats().sharesAccepted.sum() >= 1));
            final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.address().getPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("worker=\"_other\""), "three workers over a cap of 1: " + r.body());
            assertTrue(r.body().contains("sv2_hashrate_hashes_per_second"), r.body());
            final List<String> problems = lint(r.body(), 1);
            assertEquals(List.of(), problems, r.body());
        }
    }

    /** Every name registered in the API sources (including cluster-only metrics) passes the unit rule. */
    @Test
    void everyRegisteredNameUsesBaseUnits() throws Exception
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("grafana/sv2-pool-dashboard.json")))
        {
            root = root.getParent();
        }
        final Path api = root.resolve("engine/src/main/java/org/bitcoincommons/sv2/api");
        final Pattern registered = Pattern.compile("\"(sv[12]_[a-z0-9_]+)\"");
        final Set<String> names = new TreeSet<>();
        final List<String> problems = new ArrayList<>();
        try (var files = Files.list(api))
        {
            for (final Path f : files.filter(p -> p.toString().endsWith(".java")).toList())
            {
                final Matcher m = registered.matcher(Files.readString(f));
                while (m.find())
                {
                    names.add(m.group(1));
                    problems.addAll(unitProblems(m.group(1)));
                    if (m.group(1).endsWith("_total"))
                    {
                        problems.add(m.group(1) + ": registered with _total (the exporter adds it to counters)");
                    }
                }
            }
        }
        assertTrue(names.size() >= 40 && names.contains("sv2_cluster_commit_latency_p99_seconds"), names.toString());
        assertEquals(List.of(), problems);
    }
}
