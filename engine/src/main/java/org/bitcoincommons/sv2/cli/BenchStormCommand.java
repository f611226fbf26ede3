package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A reconnect storm beside connected miners, in one run against one pool child: {@code --connections} miners submit at
 * {@code --rate}; their acknowledgement latency is measured for {@code --seconds} (the baseline), then
 * {@code --storm} more miners connect at once (Noise handshake, SetupConnection, open a channel, receive the job) and
 * the same miners' latency is measured again for as long as the storm lasts. Prints the storm's connect time and
 * handshakes/s, both latency intervals and their p99 ratio (the goal: within 2x). The measured miners read on platform
 * threads, so that the storm's handshakes on this process's virtual-thread carriers do not delay their receive path:
 * the figure is the pool's.
 */
@Command(name = "storm",
    description = "Connect --storm miners at once while --connections miners submit at --rate; ack latency of the "
        + "connected miners before and during the storm, and the storm's connect time (one JSON object with --json).",
    mixinStandardHelpOptions = true)
public final class BenchStormCommand implements Runnable
{
    /** The benchmark pool's {@code max_connections} (BenchLoadCommand.childPoolToml). */
    static final int MAX_CONNECTIONS = 20_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Connected, submitting miners (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", defaultValue = "20000", description = "Their shares/s in total (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--batch", defaultValue = "1", description = "Shares per write (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--inflight", defaultValue = "32", description = "Unacknowledged shares per connection (default ${DEFAULT-VALUE}).")
    int inflight;

    @Option(names = "--storm", defaultValue = "15000", description = "Miners connecting at once (default ${DEFAULT-VALUE}).")
    int storm;

    @Option(names = "--storm-concurrency", defaultValue = "512",
        description = "Storm connections being set up at a time by this generator (default ${DEFAULT-VALUE}).")
    int stormConcurrency;

    @Option(names = "--crowd-source-addresses", defaultValue = "8",
        description = "Loopback addresses the crowd connects from (127.0.0.2 onwards, round robin), as miners come from "
            + "many addresses, so that no connect searches one address's ports past 15,000 taken ones; 1: all from "
            + "127.0.0.1, as before 2026-12-05 (default ${DEFAULT-VALUE}; 1 where 127.0.0.2 cannot be bound).")
    int crowdSourceAddresses;

    @Option(names = "--crowd-nice", defaultValue = "0",
        description = "Nice value (0..19) of this generator's carriers that run the storm's crowd, which stands for "
            + "machines elsewhere: niced, it takes the CPU after the pool and the measured miners (default ${DEFAULT-VALUE}).")
    int crowdNice;

    @Option(names = "--crowd-warmup-storms", defaultValue = "2",
        description = "Storms this generator makes first against a pool of its own (started, then stopped, before the "
            + "measured one), so that the crowd's connect path, standing for miners whose code is long warm, is compiled "
            + "when the measured storms come and a cold storm is the pool's restart, not this generator's; 0: none, as "
            + "before 2026-12-05 (default ${DEFAULT-VALUE}).")
    int crowdWarmupStorms;

    @Option(names = "--storms", defaultValue = "1",
        description = "Storms one after another on the same pool, each crowd closed before the next: the first meets a "
            + "cold JVM (a restart), the later ones a warm one (an upstream failover) (default ${DEFAULT-VALUE}).")
    int storms;

    @Option(names = "--seconds", defaultValue = "10", description = "Baseline seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--handshake-concurrency", defaultValue = "0",
        description = "The pool's [stratum_v2.noise] handshake_concurrency (0: one per processor; default ${DEFAULT-VALUE}).")
    int handshakeConcurrency;

    @Option(names = "--prepared-keys", defaultValue = "4096",
        description = "The pool's [stratum_v2.noise] prepared_ephemeral_keys (default ${DEFAULT-VALUE}).")
    int preparedKeys;

    @Option(names = "--admission-max-in-flight", defaultValue = "0",
        description = "The pool's [stratum_v2.admission] max_in_flight (0: no bound; default ${DEFAULT-VALUE}).")
    int admissionMaxInFlight;

    @Option(names = "--admission-rate", defaultValue = "0",
        description = "The pool's [stratum_v2.admission] rate_per_sec (0: no rate; default ${DEFAULT-VALUE}).")
    int admissionRate;

    @Option(names = "--admission-burst", defaultValue = "64",
        description = "The pool's [stratum_v2.admission] burst (default ${DEFAULT-VALUE}).")
    int admissionBurst;

    @Option(names = "--admission-adaptive-p99-us", defaultValue = "0",
        description = "The pool's [stratum_v2.admission] adaptive_p99_us (0: not adaptive; default ${DEFAULT-VALUE}).")
    long admissionAdaptiveP99Us;

    @Option(names = "--admission-min-rate", defaultValue = "200",
        description = "The pool's [stratum_v2.admission] adaptive_min_rate_per_sec (default ${DEFAULT-VALUE}).")
    int admissionMinRate;

    @Option(names = "--pool-heap", defaultValue = "2g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--pool-jvm-opt", description = "Extra JVM option for the child pool (repeatable).")
    List<String> poolJvmOpts = new ArrayList<>();

    @Option(names = "--pool-config", paramLabel = "TOML",
        description = "Extra [pool] keys for the child pool (repeatable), e.g. 'io_loops = 0'.")
    List<String> poolConfig = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (connections < 1 || storm < 1 || storms < 1 || storms > 10 || stormConcurrency < 1 || rate <= 0 || batch < 1 || inflight < batch
            || handshakeConcurrency < 0 || preparedKeys < 0 || connections + storm > MAX_CONNECTIONS
            || admissionMaxInFlight < 0 || admissionRate < 0 || admissionBurst < 1 || admissionAdaptiveP99Us < 0
            || admissionMinRate < 1 || crowdNice < 0 || crowdNice > 19 || crowdSourceAddresses < 1 || crowdSourceAddresses > 250
            || crowdWarmupStorms < 0 || crowdWarmupStorms > 10
            || (admissionAdaptiveP99Us > 0 && (admissionRate == 0 || admissionMinRate > admissionRate)))
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --connections, --storm, --storm-concurrency >= 1, --storms 1..10, "
                + "--rate > 0, --batch >= 1, --inflight >= --batch, --handshake-concurrency and --prepared-keys >= 0, --connections + --storm <= "
                + MAX_CONNECTIONS + " (the benchmark pool's max_connections), --admission-* >= 0, --admission-burst and "
                + "--admission-min-rate >= 1, --crowd-nice 0..19, --crowd-source-addresses 1..250, --crowd-warmup-storms 0..10, and --admission-adaptive-p99-us only with --admission-rate >= "
                + "--admission-min-rate");
        }
        if (crowdNice > 0 && org.bitcoincommons.sv2.nativelib.ThreadNice.unavailable() != null)
        {
            throw new CliException(ExitCode.BAD_INPUT, "--crowd-nice cannot be applied here: "
                + org.bitcoincommons.sv2.nativelib.ThreadNice.unavailable());
        }
        if (crowdSourceAddresses > 1 && !LoadGenerator.loopbackAliasesWork())
        {
            System.err.println("bench storm: 127.0.0.2 cannot be bound here (only 127.0.0.1 is on the loopback "
                + "interface): the crowd connects from 127.0.0.1");
            crowdSourceAddresses = 1;
        }
        Process child = null;
        Path tmp = null;
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-storm");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final byte[] pub = AuthorityKeys.publicOf(secret);
            final int sv2Port = ChildPool.freePort();
            final int apiPort = ChildPool.freePort();
            final URI api = URI.create("http://127.0.0.1:" + apiPort);
            final Path config = tmp.resolve("pool.toml");
            Files.writeString(config, poolToml(sv2Port, apiPort, pub, secret, tmp.resolve("journal"), admissionSection()));
            if (crowdWarmupStorms > 0)
            {
                warmUpCrowd(tmp, pub, secret);
            }
            child = ChildPool.startPool(config, tmp.resolve("pool.log"), poolHeap, poolJvmOpts);
            ChildPool.waitReady(api, child, tmp.resolve("pool.log"));
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", sv2Port);

            loadAverageBefore = loadAverage();
            final LoadGenerator steady = new LoadGenerator(new LoadGenerator.Options(address, pub, connections, rate,
                (long)(warmup * 1000), (long)(seconds * 1000), inflight, batch, 60_000)).platformReaders();
            try
            {
                final double steadyConnect = steady.start();
                Thread.sleep((long)(warmup * 1000));
                BenchLoadCommand.post(api, "/api/latency/reset");
                final JsonNode atStart = BenchLoadCommand.latencyQuietly(api);
                final long startNs = System.nanoTime();
                final LoadGenerator.Result before = steady.measureWhile(steadyConnect,
                    LoadGenerator.deadline((long)(seconds * 1000)));
                beforeStages = poolStages(api, atStart, (System.nanoTime() - startNs) / 1e9);
                final List<Map<String, Object>> done = new ArrayList<>();
                for (int i = 0; i < storms; i++)
                {
                    done.add(oneStorm(address, pub, api, child, steady, steadyConnect, before));
                    if (i + 1 < storms)
                    {
                        awaitConnections(api, connections, 30_000);
                    }
                }
                print(before, done, handshakeMetrics(api));
            }
            finally
            {
                steady.close();
            }
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

    /** One storm: {@code --storm} miners connect while the steady miners are measured; the crowd is closed after. */
    private Map<String, Object> oneStorm(final InetSocketAddress address, final byte[] pub, final URI api, final Process child,
        final LoadGenerator steady, final double steadyConnect, final LoadGenerator.Result before)
        throws InterruptedException
    {
        final LoadGenerator crowd = crowd(address, pub);
        try
        {
            final AtomicBoolean storming = new AtomicBoolean(true);
            final AtomicReference<Double> stormSeconds = new AtomicReference<>();
            final CpuMeter cpu = new CpuMeter(child);
            BenchLoadCommand.post(api, "/api/latency/reset");
            final JsonNode atStart = BenchLoadCommand.latencyQuietly(api);
            final long startNs = System.nanoTime();
            final Thread stormer = Thread.ofPlatform().name("storm").start(() ->
            {
                try
                {
                    stormSeconds.set(crowd.start());
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                finally
                {
                    storming.set(false);
                }
            });
            final LoadGenerator.Result during = steady.measureWhile(steadyConnect, storming::get);
            stormer.join();
            final double poolCores = cpu.childCores();
            final double clientCores = cpu.selfCores();
            final int open = crowd.openConnections();
            final double secs = stormSeconds.get() == null ? -1 : stormSeconds.get();
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("storm_connected", open);
            m.put("storm_connect_seconds", secs);
            m.put("storm_handshakes_per_second", secs > 0 ? open / secs : 0);
            m.put("during_storm", interval(during));
            m.put("p99_ratio", before.p99Us() > 0 ? Math.round(during.p99Us() / before.p99Us() * 100) / 100.0 : 0);
            m.put("pool_cpu_cores_during_storm", poolCores);
            m.put("client_cpu_cores_during_storm", clientCores);
            m.put("pool_stages_during_storm", poolStages(api, atStart, (System.nanoTime() - startNs) / 1e9));
            return m;
        }
        finally
        {
            crowd.close();
        }
    }

    /**
     * The crowd's warm-up: {@code --crowd-warmup-storms} storms of {@code --storm} connections against a pool of its
     * own (the measured pool's settings, another port and journal), each closed before the next, the pool stopped
     * after. Nothing of it reaches the measured pool, which starts afterwards as cold as ever.
     */
    private void warmUpCrowd(final Path tmp, final byte[] pub, final byte[] secret)
        throws IOException, InterruptedException
    {
        final Path dir = tmp.resolve("crowd-warmup");
        Files.createDirectories(dir);
        final int port = ChildPool.freePort();
        final int apiPort = ChildPool.freePort();
        final URI api = URI.create("http://127.0.0.1:" + apiPort);
        final Path config = dir.resolve("pool.toml");
        Files.writeString(config, poolToml(port, apiPort, pub, secret, dir.resolve("journal"), ""));
        Process pool = null;
        try
        {
            pool = ChildPool.startPool(config, dir.resolve("pool.log"), poolHeap, poolJvmOpts);
            ChildPool.waitReady(api, pool, dir.resolve("pool.log"));
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < crowdWarmupStorms; i++)
            {
                final LoadGenerator crowd = crowd(address, pub);
                try
                {
                    crowdWarmupSeconds.add(crowd.start());
                }
                finally
                {
                    crowd.close();
                }
                awaitConnections(api, 0, 30_000);
            }
        }
        finally
        {
            ChildPool.stop(pool);
        }
    }

    /** The benchmark pool's configuration with this run's handshake settings and {@code extra} sections. */
    private String poolToml(final int sv2Port, final int apiPort, final byte[] pub, final byte[] secret,
        final Path journal, final String extra)
    {
        return BenchLoadCommand.childPoolToml(sv2Port, "", pub, secret, "handshake_concurrency = "
            + handshakeConcurrency + "\nprepared_ephemeral_keys = " + preparedKeys + "\n" + extra, journal, poolConfig,
            apiPort, "");
    }

    /** One storm's crowd: {@code --storm} miners that connect, set up, open a channel and then only read. */
    private LoadGenerator crowd(final InetSocketAddress address, final byte[] pub)
    {
        return new LoadGenerator(new LoadGenerator.Options(address, pub, storm, 0, 0, 0, 1, 1, 120_000))
            .connectOnly(stormConcurrency).nice(crowdNice).sourceAddresses(crowdSourceAddresses);
    }

    /** The warm-up storms' connect seconds, in order. */
    private final List<Double> crowdWarmupSeconds = new ArrayList<>();

    /** The pool's [stratum_v2.admission] section from the --admission-* options (empty keys: off). */
    String admissionSection()
    {
        return "[stratum_v2.admission]\nmax_in_flight = " + admissionMaxInFlight + "\nrate_per_sec = " + admissionRate
            + "\nburst = " + admissionBurst + "\nadaptive_p99_us = " + admissionAdaptiveP99Us
            + "\nadaptive_min_rate_per_sec = " + admissionMinRate + "\n";
    }

    /** The 1-minute load average before the run (/proc/loadavg; -1 where there is none): the machine is shared. */
    private static double loadAverage()
    {
        try
        {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private double loadAverageBefore = -1;

    /** Waits until the pool reports {@code expected} open connections again (the crowd's closed), or the deadline. */
    private static void awaitConnections(final URI api, final int expected, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            try
            {
                // /api/status, not /metrics: a scrape snapshots every worker on the logic thread and renders
                // megabytes of text, work (and garbage) the next storm would inherit
                final JsonNode status = ChildPool.get(api, "/api/status");
                if (status.path("connections").asLong(Long.MAX_VALUE) <= expected)
                {
                    return;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // Not answering yet: try again.
            }
            Thread.sleep(200);
        }
    }

    private Map<String, Object> beforeStages;

    /**
     * The pool's own share of the ack latency since the last /api/latency/reset (its two stages: a share read to its
     * ack queued, the ack queued to its writer running), beside the generator's figure: what is left is the kernel's
     * and the generator's. With them the pool's GC pauses over the interval ({@code gc_pauses}: every share in flight
     * waits one out), from {@code atStart}, the /api/latency read just after the reset.
     */
    private static Map<String, Object> poolStages(final URI api, final JsonNode atStart, final double seconds)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        try
        {
            final JsonNode l = ChildPool.get(api, "/api/latency");
            m.put("share_to_ack_queued_us", l.get("share_to_ack_queued_us"));
            m.put("ack_queued_to_writer_us", l.get("ack_queued_to_writer_us"));
            final Map<String, Object> gc = BenchLoadCommand.gcPauses(atStart, l, seconds);
            if (gc != null)
            {
                m.put("gc_pauses", gc);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            m.put("error", String.valueOf(ex.getMessage()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    /** The pool's connection and handshake counters from /metrics (accepted, queued for a turn, keys made inline). */
    private static JsonNode handshakeMetrics(final URI api)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        try
        {
            final String text = ChildPool.getText(api, "/metrics");
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("sv2_connections_accepted_total ") || line.startsWith("sv2_handshakes_queued_total ") || line.startsWith("sv2_handshake_keys_made_inline_total ")
                    || line.startsWith("sv2_handshake_prepared_keys ") || line.startsWith("sv2_handshake_failures_total ")
                    || line.startsWith("sv2_admission"))
                {
                    final String[] kv = line.split(" ");
                    m.put(kv[0], Double.parseDouble(kv[1]));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            m.put("error", ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return Json.MAPPER.valueToTree(m);
    }

    /** The first storm's figures at the top level (a cold pool); every storm, in order, under "storms". */
    private void print(final LoadGenerator.Result before, final List<Map<String, Object>> done, final JsonNode metrics)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections);
        m.put("offered_rate", rate);
        m.put("batch", batch);
        m.put("storm_connections", storm);
        final Map<String, Object> first = done.get(0);
        m.put("storm_connected", first.get("storm_connected"));
        m.put("storm_connect_seconds", first.get("storm_connect_seconds"));
        m.put("storm_handshakes_per_second", first.get("storm_handshakes_per_second"));
        m.put("storm_generator_concurrency", stormConcurrency);
        m.put("crowd_nice", crowdNice);
        m.put("crowd_source_addresses", crowdSourceAddresses);
        m.put("crowd_warmup_storms", crowdWarmupStorms);
        m.put("crowd_warmup_seconds", crowdWarmupSeconds);
        m.put("handshake_concurrency", handshakeConcurrency);
        m.put("pool_config", poolConfig);
        m.put("prepared_ephemeral_keys", preparedKeys);
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("max_in_flight", admissionMaxInFlight);
        a.put("rate_per_sec", admissionRate);
        a.put("burst", admissionBurst);
        a.put("adaptive_p99_us", admissionAdaptiveP99Us);
        a.put("adaptive_min_rate_per_sec", admissionMinRate);
        m.put("admission", a);
        m.put("load_average_before", loadAverageBefore);
        m.put("before", interval(before));
        m.put("pool_stages_before", beforeStages);
        m.put("during_storm", first.get("during_storm"));
        m.put("p99_ratio", first.get("p99_ratio"));
        m.put("pool_cpu_cores_during_storm", first.get("pool_cpu_cores_during_storm"));
        m.put("client_cpu_cores_during_storm", first.get("client_cpu_cores_during_storm"));
        m.put("storms", done);
        m.put("pool_handshake_metrics", metrics);
        final var out = spec.commandLine().getOut();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(m).toString());
        }
        else
        {
            m.forEach((k, v) -> out.println(k + ": " + v));
        }
        out.flush();
    }

    /** One measured interval of the load generator in JSON form (also the soak's). */
    static Map<String, Object> interval(final LoadGenerator.Result r)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", r.seconds());
        m.put("shares_accepted", r.sharesAccepted());
        m.put("accepted_shares_per_second", r.sharesPerSecond());
        final Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", r.p50Us());
        l.put("p99", r.p99Us());
        l.put("p99_9", r.p999Us());
        l.put("max", r.maxUs());
        m.put("ack_latency_us", l);
        return m;
    }
}
