package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the Stratum V1 endpoint while a legitimate SV1 miner ({@link Sv1TestMiner}) mines beside it: each
 * fault gets the answer ckpool gives (an error {@code [code, "ckpool string", null]} and the connection stays, or the
 * connection is closed), touches only its own connection (the miner is never disconnected and keeps getting shares
 * accepted after each fault), and loses nothing already accepted (every share the miner saw accepted is in the
 * journal at the end). The expected answers are the contract's (SV1-CONTRACT: invalid JSON, an over-long line, and
 * anything but configure, subscribe, authorize, extranonce.subscribe and suggest_difficulty before subscribe close the
 * connection; an unknown method after subscribe is [20,"Unhandled",null]; malformed submits get their error).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class Sv1BadInputTest
{
    private static final int MAX_LINE = 1024;
    private static final String GOOD = "good.sv1";
    private static final String INVALID_PARAMS = "[20,\"Invalid params\",null]";

    @TempDir
    static Path dir;
    private Sv1TestPool h;
    private Sv1TestMiner miner;

    @BeforeAll
    void start() throws Exception
    {
        h = new Sv1TestPool(dir, "max_line_bytes = " + MAX_LINE, "");
        miner = new Sv1TestMiner(h.sv1(), GOOD);
        assertTrue(miner.acceptsMore(2, 15_000), "the good miner mines: " + miner.problems);
    }

    @AfterAll
    void stop() throws Exception
    {
        final long acked = miner.accepted();
        miner.close();
        h.close();
        assertTrue(acked > 0);
        assertTrue(h.journaledShares(GOOD) >= acked,
            "journal has " + h.journaledShares(GOOD) + " shares of " + GOOD + ", the miner saw " + acked + " accepted");
    }

    /** After every fault: the good miner was not touched and keeps mining. */
    @AfterEach
    void goodMinerStillMining()
    {
        assertTrue(miner.acceptsMore(1, 10_000), "the good miner stopped getting shares accepted: " + miner.problems);
        assertFalse(miner.closedByPool(), "the good miner was disconnected: " + miner.problems);
        assertEquals(0, miner.rejected(), "the good miner had shares rejected: " + miner.problems);
    }

    private Sv1Client client() throws IOException
    {
        return new Sv1Client(h.sv1());
    }

    private static void assertClosed(final Sv1Client c, final String what) throws IOException
    {
        assertTrue(c.closedByPool(5_000), what + ": the pool did not close the connection; read: " + c.transcript);
    }

    private static void assertError(final Sv1Client c, final Object id, final String error, final String what)
        throws IOException
    {
        final JsonNode r = c.reply(id);
        assertEquals(error, r.path("error").toString(), what + ": " + r);
        assertFalse(r.path("result").asBoolean(false), what + ": " + r);
    }

    /** The connection still answers: extranonce.subscribe gets true. */
    private static void assertStillServed(final Sv1Client c, final String what) throws IOException
    {
        c.send("{\"id\":\"alive\",\"method\":\"mining.extranonce.subscribe\",\"params\":[]}\n");
        assertTrue(c.reply("alive").path("result").asBoolean(false), what + ": " + c.transcript);
    }

    /** The bad client's own share, ground and submitted after its faults, is still accepted. */
    private static void assertMinesAfterwards(final Sv1Client c, final Sv1Work work, final String worker)
        throws IOException
    {
        final String[] s = c.share(work, worker, 99, 0, 0);
        c.send(Sv1Client.submitLine("after", s, 5));
        final JsonNode r = c.reply("after");
        assertTrue(r.path("result").asBoolean(false) && r.path("error").isNull(), "a good share afterwards: " + r);
    }

    // ---- invalid JSON ----

    @Test
    void invalidJsonBeforeSubscribeClosesTheConnection() throws Exception
    {
        try (Sv1Client c = client())
        {
            c.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\n");
            assertClosed(c, "a truncated object");
        }
    }

    @Test
    void invalidJsonAfterSubscribeClosesTheConnection() throws Exception
    {
        for (final String bad : new String[] {
            "this is not json\n",
            "{\"id\":5,\"method\":\"mining.extranonce.subscribe\",\"params\":[]} trailing\n",
            "{\"id\":5,\"method\":\"mining.submit\",\"params\":[\"a\",\"b\"\n",
            "{\"id\":5,'method':'mining.ping'}\n",
        })
        {
            try (Sv1Client c = client())
            {
                c.session("bad.json");
                c.send(bad);
                assertClosed(c, "not JSON: " + bad.strip());
            }
        }
    }

    @Test
    void binaryGarbageClosesTheConnection() throws Exception
    {
        try (Sv1Client c = client())
        {
            final byte[] junk = new byte[300];
            new java.util.Random(7).nextBytes(junk);
            junk[junk.length - 1] = '\n';
            c.sendBytes(junk);
            assertClosed(c, "random bytes");
        }
    }

    // ---- line length ----

    @Test
    void lineOverMaxLineBytesClosesTheConnection() throws Exception
    {
        try (Sv1Client c = client())
        {
            c.session("long.line");
            // a line just inside the limit (with \r\n) is served
            final String prefix = "{\"id\":\"edge\",\"method\":\"mining.extranonce.subscribe\",\"params\":[],\"pad\":\"";
            final String edge = prefix + "x".repeat(MAX_LINE - 2 - prefix.length() - 2) + "\"}";
            assertEquals(MAX_LINE - 2, edge.length());
            c.send(edge + "\r\n");
            assertTrue(c.reply("edge").path("result").asBoolean(false), "a line of " + edge.length() + " bytes");
            // a complete, valid line one byte over it is not
            final String over = prefix + "x".repeat(MAX_LINE + 1 - prefix.length() - 2) + "\"}";
            assertEquals(MAX_LINE + 1, over.length());
            c.send(over.replace("\"edge\"", "\"over\"") + "\n");
            assertClosed(c, "a line of " + over.length() + " bytes");
        }
    }

    @Test
    void endlessLineWithoutNewlineClosesTheConnection() throws Exception
    {
        try (Sv1Client c = client())
        {
            c.session("endless.line");
            // 1 MiB without a newline: the pool must close before it ends, not buffer it
            final byte[] chunk = "x".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            c.send("{\"id\":9,\"method\":\"mining.submit\",\"params\":[\"");
            boolean writeFailed = false;
            try
            {
                for (int i = 0; i < 256; i++)
                {
                    c.sendBytes(chunk);
                }
            }
            catch (final IOException ex)
            {
                writeFailed = true;   // reset by the pool: it closed while we were writing
            }
            assertTrue(writeFailed || c.closedByPool(5_000), "1 MiB without a newline: still open; read: " + c.transcript);
        }
    }

    // ---- methods ----

    @Test
    void unknownMethodAfterSubscribeIsUnhandledAndTheConnectionStays() throws Exception
    {
        try (Sv1Client c = client())
        {
            final Sv1Work work = c.session("unknown.method");
            c.send("{\"id\":7,\"method\":\"mining.frobnicate\",\"params\":[]}\n");
            assertError(c, 7, "[20,\"Unhandled\",null]", "an unknown method");
            c.send("{\"id\":\"s\",\"method\":\"getwork\",\"params\":[1,2,3]}\n");
            assertError(c, "s", "[20,\"Unhandled\",null]", "another unknown method, string id echoed");
            assertStillServed(c, "after unknown methods");
            assertMinesAfterwards(c, work, "unknown.method");
        }
    }

    @Test
    void unknownMethodBeforeSubscribeClosesTheConnection() throws Exception
    {
        try (Sv1Client c = client())
        {
            c.send("{\"id\":1,\"method\":\"mining.frobnicate\",\"params\":[]}\n");
            assertClosed(c, "an unknown method before subscribe");
        }
    }

    @Test
    void submitBeforeSubscribeClosesTheConnection() throws Exception
    {
        // ckpool drops a client that sends anything but subscribe, authorize or configure before subscribing
        try (Sv1Client c = client())
        {
            c.send("{\"id\":1,\"method\":\"mining.authorize\",\"params\":[\"early\",\"x\"]}\n" +
                "{\"id\":2,\"method\":\"mining.submit\",\"params\":[\"early\",\"1\",\"00000000\",\"00000000\",\"00000000\"]}\n");
            assertClosed(c, "a submit before subscribe");
        }
    }

    @Test
    void submitBeforeAuthorizeIsUnauthorized() throws Exception
    {
        try (Sv1Client c = client())
        {
            c.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
            final JsonNode sub = c.reply(1);
            c.extranonce1 = Sv1Work.HEX.parseHex(sub.get("result").get(1).asText());
            c.extranonce2Size = sub.get("result").get(2).asInt();
            final Sv1Work work = c.nextWork();
            final String[] s = c.share(work, "late.auth", 1, 0, 0);
            c.send(Sv1Client.submitLine(2, s, 5));
            assertError(c, 2, "[24,\"Unauthorized worker\",null]", "a submit before authorize");
            // then authorized, but a submit names another worker
            c.send("{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"late.auth\",\"x\"]}\n");
            assertTrue(c.reply(3).path("result").asBoolean(false), c.transcript.toString());
            final String[] other = s.clone();
            other[0] = "someone.else";
            c.send(Sv1Client.submitLine(4, other, 5));
            assertError(c, 4, "[24,\"Unauthorized worker\",null]", "a submit for a worker never authorized");
            // the very share, now from the authorized worker, counts
            c.send(Sv1Client.submitLine(5, s, 5));
            final JsonNode ok = c.reply(5);
            assertTrue(ok.path("result").asBoolean(false), "the share once authorized: " + ok);
        }
    }

    // ---- params ----

    @Test
    void wrongParamCountsAndTypesAreInvalidParams() throws Exception
    {
        try (Sv1Client c = client())
        {
            final Sv1Work work = c.session("bad.params");
            final String w = "\"bad.params\"";
            final String job = "\"" + work.jobId + "\"";
            final String[] submits = {
                "[" + w + "," + job + ",\"00000001\",\"" + Sv1Work.hex32(work.ntime) + "\"]",                 // 4 params
                "[" + w + "," + job + ",\"00000001\",\"" + Sv1Work.hex32(work.ntime) + "\",\"00000000\",\"00000000\",\"x\"]", // 7
                "[]",
                "{\"worker\":" + w + "}",                                                                      // not an array
                "\"" + work.jobId + "\"",
                "[" + w + "," + job + ",\"00000001\",\"" + Sv1Work.hex32(work.ntime) + "\",12345678]",        // number nonce
                "[" + w + "," + job + ",\"00000001\"," + (work.ntime & 0xffffffffL) + ",\"00000000\"]",      // number ntime
                "[null," + job + ",\"00000001\",\"" + Sv1Work.hex32(work.ntime) + "\",\"00000000\"]",          // null worker
                "[" + w + "," + job + ",[\"00000001\"],\"" + Sv1Work.hex32(work.ntime) + "\",\"00000000\"]",   // array
            };
            int id = 100;
            for (final String params : submits)
            {
                c.send("{\"id\":" + id + ",\"method\":\"mining.submit\",\"params\":" + params + "}\n");
                assertError(c, id, INVALID_PARAMS, "submit params " + params);
                id++;
            }
            c.send("{\"id\":" + id + ",\"method\":\"mining.submit\"}\n");
            assertError(c, id++, INVALID_PARAMS, "submit without params");
            for (final String params : new String[] {"[\"high\"]", "[-1]", "[0]", "[]", "{\"d\":1}"})
            {
                c.send("{\"id\":" + id + ",\"method\":\"mining.suggest_difficulty\",\"params\":" + params + "}\n");
                assertError(c, id, INVALID_PARAMS, "suggest_difficulty params " + params);
                id++;
            }
            c.send("{\"id\":" + id + ",\"method\":\"mining.configure\",\"params\":\"version-rolling\"}\n");
            assertError(c, id++, INVALID_PARAMS, "configure params not an array");
            for (final String params : new String[] {"[]", "[null,\"x\"]", "[42,\"x\"]", "[\"\",\"x\"]"})
            {
                c.send("{\"id\":" + id + ",\"method\":\"mining.authorize\",\"params\":" + params + "}\n");
                final JsonNode r = c.reply(id);
                assertFalse(r.path("result").asBoolean(false), "authorize params " + params + ": " + r);
                id++;
            }
            assertStillServed(c, "after wrong params");
            assertMinesAfterwards(c, work, "bad.params");
        }
    }

    @Test
    void nonHexFieldsAreRefused() throws Exception
    {
        try (Sv1Client c = client())
        {
            final Sv1Work work = c.session("non.hex");
            final String ntime = Sv1Work.hex32(work.ntime);
            final String[][] cases = {
                // {job, extranonce2, ntime, nonce, version bits or null, expected error}
                {work.jobId, "00000001", "zzzzzzzz", "00000000", null, INVALID_PARAMS},
                {work.jobId, "00000001", ntime, "0000000g", null, INVALID_PARAMS},
                {work.jobId, "00000001", ntime, "0x000000", null, INVALID_PARAMS},
                {work.jobId, "00000001", ntime.substring(1), "00000000", null, INVALID_PARAMS},
                {work.jobId, "00000001", ntime, "000000000", null, INVALID_PARAMS},
                {work.jobId, "00000001", ntime, "00000000", "xyz00000", INVALID_PARAMS},
                {"zz", "00000001", ntime, "00000000", null, "[21,\"Invalid JobID\",null]"},
                {"-1", "00000001", ntime, "00000000", null, "[21,\"Invalid JobID\",null]"},
            };
            int id = 200;
            for (final String[] k : cases)
            {
                final String[] p = {"non.hex", k[0], k[1], k[2], k[3], k[4]};
                c.send(Sv1Client.submitLine(id, p, k[4] == null ? 5 : 6));
                assertError(c, id, k[5], "submit " + String.join(",", p));
                id++;
            }
            // extranonce2 of the right length that is not hex: a code-20 error (ckpool judges its length first)
            c.send(Sv1Client.submitLine(id, new String[] {"non.hex", work.jobId, "zzzzzzzz", ntime, "00000000"}, 5));
            final JsonNode r = c.reply(id);
            assertEquals(20, r.path("error").path(0).asInt(), "non-hex extranonce2: " + r);
            assertTrue(Set.of("Invalid nonce2 length", "Invalid params").contains(r.path("error").path(1).asText()),
                "non-hex extranonce2: " + r);
            assertStillServed(c, "after non-hex fields");
            assertMinesAfterwards(c, work, "non.hex");
        }
    }

    @Test
    void extranonce2OfTheWrongSizeIsInvalidNonce2Length() throws Exception
    {
        try (Sv1Client c = client())
        {
            final Sv1Work work = c.session("bad.en2");
            assertEquals(4, c.extranonce2Size);
            int id = 300;
            for (final String en2 : new String[] {"000001", "0000000001", "0000000000000001", "0000001", ""})
            {
                c.send(Sv1Client.submitLine(id, new String[] {"bad.en2", work.jobId, en2, Sv1Work.hex32(work.ntime),
                    "00000000"}, 5));
                assertError(c, id, "[20,\"Invalid nonce2 length\",null]", "extranonce2 \"" + en2 + "\"");
                id++;
            }
            final Map<String, Object> row = h.worker("bad.en2");
            assertTrue(((Number)row.get("shares_rejected")).longValue() >= 5, "rejects counted for the worker: " + row);
            assertStillServed(c, "after wrong extranonce2 sizes");
            assertMinesAfterwards(c, work, "bad.en2");
        }
    }

    // ---- volume ----

    @Test
    void floodOfSubmitsIsAnsweredWithoutHurtingOthers() throws Exception
    {
        final int n = 10_000;
        try (Sv1Client c = client())
        {
            final Sv1Work work = c.session("flood");
            final StringBuilder sb = new StringBuilder(n * 120);
            for (int i = 0; i < n; i++)
            {
                // half on an unknown job, half on the real job with nonces that almost never meet the target
                final String job = (i & 1) == 0 ? "7fffffff" : work.jobId;
                sb.append(Sv1Client.submitLine("f" + i, new String[] {"flood", job, "000000aa",
                    Sv1Work.hex32(work.ntime), Sv1Work.hex32(i)}, 5));
            }
            final long before = miner.accepted();
            final Thread writer = Thread.ofVirtual().start(() ->
            {
                try
                {
                    c.send(sb.toString());
                }
                catch (final IOException ex)
                {
                    // seen below as missing answers
                }
            });
            // a client that keeps up: its lines are taken as fast as they come, and checked afterwards
            final java.util.List<String> lines = new java.util.ArrayList<>(n + 16);
            int answeredLines = 0;
            while (answeredLines < n)
            {
                String l;
                try
                {
                    l = c.readRaw();
                }
                catch (final java.net.SocketException ex)
                {
                    l = null;   // reset: counted below as missing answers
                }
                if (l == null)
                {
                    break;
                }
                lines.add(l);
                if (!l.contains("\"method\""))
                {
                    answeredLines++;
                }
            }
            // JSON-RPC matches answers by id; the pool may answer a share it refuses early (an unknown job) before
            // one it hashes first, so order is not asked, but each id once, with the answer its request deserves
            final boolean[] seen = new boolean[n];
            int answered = 0;
            int accepted = 0;
            for (final String l : lines)
            {
                final JsonNode r = Sv1Client.JSON.readTree(l);
                if (r.has("method"))
                {
                    continue;   // a job or difficulty in between
                }
                final String id = r.path("id").asText("");
                assertTrue(r.path("id").isTextual() && id.startsWith("f"), "ids echoed verbatim: " + r);
                final int i = Integer.parseInt(id.substring(1));
                assertFalse(seen[i], "answered twice: " + r);
                seen[i] = true;
                final String err = r.path("error").toString();
                if ((i & 1) == 0)
                {
                    assertEquals("[21,\"Invalid JobID\",null]", err, "submit " + id + " (unknown job): " + r);
                }
                else if (r.path("result").asBoolean(false))
                {
                    accepted++;
                }
                else
                {
                    assertEquals("[23,\"Above target\",null]", err, "submit " + id + " (weak share): " + r);
                }
                answered++;
            }
            writer.join(10_000);
            assertEquals(n, answered, "every submit of the flood answered (slow readers dropped: " +
                h.pool.sv1().metrics().slowReaders.sum() + ")");
            assertTrue(miner.accepted() > before || miner.acceptsMore(1, 10_000),
                "the good miner kept mining during the flood: " + miner.problems);
            final Map<String, Object> row = h.worker("flood");
            assertEquals((long)n - accepted, ((Number)row.get("shares_rejected")).longValue(), row.toString());
            assertStillServed(c, "after the flood");
        }
    }

    @Test
    void clientThatNeverReadsIsDisconnected() throws Exception
    {
        final long slow = h.pool.sv1().metrics().slowReaders.sum();
        try (Socket s = new Socket())
        {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(h.sv1().getAddress(), h.sv1().getPort()), 5_000);
            final OutputStream out = s.getOutputStream();
            out.write(("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n" +
                "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"deaf\",\"x\"]}\n").getBytes(StandardCharsets.UTF_8));
            // requests whose answers pile up unread: far more than the outbound queue (256 KiB) and socket buffers
            final byte[] batch = ("{\"id\":12345678,\"method\":\"mining.submit\",\"params\":[\"deaf\",\"7fffffff\"," +
                "\"00000000\",\"00000000\",\"00000000\"]}\n").repeat(256).getBytes(StandardCharsets.UTF_8);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean reset = false;
            while (System.nanoTime() < deadline && h.pool.sv1().metrics().slowReaders.sum() == slow)
            {
                try
                {
                    out.write(batch);
                }
                catch (final IOException ex)
                {
                    reset = true;
                    break;
                }
            }
            assertTrue(Sv1TestPool.await(5_000, () -> h.pool.sv1().metrics().slowReaders.sum() > slow),
                "the pool did not drop a client that never reads (write reset: " + reset + ")");
        }
    }
}
