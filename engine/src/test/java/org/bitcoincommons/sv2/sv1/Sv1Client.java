package org.bitcoincommons.sv2.sv1;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A raw Stratum V1 client for scripted sessions: writes exactly the bytes a test gives it, reads newline-delimited
 * JSON with a deadline, and keeps the notifications it reads while waiting for a reply. Every read is bounded
 * (SO_TIMEOUT), so a pool that never answers fails the test instead of hanging it.
 */
final class Sv1Client implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    /** Notifications (and unmatched replies) read while waiting for something else, oldest first. */
    final List<JsonNode> kept = new ArrayList<>();
    /** Every line read, in order, for failure messages. */
    final List<String> transcript = new ArrayList<>();

    byte[] extranonce1;
    int extranonce2Size;
    double difficulty = Double.NaN;

    Sv1Client(final InetSocketAddress at) throws IOException
    {
        socket = new Socket();
        socket.connect(at, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    Sv1Client send(final String text) throws IOException
    {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    Sv1Client sendBytes(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line as JSON, or null at the end of the stream. */
    JsonNode read() throws IOException
    {
        final String l = in.readLine();
        if (l == null)
        {
            return null;
        }
        transcript.add(l);
        return JSON.readTree(l);
    }

    /** The next line as it came (not kept in the transcript), or null at the end of the stream. */
    String readRaw() throws IOException
    {
        return in.readLine();
    }

    /** The reply whose id is {@code id} (compared as JSON text: 7 matches 7, "a" matches "a"). */
    JsonNode reply(final Object id) throws IOException
    {
        final String want = JSON.writeValueAsString(id);
        for (int i = 0; i < kept.size(); i++)
        {
            final JsonNode n = kept.get(i);
            if (!n.has("method") && want.equals(n.path("id").toString()))
            {
                return kept.remove(i);
            }
        }
        while (true)
        {
            final JsonNode n = read();
            if (n == null)
            {
                throw new EOFException("closed by the pool while waiting for the reply to id " + want + "; read: " +
                    transcript);
            }
            if (!n.has("method") && want.equals(n.path("id").toString()))
            {
                return n;
            }
            kept.add(n);
        }
    }

    /** The next notification with this method (kept ones first). */
    JsonNode next(final String method) throws IOException
    {
        for (int i = 0; i < kept.size(); i++)
        {
            if (method.equals(kept.get(i).path("method").asText()))
            {
                return kept.remove(i);
            }
        }
        while (true)
        {
            final JsonNode n = read();
            if (n == null)
            {
                throw new EOFException("closed by the pool while waiting for " + method + "; read: " + transcript);
            }
            if (method.equals(n.path("method").asText()))
            {
                return n;
            }
            kept.add(n);
        }
    }

    /**
     * Reads until the pool closes the connection (true) or {@code timeoutMs} pass (false); what arrives meanwhile is
     * kept. A reset counts as closed.
     */
    boolean closedByPool(final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        final int old = socket.getSoTimeout();
        try
        {
            while (true)
            {
                final long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0)
                {
                    return false;
                }
                socket.setSoTimeout((int)Math.max(1, left));
                try
                {
                    final String l = in.readLine();
                    if (l == null)
                    {
                        return true;
                    }
                    transcript.add(l);
                    kept.add(JSON.readTree(l));
                }
                catch (final SocketTimeoutException ex)
                {
                    return false;
                }
                catch (final java.net.SocketException ex)
                {
                    return true;
                }
            }
        }
        finally
        {
            if (!socket.isClosed())
            {
                socket.setSoTimeout(old);
            }
        }
    }

    /**
     * subscribe (id 1) and authorize (id 2) pipelined, then the replies, the difficulty and the first job. The
     * extranonce and difficulty are kept; returns the first job.
     */
    Sv1Work session(final String worker) throws IOException
    {
        send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"sv1-test/1.0\"]}\n" +
            "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[" + JSON.writeValueAsString(worker) + ",\"x\"]}\n");
        final JsonNode sub = reply(1);
        if (!sub.path("error").isNull())
        {
            throw new IllegalStateException("subscribe failed: " + sub);
        }
        extranonce1 = Sv1Work.HEX.parseHex(sub.get("result").get(1).asText());
        extranonce2Size = sub.get("result").get(2).asInt();
        final JsonNode auth = reply(2);
        if (!auth.path("result").asBoolean())
        {
            throw new IllegalStateException("authorize failed: " + auth);
        }
        return nextWork();
    }

    /** The next mining.notify as work, at the difficulty the last mining.set_difficulty before it set. */
    Sv1Work nextWork() throws IOException
    {
        while (true)
        {
            final JsonNode n = kept.isEmpty() ? read() : kept.remove(0);
            if (n == null)
            {
                throw new EOFException("closed by the pool while waiting for a job; read: " + transcript);
            }
            final String m = n.path("method").asText();
            if (m.equals("mining.set_difficulty"))
            {
                difficulty = n.get("params").get(0).asDouble();
            }
            else if (m.equals("mining.notify"))
            {
                return new Sv1Work(n.get("params"), difficulty);
            }
        }
    }

    /**
     * Grinds one share on {@code work} with this extranonce2 (a counter, big-endian in extranonce2_size bytes) and
     * the version bits given; returns the submit params {worker, job, extranonce2, ntime, nonce, version bits}.
     */
    String[] share(final Sv1Work work, final String worker, final long extranonce2, final int versionBits,
        final int mask)
    {
        final byte[] en2 = new byte[extranonce2Size];
        for (int i = 0; i < en2.length; i++)
        {
            en2[en2.length - 1 - i] = (byte)(extranonce2 >>> (8 * i));
        }
        final int version = (work.version & ~mask) | (versionBits & mask);
        final byte[] header = work.header(extranonce1, en2, version);
        final long nonce = Sv1Work.grind(header, work.difficulty, 0, 1L << 32);
        if (nonce < 0)
        {
            throw new IllegalStateException("no nonce found");
        }
        return new String[] {worker, work.jobId, Sv1Work.HEX.formatHex(en2), Sv1Work.hex32(work.ntime),
            Sv1Work.hex32((int)nonce), Sv1Work.hex32(versionBits)};
    }

    /** A mining.submit line: the first {@code count} params of {@code p} (5 without version bits, 6 with). */
    static String submitLine(final Object id, final String[] p, final int count) throws IOException
    {
        final StringBuilder sb = new StringBuilder("{\"id\":").append(JSON.writeValueAsString(id))
            .append(",\"method\":\"mining.submit\",\"params\":[");
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? "" : ",").append(JSON.writeValueAsString(p[i]));
        }
        return sb.append("]}\n").toString();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
