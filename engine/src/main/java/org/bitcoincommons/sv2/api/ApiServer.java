package org.bitcoincommons.sv2.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.bitcoincommons.sv2.cluster.ClusterFrontend;
import org.bitcoincommons.sv2.pool.PendingAcks;
import org.bitcoincommons.sv2.pool.PoolMetrics;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.pool.PoolStatus;
import org.bitcoincommons.sv2.template.FailoverSource;
import org.bitcoincommons.sv2.template.SourceState;

/**
 * The pool's HTTP face (JDK HttpServer on virtual threads): Prometheus {@code /metrics}, JSON {@code /api/status}
 * and {@code /api/accounting} (the shape {@code bin/sv2 replay --json} prints), and a dashboard at {@code /}.
 * Everything read here is a snapshot the pool publishes once per second; nothing touches the hot path.
 */
public final class ApiServer implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PoolServer pool;
    private final ClusterFrontend cluster;
    private final byte[] dashboard;
    private final ApiAccess access;
    /** Workers exported with their own labels; the rest are summed under worker="_other" (bounded cardinality). */
    private volatile int workerSeriesCap = DEFAULT_WORKER_SERIES;
    public static final int DEFAULT_WORKER_SERIES = 500;

    public ApiServer(final InetSocketAddress address, final PoolServer pool) throws IOException
    {
        this(address, pool, null);
    }

    public ApiServer(final InetSocketAddress address, final PoolServer pool, final ClusterFrontend cluster)
        throws IOException
    {
        this(address, pool, cluster, "", false);
    }

    /**
     * @param cluster           a cluster frontend's session (its status goes under "cluster" in {@code /api/status},
     *                          with the commit latency, and into {@code /metrics}); null for a single process
     * @param adminToken        the bearer token POST endpoints require; empty: they are refused (403)
     * @param readRequiresToken every endpoint requires the token
     */
    public ApiServer(final InetSocketAddress address, final PoolServer pool, final ClusterFrontend cluster,
        final String adminToken, final boolean readRequiresToken) throws IOException
    {
        this.pool = pool;
        this.access = new ApiAccess(adminToken, readRequiresToken);
        this.cluster = cluster;
        this.server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        try (InputStream in = ApiServer.class.getResourceAsStream("dashboard.html"))
        {
            dashboard = in == null ? "<h1>sv2</h1>".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
        final PrometheusRegistry registry = new PrometheusRegistry();
        GcPauses.get();   // listening for pauses from now on: gc_pause_max_ms covers the API's life (or since a reset)
        registerMetrics(registry);
        if (cluster != null)
        {
            registerClusterMetrics(registry);
        }
        context("/metrics", new MetricsHandler(registry));
        context("/api/status", ex ->
        {
            final Map<String, Object> st = withCluster(status(pool.status()));
            st.put("template", templateStatus(pool.templateSources()));
            final Map<String, Object> transports = new LinkedHashMap<>();
            for (final org.bitcoincommons.sv2.transport.TransportStats t :
                java.util.List.of(pool.tcpStats(), pool.quicStats()))
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("connections", t.openConnections());
                m.put("connections_opened", t.connectionsOpened.sum());
                m.put("streams_opened", t.streamsOpened.sum());
                m.put("bytes_in", t.bytesIn.sum());
                m.put("bytes_out", t.bytesOut.sum());
                transports.put(t.name(), m);
            }
            st.put("transports", transports);
            json(ex, st);
        });
        context("/api/accounting", ex -> json(ex, pool.accounting()));
        context("/api/memory", ex -> json(ex, memory("gc=1".equals(ex.getRequestURI().getQuery()))));
        context("/api/reconnect", this::reconnect);
        context("/api/workers", this::workers);
        context("/api/chains", ex -> json(ex, Map.of("chains", pool.chains())));
        context("/api/blocks", this::blocks);
        context("/api/latency", this::latency);
        context("/api/extranonce-prefix", this::extranoncePrefix);
        context("/", this::root);
    }

    /** At most this many workers get their own series in /metrics (the busiest by 1-minute hashrate). */
    public ApiServer workerSeriesCap(final int cap)
    {
        this.workerSeriesCap = Math.max(0, cap);
        return this;
    }

    private void context(final String path, final com.sun.net.httpserver.HttpHandler handler)
    {
        server.createContext(path, handler).getFilters().add(access);
    }

    public void start()
    {
        server.start();
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private void registerMetrics(final PrometheusRegistry registry)
    {
        final PoolMetrics m = pool.metrics();
        counter(registry, "sv2_shares_accepted", "Shares accepted", () -> pool.status().sharesAccepted());
        counter(registry, "sv2_shares_rejected", "Shares rejected (any SubmitShares.Error)", () -> pool.status().sharesRejected());
        counter(registry, "sv2_blocks_found", "Shares that met the network target", () -> pool.status().blocksFound());
        counter(registry, "sv2_blocks_accepted", "Blocks the template source accepted", () -> m.blocksAccepted.sum());
        counter(registry, "sv2_blocks_rejected", "Blocks the template source rejected", () -> m.blocksRejected.sum());
        counter(registry, "sv2_blocks_left_to_declarator", "Blocks found on Coinbase-only custom jobs, not submitted: "
            + "the pool does not know their transactions, the job declarator broadcasts them",
            () -> m.blocksLeftToDeclarator.sum());
        counter(registry, "sv2_connections_accepted", "TCP connections accepted", () -> m.connectionsAccepted.sum());
        counter(registry, "sv2_handshake_failures", "Noise handshakes that failed or timed out", () -> m.handshakeFailures.sum());
        counter(registry, "sv2_setup_failures", "SetupConnection refused or missing", () -> m.setupFailures.sum());
        counter(registry, "sv2_protocol_errors", "Connections closed for a malformed or misplaced message", () -> m.protocolErrors.sum());
        counter(registry, "sv2_slow_readers", "Connections closed because their outbound queue filled", () -> m.slowReaders.sum());
        counter(registry, "sv2_frames_in", "Frames received", pool::framesIn);
        counter(registry, "sv2_gc_pauses", "Stop-the-world GC pauses of this JVM (every collector that pauses)",
            () -> GcPauses.get().count());
        counter(registry, "sv2_gc_pause_seconds", "Seconds this JVM spent in stop-the-world GC pauses",
            () -> GcPauses.get().totalMs() / 1000.0);
        counter(registry, "sv2_frame_timeouts", "Connections closed because a frame's payload did not follow its header "
            + "within stratum_v2.frame_deadline_ms", () -> m.frameTimeouts.sum());
        counter(registry, "sv2_logic_faults", "Connections closed after an exception in the pool logic's work for them",
            pool::logicFaults);
        counter(registry, "sv2_journal_events", "Accounting events in the journal", () -> pool.status().journalEvents());
        gauge(registry, "sv2_connections", "Open connections", () -> pool.status().connections());
        gauge(registry, "sv2_channels", "Open channels", () -> pool.status().channels());
        gauge(registry, "sv2_hashrate_hashes_per_second", "Hashrate estimated from accepted shares over the last minute",
            () -> pool.status().hashrate());
        gauge(registry, "sv2_chain_height", "Height of the template source's chain tip", () -> pool.status().height());
        registerTemplateMetrics(registry, pool.templateSources());
        registerWorkerMetrics(registry);
        registerTransportMetrics(registry);
        if (pool.connectionLimits() != null)
        {
            CounterWithCallback.builder().name("sv2_connections_refused").help("Connections closed at accept by a " +
                "limit: per_ip (open connections from one address), rate (new connections per second from one " +
                "address), unauthenticated (connections still in their handshake, pool-wide)").labelNames("reason")
                .callback(cb ->
                {
                    for (final org.bitcoincommons.sv2.transport.ConnectionLimits.Reason r :
                        org.bitcoincommons.sv2.transport.ConnectionLimits.Reason.values())
                    {
                        cb.call(pool.connectionLimits().refused(r), r.label());
                    }
                }).register(registry);
            gauge(registry, "sv2_connections_unauthenticated", "Connections still in their handshake (SV2 and SV1)",
                () -> pool.connectionLimits().unauthenticated());
        }
        counter(registry, "sv2_handshakes_queued", "SV2 handshakes that waited for a turn (handshake_concurrency)",
            () -> pool.handshakesQueued());
        gauge(registry, "sv2_io_loop_connections", "SV2 TCP connections on the event loops ([pool] io_loops)",
            () -> pool.ioLoopConnections());
        counter(registry, "sv2_io_loop_wakeups", "Times a queued frame or a close woke a sleeping event loop",
            () -> pool.ioLoopWakeups());
        gauge(registry, "sv2_cipher_contexts_in_use",
            "Native AEAD contexts (off-heap, reused) held by the SV2 TCP connections on the event loops, two a connection",
            () -> pool.cipherContextsInUse());
        counter(registry, "sv2_cipher_context_overflows",
            "Transport ciphers that found no pooled native context free and got one of their own on the heap",
            () -> pool.cipherContextOverflows());
        gauge(registry, "sv2_admissions_waiting", "SV2 TCP connections waiting for an admission slot ([stratum_v2.admission])",
            () -> pool.admission() == null ? 0 : pool.admission().waiting());
        gauge(registry, "sv2_admissions_in_flight", "SV2 TCP connections between their admission slot and their first channel",
            () -> pool.admission() == null ? 0 : pool.admission().inFlight());
        counter(registry, "sv2_admissions_paced", "SV2 TCP connections that waited for an admission slot",
            () -> pool.admission() == null ? 0 : pool.admission().paced());
        counter(registry, "sv2_admission_timeouts", "SV2 TCP connections closed unserved: no admission slot within handshake_timeout_ms",
            () -> pool.admission() == null ? 0 : pool.admission().timedOut());
        counter(registry, "sv2_admissions_expired", "Admission slots freed after handshake_timeout_ms with no channel opened",
            () -> pool.admission() == null ? 0 : pool.admission().expired());
        gauge(registry, "sv2_admission_rate_per_second", "Admissions per second allowed now (0: no rate; adaptive: its current value)",
            () -> pool.admission() == null ? 0 : pool.admission().ratePerSec());
        if (pool.preparedKeys() != null)
        {
            final org.bitcoincommons.sv2.noise.PreparedKeys k = pool.preparedKeys();
            gauge(registry, "sv2_handshake_prepared_keys", "Responder ephemeral keys made ahead and ready", () -> k.ready());
            counter(registry, "sv2_handshake_keys_made_inline", "Handshakes that found no prepared key and made one",
                () -> k.madeInline());
        }
        if (pool.jds() != null)
        {
            final org.bitcoincommons.sv2.jd.JobDeclarationServer j = pool.jds();
            counter(registry, "jds_tokens_allocated", "AllocateMiningJobToken.Success sent", () -> j.tokensAllocated.sum());
            counter(registry, "jds_jobs_declared", "DeclareMiningJob.Success sent", () -> j.jobsDeclared.sum());
            counter(registry, "jds_declare_errors", "DeclareMiningJob.Error sent (any code)",
                () -> j.declareErrors.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum());
            counter(registry, "jds_missing_transactions_requested", "Transactions asked for with ProvideMissingTransactions",
                () -> j.missingRequested.sum());
            counter(registry, "jds_solutions_pushed", "PushSolution received", () -> j.solutionsPushed.sum());
            counter(registry, "jds_blocks_accepted", "Blocks from PushSolution the node accepted", () -> j.blocksAccepted.sum());
            gauge(registry, "jds_mempool_transactions", "Transactions in the JDS's view of the node's mempool",
                () -> j.mempool().size());
            counter(registry, "sv2_custom_jobs_accepted", "SetCustomMiningJob.Success sent", () -> pool.customJobsAccepted());
            counter(registry, "sv2_custom_jobs_refused", "SetCustomMiningJob.Error sent", () -> pool.customJobsRefused());
            counter(registry, "sv2_custom_jobs_with_aux", "custom jobs credited on the aux chains their coinbase "
                + "committed to", () -> pool.customJobsWithAux());
            counter(registry, "sv2_custom_jobs_without_aux", "custom jobs that committed to no aux work while aux "
                + "chains are mined (Bitcoin credit only)", () -> pool.customJobsWithoutAux());
        }
        if (pool.sv1() != null)
        {
            final org.bitcoincommons.sv2.sv1.Sv1Metrics s1 = pool.sv1().metrics();
            gauge(registry, "sv1_connections", "Open Stratum V1 connections", () -> pool.sv1().openConnections());
            counter(registry, "sv1_connections_accepted", "Stratum V1 connections accepted", () -> s1.connectionsAccepted.sum());
            counter(registry, "sv1_submits", "mining.submit requests that reached the share ring", () -> s1.submits.sum());
            counter(registry, "sv1_jobs", "mining.notify sent", () -> s1.jobs.sum());
            counter(registry, "sv1_keepalive_jobs", "Keepalive jobs (fresh job id and ntime, same work)", () -> s1.keepaliveJobs.sum());
            counter(registry, "sv1_bad_json", "Connections closed for a line that is not JSON", () -> s1.badJson.sum());
            counter(registry, "sv1_line_too_long", "Connections closed for a line over max_line_bytes", () -> s1.lineTooLong.sum());
            counter(registry, "sv1_unknown_methods", "Requests with a method the endpoint does not know", () -> s1.unknownMethods.sum());
            counter(registry, "sv1_subscribe_timeouts", "Connections closed for no mining.subscribe within 30 s",
                () -> s1.subscribeTimeouts.sum());
            counter(registry, "sv1_slow_readers", "Connections closed because their outbound queue filled", () -> s1.slowReaders.sum());
            counter(registry, "sv1_unnegotiated_version_bits", "Submits with version bits without mining.configure (applied within the mask)",
                () -> s1.unnegotiatedVersionBits.sum());
        }
    }

    /** Per transport (label transport = tcp or quic): open connections, connections opened, streams, bytes. */
    private void registerTransportMetrics(final PrometheusRegistry registry)
    {
        final java.util.List<org.bitcoincommons.sv2.transport.TransportStats> ts =
            java.util.List.of(pool.tcpStats(), pool.quicStats());
        GaugeWithCallback.builder().name("sv2_transport_connections").help("Open SV2 connections per transport")
            .labelNames("transport").callback(cb -> ts.forEach(t -> cb.call(t.openConnections(), t.name())))
            .register(registry);
        CounterWithCallback.builder().name("sv2_transport_connections_opened").help("SV2 connections opened per transport")
            .labelNames("transport").callback(cb -> ts.forEach(t -> cb.call(t.connectionsOpened.sum(), t.name())))
            .register(registry);
        CounterWithCallback.builder().name("sv2_transport_streams_opened").help("Streams opened per transport (QUIC: " +
            "the control stream and one per channel)").labelNames("transport")
            .callback(cb -> ts.forEach(t -> cb.call(t.streamsOpened.sum(), t.name()))).register(registry);
        CounterWithCallback.builder().name("sv2_transport_received_bytes").help("Bytes received per transport")
            .labelNames("transport").callback(cb -> ts.forEach(t -> cb.call(t.bytesIn.sum(), t.name())))
            .register(registry);
        CounterWithCallback.builder().name("sv2_transport_sent_bytes").help("Bytes sent per transport")
            .labelNames("transport").callback(cb -> ts.forEach(t -> cb.call(t.bytesOut.sum(), t.name())))
            .register(registry);
    }

    /**
     * Per worker (every open channel, SV2 and SV1 alike; labels worker, channel and transport): accepted and rejected
     * shares, the hashrate estimate and the difficulty. One logic-thread snapshot per scrape.
     */
    private void registerWorkerMetrics(final PrometheusRegistry registry)
    {
        final String[] labels = {"worker", "channel", "transport"};
        final java.util.function.Supplier<java.util.List<Map<String, Object>>> fresh = () ->
        {
            try
            {
                return capped(pool.workers(), workerSeriesCap);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return java.util.List.of();
            }
        };
        // The four per-worker metrics of one scrape share one snapshot (taken within SCRAPE_REUSE_NS of each other).
        final java.util.function.Supplier<java.util.List<Map<String, Object>>> rows = new ScrapeMemo<>(fresh);
        workerCounter(registry, "sv2_worker_shares_accepted", "Shares accepted on the worker's open channel", labels,
            rows, "shares_accepted");
        workerCounter(registry, "sv2_worker_shares_rejected", "Shares rejected on the worker's open channel", labels,
            rows, "shares_rejected");
        workerGauge(registry, "sv2_worker_hashrate_hashes_per_second", "Hashrate from the worker's accepted work, "
            + "1-minute average", labels, rows, "hashrate_1m");
        workerGauge(registry, "sv2_worker_difficulty", "The difficulty of the worker's channel target", labels, rows,
            "difficulty");
    }

    /**
     * The busiest {@code cap} workers by 1-minute hashrate, and one row "_other" summing the rest (shares and hashrate;
     * its difficulty is their mean), so that the number of series stays bounded however many miners connect.
     */
    /** A value reused for the few milliseconds one scrape takes, then taken afresh. */
    static final class ScrapeMemo<T> implements java.util.function.Supplier<T>
    {
        static final long SCRAPE_REUSE_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

        private final java.util.function.Supplier<T> source;
        private T value;
        private long takenNanos;

        ScrapeMemo(final java.util.function.Supplier<T> source)
        {
            this.source = source;
        }

        @Override
        public synchronized T get()
        {
            final long now = System.nanoTime();
            if (value == null || now - takenNanos > SCRAPE_REUSE_NS)
            {
                value = source.get();
                takenNanos = System.nanoTime();
            }
            return value;
        }
    }

    static java.util.List<Map<String, Object>> capped(final java.util.List<Map<String, Object>> rows, final int cap)
    {
        if (rows.size() <= cap)
        {
            return rows;
        }
        final java.util.List<Map<String, Object>> sorted = new java.util.ArrayList<>(rows);
        sorted.sort((a, b) -> Double.compare(((Number)b.get("hashrate_1m")).doubleValue(),
            ((Number)a.get("hashrate_1m")).doubleValue()));
        final java.util.List<Map<String, Object>> out = new java.util.ArrayList<>(sorted.subList(0, cap));
        double accepted = 0;
        double rejected = 0;
        double hashrate = 0;
        double difficulty = 0;
        final int rest = sorted.size() - cap;
        for (final Map<String, Object> r : sorted.subList(cap, sorted.size()))
        {
            accepted += ((Number)r.get("shares_accepted")).doubleValue();
            rejected += ((Number)r.get("shares_rejected")).doubleValue();
            hashrate += ((Number)r.get("hashrate_1m")).doubleValue();
            difficulty += ((Number)r.get("difficulty")).doubleValue() / rest;
        }
        final Map<String, Object> other = new LinkedHashMap<>();
        other.put("name", "_other");
        other.put("channel_id", "");
        other.put("transport", "");
        other.put("shares_accepted", accepted);
        other.put("shares_rejected", rejected);
        other.put("hashrate_1m", hashrate);
        other.put("difficulty", difficulty);
        out.add(other);
        return out;
    }

    /**
     * A per-worker count: cumulative on each channel (a channel's series starts at 0 when it opens), so a counter; the
     * "_other" row is a sum that drops when a worker leaves it, which rate() reads as a counter reset.
     */
    private static void workerCounter(final PrometheusRegistry registry, final String name, final String help,
        final String[] labels, final java.util.function.Supplier<java.util.List<Map<String, Object>>> rows,
        final String field)
    {
        CounterWithCallback.builder().name(name).help(help).labelNames(labels).callback(cb ->
        {
            for (final Map<String, Object> r : rows.get())
            {
                cb.call(((Number)r.get(field)).doubleValue(), String.valueOf(r.get("name")),
                    String.valueOf(r.get("channel_id")), String.valueOf(r.get("transport")));
            }
        }).register(registry);
    }

    private static void workerGauge(final PrometheusRegistry registry, final String name, final String help,
        final String[] labels, final java.util.function.Supplier<java.util.List<Map<String, Object>>> rows,
        final String field)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labels).callback(cb ->
        {
            for (final Map<String, Object> r : rows.get())
            {
                cb.call(((Number)r.get(field)).doubleValue(), String.valueOf(r.get("name")),
                    String.valueOf(r.get("channel_id")), String.valueOf(r.get("transport")));
            }
        }).register(registry);
    }

    /**
     * Per template source: whether it is healthy and whether it is the one mined on, its height and fetch latency, and
     * the blocks it refused by the node's reason.
     */
    private static void registerTemplateMetrics(final PrometheusRegistry registry, final FailoverSource sources)
    {
        GaugeWithCallback.builder().name("sv2_template_source_up").help("1 when the template source is healthy")
            .labelNames("source").callback(cb ->
            {
                for (final SourceState s : sources.states())
                {
                    cb.call(s.health().usable() ? 1 : 0, s.name());
                }
            }).register(registry);
        GaugeWithCallback.builder().name("sv2_template_source_active").help("1 for the template source mined on")
            .labelNames("source").callback(cb ->
            {
                final String active = sources.activeName();
                for (final SourceState s : sources.states())
                {
                    cb.call(s.name().equals(active) ? 1 : 0, s.name());
                }
            }).register(registry);
        GaugeWithCallback.builder().name("sv2_template_source_height").help("Height of the block the source's newest "
            + "template builds").labelNames("source").callback(cb ->
            {
                for (final SourceState s : sources.states())
                {
                    cb.call(s.height(), s.name());
                }
            }).register(registry);
        GaugeWithCallback.builder().name("sv2_template_source_latency_seconds").help("Round trip of the source's last "
            + "template fetch").labelNames("source").callback(cb ->
            {
                for (final SourceState s : sources.states())
                {
                    cb.call(Math.max(0, s.latencyUs()) / 1e6, s.name());
                }
            }).register(registry);
        CounterWithCallback.builder().name("sv2_template_blocks_rejected").help("Blocks a template source refused, by "
            + "the node's reason (submitblock's answer)").labelNames("source", "reason").callback(cb ->
            {
                for (final SourceState s : sources.states())
                {
                    boundedReasons(s.rejectedBlocks()).forEach((reason, n) -> cb.call(n, s.name(), reason));
                }
            }).register(registry);
        CounterWithCallback.builder().name("sv2_template_source_switches").help("Changes of the active template source")
            .callback(cb -> cb.call(sources.switches())).register(registry);
    }

    /** Distinct reason labels per source in /metrics; the node's reasons past these are summed under "other". */
    static final int MAX_REASON_LABELS = 16;

    /**
     * The node's reasons (free text from submitblock) as a bounded label set: the first {@link #MAX_REASON_LABELS} in
     * name order as they are, the rest summed under "other", so a misbehaving node cannot grow the series without end.
     */
    static Map<String, Long> boundedReasons(final Map<String, Long> reasons)
    {
        if (reasons.size() <= MAX_REASON_LABELS)
        {
            return reasons;
        }
        final Map<String, Long> out = new java.util.TreeMap<>();
        long other = 0;
        for (final Map.Entry<String, Long> e : new java.util.TreeMap<>(reasons).entrySet())
        {
            if (out.size() < MAX_REASON_LABELS - 1 && !e.getKey().equals("other"))
            {
                out.put(e.getKey(), e.getValue());
            }
            else
            {
                other += e.getValue();
            }
        }
        out.put("other", other);
        return out;
    }

    /** {@code /api/status} "template": the active source and every source's state, in priority order. */
    static Map<String, Object> templateStatus(final FailoverSource sources)
    {
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put("active", sources.activeName());
        final java.util.List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (final SourceState s : sources.states())
        {
            list.add(sourceJson(s));
        }
        t.put("sources", list);
        return t;
    }

    /** One source's state as JSON (also the shape {@code bin/sv2 template check --json} prints). */
    public static Map<String, Object> sourceJson(final SourceState s)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("state", s.health().name().toLowerCase(java.util.Locale.ROOT));
        m.put("height", s.height());
        m.put("best_hash", s.bestHash());
        m.put("latency_ms", s.latencyUs() < 0 ? null : s.latencyUs() / 1000.0);
        m.put("error", s.error());
        m.put("since_ms", s.sinceMs());
        m.put("rejected_blocks", s.rejectedBlocks());
        return m;
    }

    /** A frontend's cluster session and commit latency (microseconds, since start or the last latency reset). */
    private Map<String, Object> withCluster(final Map<String, Object> status)
    {
        if (cluster != null)
        {
            final Map<String, Object> c = new LinkedHashMap<>(cluster.status());
            final PendingAcks acks = pool.pendingAcks();
            if (acks != null)
            {
                c.put("acks_held", acks.held());
                c.put("acks_released", acks.released());
                c.put("acks_expired", acks.expired());
            }
            c.put("commit_latency_us", pool.metrics().ackHeldForCommit.snapshotUs());
            status.put("cluster", c);
        }
        return status;
    }

    private void registerClusterMetrics(final PrometheusRegistry registry)
    {
        gauge(registry, "sv2_cluster_session_connected", "1 while the frontend has a session with the cluster leader",
            () -> "connected".equals(cluster.status().get("session_state")) ? 1 : 0);
        gauge(registry, "sv2_cluster_leader_member_id", "The cluster leader's member id as this frontend knows it",
            () -> ((Number)cluster.status().get("leader_member_id")).doubleValue());
        counter(registry, "sv2_cluster_commands_committed", "Commands (share batches) the cluster committed",
            () -> ((Number)cluster.status().get("commands_committed")).doubleValue());
        counter(registry, "sv2_cluster_resends", "Times uncommitted commands were sent again",
            () -> ((Number)cluster.status().get("resends")).doubleValue());
        gauge(registry, "sv2_cluster_backlog_bytes", "Bytes of commands waiting for commit",
            () -> ((Number)cluster.status().get("backlog_bytes")).doubleValue());
        gauge(registry, "sv2_cluster_acks_held", "Acknowledgements waiting for their batch to commit",
            () -> pool.pendingAcks() == null ? 0 : pool.pendingAcks().held());
        counter(registry, "sv2_cluster_acks_expired", "Acknowledgements given up (connection closed) after ack_timeout_ms",
            () -> pool.pendingAcks() == null ? 0 : pool.pendingAcks().expired());
        gauge(registry, "sv2_cluster_commit_latency_p50_seconds", "Acknowledgement held for commit, median since start",
            () -> ((Number)pool.metrics().ackHeldForCommit.snapshotUs().get("p50")).doubleValue() / 1e6);
        gauge(registry, "sv2_cluster_commit_latency_p99_seconds", "Acknowledgement held for commit, p99 since start",
            () -> ((Number)pool.metrics().ackHeldForCommit.snapshotUs().get("p99")).doubleValue() / 1e6);
        final org.bitcoincommons.sv2.cluster.ClusterAuxSource aux = cluster.auxSource();
        if (aux != null)
        {
            counter(registry, "sv2_cluster_aux_work_updates", "Aux work updates received from the cluster",
                aux::updatesReceived);
            counter(registry, "sv2_cluster_aux_work_updates_dropped",
                "Aux work updates dropped (not newer than the work held for the chain, or malformed)", aux::updatesDropped);
            counter(registry, "sv2_cluster_aux_proofs_sent", "Aux proofs sent to the cluster (retries included)",
                aux::proofsSent);
            counter(registry, "sv2_cluster_aux_proofs_accepted", "Aux proofs the leader's feeder's node accepted",
                aux::proofsAccepted);
            counter(registry, "sv2_cluster_aux_proofs_rejected", "Aux proofs the leader's feeder's node rejected",
                aux::proofsRejected);
        }
    }

    private static void counter(final PrometheusRegistry r, final String name, final String help, final DoubleSupplier v)
    {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(v.getAsDouble())).register(r);
    }

    private static void gauge(final PrometheusRegistry r, final String name, final String help, final DoubleSupplier v)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(v.getAsDouble())).register(r);
    }

    static Map<String, Object> status(final PoolStatus s)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_ms", s.timeMs());
        m.put("uptime_sec", s.uptimeSec());
        m.put("height", s.height());
        m.put("hashrate", s.hashrate());
        m.put("connections", s.connections());
        m.put("channels", s.channels());
        m.put("shares_accepted", s.sharesAccepted());
        m.put("shares_rejected", s.sharesRejected());
        m.put("blocks_found", s.blocksFound());
        m.put("blocks_accepted", s.blocksAccepted());
        m.put("blocks_rejected", s.blocksRejected());
        m.put("journal_events", s.journalEvents());
        return m;
    }

    /**
     * Heap in use (after a full collection when {@code gc}), direct buffers and the process's resident set: how the
     * load benchmark measures memory per connection. Cold path; {@code gc} is for benchmarks, not for scraping.
     */
    Map<String, Object> memory(final boolean gc)
    {
        if (gc)
        {
            System.gc();
            System.gc();
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_used_bytes", java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        long direct = 0;
        for (final var pool : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class))
        {
            direct += pool.getMemoryUsed();
        }
        m.put("direct_bytes", direct);
        m.put("rss_bytes", rssBytes());
        // of which anonymous memory (heap, metaspace, thread stacks, direct buffers, native allocations) and pages of
        // mapped files (the journal's memory-mapped queue files: page cache the kernel can reclaim)
        m.put("rss_anon_bytes", procStatusBytes("RssAnon:"));
        m.put("rss_file_bytes", procStatusBytes("RssFile:"));
        m.put("connections", pool.status().connections());
        m.put("threads", Thread.activeCount());
        // Every live platform thread of the JVM (QUIC costs threads per connection in Kwik; virtual threads not counted).
        m.put("platform_threads", java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
        return m;
    }

    /** VmRSS from /proc/self/status, or -1 where there is none. */
    static long rssBytes()
    {
        return procStatusBytes("VmRSS:");
    }

    /** A kB field of /proc/self/status ({@code key} with its colon) in bytes, or -1 where there is none. */
    static long procStatusBytes(final String key)
    {
        try
        {
            for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
            {
                if (line.startsWith(key))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return -1;
    }

    /** POST /api/reconnect?host=H&port=P: sends Reconnect to every miner (empty host / port 0 = same). */
    /**
     * GET /api/latency: where acknowledgement time goes inside the pool, since start or the last reset (POST
     * /api/latency/reset). Microseconds.
     */
    private void latency(final HttpExchange ex) throws IOException
    {
        final PoolMetrics m = pool.metrics();
        final String path = ex.getRequestURI().getPath();
        if (path.equals("/api/latency/reset"))
        {
            if (!"POST".equals(ex.getRequestMethod()))
            {
                send(ex, 405, "text/plain", "use POST\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            m.shareToAckQueued.reset();
            m.ackQueuedToWriter.reset();
            m.ackHeldForCommit.reset();
            GcPauses.get().resetMax();
            json(ex, Map.of("reset", true));
            return;
        }
        if (!path.equals("/api/latency"))
        {
            send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("share_to_ack_queued_us", m.shareToAckQueued.snapshotUs());
        out.put("ack_queued_to_writer_us", m.ackQueuedToWriter.snapshotUs());
        // totals since start: a caller takes differences over its interval (bench load: logic ns per share)
        out.put("logic_cpu_ns", pool.logicCpuNs());
        out.put("shares_accepted", pool.status().sharesAccepted());
        out.put("ring_full_waits", pool.ringFullWaits());
        // the JVM's stop-the-world pauses: totals since start, the longest since the last reset
        final GcPauses gc = GcPauses.get();
        out.put("gc_pauses", gc.count());
        out.put("gc_pause_ms", gc.totalMs());
        out.put("gc_pause_max_ms", gc.maxSinceResetMs());
        if (cluster != null)
        {
            out.put("ack_held_for_commit_us", m.ackHeldForCommit.snapshotUs());
        }
        json(ex, out);
    }

    /** POST /api/extranonce-prefix?channel_id=N: SetExtranoncePrefix to a fresh prefix, then a new job. */
    private void extranoncePrefix(final HttpExchange ex) throws IOException
    {
        if (!"POST".equals(ex.getRequestMethod()))
        {
            send(ex, 405, "text/plain", "use POST\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final String query = ex.getRequestURI().getQuery();
        final long channelId;
        try
        {
            if (query == null || !query.startsWith("channel_id="))
            {
                throw new NumberFormatException("missing");
            }
            channelId = Long.parseLong(query.substring("channel_id=".length()));
            if (channelId < 0 || channelId > 0xffffffffL)
            {
                throw new NumberFormatException("out of range");
            }
        }
        catch (final NumberFormatException e)
        {
            send(ex, 400, "text/plain", "channel_id=N (a u32) is required\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final java.util.Optional<byte[]> prefix;
        try
        {
            prefix = pool.setExtranoncePrefix((int)channelId);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            send(ex, 503, "text/plain", "interrupted\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (prefix.isEmpty())
        {
            send(ex, 404, "text/plain", ("no open channel " + channelId + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        json(ex, Map.of("channel_id", channelId, "extranonce_prefix", java.util.HexFormat.of().formatHex(prefix.get())));
    }

    /** Fields /api/workers may be sorted by. */
    private static final java.util.Set<String> WORKER_SORT_FIELDS = java.util.Set.of("name", "transport", "channel_id",
        "shares_accepted", "shares_rejected", "difficulty", "hashrate_1m", "hashrate_15m", "hashrate_1h",
        "last_share_time", "blocks_found", "open_seconds");

    /**
     * {@code GET /api/workers[?page=1&per_page=100&sort=hashrate_1m&order=desc]}: every open channel, SV2 and SV1 alike,
     * paged and sorted; {@code GET /api/workers/NAME}: the channels of one worker (404 when it has none open).
     */
    private void workers(final HttpExchange ex) throws IOException
    {
        final String path = ex.getRequestURI().getPath();
        final java.util.List<Map<String, Object>> rows;
        try
        {
            rows = pool.workers();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            send(ex, 503, "text/plain", "interrupted\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.startsWith("/api/workers/") && path.length() > "/api/workers/".length())
        {
            final String name = java.net.URLDecoder.decode(path.substring("/api/workers/".length()),
                StandardCharsets.UTF_8);
            final java.util.List<Map<String, Object>> mine = rows.stream().filter(r -> name.equals(r.get("name")))
                .toList();
            if (mine.isEmpty())
            {
                send(ex, 404, "text/plain", ("no open channel of worker " + name + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("channels", mine);
            json(ex, body);
            return;
        }
        if (!path.equals("/api/workers") && !path.equals("/api/workers/"))
        {
            send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final Map<String, String> q = query(ex);
        final int page;
        final int perPage;
        try
        {
            page = Integer.parseInt(q.getOrDefault("page", "1"));
            perPage = Integer.parseInt(q.getOrDefault("per_page", "100"));
            if (page < 1 || perPage < 1 || perPage > 1000)
            {
                throw new NumberFormatException();
            }
        }
        catch (final NumberFormatException e)
        {
            send(ex, 400, "text/plain", "page >= 1 and 1 <= per_page <= 1000\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final String sort = q.getOrDefault("sort", "hashrate_1m");
        final String order = q.getOrDefault("order", "desc");
        if (!WORKER_SORT_FIELDS.contains(sort) || !(order.equals("asc") || order.equals("desc")))
        {
            send(ex, 400, "text/plain", ("sort is one of " + new java.util.TreeSet<>(WORKER_SORT_FIELDS) +
                ", order asc or desc\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        java.util.Comparator<Map<String, Object>> cmp = (a, b) ->
        {
            final Object x = a.get(sort);
            final Object y = b.get(sort);
            if (x instanceof Number nx && y instanceof Number ny)
            {
                return Double.compare(nx.doubleValue(), ny.doubleValue());
            }
            return String.valueOf(x).compareTo(String.valueOf(y));
        };
        if (order.equals("desc"))
        {
            cmp = cmp.reversed();
        }
        cmp = cmp.thenComparing(r -> ((Number)r.get("channel_id")).intValue());
        final java.util.List<Map<String, Object>> sorted = new java.util.ArrayList<>(rows);
        sorted.sort(cmp);
        final int from = Math.min(sorted.size(), (page - 1) * perPage);
        final int to = Math.min(sorted.size(), from + perPage);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("workers", sorted.subList(from, to));
        body.put("total", sorted.size());
        body.put("page", page);
        body.put("per_page", perPage);
        body.put("sort", sort);
        body.put("order", order);
        json(ex, body);
    }

    /** {@code GET /api/blocks[?limit=50]}: the latest parent and aux blocks with their status, newest first. */
    private void blocks(final HttpExchange ex) throws IOException
    {
        int limit = 50;
        try
        {
            limit = Integer.parseInt(query(ex).getOrDefault("limit", "50"));
        }
        catch (final NumberFormatException e)
        {
            limit = -1;
        }
        if (limit < 1 || limit > org.bitcoincommons.sv2.pool.RecentBlocks.CAPACITY)
        {
            send(ex, 400, "text/plain", ("1 <= limit <= " + org.bitcoincommons.sv2.pool.RecentBlocks.CAPACITY + "\n")
                .getBytes(StandardCharsets.UTF_8));
            return;
        }
        json(ex, Map.of("blocks", pool.recentBlocks(limit)));
    }

    private static Map<String, String> query(final HttpExchange ex)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        final String q = ex.getRequestURI().getRawQuery();
        if (q != null)
        {
            for (final String kv : q.split("&"))
            {
                final int eq = kv.indexOf('=');
                if (eq > 0)
                {
                    m.put(java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    private void reconnect(final HttpExchange ex) throws IOException
    {
        if (!"POST".equals(ex.getRequestMethod()))
        {
            send(ex, 405, "text/plain", "use POST\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String host = "";
        int port = 0;
        final String query = ex.getRequestURI().getQuery();
        try
        {
            if (query != null)
            {
                for (final String kv : query.split("&"))
                {
                    final int eq = kv.indexOf('=');
                    final String k = eq < 0 ? kv : kv.substring(0, eq);
                    final String v = eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                    if (k.equals("host"))
                    {
                        host = v;
                    }
                    else if (k.equals("port"))
                    {
                        port = Integer.parseInt(v);
                    }
                }
            }
            if (port < 0 || port > 65535 || host.length() > 255)
            {
                throw new IllegalArgumentException("port must be 0..65535 and host at most 255 bytes");
            }
        }
        catch (final IllegalArgumentException e)
        {
            send(ex, 400, "text/plain", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        json(ex, Map.of("reconnected", pool.reconnectAll(host, port)));
    }

    private void root(final HttpExchange ex) throws IOException
    {
        if (!ex.getRequestURI().getPath().equals("/"))
        {
            send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", dashboard);
    }

    private static void json(final HttpExchange ex, final Object value) throws IOException
    {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(final HttpExchange ex, final int code, final String type, final byte[] body) throws IOException
    {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody())
        {
            out.write(body);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
