package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.Job;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.revenue.JournalMergeAccounting;
import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.template.FailoverSource;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.bitcoincommons.sv2.template.TemplateSources;
import org.bitcoincommons.sv2.template.tdp.TemplateProviderServer;
import org.bitcoincommons.sv2.transport.TcpServer;
import org.bitcoincommons.sv2.work.WorkLayer;
import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool role, assembled from its configuration: journal (replayed at start), hashing backend, share ring and
 * logic thread, template source, block submitter, and the SV2 TCP listener. {@link #start()} then {@link #close()}.
 */
public final class PoolServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PoolServer.class);
    private static final long TICK_MS = 1000;

    private final EngineConfig config;
    private final EpochClock clock;
    private final PoolMetrics metrics = new PoolMetrics();
    /** Handshake and setup failures: counted, logged once per state change (10 s without one ends an episode). */
    private final PreAuthLog preAuthLog = new PreAuthLog(10_000);
    private final MiningFrames logicFrames = new MiningFrames();
    private final NoiseConfig noise;
    private final String authorityPublicKey;
    private final long startMs;

    private Journal journal;
    private JournalAccounting accounting;
    private HashBackend hash;
    private PoolLogic logic;
    private SharePipeline<MiningDownstream, Job> pipeline;
    private final Network network;
    private EmbeddedChain chain;
    private FailoverSource source;
    private java.util.function.Function<java.util.List<TemplateSource>, TemplateSource> sourceReplacement;
    private TemplateProviderServer templateProvider;
    /** The Job Declaration Server ({@code [jds]}) and the tokens it shares with the mining side; null when off. */
    private org.bitcoincommons.sv2.jd.JobDeclarationServer jds;
    private org.bitcoincommons.sv2.jd.JobTokens jobTokens;
    private JobFactory jobs;
    private BlockSubmitter submitter;
    private final WorkLayerFactory layerFactory;
    private WorkLayer merge;
    private RewardRecorder rewards;
    private volatile Template lastTemplate;
    private TcpServer tcp;
    /** The event loops that serve SV2 TCP connections ({@code [pool] io_loops}); null: a thread per direction. */
    private org.bitcoincommons.sv2.transport.IoLoop[] ioLoops;
    /** The curve work of handshakes done on the loops (with ioLoops). */
    private org.bitcoincommons.sv2.noise.ResponderWorkers responderWorkers;
    /** The native AEAD contexts of the connections on the event loops: off the heap, reused (null without loops). */
    private org.bitcoincommons.sv2.crypto.CipherContexts cipherContexts;
    private org.bitcoincommons.sv2.noise.PreparedKeys preparedKeys;
    private org.bitcoincommons.sv2.transport.QuicServer quic;
    /** Connections and bytes per SV2 transport, for /api/status and /metrics. */
    private final org.bitcoincommons.sv2.transport.TransportStats tcpStats =
        new org.bitcoincommons.sv2.transport.TransportStats("tcp");
    private final org.bitcoincommons.sv2.transport.TransportStats quicStats =
        new org.bitcoincommons.sv2.transport.TransportStats("quic");
    private org.bitcoincommons.sv2.sv1.Sv1Server sv1;
    /** Per-address and pool-wide connection limits, shared by the SV2 and SV1 listeners. */
    private org.bitcoincommons.sv2.transport.ConnectionLimits connectionLimits;
    /** Null unless [stratum_v2.admission] paces the SV2 TCP listener's admissions. */
    private volatile org.bitcoincommons.sv2.transport.AdmissionControl admission;
    /** The latest parent and aux blocks and their status ({@code /api/blocks}). */
    private final RecentBlocks recentBlocks = new RecentBlocks();
    private Thread ticker;
    private volatile boolean running;
    private volatile PoolStatus status = PoolStatus.EMPTY;
    private final ArrayDeque<double[]> hashrateWindow = new ArrayDeque<>();
    private final java.util.Set<PoolConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** What the SV2 TCP server hears of each of its connections' lives: one object for all of them. */
    private final PoolConnection.Owner tcpOwner = new PoolConnection.Owner()
    {
        @Override
        public void setUp(final PoolConnection c)
        {
            tcp.authenticated(c.id());
        }

        @Override
        public void firstChannel(final PoolConnection c)
        {
            tcp.admitted(c.id());
        }

        @Override
        public void detached(final PoolConnection c)
        {
            tcp.detach(c.id());
        }

        @Override
        public void released(final PoolConnection c)
        {
            tcp.release(((org.bitcoincommons.sv2.transport.TcpStream)c.stream()).socket(), c.id());
        }

        @Override
        public void ended(final PoolConnection c)
        {
            connections.remove(c);
            tcpStats.connectionsClosed.increment();
        }
    };
    /** Cluster frontend: where accounting events are replicated, and the acknowledgements that wait for it. */
    private AccountingSink replication;
    private PendingAcks pendingAcks;
    /** The embedding API's hooks (lifecycle observer, journal tail); NONE when the pool runs alone. */
    private Hooks hooks = Hooks.NONE;

    /**
     * Where an embedding application (the public engine API) attaches: told when the journal is open (after replay,
     * before anything is appended), of every journaled share batch, of connections and channels, and just before
     * the journal closes. Every method but {@link #journalClosing()} runs on a pool thread and must not block.
     */
    public interface Hooks
    {
        Hooks NONE = new Hooks()
        {
        };

        /** The journal is open and replayed into {@code replayed}; nothing new has been appended yet. */
        default void journalOpened(final Journal journal, final AccountingState replayed)
        {
        }

        /** Observer of journaled share batches (logic thread), or null. */
        default JournalAccounting.BatchObserver batchObserver()
        {
            return null;
        }

        /** Observer of connections and channels (logic thread). */
        default PoolEvents events()
        {
            return PoolEvents.NONE;
        }

        /** The ring is drained and every event journaled; the journal closes when this returns. */
        default void journalClosing()
        {
        }
    }

    /** Attaches the embedding API's hooks; call before {@link #start()}. */
    public synchronized PoolServer hooks(final Hooks h)
    {
        this.hooks = h == null ? Hooks.NONE : h;
        return this;
    }

    /**
     * @param config the engine configuration
     * @param layers makes the merged-mining layer the configuration asks for (e.g. the merge package's
     *               {@code MergeMiningCoordinator.FACTORY}); {@link WorkLayerFactory#NONE} for none
     */
    public PoolServer(final EngineConfig config, final WorkLayerFactory layers)
    {
        this(config, SystemEpochClock.INSTANCE, layers);
    }

    public PoolServer(final EngineConfig config, final EpochClock clock, final WorkLayerFactory layers)
    {
        this.config = config;
        this.layerFactory = layers;
        this.clock = clock;
        this.startMs = clock.time();
        this.network = Network.of(config.template().network());
        final var nc = config.stratumV2().noise();
        final byte[] secret;
        if (nc.hasKeys())
        {
            try
            {
                secret = AuthorityKeys.decodeSecret(nc.authoritySecretKey());
                final byte[] pub = AuthorityKeys.decodePublic(nc.authorityPublicKey());
                if (!java.util.Arrays.equals(pub, AuthorityKeys.publicOf(secret)))
                {
                    throw new ConfigException("stratum_v2.noise.authority_public_key: does not belong to authority_secret_key");
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("stratum_v2.noise: " + ex.getMessage(), ex);
            }
        }
        else
        {
            secret = AuthorityKeys.generateSecret(new SecureRandom());
        }
        this.authorityPublicKey = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        if (!nc.hasKeys())
        {
            LOG.warn("no [stratum_v2.noise] authority keys configured: using an ephemeral authority {} " +
                "(miners must be given this key; set keys from `bin/sv2 keys generate` for production)", authorityPublicKey);
        }
        this.noise = new NoiseConfig()
            .authoritySecretKey(secret)
            .authorityPublicKey(AuthorityKeys.publicOf(secret))
            .certValiditySec(nc.certValiditySec())
            .staticKeyRotationSec(nc.staticKeyRotationSec())
            .handshakeTimeoutMs(config.stratumV2().handshakeTimeoutMs())
            .handshakeConcurrency(nc.effectiveHandshakeConcurrency());
    }

    /**
     * Makes this pool a frontend of a replicated accounting log ({@code [cluster] role = "frontend"}): every accounting
     * event also goes to {@code accountingSink}, and a share is acknowledged only once its batch is committed there
     * (at most {@code [cluster] ack_timeout_ms}; then the connection is closed unacknowledged). Call before start.
     */
    public synchronized PoolServer accountingSink(final AccountingSink accountingSink)
    {
        this.replication = accountingSink;
        return this;
    }

    /**
     * Replaces the configured template sources by the one {@code replacement} makes of them (they are made, not
     * started; {@code [cluster] templates = "cluster"} on a frontend: the cluster's templates, blocks submitted to the
     * configured node). Call before start.
     */
    public synchronized PoolServer templateSources(
        final java.util.function.Function<java.util.List<TemplateSource>, TemplateSource> replacement)
    {
        this.sourceReplacement = replacement;
        return this;
    }

    /** Starts every part; returns once the listener is bound. */
    public synchronized void start() throws IOException
    {
        final var pc = config.pool();
        final int prepared = config.stratumV2().noise().preparedEphemeralKeys();
        if (prepared > 0 && preparedKeys == null)
        {
            preparedKeys = new org.bitcoincommons.sv2.noise.PreparedKeys(
                org.bitcoincommons.sv2.noise.HandshakeRandom.secure(new SecureRandom()), prepared);
            noise.random(preparedKeys);
        }
        journal = Journal.open(pc.journalDir());
        final AccountingState state = new AccountingState();
        try (JournalReader r = journal.reader())
        {
            final long n = r.readAll(new org.bitcoincommons.sv2.journal.TeeListener(state, recentBlocks));
            if (n > 0)
            {
                LOG.info("journal {}: replayed {} events ({} shares accepted, {} blocks found)", pc.journalDir(), n,
                    state.sharesAccepted(), state.toMap().get("blocks_found"));
            }
        }
        hooks.journalOpened(journal, state);
        accounting = new JournalAccounting(journal.writer(), state, clock, replication).observe(recentBlocks);
        accounting.batchObserver(hooks.batchObserver());
        hash = HashBackends.create(pc.hashImpl());
        LOG.info("share hashing: {} ({} kernel; library {})", hash.impl(), hash.kernel(),
            HashBackends.libraryPath().map(Object::toString).orElse("not loaded"));

        connectionLimits = new org.bitcoincommons.sv2.transport.ConnectionLimits(pc.maxConnectionsPerIp(),
            pc.connectRatePerIp(), pc.connectBurstPerIp(), pc.maxUnauthenticated());
        final byte[] payout = payoutScript();
        java.util.List<TemplateSource> sources = TemplateSources.create(config, payout, clock);
        if (sourceReplacement != null)
        {
            sources = java.util.List.of(sourceReplacement.apply(sources));
        }
        for (final TemplateSource s : sources)
        {
            if (s instanceof EmbeddedChain e)
            {
                chain = e;
                if (network != Network.REGTEST)
                {
                    LOG.warn("template.sources: the embedded chain is regtest-like; blocks found on it are worth nothing "
                        + "on {} (it only keeps miners working while the sources before it are down)",
                        config.template().network());
                }
            }
        }
        source = new FailoverSource(sources, clock);
        // Rewards, fees, distributions and aux outcomes are journaled on the logic thread, after the pending shares.
        final JournalMergeAccounting rewardAccounting = new JournalMergeAccounting(task -> pipeline.execute(task),
            accounting.writer(), accounting.listener(), clock);
        submitter = new BlockSubmitter(source, metrics, this::blockAccepted, this::blockRejected);
        BlockSink sink = submitter;
        JobFactory.Decorator decorator = t -> JobFactory.Decoration.NONE;
        try
        {
            merge = layerFactory.create(config, network, rewardAccounting, this::refreshJobs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ex.getMessage(), ex);
        }
        if (merge != null)
        {
            sink = merge.blockSink(submitter);
            decorator = merge;
            rewards = merge.recorder();
        }
        else
        {
            if (config.stratumV2().mergeMiningEnabled() && !config.merge().enabled(config.stratumV2()).isEmpty())
            {
                throw new ConfigException("stratum_v2.merge_mining_enabled: merged mining is configured, but this pool "
                    + "was assembled without a merged-mining layer");
            }
            rewards = new RewardRecorder(rewardAccounting, config.stratumV2().mergeMiningFee());
        }
        logic = new PoolLogic(accounting, hash, sink, clock, pc.sharesPerMinute(), pc.extranonceSize(),
            pc.maxBatch(), pc.duplicateWindow(), pc.minHashrate()).maxChannelsPerConnection(pc.maxChannelsPerConnection())
            .maxChannelsWithoutShares(pc.maxChannelsWithoutShares()).events(hooks.events());
        if (merge != null)
        {
            // The merged-mining account extension (0x4D4D) is offered whenever aux chains are merge-mined.
            final WorkLayer layer = merge;
            final RewardRecorder recorder = rewards;
            logic.mergeMiningAccounts(new MergeMiningAccounts(layer::chainNames, recorder::totalRewards,
                recorder::blocks));
        }
        jobs = new JobFactory(payout, pc.poolSignature().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            logic.extranonceLength(), decorator);
        logic.jobIds(jobs::allocateJobId);
        if (config.jds().enabled())
        {
            jobTokens = new org.bitcoincommons.sv2.jd.JobTokens(config.jds().tokenLifetimeSec() * 1000,
                config.jds().declaredTokenLifetimeMs());
            logic.customJobs(jobTokens, payout,
                merge != null ? merge : org.bitcoincommons.sv2.work.CustomJobWork.NONE);
        }
        final boolean loopsServeTcp = config.stratumV2().enabled() && config.stratumV2().tcpEnabled() && pc.ioLoops() > 0;
        String waitStrategy = pc.waitStrategy();
        if (SharePipeline.POLLED.equals(waitStrategy) && !loopsServeTcp)
        {
            LOG.warn("[pool] wait_strategy = \"loop\" needs an event loop serving SV2 TCP (io_loops >= 1): the logic gets a thread of its own (parking)");
            waitStrategy = "parking";
        }
        pipeline = new SharePipeline<>(pc.ringSize(), waitStrategy, new PoolEventProcessor(logic, this::onTick, metrics.shareToAckQueued));
        if (replication != null)
        {
            pendingAcks = new PendingAcks(replication, task -> pipeline.execute(task),
                config.cluster().ackTimeoutMs() * 1_000_000L, 1 << 16, metrics.ackHeldForCommit);
            logic.shares().holdAcknowledgements(pendingAcks);
            replication.onCommit(pendingAcks::wakeUp);
        }
        pipeline.start();
        running = true;
        if (merge != null)
        {
            merge.start();
            LOG.info("merge-mining {} aux chain(s)", merge.chainCount());
        }
        source.start(this::onTemplate);

        if (config.stratumV2().enabled() && config.stratumV2().quicEnabled())
        {
            startQuic();
        }
        if (config.stratumV2().enabled() && config.stratumV2().tcpEnabled())
        {
            final int loopCount = pc.ioLoops();
            if (loopCount > 0)
            {
                ioLoops = new org.bitcoincommons.sv2.transport.IoLoop[loopCount];
                for (int i = 0; i < loopCount; i++)
                {
                    ioLoops[i] = new org.bitcoincommons.sv2.transport.IoLoop("sv2-io-" + i,
                        (pc.maxConnections() + loopCount - 1) / loopCount, i == 0 && pipeline.polled() ? logicDuty(pipeline) : null);
                }
                if (pipeline.polled())
                {
                    pipeline.waker(ioLoops[0]::wake);
                    ioLoops[0].wake();   // what was published before the loop existed
                    LOG.info("the pool logic runs on event loop sv2-io-0 ([pool] wait_strategy = \"loop\")");
                }
                responderWorkers = new org.bitcoincommons.sv2.noise.ResponderWorkers(noise, noise.handshakeConcurrency());
                cipherContexts = new org.bitcoincommons.sv2.crypto.CipherContexts(2 * pc.maxConnections());
                LOG.info("SV2 connections run on {} event loop(s), handshakes' curve work on {} thread(s)", loopCount,
                    responderWorkers.threads());
            }
            tcp = new TcpServer("sv2", config.stratumV2().listenAddr(), pc.maxConnections(), (socket, id) ->
            {
                final PoolConnection c = new PoolConnection(id, new org.bitcoincommons.sv2.transport.TcpStream(socket, tcpStats, ioLoops != null), pipeline, noise, pc.outboundQueueBytes(),
                    config.stratumV2().maxPayloadBytes(org.bitcoincommons.sv2.codec.common.CommonProtocol.PROTOCOL_MINING),
                    metrics, logicFrames, preAuthLog);
                c.owner(tcpOwner);
                c.workSelection(jobTokens != null ? logic : null);
                c.mergeMiningAccounts(logic.mergeMiningAccounts() != null ? logic : null);
                if (ioLoops != null)
                {
                    c.ioLoop(ioLoops[(int)(id % ioLoops.length)]);
                }
                connections.add(c);
                tcpStats.connectionsOpened.increment();
                if (responderWorkers != null)
                {
                    c.serveOnLoop(responderWorkers, cipherContexts);
                }
                else
                {
                    c.serve();
                }
            }, ioLoops != null).limits(connectionLimits).inlineHandler(ioLoops != null);
            admission = admissionControl(config.stratumV2());
            if (admission != null)
            {
                tcp.admission(admission);
                LOG.info("SV2 admissions paced: {}", config.stratumV2().admission());
            }
            tcp.start();
            LOG.info("SV2 pool listening on {} (Noise NX, authority {})", tcp.localAddress(), authorityPublicKey);
        }
        if (jobTokens != null)
        {
            jds = new org.bitcoincommons.sv2.jd.JobDeclarationServer(config.jds(),
                new NoiseConfig().authoritySecretKey(noise.authoritySecretKey())
                    .certValiditySec(noise.certValiditySec()).staticKeyRotationSec(noise.staticKeyRotationSec())
                    .handshakeTimeoutMs(noise.handshakeTimeoutMs()),
                new org.bitcoincommons.sv2.jd.BitcoindJdNode(config.template().bitcoind()), payout, this::chainTip,
                jobTokens, clock, config.stratumV2().maxPayloadBytes(
                    org.bitcoincommons.sv2.codec.common.CommonProtocol.PROTOCOL_JOB_DECLARATION)).limits(connectionLimits)
                .customJobOutputs(merge == null ? java.util.List::of : () -> merge.customJobOutputs().stream()
                    .map(o -> new org.bitcoincommons.sv2.bitcoin.TxOut(o.valueSats(), o.scriptPubKey())).toList());
            jds.start();
            LOG.info("Job Declaration Server listening on {} (Noise NX, authority {})", jds.localAddress(),
                authorityPublicKey);
        }
        if (config.sv1().enabled())
        {
            sv1 = new org.bitcoincommons.sv2.sv1.Sv1Server(config.sv1(), pipeline, logic, pc.outboundQueueBytes(),
                connectionLimits);
            sv1.start();
        }
        if (config.templateProvider().enabled())
        {
            templateProvider = new TemplateProviderServer(chain, config.templateProvider().listenAddr(),
                new NoiseConfig().authoritySecretKey(noise.authoritySecretKey())
                    .certValiditySec(noise.certValiditySec()).staticKeyRotationSec(noise.staticKeyRotationSec())
                    .handshakeTimeoutMs(noise.handshakeTimeoutMs()),
                clock, pc.maxConnections())
                .limits(config.stratumV2().maxPayloadBytes(
                    org.bitcoincommons.sv2.codec.common.CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION),
                    config.stratumV2().frameDeadlineMs());
            templateProvider.start();
            LOG.info("Template Provider (SV2 Template Distribution) listening on {} (Noise NX, authority {})",
                templateProvider.localAddress(), authorityPublicKey);
        }
        ticker = Thread.ofPlatform().daemon().name("sv2-ticker").start(this::tickLoop);
    }

    /** The QUIC listener (issue 16): one QuicPoolConnection per connection, one stream per channel. */
    private void startQuic() throws IOException
    {
        final org.bitcoincommons.sv2.config.StratumV2Config.Quic q = config.stratumV2().quic();
        final org.bitcoincommons.sv2.transport.QuicTls tls = org.bitcoincommons.sv2.transport.QuicTls.loadOrCreate(
            java.nio.file.Path.of(q.tlsKeyPath()), java.nio.file.Path.of(q.tlsCertPath()));
        final byte[] prologue = tls.fingerprint();
        final int maxPayload = config.stratumV2().maxPayloadBytes(
            org.bitcoincommons.sv2.codec.common.CommonProtocol.PROTOCOL_MINING);
        quic = new org.bitcoincommons.sv2.transport.QuicServer(q.listenAddr(), QUIC_ALPN, tls,
            new org.bitcoincommons.sv2.transport.QuicServer.Limits(config.pool().maxConnections(), q.maxStreams(),
                q.idleTimeoutSeconds(), q.streamBufferBytes(), Math.max(q.streamBufferBytes() * 4, 1 << 20)),
            quicStats, (peer, stream, first) -> QuicPoolConnection.serve(peer, stream, first,
                () -> new QuicPoolConnection(peer, pipeline, noise, prologue, config.pool().outboundQueueBytes(),
                    maxPayload, metrics, logicFrames, preAuthLog)
                    .workSelection(jobTokens != null ? logic : null)
                    .mergeMiningAccounts(logic.mergeMiningAccounts() != null ? logic : null)));
        quic.start();
        LOG.info("SV2 pool listening on QUIC {} (ALPN {}, Noise NX bound to the TLS certificate, authority {})",
            quic.localAddress(), QUIC_ALPN, authorityPublicKey);
    }

    /** The ALPN of SV2 over QUIC. */
    public static final String QUIC_ALPN = "sv2";

    /** The QUIC endpoint's address, or null when QUIC is off. */
    /** Connections subscribed to their merged-mining account (extension 0x4D4D); 0 when it is not offered. */
    public int mergeMiningAccountSubscribers()
    {
        final MergeMiningAccounts a = logic == null ? null : logic.mergeMiningAccounts();
        return a == null ? 0 : a.subscribers();
    }

    /** The aux chains merge-mined now, index to name (empty without merged mining). */
    public Map<Integer, String> mergeMiningChains()
    {
        return merge == null ? Map.of() : merge.chainNames();
    }

    public InetSocketAddress quicAddress()
    {
        return quic == null ? null : quic.localAddress();
    }

    /** Connections and bytes over TCP (SV2 only). */
    public org.bitcoincommons.sv2.transport.TransportStats tcpStats()
    {
        return tcpStats;
    }

    /** Connections, streams and bytes over QUIC. */
    public org.bitcoincommons.sv2.transport.TransportStats quicStats()
    {
        return quicStats;
    }

    private byte[] payoutScript()
    {
        return payoutScript(config);
    }

    /**
     * The coinbase's payout script {@code config} describes ({@code pool.coinbase_address}; OP_TRUE on regtest without
     * one). Also for a cluster node's template feeder, whose Template Provider is told how much room it takes.
     */
    public static byte[] payoutScript(final EngineConfig config)
    {
        final Network network = Network.of(config.template().network());
        final String address = config.pool().coinbaseAddress();
        if (address.isEmpty())
        {
            if (network != Network.REGTEST)
            {
                throw new ConfigException("pool.coinbase_address: is required on " + config.template().network() +
                    " (without it the coinbase would pay an anyone-can-spend script)");
            }
            return new byte[] {0x51};   // OP_TRUE: anyone can spend (regtest only)
        }
        try
        {
            return new AddressCodec(network, Base58::decodeCheck).scriptPubKey(address);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("pool.coinbase_address: not a " + config.template().network() + " address: " +
                ex.getMessage(), ex);
        }
    }

    /** The tip declarations are validated on: the newest template's. */
    private org.bitcoincommons.sv2.jd.ChainTip chainTip()
    {
        final Template t = lastTemplate;
        return t == null ? null : new org.bitcoincommons.sv2.jd.ChainTip(t.prevHash(), t.nbits(), t.height(),
            t.minNtime());
    }

    /** SetCustomMiningJob requests accepted since start (0 without a JDS). */
    public long customJobsAccepted()
    {
        return logic == null ? 0 : logic.customJobsAccepted();
    }

    /** SetCustomMiningJob requests refused since start. */
    public long customJobsRefused()
    {
        return logic == null ? 0 : logic.customJobsRefused();
    }

    /** Custom jobs accepted whose coinbase committed to the pool's current or previous aux work. */
    public long customJobsWithAux()
    {
        return logic == null ? 0 : logic.customJobsWithAux();
    }

    /** Custom jobs accepted, while aux chains are mined, that committed to no aux work (Bitcoin credit only). */
    public long customJobsWithoutAux()
    {
        return logic == null ? 0 : logic.customJobsWithoutAux();
    }

    /** The Job Declaration Server, or null when {@code [jds]} is off. */
    public org.bitcoincommons.sv2.jd.JobDeclarationServer jds()
    {
        return jds;
    }

    /** The merged-mining layer's aux work changed: a new job on the same template carries the new commitment. */
    private void refreshJobs()
    {
        final Template t = lastTemplate;
        if (t != null && running)
        {
            onTemplate(t, false);
        }
    }

    /**
     * Job ids must reach the logic thread in order, whichever thread (chain, aux poller) asks. Ordered by a lock of its
     * own, never this object's: {@link #start} holds this object's monitor while the template sources start, and a
     * source's thread delivering a template under the failover source's lock must not wait for it (a deadlock seen in
     * BitcoindPoolEndToEndTest).
     */
    private void onTemplate(final Template template, final boolean newTip)
    {
        synchronized (templateLock)
        {
            lastTemplate = template;
            if (merge != null && !merge.templateJobs())
            {
                return;
            }
            final Job job = jobs.create(template);
            if (merge != null)
            {
                merge.jobCreated(job);
            }
            publish(job, newTip);
        }
    }

    /**
     * Publishes a job made by the work layer rather than from a template (a Job Declaration client giving its farm the
     * upstream pool's jobs), ordered with template jobs. Its id must come from {@link #allocateJobId()}. Any thread.
     */
    public void publishJob(final Job job, final boolean newTip)
    {
        synchronized (templateLock)
        {
            if (running)
            {
                publish(job, newTip);
            }
        }
    }

    /** The next job id of the pool's increasing sequence (for {@link #publishJob}). Any thread. */
    public int allocateJobId()
    {
        return jobs.allocateJobId();
    }

    /** Under the template lock: hands the job to the logic thread. */
    private void publish(final Job job, final boolean newTip)
    {
        final long seq = pipeline.claim();
        try
        {
            final PipelineEvent<MiningDownstream, Job> e = pipeline.event(seq);
            e.type = PipelineEvent.NEW_JOB;
            e.job = job;
            e.flag = newTip;
        }
        finally
        {
            pipeline.publish(seq);
        }
    }

    private final Object templateLock = new Object();

    /**
     * A bitcoin block of ours was accepted: its coinbase value is the pool's reward, journaled (on the logic thread)
     * with the fee when enabled and the 60/25/10/5 distribution of the rest.
     */
    private void blockAccepted(final BlockCandidate candidate)
    {
        rewards.record(0, candidate.job().template().coinbaseValue(), candidate.hash());
    }

    /** No template source accepted a bitcoin block of ours: journaled (on the logic thread) with the node's reason. */
    private void blockRejected(final BlockCandidate candidate, final String reason)
    {
        pipeline.execute(() -> accounting.blockRejected(0, candidate.hash(), reason));
    }

    private void tickLoop()
    {
        final long frameDeadlineNs = config.stratumV2().frameDeadlineMs() * 1_000_000L;
        while (running)
        {
            LockSupport.parkNanos(TICK_MS * 1_000_000L);
            if (!running)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            for (final PoolConnection c : connections)
            {
                c.closeIfFrameOverdue(nowNs, frameDeadlineNs);
                c.closeIfSetupOverdue(nowNs);
            }
            preAuthLog.tick(nowNs);
            // The vardiff round, a slice per ring event: shares published meanwhile are judged between slices. One
            // slice is outstanding at a time (the count is read before each publication), so no stale slice can
            // reach the next round.
            long slices = logic.tickSlices();
            logic.requestTick();
            publishTick(PipelineEvent.TICK);
            while (running && logic.tickInProgress())
            {
                while (running && logic.tickSlices() == slices)
                {
                    LockSupport.parkNanos(20_000);
                }
                slices = logic.tickSlices();
                if (logic.tickInProgress())
                {
                    publishTick(PipelineEvent.TICK_MORE);
                }
            }
        }
    }

    private void publishTick(final int type)
    {
        final long seq = pipeline.claim();
        try
        {
            pipeline.event(seq).type = type;
        }
        finally
        {
            pipeline.publish(seq);
        }
    }

    /** On the logic thread, once per tick: snapshots for other threads. */
    private void onTick()
    {
        accounting.publishSnapshot();
        if (pendingAcks != null)
        {
            pendingAcks.tick(System.nanoTime());
        }
        final long now = clock.time();
        final AccountingState s = accounting.state();
        hashrateWindow.addLast(new double[] {now, s.shareDifficultySum()});
        while (hashrateWindow.size() > 2 && now - hashrateWindow.peekFirst()[0] > 60_000)
        {
            hashrateWindow.removeFirst();
        }
        final double[] first = hashrateWindow.peekFirst();
        final double seconds = (now - first[0]) / 1000.0;
        final double hashrate = seconds > 0 ? (s.shareDifficultySum() - first[1]) * 4294967296.0 / seconds : 0.0;
        final ShareProcessor sp = logic.shares();
        status = new PoolStatus(now, (now - startMs) / 1000,
            (tcp == null ? 0 : tcp.openConnections()) + (quic == null ? 0 : quic.openConnections())
                + (sv1 == null ? 0 : sv1.openConnections()),
            logic.channelCount(), sp.accepted(), sp.rejected(), sp.blocks(), metrics.blocksAccepted.sum(),
            metrics.blocksRejected.sum(), source.tipHeight(), hashrate, s.events());
    }

    /**
     * Sends Reconnect to every connected miner (an empty host or port 0 means "the same"): how an operator moves
     * miners to another pool instance. Miners validate the new server against the same authority key.
     *
     * @return how many connections were asked
     */
    public int reconnectAll(final String host, final int port)
    {
        int n = 0;
        for (final PoolConnection c : connections)
        {
            c.reconnect(host, port);
            n++;
        }
        if (sv1 != null)
        {
            n += sv1.reconnectAll(host, port);
        }
        LOG.info("asked {} connection(s) to reconnect to {}:{}", n, host.isEmpty() ? "(same host)" : host, port);
        return n;
    }

    /**
     * Gives channel {@code channelId} a fresh extranonce prefix (SetExtranoncePrefix), then a new job on the current
     * template so that its miner has work under the new prefix at once. Runs on the logic thread, in ring order.
     *
     * @return the new prefix, or empty when no open channel has that id
     */
    public java.util.Optional<byte[]> setExtranoncePrefix(final int channelId) throws InterruptedException
    {
        final java.util.concurrent.CompletableFuture<byte[]> done = new java.util.concurrent.CompletableFuture<>();
        pipeline.execute(() -> done.complete(logic.setExtranoncePrefix(channelId)));
        final byte[] prefix;
        try
        {
            prefix = done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            throw new IllegalStateException("the logic thread did not answer: " + ex, ex);
        }
        if (prefix != null)
        {
            LOG.info("channel {}: new extranonce prefix {}", channelId, java.util.HexFormat.of().formatHex(prefix));
            refreshJobs();
        }
        return java.util.Optional.ofNullable(prefix);
    }

    /** The acknowledgements waiting for the cluster (frontend role), or null in a single process. */
    public PendingAcks pendingAcks()
    {
        return pendingAcks;
    }

    public PoolStatus status()
    {
        return status;
    }

    public PoolMetrics metrics()
    {
        return metrics;
    }

    /** Connections the pool logic closed after an exception in their work (each logged with its reason). */
    /** Frames received: ended connections' counts plus each live TCP connection's own (no shared counter per frame). */
    public long framesIn()
    {
        long n = metrics.framesIn.sum();
        for (final PoolConnection c : connections)
        {
            n += c.framesIn();
        }
        return n;
    }

    /** CPU time the pool logic thread has used, in nanoseconds (-1 where the JVM cannot tell). */
    public long logicCpuNs()
    {
        return pipeline.consumerCpuNs();
    }

    /** Times a connection found the share ring full and stopped reading until it had room. */
    public long ringFullWaits()
    {
        return pipeline.fullWaits();
    }

    public long logicFaults()
    {
        return logic == null ? 0 : logic.faults();
    }

    /**
     * Accounting totals as of the last tick, or the final ones once {@link #close()} has returned ({@code bin/sv2
     * replay --json} shape).
     */
    public Map<String, Object> accounting()
    {
        return accounting.snapshot();
    }

    public InetSocketAddress sv2Address()
    {
        return tcp == null ? null : tcp.localAddress();
    }

    /** The most recent parent and aux blocks with their status, newest first. */
    public java.util.List<Map<String, Object>> recentBlocks(final int limit)
    {
        return recentBlocks.list(limit);
    }

    /**
     * Per chain (bitcoin first, then each aux chain): the live view (height, template source or node health, work age,
     * proofs) joined with the journal's totals for that chain (shares, blocks, rewards, fees, distribution).
     */
    public java.util.List<Map<String, Object>> chains()
    {
        final java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        final Map<String, Object> btc = new java.util.LinkedHashMap<>();
        btc.put("name", "bitcoin");
        btc.put("kind", "parent");
        btc.put("up", source.state().health().usable());
        btc.put("height", source.tipHeight());
        btc.put("template_source", source.activeName());
        btc.put("blocks_submitted", metrics.blocksSubmitted.sum());
        btc.put("blocks_accepted", metrics.blocksAccepted.sum());
        btc.put("blocks_rejected", metrics.blocksRejected.sum());
        btc.put("blocks_left_to_declarator", metrics.blocksLeftToDeclarator.sum());
        out.add(btc);
        if (merge != null)
        {
            out.addAll(merge.chainStatus(clock.time()));
        }
        final Object totals = accounting.snapshot().get("chains");
        for (final Map<String, Object> c : out)
        {
            final Object t = totals instanceof Map<?, ?> m ? m.get(c.get("name")) : null;
            c.put("accounting", t == null ? Map.of() : t);
        }
        return out;
    }

    /** The connection limits at accept (refusals by reason, connections still unauthenticated). */
    public org.bitcoincommons.sv2.transport.ConnectionLimits connectionLimits()
    {
        return connectionLimits;
    }

    /** The Stratum V1 endpoint's address ({@code [sv1]}), or null when it is off. */
    public InetSocketAddress sv1Address()
    {
        return sv1 == null ? null : sv1.localAddress();
    }

    /** The Stratum V1 endpoint, or null when it is off. */
    /** The responder's ephemeral keys made ahead ({@code prepared_ephemeral_keys}); null when off or before start. */
    public org.bitcoincommons.sv2.noise.PreparedKeys preparedKeys()
    {
        return preparedKeys;
    }

    /**
     * The SV2 TCP listener's admission control from {@code [stratum_v2.admission]}, or null when it paces nothing.
     * A connection waits for its turn at most {@code handshake_timeout_ms}, and holds it at most as long. The adaptive
     * mode watches the worse of the share path's two stages (share read to ack queued, ack queued to its writer).
     */
    private org.bitcoincommons.sv2.transport.AdmissionControl admissionControl(
        final org.bitcoincommons.sv2.config.StratumV2Config sc)
    {
        final org.bitcoincommons.sv2.config.AdmissionConfig ac = sc.admission();
        if (!ac.paces())
        {
            return null;
        }
        final long timeoutNs = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(sc.handshakeTimeoutMs());
        final org.bitcoincommons.sv2.transport.AdmissionControl a = new org.bitcoincommons.sv2.transport.AdmissionControl(
            new org.bitcoincommons.sv2.transport.AdmissionControl.Settings(ac.maxInFlight(), ac.ratePerSec(), ac.burst(),
                timeoutNs, timeoutNs, java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(ac.adaptiveP99Us()),
                ac.adaptiveMinRatePerSec(), java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ac.adaptiveWindowMs())),
            System::nanoTime);
        return a.startAdaptive(() -> Math.max(metrics.shareToAckQueued.windowPercentileNs(99),
            metrics.ackQueuedToWriter.windowPercentileNs(99)));
    }

    /** The SV2 TCP listener's admission control, or null when admissions are not paced. */
    public org.bitcoincommons.sv2.transport.AdmissionControl admission()
    {
        return admission;
    }

    /** SV2 TCP connections running on the event loops now ({@code [pool] io_loops}; 0 without loops). */
    public int ioLoopConnections()
    {
        return (int)sumOverLoops(org.bitcoincommons.sv2.transport.IoLoop::connections);
    }

    /**
     * Native AEAD contexts held by the connections on the event loops (two a connection, off the heap, reused); 0
     * without loops. Back to 0 when every connection has ended: more is a connection that did not give them back.
     */
    public int cipherContextsInUse()
    {
        final org.bitcoincommons.sv2.crypto.CipherContexts c = cipherContexts;
        return c == null ? 0 : c.inUse();
    }

    /** Connections on the event loops whose ciphers found no pooled context free (a context of their own instead). */
    public long cipherContextOverflows()
    {
        final org.bitcoincommons.sv2.crypto.CipherContexts c = cipherContexts;
        return c == null ? 0 : c.overflows();
    }

    /** The pool logic as the first event loop's duty: the loop polls the share ring in every pass. */
    private static org.bitcoincommons.sv2.transport.IoLoop.Duty logicDuty(final SharePipeline<MiningDownstream, Job> ring)
    {
        return new org.bitcoincommons.sv2.transport.IoLoop.Duty()
        {
            @Override
            public int doWork()
            {
                return ring.poll();
            }

            @Override
            public boolean hasWork()
            {
                return ring.hasWork();
            }

            @Override
            public void onLoopEnd()
            {
                ring.pollUntilClosed();
            }
        };
    }

    /** Times a commit, a close or (with the logic on the loop) an event for the logic woke a sleeping event loop ({@code [pool] io_loops}). */
    public long ioLoopWakeups()
    {
        return sumOverLoops(org.bitcoincommons.sv2.transport.IoLoop::wakeups);
    }

    private long sumOverLoops(final java.util.function.ToLongFunction<org.bitcoincommons.sv2.transport.IoLoop> f)
    {
        final org.bitcoincommons.sv2.transport.IoLoop[] loops = ioLoops;
        long n = 0;
        if (loops != null)
        {
            for (final org.bitcoincommons.sv2.transport.IoLoop l : loops)
            {
                n += f.applyAsLong(l);
            }
        }
        return n;
    }

    /** SV2 handshakes (TCP and QUIC) that waited for a turn ({@code handshake_concurrency}). */
    public long handshakesQueued()
    {
        return noise.handshakesQueued();
    }

    public org.bitcoincommons.sv2.sv1.Sv1Server sv1()
    {
        return sv1;
    }

    /**
     * Every open channel as the per-worker view ({@code /api/workers}): SV2 and SV1 workers alike. Taken on the logic
     * thread, in ring order.
     */
    public java.util.List<Map<String, Object>> workers() throws InterruptedException
    {
        final java.util.concurrent.CompletableFuture<java.util.List<PoolLogic.WorkerSnapshot>> done =
            new java.util.concurrent.CompletableFuture<>();
        final Map<Integer, String> auxChains = merge == null ? Map.of() : merge.chainNames();
        // Only the copy runs on the logic thread; the maps are built here, off the share path.
        pipeline.execute(() -> done.complete(logic.workerSnapshots()));
        try
        {
            return PoolLogic.workerRows(done.get(10, java.util.concurrent.TimeUnit.SECONDS), auxChains);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            throw new IllegalStateException("the logic thread did not answer: " + ex, ex);
        }
    }

    public String authorityPublicKey()
    {
        return authorityPublicKey;
    }

    /** The embedded chain when it is among the template sources, else null. */
    public EmbeddedChain chain()
    {
        return chain;
    }

    /** The template sources in priority order, with the active one and each one's state. */
    public FailoverSource templateSources()
    {
        return source;
    }

    /** The embedded chain's Template Provider address ({@code [template_provider] listen_addr}), or null. */
    public InetSocketAddress templateProviderAddress()
    {
        return templateProvider == null ? null : templateProvider.localAddress();
    }

    /** The merged-mining layer, or null when nothing is merge-mined. */
    public WorkLayer merge()
    {
        return merge;
    }

    public HashBackend hashBackend()
    {
        return hash;
    }

    /**
     * Stops accepting, closes connections, drains the ring (every accepted share journaled), closes the journal.
     * <p>
     * On a cluster frontend ({@link #accountingSink}) the events journaled since the last seal are sealed here, not
     * left for a tick that never comes: first, while connections are still open, everything so far is sealed and the
     * close waits (at most {@code ack_timeout_ms}, capped at {@value #CLOSE_COMMIT_WAIT_MS} ms) for the cluster to
     * commit it, so the acknowledgements held for it still reach their miners; then, once the ring is drained, what
     * came after is sealed too. The sink's own close waits for that last batch to commit; shares accepted after the
     * first wait are credited when it commits, but their acknowledgements are lost with their connections.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (!running)
            {
                return;
            }
            running = false;
        }
        if (merge != null)
        {
            merge.close();
        }
        if (pendingAcks != null)
        {
            releaseCommittedAcknowledgements(Math.min(config.cluster().ackTimeoutMs(), CLOSE_COMMIT_WAIT_MS));
        }
        if (tcp != null)
        {
            tcp.close();
        }
        if (ioLoops != null)
        {
            for (final org.bitcoincommons.sv2.transport.IoLoop l : ioLoops)
            {
                l.close();   // ends the connections on it (their CLOSED goes to the ring, still running)
            }
        }
        if (responderWorkers != null)
        {
            responderWorkers.close();
        }
        if (cipherContexts != null)
        {
            cipherContexts.close();   // after the loops: every connection on them has ended and given its contexts back
        }
        if (quic != null)
        {
            quic.close();
        }
        if (sv1 != null)
        {
            sv1.close();
        }
        if (jds != null)
        {
            jds.close();
        }
        if (ticker != null)
        {
            ticker.interrupt();
        }
        if (preparedKeys != null)
        {
            preparedKeys.close();
        }
        if (pipeline != null)
        {
            if (pendingAcks != null)
            {
                // the last batch: events journaled since the wait above (the ring drains this before it stops)
                pipeline.execute(pendingAcks::seal);
            }
            pipeline.close();
            // The logic thread has drained the ring and stopped: readers after close see the final totals.
            accounting.publishSnapshot();
        }
        if (submitter != null)
        {
            submitter.close();
        }
        if (templateProvider != null)
        {
            templateProvider.close();
        }
        if (source != null)
        {
            source.close();
        }
        if (journal != null)
        {
            try
            {
                hooks.journalClosing();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("closing the embedding hooks failed: {}", ex.toString(), ex);
            }
            journal.close();
        }
        LOG.info("pool stopped");
    }

    /** Longest wait in {@link #close()} for the cluster to commit what the frontend sealed before closing connections. */
    private static final long CLOSE_COMMIT_WAIT_MS = 5_000;

    /**
     * Closing thread, before connections close: seals the sink's batch on the logic thread, waits up to {@code waitMs}
     * for the cluster to commit it, then releases the acknowledgements held for it (on the logic thread).
     */
    private void releaseCommittedAcknowledgements(final long waitMs)
    {
        final long deadlineNs = System.nanoTime() + waitMs * 1_000_000L;
        final java.util.concurrent.CompletableFuture<Long> sealed = new java.util.concurrent.CompletableFuture<>();
        pipeline.execute(() -> sealed.complete(pendingAcks.seal()));
        try
        {
            final long ticket = sealed.get(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (ticket == AccountingSink.NEVER)
            {
                LOG.warn("closing: the cluster sink could not take the last batch");
                return;
            }
            while (replication.committedTicket() < ticket && System.nanoTime() - deadlineNs < 0)
            {
                LockSupport.parkNanos(1_000_000L);
            }
            if (replication.committedTicket() < ticket)
            {
                LOG.warn("closing: the cluster did not commit ticket {} within {} ms ({} acknowledgement(s) held)",
                    ticket, waitMs, pendingAcks.held());
                return;
            }
            final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();
            pipeline.execute(() ->
            {
                pendingAcks.release(System.nanoTime());
                released.complete(null);
            });
            released.get(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            LOG.warn("closing: the logic thread did not seal the last batch in time: {}", ex.toString());
        }
    }
}
