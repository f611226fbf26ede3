package org.bitcoincommons.sv2.jd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.config.JdsConfig;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.TcpServer;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job Declaration Server (sv2-spec commit {@code 0f38d51}): Noise NX with the pool's authority keys, then the Job
 * Declaration protocol on each connection ({@link JdsConnection}), a mempool view kept fresh by polling the node, and a
 * janitor for expired tokens. The tokens it issues are the ones the pool's mining side takes in SetCustomMiningJob.
 */
public final class JobDeclarationServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JobDeclarationServer.class);
    /** The janitor's period (SRI: 10 s). */
    static final long JANITOR_MS = 10_000;

    final JdsConfig config;
    final NoiseConfig noise;
    final JdNode node;
    final Mempool mempool;
    final JobTokens tokens;
    final Supplier<ChainTip> tip;
    final EpochClock clock;
    final byte[] payoutScript;
    final int maxPayloadBytes;
    private final Set<JdsConnection> connections = ConcurrentHashMap.newKeySet();
    private TcpServer tcp;
    private Thread poller;
    private volatile boolean running;
    /** The merged-mining outputs of the allocate reply (NONE: the payout output alone). */
    volatile Supplier<List<TxOut>> customJobOutputs = List::of;
    private org.bitcoincommons.sv2.transport.ConnectionLimits limits =
        org.bitcoincommons.sv2.transport.ConnectionLimits.none();

    /** Counters, for tests, the API and the README's numbers. */
    public final LongAdder tokensAllocated = new LongAdder();
    public final LongAdder jobsDeclared = new LongAdder();
    public final LongAdder missingRequested = new LongAdder();
    public final LongAdder solutionsPushed = new LongAdder();
    public final LongAdder blocksAccepted = new LongAdder();
    public final Map<String, AtomicLong> declareErrors = new ConcurrentHashMap<>();

    /**
     * @param payoutScript the pool's payout scriptPubKey, sent in AllocateMiningJobToken.Success and required paid
     * @param tip          the current chain tip (null until the pool has one)
     */
    public JobDeclarationServer(final JdsConfig config, final NoiseConfig noise, final JdNode node,
        final byte[] payoutScript, final Supplier<ChainTip> tip, final JobTokens tokens, final EpochClock clock,
        final int maxPayloadBytes)
    {
        this.config = config;
        this.noise = noise;
        this.node = node;
        this.mempool = new Mempool(node);
        this.payoutScript = payoutScript.clone();
        this.tip = tip;
        this.tokens = tokens;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Per-address and unauthenticated-connection limits (the pool's, shared with its listeners); before start. */
    public synchronized JobDeclarationServer limits(final org.bitcoincommons.sv2.transport.ConnectionLimits l)
    {
        this.limits = l;
        return this;
    }

    /**
     * Where AllocateMiningJobToken.Success gets the outputs it lists after the pool's payout output: the merged-mining
     * layer's commitments for custom jobs (the AuxPoW carrier and the RSK output); before start.
     */
    public synchronized JobDeclarationServer customJobOutputs(final Supplier<List<TxOut>> outputs)
    {
        this.customJobOutputs = outputs;
        return this;
    }

    public synchronized void start() throws IOException
    {
        running = true;
        tcp = new TcpServer("jds", config.listenAddr(), 10_000, (socket, id) ->
        {
            final JdsConnection c = new JdsConnection(id, new TcpStream(socket), this, () -> tcp.authenticated(id));
            connections.add(c);
            try
            {
                c.serve();
            }
            finally
            {
                connections.remove(c);
                tokens.connectionClosed(id);
            }
        }).limits(limits);
        tcp.start();
        poller = Thread.ofVirtual().name("jds-mempool").start(this::pollLoop);
        LOG.info("Job Declaration Server listening on {} (mode {}, Noise NX)", tcp.localAddress(), config.mode());
    }

    public InetSocketAddress localAddress()
    {
        return tcp.localAddress();
    }

    public Mempool mempool()
    {
        return mempool;
    }

    public JobTokens tokens()
    {
        return tokens;
    }

    void countError(final String code)
    {
        declareErrors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    private void pollLoop()
    {
        long nextSweep = clock.time() + JANITOR_MS;
        boolean warned = false;
        while (running)
        {
            try
            {
                mempool.refresh();
                warned = false;
            }
            catch (final JdNode.NodeException ex)
            {
                if (!warned)
                {
                    LOG.warn("jds: cannot read the node's mempool: {}", ex.getMessage());
                    warned = true;
                }
            }
            final long now = clock.time();
            if (now >= nextSweep)
            {
                tokens.sweep(now);
                nextSweep = now + JANITOR_MS;
            }
            try
            {
                Thread.sleep(config.mempoolPollMs());   // the polling period, not a synchronisation
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    @Override
    public synchronized void close()
    {
        running = false;
        if (poller != null)
        {
            poller.interrupt();
        }
        if (tcp != null)
        {
            tcp.close();
        }
        for (final JdsConnection c : connections)
        {
            c.close();
        }
    }
}
