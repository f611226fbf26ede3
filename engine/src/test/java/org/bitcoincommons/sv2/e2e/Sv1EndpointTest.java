package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Stratum V1 endpoint end to end with a client written from the wire format alone (ROLES.md A.1: word-swapped
 * prevhash, big-endian hex fields, coinbase = coinb1 + extranonce1 + extranonce2 + coinb2): the header it rebuilds
 * hashes under the share target, the pool accepts the share, counts it for the worker and journals it; a difficulty
 * suggestion takes effect with a fresh job; the share's rejection strings are ckpool's.
 */
@Timeout(60)
class Sv1EndpointTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    /** A raw SV1 client: lines in, lines out. */
    static final class Client implements AutoCloseable
    {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final List<JsonNode> notifications = new ArrayList<>();

        Client(final java.net.InetSocketAddress at) throws Exception
        {
            this(at, null);
        }

        /** From a given local address (another loopback address, e.g. 127.0.0.2, is another source). */
        Client(final java.net.InetSocketAddress at, final java.net.InetAddress from) throws Exception
        {
            socket = from == null ? new Socket(at.getAddress(), at.getPort()) : new Socket(at.getAddress(), at.getPort(),
                from, 0);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(final String lines) throws Exception
        {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The reply with this id; notifications read meanwhile are kept. */
        JsonNode reply(final int id) throws Exception
        {
            while (true)
            {
                final String l = in.readLine();
                if (l == null)
                {
                    throw new java.io.EOFException("closed while waiting for reply " + id);
                }
                final JsonNode n = JSON.readTree(l);
                if (n.path("id").asInt(-1) == id && !n.has("method"))
                {
                    return n;
                }
                notifications.add(n);
            }
        }

        /** The reply with this string id. */
        JsonNode reply(final String id) throws Exception
        {
            while (true)
            {
                final String l = in.readLine();
                if (l == null)
                {
                    throw new java.io.EOFException("closed while waiting for reply " + id);
                }
                final JsonNode n = JSON.readTree(l);
                if (n.path("id").isTextual() && n.path("id").asText().equals(id) && !n.has("method"))
                {
                    return n;
                }
                notifications.add(n);
            }
        }

        /** The next notification with this method (kept ones first). */
        JsonNode next(final String method) throws Exception
        {
            for (int i = 0; i < notifications.size(); i++)
            {
                if (method.equals(notifications.get(i).path("method").asText()))
                {
                    return notifications.remove(i);
                }
            }
            while (true)
            {
                final String l = in.readLine();
                if (l == null)
                {
                    throw new java.io.EOFException("closed while waiting for " + method);
                }
                final JsonNode n = JSON.readTree(l);
                if (method.equals(n.path("method").asText()))
                {
                    return n;
                }
                notifications.add(n);
            }
        }

        @Override
        public void close() throws Exception
        {
            socket.close();
        }
    }

    /** A header from a notify, ground until it meets the difficulty; returns the submit params. */
    static String[] grind(final JsonNode notify, final byte[] extranonce1, final int en2Size, final double difficulty,
        final int versionBits)
    {
        return grind(notify, extranonce1, en2Size, difficulty, versionBits, 7);
    }

    /** As above, with the first extranonce2 byte {@code en2Seed}: another header space for another share. */
    static String[] grind(final JsonNode notify, final byte[] extranonce1, final int en2Size, final double difficulty,
        final int versionBits, final int en2Seed)
    {
        final JsonNode p = notify.get("params");
        final byte[] en2 = new byte[en2Size];
        en2[0] = (byte)en2Seed;
        final byte[] coinbase = concat(HEX.parseHex(p.get(2).asText()), extranonce1, en2, HEX.parseHex(p.get(3).asText()));
        byte[] root = Sha256d.hash(coinbase);
        for (final JsonNode branch : p.get(4))
        {
            root = Sha256d.hash(concat(root, HEX.parseHex(branch.asText())));
        }
        final byte[] swapped = HEX.parseHex(p.get(1).asText());
        final byte[] prev = new byte[32];
        for (int w = 0; w < 8; w++)
        {
            for (int i = 0; i < 4; i++)
            {
                prev[4 * w + i] = swapped[4 * w + 3 - i];
            }
        }
        final int version = (int)Long.parseLong(p.get(5).asText(), 16) | versionBits;
        final int nbits = (int)Long.parseLong(p.get(6).asText(), 16);
        final int ntime = (int)Long.parseLong(p.get(7).asText(), 16);
        final BigInteger target = Target.fromDifficulty(difficulty);
        final byte[] header = new byte[80];
        le(header, 0, version);
        System.arraycopy(prev, 0, header, 4, 32);
        System.arraycopy(root, 0, header, 36, 32);
        le(header, 68, ntime);
        le(header, 72, nbits);
        for (int nonce = 0; ; nonce++)
        {
            le(header, 76, nonce);
            final byte[] h = Sha256d.hash(header);
            if (Target.fromLittleEndian(h, 0).compareTo(target) <= 0)
            {
                return new String[] {p.get(0).asText(), HEX.formatHex(en2), String.format("%08x", ntime),
                    String.format("%08x", nonce), String.format("%08x", versionBits)};
            }
        }
    }

    private static void le(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >>> 8);
        b[at + 2] = (byte)(v >>> 16);
        b[at + 3] = (byte)(v >>> 24);
    }

    static byte[] concat(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int at = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private PoolHarness pool(final String sv1) throws Exception
    {
        return new PoolHarness(dir, 1e6, """
            min_hashrate = 0.000001
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = 0.00001
            min_difficulty = 0.000001
            """ + sv1, null);
    }

    @Test
    void pipelinedSessionMinesAcceptedJournaledSharesWithVersionRolling() throws Exception
    {
        try (PoolHarness h = pool("");
             Client c = new Client(h.pool.sv1Address()))
        {
            // ESP-Miner's order: configure, subscribe and authorize in one write, before any reply
            c.send("""
                {"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}
                {"id": 2, "method": "mining.subscribe", "params": ["bitaxe/BM1370/v2.4.0"]}\r
                {"id": 3, "method": "mining.authorize", "params": ["alice.rig1", "x"]}
                """);
            final JsonNode configure = c.reply(1);
            assertTrue(configure.get("result").get("version-rolling").asBoolean());
            assertEquals("1fffffe0", configure.get("result").get("version-rolling.mask").asText());
            final JsonNode sub = c.reply(2).get("result");
            assertEquals("mining.notify", sub.get(0).get(1).get(0).asText());
            final byte[] extranonce1 = HEX.parseHex(sub.get(1).asText());
            assertEquals(8, extranonce1.length, "the channel's 4-byte prefix, padded to the pool's 8-byte extranonce less 4");
            assertEquals(4, sub.get(2).asInt());
            assertTrue(c.reply(3).get("result").asBoolean());
            final double difficulty = c.next("mining.set_difficulty").get("params").get(0).asDouble();
            assertEquals(0.00001, difficulty, 1e-15);
            final JsonNode notify = c.next("mining.notify");
            assertTrue(notify.get("params").get(8).asBoolean(), "the first job cleans");

            final String[] s = grind(notify, extranonce1, 4, difficulty, 0x00004000);
            c.send("{\"id\": 10, \"method\": \"mining.submit\", \"params\": [\"alice.rig1\", \"" + s[0] + "\", \"" + s[1] +
                "\", \"" + s[2] + "\", \"" + s[3] + "\", \"" + s[4] + "\"]}\n");
            final JsonNode ok = c.reply(10);
            assertTrue(ok.get("result").asBoolean(), ok.toString());
            // the same share again: ckpool's string, public-pool's code
            c.send("{\"id\": 11, \"method\": \"mining.submit\", \"params\": [\"alice.rig1\", \"" + s[0] + "\", \"" + s[1] +
                "\", \"" + s[2] + "\", \"" + s[3] + "\", \"" + s[4] + "\"]}\n");
            assertEquals("[22,\"Duplicate\",null]", c.reply(11).get("error").toString());
            // a version bit outside the negotiated mask
            c.send("{\"id\": 12, \"method\": \"mining.submit\", \"params\": [\"alice.rig1\", \"" + s[0] + "\", \"" + s[1] +
                "\", \"" + s[2] + "\", \"" + s[3] + "\", \"80000000\"]}\n");
            assertEquals("[20,\"Invalid version mask\",null]", c.reply(12).get("error").toString());
            // an unknown job id
            c.send("{\"id\": \"x\", \"method\": \"mining.submit\", \"params\": [\"alice.rig1\", \"ffffff\", \"" + s[1] +
                "\", \"" + s[2] + "\", \"" + s[3] + "\"]}\n");
            assertEquals("[21,\"Invalid JobID\",null]", c.reply("x").get("error").toString());
            assertTrue(PoolHarness.await(10_000, () -> workerShares(h, "alice.rig1") >= 1));
            final Map<String, Object> worker = workerRow(h, "alice.rig1");
            assertEquals("sv1", worker.get("transport"));
            @SuppressWarnings("unchecked")
            final Map<String, Object> why = (Map<String, Object>)worker.get("rejects_by_reason");
            assertEquals(1L, ((Number)why.get("duplicate-share")).longValue(), worker.toString());
            assertEquals(1L, ((Number)why.get("invalid-non-rollable-version-bit")).longValue(), worker.toString());
        }
    }

    @Test
    void suggestedDifficultyTakesEffectWithAFreshJob() throws Exception
    {
        try (PoolHarness h = pool("");
             Client c = new Client(h.pool.sv1Address()))
        {
            c.send("""
                {"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}
                {"id":2,"method":"mining.authorize","params":["bob","x"]}
                """);
            final JsonNode sub = c.reply(1).get("result");
            assertTrue(c.reply(2).get("result").asBoolean());
            assertEquals(0.00001, c.next("mining.set_difficulty").get("params").get(0).asDouble(), 0.0, "as configured");
            final JsonNode first = c.next("mining.notify");
            c.send("{\"id\":3,\"method\":\"mining.suggest_difficulty\",\"params\":[0.00002]}\n");
            assertTrue(c.reply(3).get("result").asBoolean());
            assertEquals(0.00002, c.next("mining.set_difficulty").get("params").get(0).asDouble(), 0.0, "the suggestion, exactly");
            final JsonNode fresh = c.next("mining.notify");
            assertNotEquals(first.get("params").get(0).asText(), fresh.get("params").get(0).asText(), "a fresh job id");
            final String[] s = grind(fresh, HEX.parseHex(sub.get(1).asText()), 4, 0.00002, 0);
            c.send("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"bob\",\"" + s[0] + "\",\"" + s[1] + "\",\"" + s[2] +
                "\",\"" + s[3] + "\"]}\n");
            assertTrue(c.reply(4).get("result").asBoolean());
            final Map<String, Object> worker = workerRow(h, "bob");
            assertEquals(0.00002, ((Number)worker.get("difficulty")).doubleValue(), 1e-15, "the pool judges by that difficulty");
        }
    }

    private static long workerShares(final PoolHarness h, final String name)
    {
        final Map<String, Object> row = workerRow(h, name);
        return row == null ? 0 : ((Number)row.get("shares_accepted")).longValue();
    }

    private static Map<String, Object> workerRow(final PoolHarness h, final String name)
    {
        try
        {
            for (final Map<String, Object> r : h.pool.workers())
            {
                if (name.equals(r.get("name")))
                {
                    return r;
                }
            }
            return null;
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
