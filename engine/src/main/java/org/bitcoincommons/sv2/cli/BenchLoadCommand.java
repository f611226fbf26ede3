package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.loadgen.ShareLoad;
import org.bitcoincommons.sv2.loadgen.Sv1LoadGenerator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench load}: the end-to-end load benchmark. By default it starts a pool in a child process (its own
 * file-descriptor limit and heap) on the embedded chain, connects N simulated miners over encrypted loopback, drives
 * shares flat out or at a rate, and prints accepted shares/s, acknowledgement latency percentiles, bytes on the wire
 * per share, and the pool's heap and RSS per connection. With {@code --protocol sv1} the miners are Stratum V1
 * connections to the pool's [sv1] endpoint instead, whose start difficulty is set so small that every submitted
 * header is a share: the generator does not hash, the pool validates each share in full.
 */
@Command(name = "load", description = "End-to-end load: N miners (SV2 encrypted, or Stratum V1) against a pool (started as a child process).")
public final class BenchLoadCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "sv2", paramLabel = "sv1|sv2",
        description = "What the simulated miners speak: sv2 (encrypted, standard channels) or sv1 (Stratum V1) " +
            "(default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|quic|both",
        description = "SV2 miners over TCP (Noise), over QUIC (one stream per channel), or both: the same miners against "
            + "the same child pool, TCP first then QUIC, one result each (default ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--connections", defaultValue = "100", description = "Simulated miners (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rate", defaultValue = "0", description = "Total shares/s offered; 0 = flat out (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--inflight", defaultValue = "512", description = "Unacknowledged shares per connection (default ${DEFAULT-VALUE}).")
    int inflight;

    @Option(names = "--batch", defaultValue = "16", description = "Shares per write per connection (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--extended-percent", defaultValue = "0", description = "SV2: percent of the miners on extended " +
        "channels, submitting SubmitSharesExtended with a fresh extranonce per share (default ${DEFAULT-VALUE}).")
    int extended;

    @Option(names = "--rolled-percent", defaultValue = "0", description = "SV2: percent of the shares with rolled " +
        "version bits (default ${DEFAULT-VALUE}).")
    int rolled;

    @Option(names = "--pool", description = "Use a running pool at HOST:PORT (sv1: its SV1 port) instead of starting one " +
        "(memory is then not measured).")
    String pool;

    @Option(names = "--authority-pubkey", description = "With --pool: its authority public key.")
    String authority;

    @Option(names = "--pool-heap", defaultValue = "2g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--pool-config", paramLabel = "TOML",
        description = "Extra [pool] keys for the child pool, e.g. 'wait_strategy = \"yielding\"'.")
    List<String> poolConfig = new ArrayList<>();

    @Option(names = "--pool-jvm-opt", description = "Extra JVM option for the child pool (repeatable), e.g. a JFR recording.")
    List<String> poolJvmOpts = new ArrayList<>();

    @Option(names = "--client-threads", defaultValue = "virtual", paramLabel = "virtual|loop",
        description = "SV2 over TCP at a given --rate: virtual, a reader thread per miner; loop, one event loop reads "
            + "every miner's acknowledgements (the pacer sends for all), as bench echo --client-threads loop "
            + "(default ${DEFAULT-VALUE}).")
    String clientThreads;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    private Map<String, Long> rejectReasons;

    @Override
    public void run()
    {
        if (connections < 1 || batch < 1 || inflight < batch)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --connections >= 1, --batch >= 1 and --inflight >= --batch");
        }
        if (!protocol.equals("sv1") && !protocol.equals("sv2"))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--protocol must be sv1 or sv2, got " + protocol);
        }
        final boolean sv1 = protocol.equals("sv1");
        if (!transport.matches("tcp|quic|both"))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--transport must be tcp, quic or both, got " + transport);
        }
        if (sv1 && !transport.equals("tcp"))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--transport " + transport + " applies to SV2 miners only "
                + "(Stratum V1 runs over TCP)");
        }
        final boolean loopReaders = clientThreads.equals("loop");
        if (!loopReaders && !clientThreads.equals("virtual"))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--client-threads must be virtual or loop, got " + clientThreads);
        }
        if (loopReaders && (sv1 || !transport.equals("tcp") || rate <= 0))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--client-threads loop needs SV2 miners over TCP at a given "
                + "--rate (> 0)");
        }
        final boolean overTcp = !transport.equals("quic");
        final boolean overQuic = !transport.equals("tcp");
        Process child = null;
        Path tmp = null;
        try
        {
            final InetSocketAddress address;
            InetSocketAddress quicAddress = null;
            final byte[] pub;
            URI api = null;
            if (pool != null)
            {
                if (transport.equals("both"))
                {
                    throw new CliException(ExitCode.BAD_INPUT, "--transport both starts its own pool; with --pool "
                        + "choose tcp or quic");
                }
                address = org.bitcoincommons.sv2.miner.MinerConfig.parsePoolUrl(pool);
                quicAddress = address;
                pub = authority == null ? null : AuthorityKeys.decodePublic(authority);
            }
            else
            {
                tmp = Files.createTempDirectory("sv2-bench-load");
                final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
                pub = AuthorityKeys.publicOf(secret);
                final int sv2Port = ChildPool.freePort();
                final int apiPort = ChildPool.freePort();
                final int sv1Port = sv1 ? ChildPool.freePort() : 0;
                address = new InetSocketAddress("127.0.0.1", sv1 ? sv1Port : sv2Port);
                final int quicPort = overQuic ? freeUdpPort() : 0;
                quicAddress = new InetSocketAddress("127.0.0.1", quicPort);
                api = URI.create("http://127.0.0.1:" + apiPort);
                final Path config = tmp.resolve("pool.toml");
                Files.writeString(config, childPoolToml(sv2Port, overQuic ? quicSection(quicPort, tmp) : "", pub, secret,
                    tmp.resolve("journal"), poolConfig, apiPort, sv1 ? sv1Section(sv1Port) : ""));
                child = ChildPool.startPool(config, tmp.resolve("pool.log"), poolHeap, poolJvmOpts);
                ChildPool.waitReady(api, child, tmp.resolve("pool.log"));
            }
            final LoadGenerator.Options tcpOptions = new LoadGenerator.Options(address, pub, connections, rate,
                (long)(warmup * 1000), (long)(seconds * 1000), inflight, batch, 30_000);
            final Map<String, Object> results = new LinkedHashMap<>();
            for (final String t : overTcp && overQuic ? List.of("tcp", "quic") : List.of(overQuic ? "quic" : "tcp"))
            {
                final JsonNode before = api == null ? null : memory(api);
                final LoadGenerator.Options options = t.equals("quic") ? tcpOptions.quic(quicAddress) : tcpOptions;
                final ShareLoad lg = sv1 ? new Sv1LoadGenerator(options) : loopReaders
                    ? new LoadGenerator(options).mix(extended, rolled).loopReaders()
                    : new LoadGenerator(options).mix(extended, rolled);
                final URI poolApi = api;
                final LoadProgress status = new LoadProgress(lg, connections, warmup, seconds);
                atMeasureStart = null;
                lg.onMeasureStart(() ->
                {
                    status.measuring();
                    if (poolApi != null)
                    {
                        post(poolApi, "/api/latency/reset");
                        atMeasureStart = latencyQuietly(poolApi);
                    }
                });
                final LoadGenerator.Result r;
                final CpuMeter cpu = new CpuMeter(child);
                try (Progress progress = new Progress(spec.commandLine().getErr(), !json, 1000, status::line))
                {
                    r = lg.run();
                }
                poolCores = cpu.childCores();
                clientCores = cpu.selfCores();
                final JsonNode inside = api == null ? null : ChildPool.get(api, "/api/latency");
                Thread.sleep(1500);
                final JsonNode during = api == null ? null : memory(api);
                final int open = lg.openConnections();
                lg.close();
                rejectReasons = lg instanceof Sv1LoadGenerator g ? g.rejectReasons() : null;
                results.put(t, result(t, r, open, before, during, inside));
                if (api != null)
                {
                    // the next transport starts from a pool without these connections
                    final URI a = api;
                    final long deadline = System.nanoTime() + 30_000_000_000L;
                    while (System.nanoTime() < deadline && memory(a).get("connections").asLong() > 0)
                    {
                        Thread.sleep(100);
                    }
                }
            }
            print(results.size() == 1 ? results.values().iterator().next() : results);
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            ChildPool.stop(child);
            ChildPool.deleteQuietly(tmp);
        }
    }

    /**
     * The child pool of a benchmark: loopback endpoints, the given authority, no per-address limits (every simulated
     * miner comes from 127.0.0.1), the embedded chain at an easy difficulty, the API with the admin token.
     */
    static String childPoolToml(final int sv2Port, final String quicSection, final byte[] pub, final byte[] secret,
        final Path journal, final List<String> poolConfig, final int apiPort, final String sv1Section)
    {
        return childPoolToml(sv2Port, quicSection, pub, secret, "", journal, poolConfig, apiPort, sv1Section);
    }

    /** As above with extra {@code [stratum_v2.noise]} lines (handshake capacity settings). */
    static String childPoolToml(final int sv2Port, final String quicSection, final byte[] pub, final byte[] secret,
        final String noiseExtra, final Path journal, final List<String> poolConfig, final int apiPort,
        final String sv1Section)
    {
        return """
            [stratum_v2]
            listen_addr = "127.0.0.1:%d"
            handshake_timeout_ms = 60000
            %s
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            %s
            [pool]
            # every simulated miner connects from 127.0.0.1: no per-address limits in a benchmark
            max_connections_per_ip = 10000000
            connect_rate_per_ip = 1000000000.0
            connect_burst_per_ip = 10000000
            max_unauthenticated = 10000000
            journal_dir = "%s"
            min_hashrate = 0.000001
            max_connections = 20000
            %s
            [template]
            embedded_bits = "1a00ffff"
            [api]
            listen_addr = "127.0.0.1:%d"
            admin_token = "%s"
            %s
            """.formatted(sv2Port, quicSection, AuthorityKeys.encodePublic(pub),
            AuthorityKeys.encodeSecret(secret), noiseExtra, journal.toString().replace("\\", "/"), String.join("\n", poolConfig),
            apiPort, ADMIN_TOKEN, sv1Section);
    }

    /**
     * The child pool's SV1 endpoint: a difficulty so small that the share target is 2^256 - 1 (every header is a
     * share), pinned (min = max) so vardiff cannot raise it while the generator submits flat out.
     */
    static String sv1Section(final int port)
    {
        return """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:%d"
            start_difficulty = %s
            min_difficulty = %s
            max_difficulty = %s
            """.formatted(port, SV1_EVERY_HASH, SV1_EVERY_HASH, SV1_EVERY_HASH);
    }

    /** An SV1 difficulty whose target, DIFF1 / d, is past 2^256 - 1: every hash meets it. */
    static final String SV1_EVERY_HASH = "1e-12";

    /** Average cores the pool child and this process (the miners) used over the run (connect and warm-up included). */
    private double poolCores = -1;
    private double clientCores = -1;

    /** The pool's /api/latency when the measured interval began (its totals: logic CPU, shares, ring-full waits). */
    private volatile JsonNode atMeasureStart;

    /**
     * The pool's stop-the-world GC pauses between two reads of its /api/latency (the first just after a reset, which
     * restarts the longest): every share in flight waits one out. Null when either read lacks them.
     */
    static Map<String, Object> gcPauses(final JsonNode start, final JsonNode end, final double seconds)
    {
        if (start == null || end == null || !start.has("gc_pauses") || !end.has("gc_pauses"))
        {
            return null;
        }
        final Map<String, Object> gc = new LinkedHashMap<>();
        final long pausedMs = end.get("gc_pause_ms").asLong() - start.get("gc_pause_ms").asLong();
        gc.put("count", end.get("gc_pauses").asLong() - start.get("gc_pauses").asLong());
        gc.put("total_ms", pausedMs);
        gc.put("max_ms", end.get("gc_pause_max_ms").asLong());
        gc.put("share_of_interval", seconds > 0 ? Math.round(pausedMs / (seconds * 1000) * 10_000) / 10_000.0 : 0);
        return gc;
    }

    static JsonNode latencyQuietly(final URI api)
    {
        try
        {
            return ChildPool.get(api, "/api/latency");
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The child pool's QUIC endpoint beside TCP (transport_preference "both"), its TLS identity in the run's directory. */
    static String quicSection(final int port, final Path dir)
    {
        return """
            transport_preference = "both"
            quic_listen_addr = "127.0.0.1:%d"
            quic_tls_key_path = "%s"
            quic_tls_cert_path = "%s"
            quic_idle_timeout_s = 120
            """.formatted(port, dir.resolve("quic-key.pem").toString().replace("\\", "/"),
            dir.resolve("quic-cert.pem").toString().replace("\\", "/"));
    }

    /** A UDP port free on loopback now (the child binds it a moment later). */
    static int freeUdpPort() throws IOException
    {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return s.getLocalPort();
        }
    }

    private void print(final Object result)
    {
        final var out = spec.commandLine().getOut();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(result).toString());
        }
        else if (result instanceof Map<?, ?> m)
        {
            m.forEach((k, v) -> out.println(k + ": " + v));
        }
    }

    private Map<String, Object> result(final String t, final LoadGenerator.Result r, final int open,
        final JsonNode before, final JsonNode during, final JsonNode inside)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("transport", t);
        m.put("client_threads", clientThreads);
        if (!poolConfig.isEmpty())
        {
            m.put("pool_config", poolConfig);
        }
        m.put("extended_percent", extended);
        m.put("rolled_percent", rolled);
        m.put("connections", r.connections());
        m.put("connections_open_at_end", open);
        m.put("connect_failures", r.connectFailures());
        m.put("connect_seconds", r.connectSeconds());
        m.put("offered_rate", rate);
        m.put("seconds", r.seconds());
        m.put("shares_accepted", r.sharesAccepted());
        m.put("shares_rejected", r.sharesRejected());
        if (rejectReasons != null && !rejectReasons.isEmpty())
        {
            m.put("reject_reasons", rejectReasons);
        }
        m.put("accepted_shares_per_second", r.sharesPerSecond());
        m.put("ack_latency_us", Map.of("p50", r.p50Us(), "p99", r.p99Us(), "p99_9", r.p999Us(), "max", r.maxUs()));
        m.put("wire_bytes_per_share", r.bytesPerShare());
        m.put("wire_bytes_counted", t.equals("quic") ? "QUIC stream bytes (plaintext frames; QUIC and TLS overhead not counted)"
            : "TCP socket bytes (Noise-encrypted frames)");
        m.put("pool_cpu_cores", poolCores);
        m.put("client_cpu_cores", clientCores);
        if (inside != null)
        {
            // The pool's own share of the latency: shares waiting for the logic thread and being validated and
            // journaled, then acknowledgements waiting for their connection's writer to run.
            m.put("pool_share_to_ack_queued_us", inside.get("share_to_ack_queued_us"));
            m.put("pool_ack_queued_to_writer_us", inside.get("ack_queued_to_writer_us"));
            final JsonNode start = atMeasureStart;
            if (start != null && start.has("logic_cpu_ns") && inside.has("logic_cpu_ns") &&
                start.get("logic_cpu_ns").asLong() >= 0)
            {
                // CPU the logic thread spent over the measured interval (and a little of the stop), per share it took
                final long cpu = inside.get("logic_cpu_ns").asLong() - start.get("logic_cpu_ns").asLong();
                final long shares = inside.get("shares_accepted").asLong() - start.get("shares_accepted").asLong();
                m.put("pool_logic_cpu_ns_per_share", shares == 0 ? 0 : cpu / shares);
                m.put("pool_logic_cpu_cores", Math.round(cpu / (r.seconds() * 1e9) * 1000) / 1000.0);
                m.put("pool_ring_full_waits", inside.get("ring_full_waits").asLong() -
                    start.get("ring_full_waits").asLong());
            }
            final Map<String, Object> gc = gcPauses(start, inside, r.seconds());
            if (gc != null)
            {
                m.put("pool_gc_pauses", gc);
            }
        }
        if (before != null && during != null)
        {
            final long heap = during.get("heap_used_bytes").asLong();
            final long heap0 = before.get("heap_used_bytes").asLong();
            final long rss = during.get("rss_bytes").asLong();
            final long rss0 = before.get("rss_bytes").asLong();
            final long direct = during.get("direct_bytes").asLong() - before.get("direct_bytes").asLong();
            m.put("pool_heap_bytes", heap);
            m.put("pool_rss_bytes", rss);
            m.put("pool_heap_per_connection_bytes", open == 0 ? 0 : (heap - heap0) / open);
            m.put("pool_direct_per_connection_bytes", open == 0 ? 0 : direct / open);
            m.put("pool_rss_per_connection_bytes", open == 0 ? 0 : (rss - rss0) / open);
            m.put("pool_heap_for_1m_connections_bytes_extrapolated", open == 0 ? 0 : heap0 + (heap - heap0) * 1_000_000L / open);
            if (during.has("platform_threads"))
            {
                final long threads = during.get("platform_threads").asLong() - before.get("platform_threads").asLong();
                m.put("pool_platform_threads_per_connection", open == 0 ? 0 : (double)threads / open);
            }
        }
        return m;
    }

    /**
     * The load's status line on a terminal: the phase (connecting, warm-up, measuring) with its elapsed and planned
     * seconds, open connections, and shares accepted (total, and per second over the last interval).
     */
    static final class LoadProgress
    {
        private final ShareLoad load;
        private final int connections;
        private final double warmup;
        private final double seconds;
        private final long startNs = System.nanoTime();
        private volatile long measureStartNs;
        private long warmupStartNs;
        private long lastAccepted;
        private long lastNs = startNs;

        LoadProgress(final ShareLoad load, final int connections, final double warmup, final double seconds)
        {
            this.load = load;
            this.connections = connections;
            this.warmup = warmup;
            this.seconds = seconds;
        }

        void measuring()
        {
            measureStartNs = System.nanoTime();
        }

        /** One line, without a newline. Called on the progress thread only. */
        String line()
        {
            final long now = System.nanoTime();
            final int open = load.openConnections();
            final long accepted = load.acceptedTotal();
            final double rate = (accepted - lastAccepted) / Math.max(1e-9, (now - lastNs) / 1e9);
            lastAccepted = accepted;
            lastNs = now;
            final String phase;
            if (measureStartNs != 0)
            {
                phase = String.format("measuring %.0f/%.0f s", (now - measureStartNs) / 1e9, seconds);
            }
            else if (accepted == 0 && open < connections)
            {
                phase = String.format("connecting %d/%d", open, connections);
            }
            else
            {
                if (warmupStartNs == 0)
                {
                    warmupStartNs = now;
                }
                phase = String.format("warm-up %.0f/%.0f s", (now - warmupStartNs) / 1e9, warmup);
            }
            return String.format("load: %s, %d connections open, %,d shares accepted (%,.0f/s)", phase, open, accepted,
                rate);
        }
    }

    /** The child pool's admin token (a fresh one per run; the API listens on loopback only). */
    private static final String ADMIN_TOKEN = java.util.HexFormat.of().formatHex(randomBytes());

    private static byte[] randomBytes()
    {
        final byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    static void post(final URI api, final String path)
    {
        try
        {
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            http.send(HttpRequest.newBuilder(api.resolve(path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "pool API " + path + ": " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode memory(final URI api) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/memory?gc=1"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }
}
