package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.bitcoincommons.sv2.engine.AcceptedShares;
import org.bitcoincommons.sv2.engine.ListenerStats;
import org.bitcoincommons.sv2.engine.ServerListener;
import org.bitcoincommons.sv2.engine.StratumV2Server;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench listeners}: what the public engine API's listeners cost the share path, and how late they hear.
 * In one process and one run it starts an embedded {@link StratumV2Server} per case, drives it with the load generator
 * (encrypted SV2 miners on loopback) at the same offered rate, and compares the miners' acknowledgement latency with no
 * listener, with an empty listener, and with a slow listener (that sleeps per batch) next to an empty one, plus a
 * listener that throws on every call. For each listener it reports the delivery lag: from a share batch being
 * journaled (just before its acknowledgements are queued) to the listener being called.
 */
@Command(name = "listeners", description = "Listener delivery lag, and ack latency with no, an empty, a slow and a "
    + "throwing listener (embedded pool, one run).")
public final class BenchListenersCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Simulated miners (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", defaultValue = "100000", description = "Total shares/s offered (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per case (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds per case (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rounds", defaultValue = "1", description = "Times the cases are run, interleaved (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--slow-ms", defaultValue = "5", description = "The slow listener's sleep per call, ms (default ${DEFAULT-VALUE}).")
    long slowMs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON to FILE (e.g. jmh-results/listeners.json).")
    Path outFile;

    /** Counts and does nothing else. */
    static final class EmptyListener implements ServerListener
    {
        final AtomicLong shares = new AtomicLong();

        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            shares.addAndGet(s.count());
        }
    }

    /** Sleeps on every batch: far slower than the share rate, so it falls ever further behind. */
    static final class SlowListener implements ServerListener
    {
        private final long sleepNs;

        SlowListener(final long sleepMs)
        {
            this.sleepNs = sleepMs * 1_000_000L;
        }

        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            LockSupport.parkNanos(sleepNs);
        }
    }

    /** Throws on every batch. */
    static final class ThrowingListener implements ServerListener
    {
        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            throw new IllegalStateException("this listener always fails (benchmark)");
        }
    }

    @Override
    public void run()
    {
        if (connections < 1 || rate <= 0 || seconds <= 0 || rounds < 1)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --connections >= 1, --rate > 0, --seconds > 0, --rounds >= 1");
        }
        final String[] cases = {"none", "empty", "slow+empty", "throwing+empty"};
        final Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        try
        {
            // A discarded first case: the JIT warms up on it, so that the first measured case is not penalised.
            runCase("none");
            for (int r = 0; r < rounds; r++)
            {
                for (final String c : cases)
                {
                    results.computeIfAbsent(c, k -> new ArrayList<>()).add(runCase(c));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "listeners");
        m.put("connections", connections);
        m.put("offered_rate", rate);
        m.put("seconds", seconds);
        m.put("slow_listener_sleep_ms_per_batch", slowMs);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cases", results);
        final String json = Json.MAPPER.valueToTree(m).toString();
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        if (outFile != null)
        {
            try
            {
                if (outFile.toAbsolutePath().getParent() != null)
                {
                    Files.createDirectories(outFile.toAbsolutePath().getParent());
                }
                Files.writeString(outFile, json + "\n");
            }
            catch (final IOException ex)
            {
                throw new CliException(ExitCode.FAILURE, "cannot write " + outFile + ": " + ex.getMessage());
            }
        }
    }

    private Map<String, Object> runCase(final String name) throws IOException, InterruptedException
    {
        final Path tmp = Files.createTempDirectory("sv2-bench-listeners");
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final byte[] pub = AuthorityKeys.publicOf(secret);
        final StratumV2Server.Builder b = StratumV2Server.builder()
            .listen("127.0.0.1:0")
            .authorityKeys(AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret))
            .journalDir(tmp.resolve("journal"))
            .embeddedBits("1a00ffff")
            .api(false)
            .drainTimeoutMs(2000)
            .option("stratum_v2.handshake_timeout_ms", "60000")
            .option("pool.min_hashrate", "0.000001")
            .option("pool.max_connections", "20000");
        switch (name)
        {
            case "none" ->
            {
            }
            case "empty" -> b.listener(new EmptyListener());
            case "slow+empty" -> b.listener(new SlowListener(slowMs)).listener(new EmptyListener());
            case "throwing+empty" -> b.listener(new ThrowingListener()).listener(new EmptyListener());
            default -> throw new IllegalArgumentException(name);
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", name);
        try (StratumV2Server server = b.build())
        {
            server.start();
            final LoadGenerator.Options options = new LoadGenerator.Options(server.sv2Address(), pub, connections, rate,
                (long)(warmup * 1000), (long)(seconds * 1000), 512, 16, 30_000);
            final LoadGenerator lg = new LoadGenerator(options);
            lg.onMeasureStart(server::resetListenerLag);
            final LoadGenerator.Result r = lg.run();
            final List<ListenerStats> stats = server.listenerStats();
            lg.close();
            m.put("accepted_shares_per_second", r.sharesPerSecond());
            m.put("shares_rejected", r.sharesRejected());
            m.put("ack_latency_us", Map.of("p50", r.p50Us(), "p99", r.p99Us(), "p99_9", r.p999Us(), "max", r.maxUs()));
            final List<Map<String, Object>> ls = new ArrayList<>();
            for (final ListenerStats s : stats)
            {
                final Map<String, Object> l = new LinkedHashMap<>();
                l.put("listener", s.listener().substring(s.listener().lastIndexOf('$') + 1));
                l.put("lag_us", Map.of("p50", s.lagP50Micros(), "p99", s.lagP99Micros(), "max", s.lagMaxMicros()));
                l.put("shares_delivered", s.shares());
                l.put("batches_delivered", s.events());
                l.put("failures", s.failures());
                ls.add(l);
            }
            m.put("listeners", ls);
        }
        finally
        {
            ChildPool.deleteQuietly(tmp);
        }
        return m;
    }
}
