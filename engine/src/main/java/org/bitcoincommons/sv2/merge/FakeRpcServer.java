package org.bitcoincommons.sv2.merge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JSON-RPC node over real HTTP on 127.0.0.1 (JDK HttpServer), for the aux chains that cannot run here. It can be
 * told to answer slowly, to answer every call with a JSON-RPC error, to require basic auth or a cookie, and to go
 * down (stop listening: connections are refused) and come back on the same port. Transient faults, as a node behind
 * a flaky link or under load shows them: every n-th request, or the next n calls of one method, answered with
 * HTTP 503 and no body (before the node looks at them); the next n calls of one method handled and their answer lost
 * (the connection is closed without a response); and calls of one method held until released. Used by the tests and
 * by {@code bin/sv2 bench soak} (whose aux node flaps): it stands for a node that cannot run here, never for the pool.
 */
public abstract class FakeRpcServer implements AutoCloseable
{
    /** A JSON-RPC error the handler answers with. */
    static final class RpcError extends Exception
    {
        final int code;

        RpcError(final int code, final String message)
        {
            super(message);
            this.code = code;
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean jsonRpc2;
    private HttpServer server;
    private int port;
    volatile long delayMs;
    volatile RpcError failAll;
    private volatile String expectedAuthorization;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    /** Requests answered with HTTP 503 by {@link #failEvery} or {@link #failNext}. */
    final AtomicLong injectedFailures = new AtomicLong();
    private volatile int failEvery;
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> loseAnswers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();

    FakeRpcServer(final boolean jsonRpc2)
    {
        this.jsonRpc2 = jsonRpc2;
    }

    final synchronized void listen() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::exchange);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        port = server.getAddress().getPort();
    }

    public URI url()
    {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Stops listening: new connections are refused. */
    public synchronized void down()
    {
        if (server != null)
        {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() throws IOException
    {
        if (server == null)
        {
            listen();
        }
    }

    /** JSON-RPC requests received (answered or not). */
    public long callCount()
    {
        return calls.get();
    }

    void requireBasic(final String user, final String password)
    {
        expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a fresh {@code __cookie__:secret} file and requires it, as bitcoind-family nodes do at start-up. */
    void requireCookie(final Path file, final String secret) throws IOException
    {
        Files.writeString(file, "__cookie__:" + secret);
        requireBasic("__cookie__", secret);
    }

    /** Every {@code n}-th request (counted over all methods) is answered with HTTP 503; 0 turns it off. */
    void failEvery(final int n)
    {
        failEvery = n;
    }

    /** The next {@code n} calls of {@code method} are answered with HTTP 503 (the node never sees them). */
    void failNext(final String method, final int n)
    {
        failNext.put(method, new AtomicInteger(n));
    }

    /** The next {@code n} calls of {@code method} are handled (state changes) but the answer is lost. */
    void loseAnswers(final String method, final int n)
    {
        loseAnswers.put(method, new AtomicInteger(n));
    }

    /** Calls of {@code method} wait (before they are handled) until {@link #release}. */
    void hold(final String method)
    {
        holds.put(method, new CountDownLatch(1));
    }

    void release(final String method)
    {
        final CountDownLatch gate = holds.remove(method);
        if (gate != null)
        {
            gate.countDown();
        }
    }

    /** Calls of {@code method} waiting in {@link #hold} now. */
    int held(final String method)
    {
        final AtomicInteger n = held.get(method);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close()
    {
        for (final String method : holds.keySet())
        {
            release(method);
        }
        down();
    }

    private static boolean take(final Map<String, AtomicInteger> counts, final String method)
    {
        final AtomicInteger n = counts.get(method);
        return n != null && n.getAndUpdate(v -> Math.max(0, v - 1)) > 0;
    }

    /** Answers one call; {@code params} is the JSON array (possibly empty). */
    abstract JsonNode handle(String method, JsonNode params) throws RpcError;

    private void exchange(final HttpExchange ex) throws IOException
    {
        try (ex)
        {
            final long n = calls.incrementAndGet();
            final String expected = expectedAuthorization;
            if (expected != null && !expected.equals(ex.getRequestHeaders().getFirst("Authorization")))
            {
                authFailures.incrementAndGet();
                ex.sendResponseHeaders(401, -1);
                return;
            }
            final JsonNode request;
            try (InputStream in = ex.getRequestBody())
            {
                request = MAPPER.readTree(in);
            }
            final String method = request.path("method").asText();
            final int every = failEvery;
            if (every > 0 && n % every == 0 || take(failNext, method))
            {
                injectedFailures.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            final CountDownLatch gate = holds.get(method);
            if (gate != null)
            {
                final AtomicInteger waiting = held.computeIfAbsent(method, m -> new AtomicInteger());
                waiting.incrementAndGet();
                try
                {
                    gate.await();
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                finally
                {
                    waiting.decrementAndGet();
                }
            }
            if (delayMs > 0)
            {
                try
                {
                    Thread.sleep(delayMs);
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            final ObjectNode response = MAPPER.createObjectNode();
            if (jsonRpc2)
            {
                response.put("jsonrpc", "2.0");
            }
            response.set("id", request.get("id"));
            int status = 200;
            try
            {
                final RpcError forced = failAll;
                if (forced != null)
                {
                    throw forced;
                }
                final JsonNode params = request.has("params") ? request.get("params") : MAPPER.createArrayNode();
                response.set("result", handle(method, params));
                if (!jsonRpc2)
                {
                    response.putNull("error");
                }
            }
            catch (final RpcError e)
            {
                // bitcoind answers errors with HTTP 500 and the error object; RSK with 200
                status = jsonRpc2 ? 200 : 500;
                if (!jsonRpc2)
                {
                    response.putNull("result");
                }
                response.putObject("error").put("code", e.code).put("message", e.getMessage());
            }
            if (take(loseAnswers, method))
            {
                return; // handled, but the exchange closes without response headers: the client sees a reset
            }
            final byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody())
            {
                out.write(body);
            }
        }
    }
}
