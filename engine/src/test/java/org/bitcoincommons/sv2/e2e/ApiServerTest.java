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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void servesStatusAccountingMetricsLatencyAndReconnect() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool);
             MinerClient miner = h.miner("api.test", 1, false))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= 20));

            final JsonNode status = JSON.readTree(get(base, "/api/status", 200));
            assertEquals(1, status.get("connections").asInt(), status.toString());
            assertEquals(1, status.get("channels").asInt(), status.toString());
            // The status is the logic thread's last snapshot: it may trail the miner by the shares of one tick.
            final long statusShares = status.get("shares_accepted").asLong();
            assertTrue(statusShares >= 1 && statusShares <= miner.stats().sharesAccepted.sum(), status.toString());

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
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/api/latency/reset"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            final JsonNode cleared = JSON.readTree(get(base, "/api/latency", 200));
            assertTrue(cleared.get("share_to_ack_queued_us").get("count").asLong()
                < inside.get("count").asLong() + 5, cleared.toString());

            final JsonNode accounting = JSON.readTree(get(base, "/api/accounting", 200));
            assertTrue(accounting.has("shares_accepted") && accounting.has("distribution"), accounting.toString());

            final JsonNode memory = JSON.readTree(get(base, "/api/memory", 200));
            assertTrue(memory.get("heap_used_bytes").asLong() > 0, memory.toString());

            assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/api/reconnect")).GET()).statusCode());
            assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/api/reconnect?port=70000"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            get(base, "/api/nothing-here", 404);
            assertTrue(get(base, "/", 200).contains("<"), "the dashboard is HTML");
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
}
