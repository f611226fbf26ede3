package org.bitcoincommons.sv2.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our SV1 miner against a scripted pool on a raw socket, which checks every share it receives by rebuilding the
 * header itself (coinbase, merkle root, rolled version, double SHA-256, target of the difficulty that job was sent
 * with): the opening is pipelined, a difficulty applies from the next notify only, set_version_mask and
 * set_extranonce are obeyed, a ping is answered, and client.reconnect moves the miner to the address given.
 */
class Sv1MinerSessionTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** 2^-16: one header in 65,536 is a share (many per second on one thread). */
    private static final double EASY = 1.0 / 65536;
    /** 2^-24: one header in 256 is a share. */
    private static final double EASIER = 1.0 / (1 << 24);
    private static final String PREV = "983d65244bceeaf39f26b666085e20a93ce247b6000e88f70000000000000000";
    private static final String COINB1 = "01000000010000000000000000000000000000000000000000000000000000000000000000" +
        "ffffffff1503dd3408142f5669614254432f";
    private static final String COINB2 = "ffffffff01c051824a000000001976a914f1c075a01882ae0972f95d3a4177c86c852b7d9188ac" +
        "00000000";
    private static final String BRANCH = "c1300a060ab990c755e318ae5a2e8ccbeb640ab284226dd6b90670fa9d747da6";

    /** What the scripted pool sent with a job, to check its shares. */
    private record SentJob(String extranonce1, int mask, double difficulty)
    {
    }

    private static final class Peer implements AutoCloseable
    {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Peer(final Socket socket) throws IOException
        {
            this.socket = socket;
            socket.setSoTimeout(20_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        JsonNode read() throws IOException
        {
            final String line = in.readLine();
            if (line == null)
            {
                throw new IOException("the miner closed the connection");
            }
            return MAPPER.readTree(line);
        }

        void send(final String json) throws IOException
        {
            out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private static String notify(final String job, final boolean clean)
    {
        return "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"" + job + "\",\"" + PREV + "\",\"" + COINB1 +
            "\",\"" + COINB2 + "\",[\"" + BRANCH + "\"],\"20000000\",\"180183b1\",\"5b3f99a9\"," + clean + "]}";
    }

    /** The header of a share rebuilt independently of the miner's hashing path; true when it meets the target. */
    private static boolean valid(final JsonNode params, final SentJob job, final int[] versionBits)
    {
        final byte[] en2 = Hex.decode(params.get(2).asText());
        assertEquals(4, en2.length, "extranonce2_size bytes of extranonce2");
        final byte[] cb = Sv1Encoding.coinbase(Hex.decode(COINB1), Hex.decode(job.extranonce1()), en2,
            Hex.decode(COINB2));
        final int bits = params.size() > 5 ? Sv1Encoding.u32(params.get(5).asText()) : 0;
        versionBits[0] = bits;
        final int version = Sv1Encoding.rolledVersion(0x20000000, bits, job.mask());
        final byte[] header = Sv1Encoding.header(version, Sv1Encoding.prevHashFromNotify(PREV),
            Sv1Encoding.merkleRoot(cb, List.of(Hex.decode(BRANCH))), Sv1Encoding.u32(params.get(3).asText()),
            Sv1Encoding.u32("180183b1"), Sv1Encoding.u32(params.get(4).asText()));
        final byte[] hash = Sha256d.hash(header);
        final BigInteger h = new BigInteger(1, reverse(hash));
        return h.compareTo(Target.fromDifficulty(job.difficulty())) <= 0;
    }

    private static byte[] reverse(final byte[] b)
    {
        final byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++)
        {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Reads until a message passes {@code until}; every submit on the way is checked and answered. */
    private static JsonNode pump(final Peer p, final Map<String, SentJob> jobs, final List<String[]> log,
        final Predicate<JsonNode> until) throws IOException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final JsonNode m = p.read();
            if ("mining.submit".equals(m.path("method").asText()))
            {
                final JsonNode params = m.get("params");
                final SentJob job = jobs.get(params.get(1).asText());
                assertTrue(job != null, "a share for a job we sent: " + m);
                final int[] bits = new int[1];
                final boolean ok = valid(params, job, bits);
                log.add(new String[] {params.get(1).asText(), Boolean.toString(ok), Integer.toHexString(bits[0])});
                p.send("{\"id\":" + m.get("id") + ",\"result\":" + ok + ",\"error\":" +
                    (ok ? "null" : "[23,\"Above target\",null]") + "}");
            }
            if (until.test(m))
            {
                return m;
            }
        }
        fail("the awaited message did not come within 20 s");
        return null;
    }

    @Test
    @Timeout(60)
    void followsThePoolAndEveryShareIsValid() throws Exception
    {
        try (ServerSocket first = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 4, InetAddress.getLoopbackAddress()))
        {
            final MinerConfig config = new MinerConfig(new InetSocketAddress("127.0.0.1", first.getLocalPort()), null,
                "alice.rig1", 1, false, 1e6, "auto", 100, 1000, 10_000, true);
            try (MinerClient miner = new MinerClient(config))
            {
                miner.start();
                first.setSoTimeout(20_000);
                final Map<String, SentJob> jobs = new HashMap<>();
                final List<String[]> shares = new ArrayList<>();
                try (Peer p = new Peer(first.accept()))
                {
                    // Pipelined: all three requests arrive before the pool has said anything.
                    final JsonNode configure = p.read();
                    final JsonNode subscribe = p.read();
                    final JsonNode authorize = p.read();
                    assertEquals("mining.configure", configure.get("method").asText());
                    assertEquals("version-rolling", configure.get("params").get(0).get(0).asText());
                    assertEquals("ffffffff", configure.get("params").get(1).get("version-rolling.mask").asText());
                    assertEquals("mining.subscribe", subscribe.get("method").asText());
                    assertEquals("mining.authorize", authorize.get("method").asText());
                    assertEquals("alice.rig1", authorize.get("params").get(0).asText());
                    p.send("{\"id\":" + configure.get("id") + ",\"result\":{\"version-rolling\":true," +
                        "\"version-rolling.mask\":\"1fffe000\"},\"error\":null}");
                    p.send("{\"id\":" + subscribe.get("id") + ",\"result\":[[[\"mining.notify\",\"ab\"]],\"01020304\",4]," +
                        "\"error\":null}");
                    p.send("{\"id\":" + authorize.get("id") + ",\"result\":true,\"error\":null}");
                    p.send("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[" + EASY + "]}");
                    jobs.put("j1", new SentJob("01020304", 0x1fffe000, EASY));
                    p.send(notify("j1", true));
                    pump(p, jobs, shares, m -> shares.size() >= 5);

                    // An easier difficulty applies from the next notify: shares of j1 still meet j1's target.
                    p.send("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[" + EASIER + "]}");
                    final int before = shares.size();
                    pump(p, jobs, shares, m -> shares.size() >= before + 20);
                    assertTrue(shares.stream().allMatch(s -> s[1].equals("true")), "every j1 share met j1's target");
                    jobs.put("j2", new SentJob("01020304", 0x1fffe000, EASIER));
                    p.send(notify("j2", true));
                    pump(p, jobs, shares, m -> shares.stream().filter(s -> s[0].equals("j2")).count() >= 20);
                    assertTrue(shares.stream().allMatch(s -> s[1].equals("true")), "every share is valid");

                    // A ping is answered with its id.
                    p.send("{\"id\":\"ping-7\",\"method\":\"mining.ping\",\"params\":[]}");
                    final JsonNode pong = pump(p, jobs, shares, m -> m.path("id").asText().equals("ping-7"));
                    assertEquals("pong", pong.get("result").asText());

                    // A narrower version mask and a new extranonce1, both in force for the next job.
                    p.send("{\"id\":null,\"method\":\"mining.set_version_mask\",\"params\":[\"00ffe000\"]}");
                    p.send("{\"id\":null,\"method\":\"mining.set_extranonce\",\"params\":[\"0a0b0c0d\",4]}");
                    jobs.put("j3", new SentJob("0a0b0c0d", 0x00ffe000, EASIER));
                    p.send(notify("j3", true));
                    pump(p, jobs, shares, m -> shares.stream().filter(s -> s[0].equals("j3")).count() >= 20);
                    assertTrue(shares.stream().allMatch(s -> s[1].equals("true")), "every share is valid");
                    assertTrue(shares.stream().filter(s -> s[0].equals("j3"))
                        .allMatch(s -> (Integer.parseUnsignedInt(s[2], 16) & ~0x00ffe000) == 0),
                        "j3's version bits lie inside the new mask");
                    final int answered = shares.size();
                    assertTrue(PoolWait.until(5_000, () -> miner.stats().sharesAccepted.sum() >= answered),
                        "results are counted: " + miner.stats().sharesAccepted.sum() + " of " + answered);
                    assertEquals(0, miner.stats().sharesRejected.sum());

                    p.send("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[\"127.0.0.1\"," +
                        second.getLocalPort() + ",0]}");
                    // Drain until the miner hangs up: closing first, with its submits unread, would reset the
                    // connection and could destroy the reconnect before the miner has read it.
                    try
                    {
                        while (p.in.readLine() != null)
                        {
                            // submits written before the miner read the reconnect
                        }
                    }
                    catch (final IOException ex)
                    {
                        // reset by the miner's close: it has gone
                    }
                }
                catch (final SocketTimeoutException ex)
                {
                    fail("the miner went quiet", ex);
                }
                second.setSoTimeout(20_000);
                try (Peer p2 = new Peer(second.accept()))
                {
                    assertEquals("mining.configure", p2.read().get("method").asText(), "the miner moved as asked");
                }
            }
        }
    }

    /** Awaits a condition with a deadline. */
    static final class PoolWait
    {
        private PoolWait()
        {
        }

        static boolean until(final long timeoutMs, final java.util.function.BooleanSupplier condition)
            throws InterruptedException
        {
            final long deadline = System.currentTimeMillis() + timeoutMs;
            while (System.currentTimeMillis() < deadline)
            {
                if (condition.getAsBoolean())
                {
                    return true;
                }
                Thread.sleep(10);
            }
            return condition.getAsBoolean();
        }
    }
}
