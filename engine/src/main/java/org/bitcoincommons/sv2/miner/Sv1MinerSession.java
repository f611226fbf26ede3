package org.bitcoincommons.sv2.miner;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Stratum V1 session of our miner ({@code --pool stratum+tcp://HOST:PORT}): newline-delimited JSON-RPC over plain
 * TCP. It opens the way ESP-Miner (Bitaxe) does, with mining.configure (version rolling, mask ffffffff), subscribe and
 * authorize written together before any reply, then follows the pool: set_difficulty (applies from the next notify),
 * notify (the job becomes coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2 plus the branches, which the hashing threads
 * fold into the merkle root exactly as for an SV2 extended channel), set_extranonce (from the next notify),
 * set_version_mask, client.reconnect and mining.ping. Shares go out as mining.submit with the rolled version bits
 * when version rolling was negotiated; the results count as accepted or rejected (by the pool's reason string) in
 * the client's {@link MinerStats}.
 */
final class Sv1MinerSession implements Session
{
    private static final Logger LOG = LoggerFactory.getLogger(Sv1MinerSession.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ID_CONFIGURE = 1;
    private static final int ID_SUBSCRIBE = 2;
    private static final int ID_AUTHORIZE = 3;
    /** Ids of mining.submit start here; ids below are the session's own requests. */
    private static final long FIRST_SUBMIT_ID = 100;
    /** Jobs whose names are remembered for submits (older jobs are stale anyway). */
    private static final int JOB_NAMES = 256;
    /** Longest line accepted from the pool (a notify of a large coinbase and deep branch is a few KiB). */
    private static final int MAX_LINE = 1 << 20;

    /** A notify as the session keeps it: everything a Work needs, with the target of the difficulty in force. */
    private record Job(int localId, String name, int version, byte[] prevHash, int nbits, int ntime, byte[] target,
        byte[] coinbasePrefix, byte[] coinbaseSuffix, byte[] merklePath, int extranonce2Size)
    {
    }

    private record JobName(int localId, String name)
    {
    }

    private final MinerClient client;
    private final InetSocketAddress address;
    private final MinerConfig config;
    private final Socket socket = new Socket();
    private final String userJson;
    private final AtomicReferenceArray<JobName> jobNames = new AtomicReferenceArray<>(JOB_NAMES);
    private final Object writeLock = new Object();
    /** Guarded by writeLock. */
    private final StringBuilder line = new StringBuilder(256);
    /** Guarded by writeLock. */
    private OutputStream out;
    /** Guarded by writeLock. */
    private long nextSubmitId = FIRST_SUBMIT_ID;
    private volatile boolean ready;

    // Owned by the session thread.
    private byte[] extranonce1;
    private int extranonce2Size;
    private byte[] nextExtranonce1;
    private int nextExtranonce2Size;
    private double difficulty = 1.0;
    private int versionMask;
    private int localJobs;
    private long generation;
    private Job active;

    Sv1MinerSession(final MinerClient client, final InetSocketAddress address, final MinerConfig config)
    {
        this.client = client;
        this.address = address;
        this.config = config;
        try
        {
            this.userJson = MAPPER.writeValueAsString(config.user());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("user name cannot be written as JSON", ex);
        }
    }

    @Override
    public boolean ready()
    {
        return ready;
    }

    @Override
    public void run() throws IOException
    {
        socket.connect(address, (int)config.handshakeTimeoutMs());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int)config.handshakeTimeoutMs());
        final InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        synchronized (writeLock)
        {
            out = new BufferedOutputStream(socket.getOutputStream(), 4096);
            // As ESP-Miner does: configure, subscribe and authorize in one go, before any reply.
            write("{\"id\":" + ID_CONFIGURE + ",\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"]," +
                "{\"version-rolling.mask\":\"ffffffff\",\"version-rolling.min-bit-count\":16}]}\n" +
                "{\"id\":" + ID_SUBSCRIBE + ",\"method\":\"mining.subscribe\",\"params\":[\"sv2-java-miner/1\"]}\n" +
                "{\"id\":" + ID_AUTHORIZE + ",\"method\":\"mining.authorize\",\"params\":[" + userJson + ",\"x\"]}\n");
        }
        final byte[] buf = new byte[4096];
        byte[] acc = new byte[4096];
        int fill = 0;
        while (true)
        {
            final int n = in.read(buf);
            if (n < 0)
            {
                throw new IOException("the pool closed the connection");
            }
            for (int i = 0; i < n; i++)
            {
                final byte b = buf[i];
                if (b == '\n')
                {
                    int end = fill;
                    if (end > 0 && acc[end - 1] == '\r')
                    {
                        end--;
                    }
                    if (end > 0)
                    {
                        handleLine(new String(acc, 0, end, StandardCharsets.UTF_8));
                    }
                    fill = 0;
                    continue;
                }
                if (fill == acc.length)
                {
                    if (acc.length >= MAX_LINE)
                    {
                        throw new IOException("a line from the pool is longer than " + MAX_LINE + " bytes");
                    }
                    acc = java.util.Arrays.copyOf(acc, acc.length * 2);
                }
                acc[fill++] = b;
            }
        }
    }

    private void handleLine(final String text) throws IOException
    {
        final JsonNode m;
        try
        {
            m = MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            throw new IOException("the pool sent a line that is not JSON: " + abbreviate(text));
        }
        final JsonNode method = m.get("method");
        if (method != null && method.isTextual())
        {
            handleRequest(method.asText(), m.path("params"), m.get("id"));
        }
        else
        {
            handleResponse(m.path("id"), m.path("result"), m.path("error"));
        }
    }

    private void handleResponse(final JsonNode id, final JsonNode result, final JsonNode error) throws IOException
    {
        if (!id.canConvertToLong())
        {
            return;
        }
        final long n = id.asLong();
        final boolean failed = !error.isMissingNode() && !error.isNull();
        if (n >= FIRST_SUBMIT_ID)
        {
            if (!failed && result.asBoolean(false))
            {
                client.stats().accepted(1);
            }
            else
            {
                client.stats().rejected(failed ? reason(error) : "rejected", 1);
            }
            return;
        }
        switch ((int)n)
        {
            case ID_CONFIGURE ->
            {
                versionMask = 0;
                if (!failed && result.isObject() && result.path("version-rolling").asBoolean(false))
                {
                    versionMask = Sv1Encoding.u32(result.path("version-rolling.mask").asText("0"));
                }
                LOG.debug("miner: SV1 version rolling mask {}", Sv1Encoding.hex32(versionMask));
            }
            case ID_SUBSCRIBE ->
            {
                if (failed || !result.isArray() || result.size() < 3)
                {
                    throw new IOException("the pool refused mining.subscribe: " + (failed ? reason(error) : result));
                }
                extranonce1 = Hex.decode(result.get(1).asText());
                extranonce2Size = result.get(2).asInt();
                nextExtranonce1 = extranonce1;
                nextExtranonce2Size = extranonce2Size;
                if (extranonce2Size < 1 || extranonce2Size > 32)
                {
                    throw new IOException("the pool gave extranonce2_size " + extranonce2Size);
                }
            }
            case ID_AUTHORIZE ->
            {
                if (failed || !result.asBoolean(false))
                {
                    throw new IOException("the pool refused worker " + config.user() +
                        (failed ? ": " + reason(error) : ""));
                }
                ready = true;
                socket.setSoTimeout(0);
                LOG.info("miner: SV1 worker {} authorized at {} (extranonce1 {}, extranonce2 {} bytes, mask {})",
                    config.user(), address, Hex.encode(extranonce1), extranonce2Size, Sv1Encoding.hex32(versionMask));
                publish();
            }
            default ->
            {
                // an answer to nothing we asked: ignored
            }
        }
    }

    private void handleRequest(final String method, final JsonNode params, final JsonNode id) throws IOException
    {
        switch (method)
        {
            case "mining.set_difficulty" ->
            {
                final double d = params.path(0).asDouble(0);
                if (d > 0 && Double.isFinite(d))
                {
                    difficulty = d;
                    client.stats().targets.increment();
                }
            }
            case "mining.notify" -> notify(params);
            case "mining.set_extranonce" ->
            {
                nextExtranonce1 = Hex.decode(params.path(0).asText());
                nextExtranonce2Size = params.path(1).asInt(extranonce2Size);
            }
            case "mining.set_version_mask" ->
            {
                versionMask = Sv1Encoding.u32(params.path(0).asText("0"));
                publish();
            }
            case "client.reconnect" ->
            {
                final String host = params.path(0).asText("");
                final int port = params.path(1).asInt(0);
                final InetSocketAddress next = new InetSocketAddress(host.isEmpty() ? address.getHostString() : host,
                    port == 0 ? address.getPort() : port);
                client.redirect(next);
                throw new IllegalStateException("pool asked to reconnect to " + next.getHostString() + ":" +
                    next.getPort());
            }
            case "mining.ping" -> reply(id, "\"pong\"");
            case "client.get_version" -> reply(id, "\"sv2-java-miner/1\"");
            case "client.show_message" -> LOG.info("miner: message from the pool: {}", params.path(0).asText());
            default ->
            {
                // other notifications need nothing from a miner
            }
        }
    }

    private void notify(final JsonNode p) throws IOException
    {
        if (!p.isArray() || p.size() < 9 || extranonce1 == null)
        {
            return;
        }
        extranonce1 = nextExtranonce1;
        extranonce2Size = nextExtranonce2Size;
        final String name = p.get(0).asText();
        final byte[] coinb1 = Hex.decode(p.get(2).asText());
        final byte[] coinb2 = Hex.decode(p.get(3).asText());
        final JsonNode branches = p.get(4);
        final List<byte[]> path = new ArrayList<>();
        for (final JsonNode b : branches)
        {
            path.add(Hex.decode(b.asText(), 32));
        }
        final byte[] pathBytes = new byte[32 * path.size()];
        for (int i = 0; i < path.size(); i++)
        {
            System.arraycopy(path.get(i), 0, pathBytes, 32 * i, 32);
        }
        final byte[] prefix = new byte[coinb1.length + extranonce1.length];
        System.arraycopy(coinb1, 0, prefix, 0, coinb1.length);
        System.arraycopy(extranonce1, 0, prefix, coinb1.length, extranonce1.length);
        final int local = ++localJobs;
        jobNames.set(local & (JOB_NAMES - 1), new JobName(local, name));
        active = new Job(local, name, Sv1Encoding.u32(p.get(5).asText()),
            Sv1Encoding.prevHashFromNotify(p.get(1).asText()), Sv1Encoding.u32(p.get(6).asText()),
            Sv1Encoding.u32(p.get(7).asText()), Sv1Encoding.target(difficulty), prefix, coinb2, pathBytes,
            extranonce2Size);
        publish();
    }

    private void publish()
    {
        final Job j = active;
        if (j == null || !ready)
        {
            return;
        }
        client.publish(new Work(++generation, 0, j.localId(), j.version(), versionMask, j.prevHash(), j.nbits(),
            j.ntime(), j.target(), null, j.coinbasePrefix(), j.coinbaseSuffix(), j.merklePath(), j.extranonce2Size()));
    }

    @Override
    public void submit(final Work w, final int nonce, final int ntime, final int version, final byte[] extranonce)
    {
        final JobName job = jobNames.get(w.jobId() & (JOB_NAMES - 1));
        if (job == null || job.localId() != w.jobId() || extranonce == null)
        {
            return;
        }
        try
        {
            synchronized (writeLock)
            {
                if (out == null)
                {
                    return;
                }
                line.setLength(0);
                line.append("{\"id\":").append(nextSubmitId++).append(",\"method\":\"mining.submit\",\"params\":[")
                    .append(userJson).append(",\"").append(job.name()).append("\",\"");
                for (final byte b : extranonce)
                {
                    line.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
                }
                line.append("\",\"").append(Sv1Encoding.hex32(ntime)).append("\",\"")
                    .append(Sv1Encoding.hex32(nonce)).append('"');
                if (w.rollMask() != 0)
                {
                    line.append(",\"").append(Sv1Encoding.hex32(version & w.rollMask())).append('"');
                }
                line.append("]}\n");
                write(line);
            }
            client.stats().sharesSubmitted.increment();
        }
        catch (final IOException ex)
        {
            // The session thread sees the broken connection on its next read and the client reconnects.
            MinerClient.closeQuietly(socket);
        }
    }

    private void reply(final JsonNode id, final String resultJson) throws IOException
    {
        synchronized (writeLock)
        {
            write("{\"id\":" + (id == null ? "null" : id.toString()) + ",\"result\":" + resultJson + ",\"error\":null}\n");
        }
    }

    /** Writes and flushes; the caller holds writeLock. */
    private void write(final CharSequence text) throws IOException
    {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The reason of a JSON-RPC error: the message of [code, message, data], of {code, message}, or the text. */
    static String reason(final JsonNode error)
    {
        if (error.isArray() && error.size() >= 2)
        {
            return error.get(1).asText();
        }
        if (error.isObject() && error.has("message"))
        {
            return error.get("message").asText();
        }
        return error.isTextual() ? error.asText() : error.toString();
    }

    private static String abbreviate(final String s)
    {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    @Override
    public void close()
    {
        ready = false;
        MinerClient.closeQuietly(socket);
    }
}
