package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target (Jazzer) for the SV1 request handling of a running pool: the input is written as one miner's whole
 * session (lines split where the input has newlines) to the pool's SV1 port on 127.0.0.1, then the miner ends its
 * sending half and reads what comes back. What must hold: every line the pool sends is one JSON object, a response
 * (an {@code id} with {@code result} or {@code error}) or a notification (a {@code method}); the pool ends the
 * connection within a deadline once the miner has; and the pool keeps serving: a fresh miner's
 * {@code mining.subscribe} is answered after the session (checked on the first input and every 64th after).
 * <p>
 * One pool serves every input of a run (an embedded chain, per-address connection limits raised so that the
 * fuzzer's connection rate is not refused), closed after the class.
 */
class Sv1SessionFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int DEADLINE_MS = 5000;
    private static final byte[] SUBSCRIBE =
        "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"fuzz/1.0\"]}\n".getBytes(StandardCharsets.US_ASCII);
    private static Sv1TestPool pool;
    private static Path dir;
    private static long sessions;

    private static synchronized InetSocketAddress pool() throws Exception
    {
        if (pool == null)
        {
            dir = Files.createTempDirectory("sv1-fuzz");
            pool = new Sv1TestPool(dir, "", """
                connect_rate_per_ip = 1000000.0
                connect_burst_per_ip = 1000000
                max_connections_per_ip = 100000
                """);
        }
        return pool.sv1();
    }

    @AfterAll
    static synchronized void closePool() throws IOException
    {
        if (pool != null)
        {
            pool.close();
            pool = null;
            try (var walk = Files.walk(dir))
            {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @FuzzTest
    void session(final byte[] data) throws Exception
    {
        final InetSocketAddress address = pool();
        final byte[] replies = exchange(address, data, true);
        checkLines(replies, new String(data, StandardCharsets.UTF_8));
        if (sessions++ % 64 == 0)
        {
            final byte[] answer = exchange(address, SUBSCRIBE, false);
            final String first = firstLine(answer);
            assertTrue(first != null, "the pool did not answer a fresh mining.subscribe after a fuzzed session");
            final JsonNode reply = MAPPER.readTree(first);
            assertTrue(reply.path("id").asInt() == 1 && reply.has("result") && !reply.get("result").isNull(),
                "a fresh mining.subscribe was not answered with a result: " + first);
        }
    }

    /**
     * Sends {@code request} (with a final newline), then either ends the sending half and reads to the pool's end of
     * stream ({@code toEnd}) or reads one line; fails when the pool takes longer than the deadline.
     */
    private static byte[] exchange(final InetSocketAddress address, final byte[] request, final boolean toEnd)
        throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(address, DEADLINE_MS);
            socket.setSoTimeout(DEADLINE_MS);
            final OutputStream out = socket.getOutputStream();
            try
            {
                out.write(request);
                if (request.length == 0 || request[request.length - 1] != '\n')
                {
                    out.write('\n');
                }
                out.flush();
                if (toEnd)
                {
                    socket.shutdownOutput();
                }
            }
            catch (final IOException ex)
            {
                // the pool closed first (bad JSON, a line too long): read what it sent before
            }
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            final byte[] chunk = new byte[4096];
            final long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000L;
            try
            {
                while (System.nanoTime() < deadline)
                {
                    final int n = in.read(chunk);
                    if (n < 0)
                    {
                        return got.toByteArray();
                    }
                    got.write(chunk, 0, n);
                    if (!toEnd && firstLine(got.toByteArray()) != null)
                    {
                        return got.toByteArray();
                    }
                }
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("the pool neither answered nor closed within " + DEADLINE_MS + " ms", ex);
            }
            catch (final IOException ex)
            {
                return got.toByteArray();   // reset by the pool: it closed
            }
            throw new AssertionError("the pool kept the connection open " + DEADLINE_MS + " ms after the miner's EOF");
        }
    }

    private static String firstLine(final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '\n')
            {
                return new String(bytes, 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Every complete line is a JSON-RPC response or notification; a partial last line is a cut write, allowed. */
    private static void checkLines(final byte[] replies, final String sent)
    {
        int start = 0;
        for (int i = 0; i < replies.length; i++)
        {
            if (replies[i] != '\n')
            {
                continue;
            }
            final String line = new String(replies, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            final JsonNode node;
            try
            {
                node = MAPPER.readTree(line);
            }
            catch (final JsonProcessingException ex)
            {
                throw new AssertionError("the pool sent a line that is not JSON: " + line + " (after " + sent + ")",
                    ex);
            }
            assertTrue(node != null && node.isObject(), "the pool sent a line that is not an object: " + line);
            final boolean response = node.has("id") && (node.has("result") || node.has("error"));
            final boolean notification = node.has("method") && node.get("method").isTextual();
            assertTrue(response || notification, "neither a response nor a notification: " + line);
        }
    }
}
