package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.api.ApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages the pool starts on its own towards Stratum V1 miners: client.reconnect when an operator calls
 * {@code POST /api/reconnect} (the same endpoint that sends Reconnect to SV2 miners), and keepalive jobs, a fresh job
 * id and ntime on the same work, for a worker that got no job for {@code keepalive_interval_sec} (cpuminer reconnects
 * after 120 s without work, ROLES.md A.6); and mining.set_extranonce when a channel gets a new extranonce prefix.
 */
@Timeout(30)
class Sv1ServerMessagesTest
{
    private static final String TOKEN = "sv1-test-admin-token";

    @TempDir
    Path dir;

    private static HttpResponse<String> post(final ApiServer api, final String pathAndQuery) throws Exception
    {
        final URI uri = URI.create("http://127.0.0.1:" + api.address().getPort() + pathAndQuery);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())
        {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void apiReconnectSendsClientReconnectToSv1Miners() throws Exception
    {
        try (Sv1TestPool h = new Sv1TestPool(dir, "", "");
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool, null, TOKEN, false);
             Sv1Client a = new Sv1Client(h.sv1());
             Sv1Client b = new Sv1Client(h.sv1()))
        {
            api.start();
            a.session("reconnect.a");
            b.session("reconnect.b");

            // to another address: host and port
            final HttpResponse<String> moved = post(api, "/api/reconnect?host=127.0.0.1&port=3334");
            assertEquals(200, moved.statusCode(), moved.body());
            assertTrue(Sv1Client.JSON.readTree(moved.body()).get("reconnected").asInt() >= 2,
                "both SV1 connections counted: " + moved.body());
            for (final Sv1Client c : new Sv1Client[] {a, b})
            {
                final JsonNode r = c.next("client.reconnect");
                assertTrue(r.path("id").isNull(), r.toString());
                final JsonNode p = r.get("params");
                assertEquals("127.0.0.1", p.get(0).asText(), r.toString());
                // a string, as cgminer and bmminer read it (json_string_value)
                assertEquals("3334", p.get(1).textValue(), r.toString());
            }

            // to the same address: no params, the miner reconnects where it is
            final HttpResponse<String> same = post(api, "/api/reconnect");
            assertEquals(200, same.statusCode(), same.body());
            for (final Sv1Client c : new Sv1Client[] {a, b})
            {
                final JsonNode r = c.next("client.reconnect");
                assertEquals(0, r.get("params").size(), r.toString());
            }

            // a miner that follows it mines again on a new connection
            a.close();
            try (Sv1Client again = new Sv1Client(h.sv1()))
            {
                final Sv1Work w = again.session("reconnect.a");
                again.send(Sv1Client.submitLine(9, again.share(w, "reconnect.a", 1, 0, 0), 5));
                assertTrue(again.reply(9).path("result").asBoolean(false), again.transcript.toString());
            }
        }
    }

    @Test
    void keepaliveJobsBringAFreshJobIdAndNtimeOnTheSameWork() throws Exception
    {
        try (Sv1TestPool h = new Sv1TestPool(dir, "keepalive_interval_sec = 1", "");
             Sv1Client c = new Sv1Client(h.sv1()))
        {
            final long keepalives = h.pool.sv1().metrics().keepaliveJobs.sum();
            final Sv1Work first = c.session("keepalive.cpuminer");
            final long t0 = System.nanoTime();
            final Sv1Work second = c.nextWork();
            final long waitedMs = (System.nanoTime() - t0) / 1_000_000L;
            assertTrue(waitedMs >= 800, "a keepalive job after " + waitedMs + " ms; the interval is 1 s");
            assertNotEquals(first.jobId, second.jobId, "a fresh job id");
            assertTrue(Integer.compareUnsigned(second.ntime, first.ntime) > 0,
                "a fresh ntime: " + Integer.toUnsignedString(first.ntime) + " then " + Integer.toUnsignedString(second.ntime));
            // the same work: no template change happened
            assertArrayEquals(first.prevHash, second.prevHash);
            assertArrayEquals(first.coinb1, second.coinb1);
            assertArrayEquals(first.coinb2, second.coinb2);
            assertEquals(first.branches.length, second.branches.length);
            assertEquals(first.version, second.version);
            assertEquals(first.nbits, second.nbits);
            assertFalse(second.clean, "a keepalive does not clean the miner's jobs");
            assertEquals(first.difficulty, second.difficulty, 0.0);

            // a share on the keepalive job, and one on the job it refreshes, are both good
            c.send(Sv1Client.submitLine(10, c.share(second, "keepalive.cpuminer", 1, 0, 0), 5));
            assertTrue(c.reply(10).path("result").asBoolean(false), c.transcript.toString());
            c.send(Sv1Client.submitLine(11, c.share(first, "keepalive.cpuminer", 2, 0, 0), 5));
            assertTrue(c.reply(11).path("result").asBoolean(false), "the refreshed job is not stale: " + c.transcript);

            // and they keep coming
            final Sv1Work third = c.nextWork();
            assertNotEquals(second.jobId, third.jobId);
            // the logic thread counts a keepalive right after queueing its job: the miner may see the job first
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (h.pool.sv1().metrics().keepaliveJobs.sum() - keepalives < 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(h.pool.sv1().metrics().keepaliveJobs.sum() - keepalives >= 2, "keepalive jobs counted");
        }
    }

    @Test
    void newExtranoncePrefixGoesToSubscribedMinersAndReconnectsTheOthers() throws Exception
    {
        try (Sv1TestPool h = new Sv1TestPool(dir, "", "");
             Sv1Client a = new Sv1Client(h.sv1());
             Sv1Client b = new Sv1Client(h.sv1()))
        {
            a.session("extranonce.subscribed");
            a.send("{\"id\":3,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}\n");
            assertTrue(a.reply(3).path("result").asBoolean(false), a.transcript.toString());
            final byte[] old = a.extranonce1;
            final int channel = ((Number)h.worker("extranonce.subscribed").get("channel_id")).intValue();
            final byte[] prefix = h.pool.setExtranoncePrefix(channel).orElseThrow();

            // mining.set_extranonce [extranonce1, extranonce2_size], as the subscribe result gave them
            final JsonNode set = a.next("mining.set_extranonce");
            final byte[] fresh = Sv1Work.HEX.parseHex(set.get("params").get(0).asText());
            assertEquals(old.length, fresh.length, set.toString());
            assertArrayEquals(prefix, java.util.Arrays.copyOf(fresh, prefix.length), "extranonce1 begins with the prefix");
            assertEquals(4, set.get("params").get(1).asInt(), set.toString());
            assertFalse(java.util.Arrays.equals(old, fresh), "a new extranonce1");
            // work under the new extranonce1 follows, and its shares count
            a.extranonce1 = fresh;
            // what was read before mining.set_extranonce is older work: only its difficulty still counts
            for (final JsonNode n : a.kept)
            {
                if (n.path("method").asText().equals("mining.set_difficulty"))
                {
                    a.difficulty = n.get("params").get(0).asDouble();
                }
            }
            a.kept.clear();
            final Sv1Work w = a.nextWork();
            a.send(Sv1Client.submitLine(4, a.share(w, "extranonce.subscribed", 1, 0, 0), 5));
            final JsonNode ok = a.reply(4);
            assertTrue(ok.path("result").asBoolean(false), "a share under the new extranonce1: " + ok + " " + a.transcript);

            // a miner that did not subscribe to extranonce changes cannot learn one: it is asked to reconnect
            b.session("extranonce.unsubscribed");
            final int other = ((Number)h.worker("extranonce.unsubscribed").get("channel_id")).intValue();
            h.pool.setExtranoncePrefix(other).orElseThrow();
            b.next("client.reconnect");
            assertTrue(b.closedByPool(5_000), "closed after client.reconnect: " + b.transcript);
        }
    }
}
