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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SetExtranoncePrefix over real encrypted connections: the operator moves every open channel to a fresh prefix
 * (POST /api/extranonce-prefix), a standard and an extended miner follow it, and their shares keep being accepted
 * with nothing rejected.
 */
class ExtranoncePrefixTest
{
    private static final String TOKEN = "test-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void minersKeepMiningAcrossANewExtranoncePrefix() throws Exception
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (PoolHarness h = new PoolHarness(dir, 1e9, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool, null, TOKEN, false);
             MinerClient standard = h.miner("prefix.std", 1, false);
             MinerClient extended = h.miner("prefix.ext", 1, true))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertTrue(PoolHarness.await(30_000, () -> standard.stats().sharesAccepted.sum() >= 5 &&
                extended.stats().sharesAccepted.sum() >= 5));

            // Channel ids are small integers; move every open one (group channels answer 404 like unknown ids).
            final List<String> prefixes = new ArrayList<>();
            for (int id = 1; id <= 4; id++)
            {
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        base.resolve("/api/extranonce-prefix?channel_id=" + id))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200)
                {
                    final JsonNode json = new ObjectMapper().readTree(r.body());
                    assertEquals(id, json.get("channel_id").asInt());
                    prefixes.add(json.get("extranonce_prefix").asText());
                }
                else
                {
                    assertEquals(404, r.statusCode(), r.body());
                }
            }
            assertTrue(prefixes.size() >= 2, "both miners' channels got a new prefix: " + prefixes);
            assertEquals(prefixes.size(), prefixes.stream().distinct().count(), "prefixes are unique");

            final long s0 = standard.stats().sharesAccepted.sum();
            final long e0 = extended.stats().sharesAccepted.sum();
            assertTrue(PoolHarness.await(40_000, () -> standard.stats().sharesAccepted.sum() >= s0 + 10 &&
                extended.stats().sharesAccepted.sum() >= e0 + 10),
                () -> "after the change: std " + (standard.stats().sharesAccepted.sum() - s0) + " ext " +
                    (extended.stats().sharesAccepted.sum() - e0) + " rejects " + standard.stats().rejectReasons +
                    extended.stats().rejectReasons);
            assertEquals(Map.of(), Map.copyOf(standard.stats().rejectReasons), "standard miner rejects");
            assertEquals(Map.of(), Map.copyOf(extended.stats().rejectReasons), "extended miner rejects");

            final HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                    base.resolve("/api/extranonce-prefix?channel_id=x")).header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            final HttpResponse<String> get = http.send(HttpRequest.newBuilder(
                base.resolve("/api/extranonce-prefix?channel_id=1")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
        }
    }
}
