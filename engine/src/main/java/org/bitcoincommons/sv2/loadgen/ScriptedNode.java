package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bitcoincommons.sv2.bitcoin.BlockSubsidy;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A scripted stand-in for Bitcoin Core, for {@code bin/sv2 bench tip}: it answers {@code getblocktemplate} over
 * JSON-RPC on loopback (Basic auth, an empty template on its current tip) and, when told to, moves its tip and
 * announces it the way bitcoind does, with a ZMQ {@code hashblock} message (topic, 32-byte hash in display order,
 * 4-byte little-endian sequence). {@link #advance()} returns {@link System#nanoTime()} taken just before the ZMQ send:
 * the start of the tip-to-miner latency, comparable with the miners' arrival stamps in the same process.
 * {@code submitblock} is answered "inconclusive" and counted. Not a node: no chain, no checks. For
 * {@code bin/sv2 bench soak} its RPC can go down (connections refused) and come back on the same port, and its
 * blocks can have a target that shares sometimes meet.
 */
public final class ScriptedNode implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOPIC = "hashblock".getBytes(StandardCharsets.US_ASCII);
    /** A regtest-easy target: {@code bench tip} submits no shares, so any target will do. */
    private static final int BITS = 0x207fffff;

    private HttpServer http;
    private final int rpcPort;
    private final int bits;
    private final java.util.concurrent.atomic.AtomicLong blocksSubmitted = new java.util.concurrent.atomic.AtomicLong();
    private final ZContext zmq = new ZContext(1);
    private final ZMQ.Socket pub;
    private final int zmqPort;
    private final String authorization;
    private long height = 1000;
    private byte[] tip = tipHash(1000);
    private int sequence;

    /**
     * @param user     RPC user the pool must present
     * @param password its password
     */
    public ScriptedNode(final String user, final String password) throws IOException
    {
        this(user, password, BITS);
    }

    /**
     * @param bits compact target of the blocks it hands out
     */
    public ScriptedNode(final String user, final String password, final int bits) throws IOException
    {
        this.bits = bits;
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8));
        http = listen(0);
        rpcPort = http.getAddress().getPort();
        pub = zmq.createSocket(SocketType.PUB);
        pub.setSndHWM(0);
        zmqPort = pub.bindToRandomPort("tcp://127.0.0.1");
    }

    private HttpServer listen(final int port) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::rpc);
        server.start();
        return server;
    }

    public String rpcUrl()
    {
        return "http://127.0.0.1:" + rpcPort + "/";
    }

    /** The RPC stops listening: the pool's calls are refused (ZMQ stays up, as when only bitcoind's RPC hangs). */
    public synchronized void rpcDown()
    {
        if (http != null)
        {
            http.stop(0);
            http = null;
        }
    }

    /** The RPC listens again, on the same port. */
    public synchronized void rpcUp() throws IOException
    {
        if (http == null)
        {
            http = listen(rpcPort);
        }
    }

    /** submitblock calls answered. */
    public long blocksSubmitted()
    {
        return blocksSubmitted.get();
    }

    public String zmqEndpoint()
    {
        return "tcp://127.0.0.1:" + zmqPort;
    }

    /** The hash of the tip a template of {@code height} builds on (internal byte order, as SetNewPrevHash has it). */
    static byte[] tipHash(final long height)
    {
        return Sha256d.hash(("sv2 bench tip " + height).getBytes(StandardCharsets.US_ASCII));
    }

    /** The current tip, internal byte order (as SetNewPrevHash carries it). */
    public synchronized byte[] tip()
    {
        return tip.clone();
    }

    /**
     * Moves the tip to a new block and publishes its hashblock.
     *
     * @return {@link System#nanoTime()} just before the publication
     */
    public long advance()
    {
        final byte[] hash;
        final int seq;
        synchronized (this)
        {
            height++;
            tip = tipHash(height);
            hash = tip.clone();
            seq = sequence++;
        }
        final byte[] display = hash.clone();   // hashblock carries the hash in display (RPC) order
        reverse(display);
        final byte[] seqLe = {(byte)seq, (byte)(seq >>> 8), (byte)(seq >>> 16), (byte)(seq >>> 24)};
        final long t0;
        synchronized (pub)
        {
            t0 = System.nanoTime();
            pub.sendMore(TOPIC);
            pub.sendMore(display);
            pub.send(seqLe);
        }
        return t0;
    }

    private static void reverse(final byte[] b)
    {
        for (int i = 0, j = b.length - 1; i < j; i++, j--)
        {
            final byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }

    private synchronized ObjectNode template()
    {
        final ObjectNode t = JSON.createObjectNode();
        t.put("version", 0x20000000);
        t.putArray("rules").add("csv").add("!segwit").add("taproot");
        t.put("previousblockhash", HashOrder.toDisplayHex(tip));
        t.putArray("transactions");
        t.put("coinbasevalue", BlockSubsidy.subsidySats(height, BlockSubsidy.REGTEST_HALVING_INTERVAL));
        t.put("longpollid", HashOrder.toDisplayHex(tip) + height);
        t.put("target", String.format("%064x", Target.fromCompact(bits)));
        final long now = System.currentTimeMillis() / 1000;
        t.put("mintime", now - 600);
        t.put("curtime", now);
        t.put("bits", String.format("%08x", bits));
        t.put("height", height);
        return t;
    }

    private void rpc(final HttpExchange ex) throws IOException
    {
        try (ex)
        {
            if (!authorization.equals(ex.getRequestHeaders().getFirst("Authorization")))
            {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            final JsonNode request;
            try (InputStream in = ex.getRequestBody())
            {
                request = JSON.readTree(in);
            }
            final ObjectNode response = JSON.createObjectNode();
            response.set("id", request.get("id"));
            switch (request.path("method").asText())
            {
                case "getblocktemplate" -> response.set("result", template());
                case "submitblock" ->
                {
                    blocksSubmitted.incrementAndGet();
                    response.put("result", "inconclusive");
                }
                default ->
                {
                    response.putNull("result");
                    response.putObject("error").put("code", -32601).put("message", "Method not found");
                }
            }
            if (!response.has("error"))
            {
                response.putNull("error");
            }
            final byte[] body = JSON.writeValueAsBytes(response);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** Height of the block the current template builds. */
    public synchronized long height()
    {
        return height;
    }

    @Override
    public void close()
    {
        rpcDown();
        pub.close();
        zmq.close();
    }
}
