package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's HTTP API over real loopback HTTP while a real miner mines: every endpoint's shape, its numbers against
 * the pool's own counters, and the errors a script gets for wrong methods and arguments.
 */
class ApiServerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token-0123456789abcdef";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void servesStatusAccountingMetricsLatencyAndReconnect() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool, null, TOKEN, false);
             MinerClient miner = h.miner("api.test", 1, false))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= 20));

            // The status is the snapshot the logic thread publishes once per tick: wait for one that shows the miner.
            final JsonNode[] last = new JsonNode[1];
            assertTrue(PoolHarness.await(10_000, () ->
            {
                last[0] = readJson(base, "/api/status");
                return last[0] != null && last[0].get("connections").asInt() == 1 &&
                    last[0].get("channels").asInt() == 1 && last[0].get("shares_accepted").asLong() >= 1;
            }), () -> "no status with the miner's connection, channel and shares: " + last[0]);
            final JsonNode status = last[0];
            assertTrue(status.get("time_ms").asLong() > 0 && status.get("height").asLong() >= 0, status.toString());
            // It may trail the miner by the shares of one tick, never lead it.
            final JsonNode tcp = status.get("transports").get("tcp");
            assertTrue(tcp.get("connections").asLong() == 1 && tcp.get("bytes_in").asLong() > 0 &&
                tcp.get("bytes_out").asLong() > 0, status.toString());
            assertEquals(0, status.get("transports").get("quic").get("connections").asLong(), status.toString());
            final long statusShares = status.get("shares_accepted").asLong();
            assertTrue(statusShares <= miner.stats().sharesAccepted.sum(), status.toString());

            final String metrics = get(base, "/metrics", 200);
            final long exported = metricValue(metrics, "sv2_shares_accepted_total");
            assertTrue(exported >= statusShares, metrics);

            // Every acknowledged share went through both measured stages at least once per batch.
            final JsonNode latency = JSON.readTree(get(base, "/api/latency", 200));
            final JsonNode inside = latency.get("share_to_ack_queued_us");
            assertTrue(inside.get("count").asLong() >= 1, latency.toString());
            // One value per logic batch, so never more than the shares acknowledged (a few may still be in flight).
            assertTrue(inside.get("count").asLong() <= miner.stats().sharesAccepted.sum() + 10, latency.toString());
            assertTrue(inside.get("p50").asDouble() > 0 && inside.get("p50").asDouble() <= inside.get("max").asDouble(),
                latency.toString());
            assertTrue(latency.get("ack_queued_to_writer_us").get("count").asLong() >= 1, latency.toString());
            assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/api/latency/reset")).GET()).statusCode());
            final long ackedBeforeReset = miner.stats().sharesAccepted.sum();
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/api/latency/reset"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            final JsonNode cleared = JSON.readTree(get(base, "/api/latency", 200));
            // After the reset only the batches since then count: at most one per share acknowledged meanwhile (plus
            // the few still in flight), whatever the count was before.
            final long sinceReset = miner.stats().sharesAccepted.sum() - ackedBeforeReset;
            assertTrue(cleared.get("share_to_ack_queued_us").get("count").asLong() <= sinceReset + 10,
                cleared + " after " + sinceReset + " shares");

            // the per-worker view: the miner's channel with its shares, in the API and in the metrics
            final JsonNode workers = JSON.readTree(get(base, "/api/workers", 200)).get("workers");
            assertEquals(1, workers.size(), workers.toString());
            final JsonNode w = workers.get(0);
            assertEquals("api.test", w.get("name").asText());
            assertEquals("sv2", w.get("transport").asText());
            assertTrue(w.get("shares_accepted").asLong() >= 1 && w.get("shares_accepted").asLong() <=
                miner.stats().sharesAccepted.sum(), w.toString());
            assertTrue(w.get("difficulty").asDouble() > 0 && w.get("last_share_time").asLong() > 0, w.toString());
            final String workerMetrics = get(base, "/metrics", 200);
            assertTrue(workerMetrics.contains("sv2_worker_shares_accepted_total{channel=\"" + w.get("channel_id").asInt() +
                "\",transport=\"sv2\",worker=\"api.test\"}"), workerMetrics);
            final JsonNode page = JSON.readTree(get(base, "/api/workers?sort=name&order=asc&per_page=1&page=1", 200));
            assertEquals(1, page.get("total").asInt());
            assertEquals("api.test", page.get("workers").get(0).get("name").asText());
            assertEquals(0, JSON.readTree(get(base, "/api/workers?page=2&per_page=1", 200)).get("workers").size());
            get(base, "/api/workers?sort=bogus", 400);
            get(base, "/api/workers?per_page=0", 400);
            final JsonNode one = JSON.readTree(get(base, "/api/workers/api.test", 200));
            assertEquals(w.get("channel_id").asInt(), one.get("channels").get(0).get("channel_id").asInt());
            get(base, "/api/workers/nobody", 404);
            // chains: bitcoin first, live height beside the journal's totals for the chain
            final JsonNode chains = JSON.readTree(get(base, "/api/chains", 200)).get("chains");
            final JsonNode btc = chains.get(0);
            assertEquals("bitcoin", btc.get("name").asText());
            assertTrue(btc.get("up").asBoolean() && btc.get("height").asLong() >= 0, btc.toString());
            assertTrue(btc.get("accounting").get("shares").asLong() >= 1, btc.toString());
            get(base, "/api/blocks?limit=0", 400);
            assertEquals(0, JSON.readTree(get(base, "/api/blocks", 200)).get("blocks").size(), "no block at 1e9");
            // bin/sv2 status reads the same documents
            final org.bitcoincommons.sv2.cli.CliRunner st = org.bitcoincommons.sv2.cli.CliRunner.run("status", "--api",
                base.toString());
            assertEquals(0, st.exitCode(), st.err());
            assertTrue(st.out().contains("shares accepted") && st.out().contains("api.test") &&
                st.out().contains("sv2"), st.out());
            final JsonNode accounting = JSON.readTree(get(base, "/api/accounting", 200));
            assertTrue(accounting.has("shares_accepted") && accounting.has("distribution"), accounting.toString());

            final JsonNode memory = JSON.readTree(get(base, "/api/memory", 200));
            assertTrue(memory.get("heap_used_bytes").asLong() > 0, memory.toString());

            assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/api/reconnect")).GET()).statusCode());
            assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/api/reconnect?port=70000"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            // admin actions need the token: none is 401, another is 401, and reading needs none
            assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/api/reconnect"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/api/latency/reset"))
                .header("Authorization", "Bearer " + TOKEN + "x").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            get(base, "/api/nothing-here", 404);
            assertTrue(get(base, "/", 200).contains("<"), "the dashboard is HTML");
        }
    }

    /** The JSON at {@code path}, or null when the request fails (for polling). */
    private JsonNode readJson(final URI base, final String path)
    {
        try
        {
            final HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).GET());
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

    private String get(final URI base, final String path, final int expectedStatus) throws Exception
    {
        final HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).GET());
        assertEquals(expectedStatus, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private HttpResponse<String> send(final HttpRequest.Builder b) throws Exception
    {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long metricValue(final String exposition, final String name)
    {
        for (final String line : exposition.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return (long)Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }

    @Test
    void blocksFoundAreListedWithTheirStatusAndSurviveARestart() throws Exception
    {
        final java.util.List<String> before = new java.util.ArrayList<>();
        try (PoolHarness h = new PoolHarness(dir, 0.0005, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool);
             MinerClient miner = h.miner("block.finder", 1, false))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertTrue(PoolHarness.await(30_000, () -> h.pool.accounting().get("blocks_found") instanceof Number n &&
                n.longValue() >= 2));
            // blocks: every block of the journal (fewer than the page), each accepted by the embedded chain with its reward
            final JsonNode blocks = JSON.readTree(get(base, "/api/blocks?limit=200", 200)).get("blocks");
            // /api/accounting is the totals as of the last tick (once a second), /api/blocks is live: let it catch up
            final long listed = blocks.size();
            PoolHarness.await(5_000, () ->
            {
                try
                {
                    return JSON.readTree(get(base, "/api/accounting", 200)).get("blocks_found").asLong() >= listed;
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final long found = JSON.readTree(get(base, "/api/accounting", 200)).get("blocks_found").asLong();
            assertTrue(found >= 1, "the test's difficulty finds blocks");
            assertTrue(blocks.size() >= 1 && blocks.size() <= found, blocks.toString());
            for (final JsonNode b : blocks)
            {
                assertEquals("bitcoin", b.get("chain").asText());
                assertTrue(b.get("status").asText().equals("accepted") || b.get("status").asText().equals("found"),
                    b.toString());
                assertEquals(64, b.get("hash").asText().length());
                assertEquals("block.finder", b.get("worker").asText());
            }
            blocks.forEach(b -> before.add(b.get("hash").asText()));
        }
        // a new pool on the same journal lists the same blocks (rebuilt from the journal)
        try (PoolHarness h = new PoolHarness(dir, 1e9, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            final JsonNode blocks = JSON.readTree(get(base, "/api/blocks?limit=200", 200)).get("blocks");
            final java.util.List<String> after = new java.util.ArrayList<>();
            blocks.forEach(b -> after.add(b.get("hash").asText()));
            assertTrue(after.containsAll(before) && !before.isEmpty(), before + " vs " + after);
        }
    }
}
