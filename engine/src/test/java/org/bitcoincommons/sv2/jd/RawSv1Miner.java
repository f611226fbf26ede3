package org.bitcoincommons.sv2.jd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Stratum V1 miner written from the wire format alone, independent of the engine's SV1 code and its miner client:
 * mining.configure (version rolling), mining.subscribe, mining.authorize, then one thread grinds nonces on the latest
 * mining.notify with {@link MessageDigest} and sends mining.submit for every header that meets the set difficulty.
 * The layout it assumes is the common SV1 one: coinbase = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2 (witness-stripped),
 * the merkle root folds the coinbase txid with each branch on its right, prevhash arrives with each 4-byte word
 * byte-swapped, version/nbits/ntime/nonce are big-endian hex of the header's little-endian u32s, pool difficulty 1 is
 * 0x00000000ffff0000...0000. A header that also meets its nbits is counted as a block.
 * <p>
 * Threads: a reader thread owns the input; the mining thread reads the latest job through a volatile; writes are
 * serialized on the output stream.
 */
final class RawSv1Miner implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger DIFF1 = BigInteger.valueOf(0xffff).shiftLeft(208);
    /** Nonces tried on one job before the miner looks for a newer one. */
    private static final int NONCES_PER_CHECK = 1 << 14;

    private record Work(String jobId, byte[] prevHash, byte[] coinb1, byte[] coinb2, byte[][] branches, int version,
        int nbits, int ntime, BigInteger shareTarget)
    {
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final String worker;
    private final Thread reader;
    private final Thread miner;
    private volatile boolean running = true;
    private volatile Work work;
    private volatile double difficulty = 1.0;
    private volatile byte[] extranonce1;
    private volatile int extranonce2Size;
    /** The version-rolling mask granted by mining.configure (0: none). */
    volatile int versionMask;
    volatile boolean authorized;
    private final AtomicLong nextId = new AtomicLong(10);
    /** Submit ids in flight, to the kind of header sent (share or block). */
    private final Map<Long, Boolean> pending = new ConcurrentHashMap<>();

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong blocksSubmitted = new AtomicLong();
    final AtomicLong blocksAccepted = new AtomicLong();
    /** Shares accepted whose header version differs from the job's (rolled bits). */
    final AtomicLong rolledAccepted = new AtomicLong();
    private final Map<Long, Boolean> rolled = new ConcurrentHashMap<>();
    /** Every error reply to a submit, as sent. */
    final CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
    /** Every line read, for failure messages (bounded by the test's length). */
    final CopyOnWriteArrayList<String> transcript = new CopyOnWriteArrayList<>();

    RawSv1Miner(final InetSocketAddress at, final String worker, final int requestedMask) throws IOException
    {
        this.worker = worker;
        socket = new Socket();
        socket.connect(at, 5_000);
        socket.setTcpNoDelay(true);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        reader = new Thread(this::read, "raw-sv1-reader");
        reader.setDaemon(true);
        miner = new Thread(this::mine, "raw-sv1-miner");
        miner.setDaemon(true);
        reader.start();
        if (requestedMask != 0)
        {
            send("{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"],{\"version-rolling.mask\":\"" +
                "%08x\",\"version-rolling.min-bit-count\":2}]}".formatted(requestedMask));
        }
        send("{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"raw-sv1/1.0\"]}");
        send("{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"" + worker + "\",\"x\"]}");
        miner.start();
    }

    private void send(final String line) throws IOException
    {
        synchronized (out)
        {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void read()
    {
        try
        {
            String line;
            // reads until the socket closes (close()), not until stop(): the answer to a share sent just before
            // stop() still counts (a block's answer once came after the test had stopped the miner)
            while ((line = in.readLine()) != null)
            {
                transcript.add(line);
                final JsonNode n = JSON.readTree(line);
                final String method = n.path("method").asText("");
                switch (method)
                {
                    case "mining.set_difficulty" -> difficulty = n.get("params").get(0).asDouble();
                    case "mining.notify" -> work = work(n.get("params"));
                    case "" -> reply(n);
                    default ->
                    {
                        // ping, set_extranonce, show_message: nothing this test needs
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // closed
        }
    }

    private void reply(final JsonNode n)
    {
        final long id = n.path("id").asLong(-1);
        if (id == 1)
        {
            final JsonNode r = n.path("result");
            versionMask = r.path("version-rolling").asBoolean() ?
                (int)Long.parseLong(r.path("version-rolling.mask").asText(), 16) : 0;
        }
        else if (id == 2)
        {
            extranonce2Size = n.get("result").get(2).asInt();
            extranonce1 = HEX.parseHex(n.get("result").get(1).asText());
        }
        else if (id == 3)
        {
            authorized = n.path("result").asBoolean();
        }
        else
        {
            final Boolean block = pending.remove(id);
            final Boolean wasRolled = rolled.remove(id);
            if (n.path("result").asBoolean(false) && n.path("error").isNull())
            {
                accepted.incrementAndGet();
                if (Boolean.TRUE.equals(block))
                {
                    blocksAccepted.incrementAndGet();
                }
                if (Boolean.TRUE.equals(wasRolled))
                {
                    rolledAccepted.incrementAndGet();
                }
            }
            else
            {
                rejected.incrementAndGet();
                errors.add(n.path("error").toString());
            }
        }
    }

    private Work work(final JsonNode p)
    {
        final byte[] swapped = HEX.parseHex(p.get(1).asText());
        final byte[] prev = new byte[32];
        for (int w = 0; w < 8; w++)
        {
            for (int i = 0; i < 4; i++)
            {
                prev[4 * w + i] = swapped[4 * w + 3 - i];
            }
        }
        final byte[][] branches = new byte[p.get(4).size()][];
        for (int i = 0; i < branches.length; i++)
        {
            branches[i] = HEX.parseHex(p.get(4).get(i).asText());
        }
        final BigInteger shareTarget = new BigDecimal(DIFF1).divide(BigDecimal.valueOf(difficulty), 0,
            RoundingMode.FLOOR).toBigInteger();
        return new Work(p.get(0).asText(), prev, HEX.parseHex(p.get(2).asText()), HEX.parseHex(p.get(3).asText()),
            branches, (int)Long.parseLong(p.get(5).asText(), 16), (int)Long.parseLong(p.get(6).asText(), 16),
            (int)Long.parseLong(p.get(7).asText(), 16), shareTarget);
    }

    /** The target an nbits (compact) stands for: mantissa × 256^(exponent − 3). */
    static BigInteger compactTarget(final int nbits)
    {
        final int exponent = nbits >>> 24;
        final BigInteger mantissa = BigInteger.valueOf(nbits & 0x007fffff);
        return exponent <= 3 ? mantissa.shiftRight(8 * (3 - exponent)) : mantissa.shiftLeft(8 * (exponent - 3));
    }

    private void mine()
    {
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        long extranonce2 = 0;
        int rollStep = 0;
        final byte[] header = new byte[80];
        while (running)
        {
            final Work w = work;
            final byte[] en1 = extranonce1;
            if (w == null || en1 == null || !authorized)
            {
                try
                {
                    Thread.sleep(1);   // waiting for subscribe, authorize and the first job
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                continue;
            }
            extranonce2++;
            final byte[] en2 = new byte[extranonce2Size];
            for (int i = 0; i < en2.length; i++)
            {
                en2[en2.length - 1 - i] = (byte)(extranonce2 >>> 8 * i);
            }
            // version rolling: every other extranonce2 rolls bits inside the granted mask
            final int mask = versionMask;
            final int bits = mask == 0 ? 0 : Integer.lowestOneBit(mask) * (++rollStep & 3) & mask;
            final int version = (w.version & ~mask) | bits;
            final byte[] coinbase = concat(w.coinb1, en1, en2, w.coinb2);
            byte[] root = sha256d(sha, coinbase);
            for (final byte[] b : w.branches)
            {
                root = sha256d(sha, concat(root, b));
            }
            le32(header, 0, version);
            System.arraycopy(w.prevHash, 0, header, 4, 32);
            System.arraycopy(root, 0, header, 36, 32);
            le32(header, 68, w.ntime);
            le32(header, 72, w.nbits);
            final BigInteger network = compactTarget(w.nbits);
            for (int nonce = 0; nonce < NONCES_PER_CHECK && running; nonce++)
            {
                le32(header, 76, nonce);
                final byte[] h = sha256d(sha, header);
                if (h[31] != 0)
                {
                    continue;   // above any target of a difficulty over 2^-24: not a share
                }
                final byte[] be = new byte[32];
                for (int i = 0; i < 32; i++)
                {
                    be[i] = h[31 - i];
                }
                final BigInteger value = new BigInteger(1, be);
                if (value.compareTo(w.shareTarget) <= 0)
                {
                    final boolean block = value.compareTo(network) <= 0;
                    submit(w, en2, nonce, mask == 0 ? -1 : bits, block, version != w.version);
                }
            }
        }
    }

    private void submit(final Work w, final byte[] en2, final int nonce, final int bits, final boolean block,
        final boolean wasRolled)
    {
        final long id = nextId.incrementAndGet();
        pending.put(id, block);
        rolled.put(id, wasRolled);
        if (block)
        {
            blocksSubmitted.incrementAndGet();
        }
        final String versionParam = bits < 0 ? "" : ",\"%08x\"".formatted(bits);
        try
        {
            send("{\"id\":%d,\"method\":\"mining.submit\",\"params\":[\"%s\",\"%s\",\"%s\",\"%08x\",\"%08x\"%s]}"
                .formatted(id, worker, w.jobId, HEX.formatHex(en2), w.ntime, nonce, versionParam));
        }
        catch (final IOException ex)
        {
            running = false;
        }
    }

    private static byte[] sha256d(final MessageDigest sha, final byte[] data)
    {
        return sha.digest(sha.digest(data));
    }

    private static byte[] concat(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] r = new byte[n];
        int at = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    private static void le32(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >>> 8);
        b[at + 2] = (byte)(v >>> 16);
        b[at + 3] = (byte)(v >>> 24);
    }

    /** Stops grinding (the connection stays open for replies in flight). */
    void stop() throws InterruptedException
    {
        running = false;
        miner.join(10_000);
    }

    String status()
    {
        return "accepted " + accepted + ", rejected " + rejected + " " + errors + ", blocks " + blocksSubmitted + "/" +
            blocksAccepted + ", mask " + Integer.toHexString(versionMask) + ", last lines " +
            transcript.subList(Math.max(0, transcript.size() - 4), transcript.size());
    }

    @Override
    public void close() throws Exception
    {
        running = false;
        socket.close();
        miner.join(10_000);
        reader.join(10_000);
    }
}
