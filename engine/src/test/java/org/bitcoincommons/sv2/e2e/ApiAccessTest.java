package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.bitcoincommons.sv2.api.ApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's access rules on a live pool: without a configured token no admin action runs (403, and no miner is asked
 * to reconnect); with read_requires_token even reading needs the token.
 */
@Timeout(60)
class ApiAccessTest
{
    private static final String TOKEN = "0123456789abcdef0123";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private int status(final URI uri, final String method, final String token) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void withoutATokenAdminActionsAreOff() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e6, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertEquals(403, status(base.resolve("/api/reconnect"), "POST", null));
            assertEquals(403, status(base.resolve("/api/reconnect"), "POST", "anything-at-all-here"));
            assertEquals(403, status(base.resolve("/api/extranonce-prefix?channel_id=1"), "POST", null));
            assertEquals(200, status(base.resolve("/api/status"), "GET", null), "reading stays open");
        }
    }

    @Test
    void readRequiresTokenCoversEveryEndpoint() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e6, "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool, null, TOKEN, true))
        {
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            for (final String path : new String[] {"/", "/metrics", "/api/status", "/api/workers", "/api/accounting"})
            {
                assertEquals(401, status(base.resolve(path), "GET", null), path);
                assertEquals(401, status(base.resolve(path), "GET", TOKEN.substring(1)), path);
                assertEquals(200, status(base.resolve(path), "GET", TOKEN), path);
            }
            assertTrue(status(base.resolve("/api/reconnect"), "POST", TOKEN) == 200);
        }
    }
}
