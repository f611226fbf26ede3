package org.bitcoincommons.sv2.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.BlockSubsidy;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A Bitcoin Core node for tests, which cannot run here: JSON-RPC 1.0 over real HTTP on 127.0.0.1 (JDK HttpServer),
 * {@code getblocktemplate} and {@code submitblock} as bitcoind answers them, and ZMQ {@code hashblock} (JeroMQ PUB).
 *
 * <ul>
 * <li>The first template is recorded mainnet data ({@code template/gbt_mainnet_881423.json}: height 881,423, real
 *     segwit transactions, its default_witness_commitment), with {@code bits}/{@code target} replaced by an easy
 *     target so that a CPU can mine it. Each accepted block makes the next (empty) template, as a node whose mempool
 *     the block emptied.</li>
 * <li>It checks {@code rules} (-8 without segwit, and without signet on signet), HTTP basic auth or a cookie.</li>
 * <li>It holds long polls until the tip changes (or for ever, when told to).</li>
 * <li>While "syncing" it answers -28, -9 or -10 as Bitcoin Core does.</li>
 * <li>It verifies every submitted block as bitcoind does: decoding, previous block, bits, proof of work against the
 *     template's target, time, merkle root, one coinbase with the BIP34 height, its value against coinbasevalue, and
 *     the BIP141 witness commitment; and it records the block hex for the independent cross-check.</li>
 * </ul>
 */
public final class FakeBitcoind implements AutoCloseable
{
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the node does with every RPC call. */
    enum Mode
    {
        NORMAL,
        /** Answer with bytes that are not JSON. */
        MALFORMED_JSON,
        /** Answer getblocktemplate with a transaction whose data does not parse. */
        BAD_TRANSACTION,
        /** Never answer (the connection stays open). */
        HANG
    }

    private final HttpServer server;
    private final ZContext zmqContext = new ZContext(1);
    private final ZMQ.Socket zmqPub;
    private final int zmqPort;
    private final boolean signet;
    private volatile String expectedAuthorization;
    private volatile Mode mode = Mode.NORMAL;
    private volatile int syncingCode;
    private volatile boolean holdLongPollsForever;
    private final int easyBits;

    /** The current template and chain (guarded by this). */
    private ObjectNode template;
    private byte[] tip;
    private long height;
    private long mempoolCounter;
    private final List<String> knownBlocks = new ArrayList<>();
    private final List<JsonNode> recordedTemplates = new ArrayList<>();
    /**
     * The mempool (txid display hex to [wtxid display hex, data hex], insertion order), and every transaction the node
     * would accept in a block (a transaction may be valid without being in the mempool: Job Declaration's case).
     */
    private final Map<String, String[]> mempool = new java.util.LinkedHashMap<>();
    private final java.util.Set<String> validTxids = new java.util.HashSet<>();
    public final AtomicLong mempoolCalls = new AtomicLong();
    public final AtomicLong rawTransactionCalls = new AtomicLong();
    public final AtomicLong proposals = new AtomicLong();
    public final Map<String, Long> proposalRejects = new java.util.concurrent.ConcurrentHashMap<>();

    public final List<String> submittedHex = new CopyOnWriteArrayList<>();
    public final List<String> acceptedHex = new CopyOnWriteArrayList<>();
    public final Map<String, Long> rejectReasons = new TreeMap<>();
    final AtomicLong gbtCalls = new AtomicLong();
    /** Calls still to be refused as a busy bitcoind refuses them: HTTP 503 "Work queue depth exceeded". */
    private final java.util.concurrent.atomic.AtomicInteger busyCalls = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong longPollCalls = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    final AtomicLong badRulesCalls = new AtomicLong();
    final AtomicLong hashblocksPublished = new AtomicLong();

    /**
     * @param easyBits compact target the templates carry instead of mainnet's
     */
    public FakeBitcoind(final int easyBits, final boolean signet) throws IOException
    {
        this(easyBits, signet, 0, 0);
    }

    /** On given ports (0: any), e.g. to restart a node where the pool expects it. */
    FakeBitcoind(final int easyBits, final boolean signet, final int rpcPort, final int zmqPortWanted) throws IOException
    {
        this.easyBits = easyBits;
        this.signet = signet;
        final JsonNode recorded;
        try (InputStream in = FakeBitcoind.class.getResourceAsStream("/template/gbt_mainnet_881423.json"))
        {
            recorded = MAPPER.readTree(in);
        }
        synchronized (this)
        {
            template = ((ObjectNode)recorded).deepCopy();
            template.put("bits", String.format("%08x", easyBits));
            template.put("target", String.format("%064x", Target.fromCompact(easyBits)));
            template.put("curtime", System.currentTimeMillis() / 1000);
            tip = HashOrder.fromDisplayHex(template.get("previousblockhash").asText());
            knownBlocks.add(template.get("previousblockhash").asText());   // the recorded tip is a block the node has
            height = template.get("height").asLong();
            template.put("longpollid", HashOrder.toDisplayHex(tip) + mempoolCounter);
            for (final JsonNode t : template.withArray("transactions"))
            {
                mempool.put(t.get("txid").asText(), new String[] {t.get("hash").asText(), t.get("data").asText()});
                validTxids.add(t.get("txid").asText());
            }
        }
        zmqPub = zmqContext.createSocket(SocketType.PUB);
        if (zmqPortWanted == 0)
        {
            zmqPort = zmqPub.bindToRandomPort("tcp://127.0.0.1");
        }
        else
        {
            zmqPub.bind("tcp://127.0.0.1:" + zmqPortWanted);
            zmqPort = zmqPortWanted;
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), rpcPort), 64);
        server.createContext("/", this::exchange);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int rpcPort()
    {
        return server.getAddress().getPort();
    }

    int zmqPort()
    {
        return zmqPort;
    }

    public String zmqEndpoint()
    {
        return "tcp://127.0.0.1:" + zmqPort;
    }

    public void requireBasic(final String user, final String password)
    {
        expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a fresh {@code __cookie__:secret} file and requires it, as bitcoind does at every start. */
    void requireCookie(final Path file, final String secret) throws IOException
    {
        Files.writeString(file, "__cookie__:" + secret);
        requireBasic("__cookie__", secret);
    }

    void mode(final Mode m)
    {
        mode = m;
    }

    /** 0 = synced; else -28, -9 or -10, answered to getblocktemplate. */
    void syncing(final int code)
    {
        syncingCode = code;
    }

    /** The next {@code n} calls are refused with HTTP 503, as bitcoind does when its RPC work queue is full. */
    void busyFor(final int n)
    {
        busyCalls.set(n);
    }

    void holdLongPollsForever(final boolean hold)
    {
        holdLongPollsForever = hold;
    }

    public synchronized long height()
    {
        return height;
    }

    public synchronized byte[] tip()
    {
        return tip.clone();
    }

    /** Every template JSON this node served, in order (the first is the recorded mainnet one). */
    public synchronized List<JsonNode> templates()
    {
        return List.copyOf(recordedTemplates);
    }

    /** Removes a transaction (txid, display hex) from the mempool; it stays valid in a block. */
    public synchronized void hideFromMempool(final String txid)
    {
        if (mempool.remove(txid) == null)
        {
            throw new IllegalArgumentException("not in the mempool: " + txid);
        }
    }

    /** Adds a (valid) transaction to the mempool; returns its txid, display hex. */
    public String addToMempool(final byte[] tx)
    {
        return addValid(tx, true);
    }

    /** Makes a transaction valid in blocks, in the mempool or not; returns its txid, display hex. */
    public synchronized String addValid(final byte[] tx, final boolean inMempool)
    {
        final Transaction t = Transaction.parse(tx);
        final String txid = HashOrder.toDisplayHex(t.txid());
        if (inMempool)
        {
            mempool.put(txid, new String[] {HashOrder.toDisplayHex(t.wtxid()), Hex.encode(tx)});
        }
        validTxids.add(txid);
        return txid;
    }

    /**
     * Transactions reach the mempool without a new tip: {@code txs} (serialized, no inputs of each other) are made valid
     * in blocks and appended to the current template with their fees, the default_witness_commitment recomputed over
     * every wtxid; a new longpollid releases the long polls.
     */
    public synchronized void addToTemplate(final List<byte[]> txs, final long feeSatsEach)
    {
        final ArrayNode list = template.withArray("transactions");
        for (final byte[] tx : txs)
        {
            final Transaction t = Transaction.parse(tx);
            addValid(tx, true);
            final ObjectNode e = list.addObject();
            e.put("data", Hex.encode(tx));
            e.put("txid", HashOrder.toDisplayHex(t.txid()));
            e.put("hash", HashOrder.toDisplayHex(t.wtxid()));
            e.putArray("depends");
            e.put("fee", feeSatsEach);
            e.put("sigops", 4);
            e.put("weight", t.weight());
        }
        template.put("coinbasevalue", template.get("coinbasevalue").asLong() + feeSatsEach * txs.size());
        final List<byte[]> wtxids = new ArrayList<>();
        for (final JsonNode e : list)
        {
            wtxids.add(HashOrder.fromDisplayHex(e.get("hash").asText()));
        }
        template.put("default_witness_commitment", Hex.encode(Merkle.witnessCommitmentScript(
            Merkle.witnessCommitment(Merkle.witnessRoot(wtxids), new byte[32]))));
        mempoolCounter++;
        template.put("longpollid", HashOrder.toDisplayHex(tip) + mempoolCounter);
        notifyAll();
    }

    /** The current template's fields the Job Declaration tests build on (a copy). */
    public synchronized com.fasterxml.jackson.databind.node.ObjectNode currentTemplate()
    {
        return template.deepCopy();
    }

    public synchronized int mempoolSize()
    {
        return mempool.size();
    }

    /** The network found a block: a new tip (an empty template on it), announced by ZMQ, long polls released. */
    public void newTipFromNetwork()
    {
        final byte[] hash = Sha256d.hash(("network block " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
        advance(hash);
    }

    private void advance(final byte[] newTip)
    {
        advanceTip(newTip);
        publishHashblock(newTip);
    }

    /**
     * The node's new tip and next template. Under this object's monitor, so that a block's checks and the tip it
     * moves are one step, as bitcoind's under cs_main: two submissions of the same block (a Job Declaration client
     * pushing its solution to the JDS and submitting it itself) are one block and one "duplicate", never two
     * advances of the height on one tip.
     */
    private void advanceTip(final byte[] newTip)
    {
        synchronized (this)
        {
            knownBlocks.add(HashOrder.toDisplayHex(newTip));
            tip = newTip.clone();
            height++;
            mempoolCounter++;
            final ObjectNode next = template.deepCopy();
            next.put("previousblockhash", HashOrder.toDisplayHex(tip));
            next.put("height", height);
            next.putArray("transactions");
            next.put("coinbasevalue", BlockSubsidy.subsidySats(height, BlockSubsidy.MAINNET_HALVING_INTERVAL));
            next.put("curtime", Math.max(System.currentTimeMillis() / 1000, template.get("curtime").asLong() + 1));
            next.put("mintime", template.get("curtime").asLong() + 1);
            next.put("default_witness_commitment", Hex.encode(Merkle.witnessCommitmentScript(
                Merkle.witnessCommitment(Merkle.witnessRoot(List.of()), new byte[32]))));
            next.put("longpollid", HashOrder.toDisplayHex(tip) + mempoolCounter);
            template = next;
            notifyAll();
        }
    }

    /** bitcoind's hashblock: topic, 32-byte hash in display order, 4-byte LE sequence. */
    private void publishHashblock(final byte[] newTip)
    {
        synchronized (zmqPub)
        {
            final byte[] seq = new byte[4];
            final long n = hashblocksPublished.getAndIncrement();
            seq[0] = (byte)n;
            seq[1] = (byte)(n >>> 8);
            zmqPub.sendMore("hashblock");
            zmqPub.sendMore(HashOrder.reversed(newTip));
            zmqPub.send(seq);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        synchronized (this)
        {
            notifyAll();
        }
        zmqContext.close();
    }

    private void exchange(final HttpExchange ex) throws IOException
    {
        try (ex)
        {
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
            if (busyCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
            {
                send(ex, 503, "Work queue depth exceeded".getBytes(StandardCharsets.UTF_8));
                return;
            }
            final Mode m = mode;
            if (m == Mode.HANG)
            {
                hang();
                return;
            }
            if (m == Mode.MALFORMED_JSON)
            {
                send(ex, 200, "{\"result\": {\"version\": 536870912, \"transactions\": [".getBytes(StandardCharsets.UTF_8));
                return;
            }
            final ObjectNode response = MAPPER.createObjectNode();
            response.set("id", request.get("id"));
            int status = 200;
            try
            {
                response.set("result", handle(request.path("method").asText(), request.path("params")));
                response.putNull("error");
            }
            catch (final RpcError e)
            {
                status = e.code == -32601 ? 404 : 500;   // bitcoind: method not found 404, other errors 500
                response.putNull("result");
                response.putObject("error").put("code", e.code).put("message", e.getMessage());
            }
            send(ex, status, response.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void hang()
    {
        synchronized (this)
        {
            while (mode == Mode.HANG)
            {
                try
                {
                    wait(1000);
                }
                catch (final InterruptedException ie)
                {
                    return;
                }
            }
        }
    }

    private static void send(final HttpExchange ex, final int status, final byte[] body) throws IOException
    {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody())
        {
            out.write(body);
        }
    }

    /** A JSON-RPC error as bitcoind returns it. */
    static final class RpcError extends Exception
    {
        final int code;

        RpcError(final int code, final String message)
        {
            super(message);
            this.code = code;
        }
    }

    private JsonNode handle(final String method, final JsonNode params) throws RpcError
    {
        return switch (method)
        {
            case "getblocktemplate" -> getBlockTemplate(params);
            case "submitblock" -> submitBlock(params);
            case "getbestblockhash" -> MAPPER.getNodeFactory().textNode(HashOrder.toDisplayHex(tip()));
            case "getrawmempool" -> rawMempool(params.path(0).asBoolean(false));
            case "getrawtransaction" -> rawTransaction(params.path(0).asText(""));
            default -> throw new RpcError(-32601, "Method not found");
        };
    }

    private JsonNode getBlockTemplate(final JsonNode params) throws RpcError
    {
        gbtCalls.incrementAndGet();
        final JsonNode req = params.path(0);
        final List<String> rules = new ArrayList<>();
        req.path("rules").forEach(r -> rules.add(r.asText()));
        if (signet && !rules.contains("signet"))
        {
            badRulesCalls.incrementAndGet();
            throw new RpcError(-8, "getblocktemplate must be called with the signet rule set (call with {\"rules\": " +
                "[\"segwit\", \"signet\"]})");
        }
        if (!rules.contains("segwit"))
        {
            badRulesCalls.incrementAndGet();
            throw new RpcError(-8, "getblocktemplate must be called with the segwit rule set (call with {\"rules\": " +
                "[\"segwit\"]})");
        }
        final int sync = syncingCode;
        if (sync == -28)
        {
            throw new RpcError(-28, "Loading block index…");
        }
        if (sync == -9)
        {
            throw new RpcError(-9, "Bitcoin Core is not connected!");
        }
        if (sync == -10)
        {
            throw new RpcError(-10, "Bitcoin Core is in initial sync and waiting for blocks...");
        }
        if ("proposal".equals(req.path("mode").asText("")))
        {
            return proposal(req.path("data").asText(""));
        }
        final String longPollId = req.path("longpollid").asText("");
        synchronized (this)
        {
            if (!longPollId.isEmpty())
            {
                longPollCalls.incrementAndGet();
                while ((holdLongPollsForever || longPollId.equals(template.get("longpollid").asText())) && isOpen())
                {
                    try
                    {
                        wait(1000);
                    }
                    catch (final InterruptedException ie)
                    {
                        throw new RpcError(-9, "Shutting down");
                    }
                }
            }
            final ObjectNode out = template.deepCopy();
            if (mode == Mode.BAD_TRANSACTION)
            {
                final ArrayNode txs = out.withArray("transactions");
                final ObjectNode bad = txs.addObject();
                bad.put("data", "0200000001deadbeef");
                bad.put("txid", "00".repeat(32));
                bad.putArray("depends");
            }
            recordedTemplates.add(out);
            return out;
        }
    }

    private synchronized JsonNode rawMempool(final boolean verbose)
    {
        mempoolCalls.incrementAndGet();
        if (!verbose)
        {
            final ArrayNode a = MAPPER.createArrayNode();
            mempool.keySet().forEach(a::add);
            return a;
        }
        final ObjectNode o = MAPPER.createObjectNode();
        for (final Map.Entry<String, String[]> e : mempool.entrySet())
        {
            final ObjectNode entry = o.putObject(e.getKey());
            entry.put("vsize", e.getValue()[1].length() / 2);
            entry.put("wtxid", e.getValue()[0]);
            entry.putArray("depends");
        }
        return o;
    }

    private synchronized JsonNode rawTransaction(final String txid) throws RpcError
    {
        rawTransactionCalls.incrementAndGet();
        final String[] e = mempool.get(txid);
        if (e == null)
        {
            throw new RpcError(-5, "No such mempool transaction. Use -txindex or provide a block hash to enable " +
                "blockchain transaction queries. Use gettransaction for wallet transactions.");
        }
        return MAPPER.getNodeFactory().textNode(e[1]);
    }

    /** BIP23 proposal: the block checked as submitblock checks it, without proof of work; null when valid. */
    private JsonNode proposal(final String hex) throws RpcError
    {
        proposals.incrementAndGet();
        final Block block;
        try
        {
            block = Block.parse(Hex.decode(hex));
        }
        catch (final RuntimeException e)
        {
            throw new RpcError(-22, "Block decode failed");
        }
        String reason;
        synchronized (this)
        {
            reason = check(block, Sha256d.hash(block.header()), false);
            for (int i = 1; reason == null && i < block.transactions().size(); i++)
            {
                if (!validTxids.contains(HashOrder.toDisplayHex(block.transactions().get(i).txid())))
                {
                    reason = "bad-txns-inputs-missingorspent";
                }
            }
        }
        if (reason != null)
        {
            proposalRejects.merge(reason, 1L, Long::sum);
            return MAPPER.getNodeFactory().textNode(reason);
        }
        return MAPPER.nullNode();
    }

    private boolean isOpen()
    {
        try
        {
            server.getAddress();
            return !zmqContext.isClosed();
        }
        catch (final RuntimeException e)
        {
            return false;
        }
    }

    private JsonNode submitBlock(final JsonNode params) throws RpcError
    {
        final String hex = params.path(0).asText("");
        submittedHex.add(hex);
        final Block block;
        try
        {
            block = Block.parse(Hex.decode(hex));
        }
        catch (final RuntimeException e)
        {
            throw new RpcError(-22, "Block decode failed");
        }
        final byte[] hash = Sha256d.hash(block.header());
        synchronized (this)   // checked and connected in one step: a second submission of it is a duplicate
        {
            final String reason = check(block, hash, true);
            if (reason != null)
            {
                rejectReasons.merge(reason, 1L, Long::sum);
                return MAPPER.getNodeFactory().textNode(reason);
            }
            connecting();
            acceptedHex.add(hex);
            for (int i = 1; i < block.transactions().size(); i++)
            {
                mempool.remove(HashOrder.toDisplayHex(block.transactions().get(i).txid()));
            }
            advanceTip(hash);
        }
        publishHashblock(hash);
        return MAPPER.nullNode();
    }

    /** How long a valid block takes to connect after its checks (0: at once); bitcoind holds cs_main meanwhile. */
    public volatile long connectDelayMs;

    private void connecting()
    {
        final long ms = connectDelayMs;
        if (ms > 0)
        {
            try
            {
                Thread.sleep(ms);
            }
            catch (final InterruptedException ie)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** bitcoind's checks of a block on our tip (CheckBlock / ContextualCheckBlock subset); null when valid. */
    private String check(final Block block, final byte[] hash, final boolean pow)
    {
        final byte[] header = block.header();
        if (pow && knownBlocks.contains(HashOrder.toDisplayHex(hash)))
        {
            return "duplicate";
        }
        final int headerBits = (header[72] & 0xff) | (header[73] & 0xff) << 8 | (header[74] & 0xff) << 16 |
            (header[75] & 0xff) << 24;
        final long time = (header[68] & 0xffL) | (header[69] & 0xffL) << 8 | (header[70] & 0xffL) << 16 |
            (header[71] & 0xffL) << 24;
        if (!Arrays.equals(Arrays.copyOfRange(header, 4, 36), tip))
        {
            return knownBlocks.contains(HashOrder.toDisplayHex(Arrays.copyOfRange(header, 4, 36)))
                ? "inconclusive-not-best-prevblk" : "prev-blk-not-found";
        }
        if (headerBits != easyBits)
        {
            return "bad-diffbits";
        }
        final BigInteger target = new BigInteger(template.get("target").asText(), 16);
        if (pow && new BigInteger(1, HashOrder.reversed(hash)).compareTo(target) > 0)
        {
            return "high-hash";
        }
        if (time < template.path("mintime").asLong())
        {
            return "time-too-old";
        }
        final List<Transaction> txs = block.transactions();
        if (!txs.get(0).isCoinbase())
        {
            return "bad-cb-missing";
        }
        for (int i = 1; i < txs.size(); i++)
        {
            if (txs.get(i).isCoinbase())
            {
                return "bad-cb-multiple";
            }
        }
        if (!Arrays.equals(block.computeMerkleRoot(), Arrays.copyOfRange(header, 36, 68)))
        {
            return "bad-txnmrklroot";
        }
        final Transaction coinbase = txs.get(0);
        try
        {
            if (Bip34Height.decode(coinbase.inputs().get(0).scriptSig()) != height)
            {
                return "bad-cb-height";
            }
        }
        catch (final RuntimeException e)
        {
            return "bad-cb-height";
        }
        long out = 0;
        for (final TxOut o : coinbase.outputs())
        {
            out += o.valueSats();
        }
        // the template's transactions pay its fees; the coinbase may claim no more than coinbasevalue
        if (out > template.get("coinbasevalue").asLong())
        {
            return "bad-cb-amount";
        }
        return checkWitness(block);
    }

    private static String checkWitness(final Block block)
    {
        boolean anyWitness = false;
        for (final Transaction tx : block.transactions())
        {
            anyWitness |= tx.hasWitness();
        }
        final Transaction coinbase = block.transactions().get(0);
        byte[] found = null;
        for (final TxOut o : coinbase.outputs())
        {
            final byte[] s = o.scriptPubKey();
            if (s.length >= 38 && s[0] == 0x6a && s[1] == 0x24 && (s[2] & 0xff) == 0xaa && (s[3] & 0xff) == 0x21 &&
                (s[4] & 0xff) == 0xa9 && (s[5] & 0xff) == 0xed)
            {
                found = Arrays.copyOfRange(s, 6, 38);   // the last one counts (BIP141)
            }
        }
        if (found == null)
        {
            return anyWitness ? "unexpected-witness" : null;
        }
        final List<byte[]> w = coinbase.inputs().get(0).witness();
        if (w.size() != 1 || w.get(0).length != 32)
        {
            return "bad-witness-nonce-size";
        }
        return Arrays.equals(found, block.computeWitnessCommitment()) ? null : "bad-witness-merkle-match";
    }
}
