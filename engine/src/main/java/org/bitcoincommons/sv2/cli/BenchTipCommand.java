package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.bitcoincommons.sv2.loadgen.FanoutFloor;
import org.bitcoincommons.sv2.loadgen.ScriptedNode;
import org.bitcoincommons.sv2.loadgen.TipLatency;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench tip}: tip-to-miner latency. A scripted bitcoind in this process serves getblocktemplate and
 * announces each new tip with a ZMQ hashblock; a pool in a child process takes its templates from it ({@code sources
 * = ["bitcoind"]}, ZMQ on, no long poll); N encrypted miners in this process stamp the arrival of the SetNewPrevHash
 * that names the new tip. Then the floor, in the same run: a plain TCP server in a child process writes the same bytes
 * per connection, to the same number of connections, on a trigger ({@link FanoutFloor}). Both are reported per
 * connection (p50/p99/max over every connection and tip) and per tip (when the last connection had it).
 */
@Command(name = "tip", description = "Tip-to-miner latency: from a new tip's announcement to SetNewPrevHash at every miner, "
    + "beside the broadcast floor of the same bytes to the same connections.")
public final class BenchTipCommand implements Runnable
{
    private static final String LISTENING = "fanout floor listening on port ";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "1000", description = "Encrypted miners (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--tips", defaultValue = "20", description = "New tips announced (default ${DEFAULT-VALUE}).")
    int tips;

    @Option(names = "--interval-ms", defaultValue = "1000",
        description = "Pause between tips once every miner had the last one (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--warmup-tips", defaultValue = "5", description = "Tips before the measured ones (default ${DEFAULT-VALUE}).")
    int warmupTips;

    @Option(names = "--pool-heap", defaultValue = "2g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--pool-config", paramLabel = "TOML", description = "Extra [pool] keys for the child pool.")
    List<String> poolConfig = new ArrayList<>();

    @Option(names = "--pool-jvm-opt", description = "Extra JVM option for the child pool (repeatable).")
    List<String> poolJvmOpts = new ArrayList<>();

    @Option(names = "--pool-log", paramLabel = "FILE", description = "Keep the child pool's log in this file.")
    Path poolLog;

    @Option(names = "--no-floor", description = "Skip the broadcast floor.")
    boolean noFloor;

    @Option(names = "--serve-fanout", hidden = true,
        description = "Run as the floor's server on this loopback port (0: any; the port is printed).")
    Integer serveFanout;

    @Option(names = "--bytes", hidden = true, defaultValue = "0", description = "With --serve-fanout: bytes per connection.")
    int bytes;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (serveFanout != null)
        {
            serveFloor();
            return;
        }
        if (connections < 1 || tips < 1 || warmupTips < 0 || intervalMs < 0)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --connections >= 1, --tips >= 1, --warmup-tips >= 0 and " +
                "--interval-ms >= 0");
        }
        Process pool = null;
        Process floor = null;
        Path tmp = null;
        final Map<String, Object> out = new LinkedHashMap<>();
        try (ScriptedNode node = new ScriptedNode("bench", "tip"))
        {
            tmp = Files.createTempDirectory("sv2-bench-tip");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final byte[] pub = AuthorityKeys.publicOf(secret);
            final int sv2Port = ChildPool.freePort();
            final int apiPort = ChildPool.freePort();
            final Path config = tmp.resolve("pool.toml");
            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:%d"
                handshake_timeout_ms = 60000
                [stratum_v2.noise]
                authority_public_key = "%s"
                authority_secret_key = "%s"
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
                sources = ["bitcoind"]
                network = "regtest"
                [template.bitcoind]
                rpc_url = "%s"
                rpc_user = "bench"
                rpc_password = "tip"
                zmq_hashblock = "%s"
                poll_interval_ms = 600000
                longpoll = false
                [api]
                listen_addr = "127.0.0.1:%d"
                """.formatted(sv2Port, AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret),
                tmp.resolve("journal").toString().replace("\\", "/"), String.join("\n", poolConfig), node.rpcUrl(),
                node.zmqEndpoint(), apiPort));
            final Path log = poolLog != null ? poolLog : tmp.resolve("pool.log");
            pool = ChildPool.startPool(config, log, poolHeap, poolJvmOpts);
            final URI api = URI.create("http://127.0.0.1:" + apiPort);
            ChildPool.waitReady(api, pool, log);
            progress("pool started; connecting " + connections + " encrypted miners");

            final TipLatency lg = new TipLatency(new InetSocketAddress("127.0.0.1", sv2Port), pub, connections);
            final TipLatency.Result r;
            try
            {
                final double connectSeconds = lg.connect();
                progress(String.format("connected in %.1f s; %d warm-up tips, then %d measured", connectSeconds,
                    warmupTips, tips));
                if (warmupTips > 0)
                {
                    lg.measure(node, warmupTips, intervalMs, connectSeconds);
                }
                r = lg.measure(node, tips, intervalMs, connectSeconds);
            }
            finally
            {
                lg.close();
            }
            ChildPool.stop(pool);
            pool = null;
            out.put("connections", connections);
            out.put("connect_failures", r.connectFailures());
            out.put("connect_seconds", r.connectSeconds());
            out.put("tips", tips);
            out.put("bytes_per_miner_per_tip", r.bytesPerMinerPerTip());
            out.put("pool_tip_to_miner_us", summary(r.latenciesNs()));

            if (!noFloor)
            {
                final int perConnection = (int)Math.round(r.bytesPerMinerPerTip());
                final Path floorLog = tmp.resolve("floor.log");
                floor = ChildPool.start(List.of("bench", "tip", "--serve-fanout", "0", "--bytes",
                    Integer.toString(perConnection)), floorLog, "1g", List.of());
                final int floorPort = waitListening(floorLog, floor);
                progress("floor: " + perConnection + " bytes to each of " + connections + " plain TCP connections");
                final InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), floorPort);
                if (warmupTips > 0)
                {
                    FanoutFloor.measure(at, connections, perConnection, warmupTips, intervalMs);
                }
                final long[][] f;
                try
                {
                    f = FanoutFloor.measure(at, connections, perConnection, tips, intervalMs);
                }
                catch (final IOException ex)
                {
                    final List<String> lines = Files.readAllLines(floorLog);
                    throw new IOException(ex.getMessage() + "; the floor server's last lines: " +
                        lines.subList(Math.max(0, lines.size() - 5), lines.size()), ex);
                }
                final Map<String, Object> fs = summary(f);
                out.put("floor_fanout_us", fs);
                final Map<String, Object> ps = castMap(out.get("pool_tip_to_miner_us"));
                out.put("p99_vs_floor", ratio((double)ps.get("p99"), (double)fs.get("p99")));
                out.put("last_connection_p99_vs_floor",
                    ratio((double)ps.get("last_connection_p99"), (double)fs.get("last_connection_p99")));
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
        finally
        {
            ChildPool.stop(pool);
            ChildPool.stop(floor);
            ChildPool.deleteQuietly(tmp);
        }
        final var o = spec.commandLine().getOut();
        if (json)
        {
            o.println(Json.MAPPER.valueToTree(out).toString());
        }
        else
        {
            out.forEach((k, v) -> o.println(k + ": " + v));
        }
        o.flush();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(final Object o)
    {
        return (Map<String, Object>)o;
    }

    /** a / b to three significant digits (two decimals would print a ratio below 0.005 as 0); 0 when b is not. */
    static double ratio(final double a, final double b)
    {
        return b <= 0 ? 0 : new java.math.BigDecimal(a / b).round(new java.math.MathContext(3)).doubleValue();
    }

    /**
     * Over every connection and tip: p50, p99, max and the count of misses; per tip, the last connection's time
     * (when every connection had it): its p50, p99 and max over the tips. Microseconds.
     */
    static Map<String, Object> summary(final long[][] latenciesNs)
    {
        final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long missed = 0;
        for (final long[] tip : latenciesNs)
        {
            long worst = 0;
            for (final long v : tip)
            {
                if (v < 0)
                {
                    missed++;
                    continue;
                }
                all.recordValue(Math.max(1, v));
                worst = Math.max(worst, v);
            }
            last.recordValue(Math.max(1, worst));
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", all.getValueAtPercentile(50) / 1000.0);
        m.put("p99", all.getValueAtPercentile(99) / 1000.0);
        m.put("max", all.getMaxValue() / 1000.0);
        m.put("last_connection_p50", last.getValueAtPercentile(50) / 1000.0);
        m.put("last_connection_p99", last.getValueAtPercentile(99) / 1000.0);
        m.put("last_connection_max", last.getMaxValue() / 1000.0);
        m.put("missed", missed);
        return m;
    }

    private void progress(final String line)
    {
        spec.commandLine().getErr().println("bench tip: " + line);
        spec.commandLine().getErr().flush();
    }

    /** Waits for the floor server's "listening on PORT" line in its log; returns the port. */
    private static int waitListening(final Path log, final Process child) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!child.isAlive())
            {
                throw new IOException("the floor server exited with code " + child.exitValue() +
                    ChildPool.lastLines(log, 5));
            }
            if (Files.exists(log))
            {
                for (final String line : Files.readAllLines(log))
                {
                    if (line.startsWith(LISTENING))
                    {
                        return Integer.parseInt(line.substring(LISTENING.length()).trim());
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("the floor server did not start within 30 s");
    }

    private void serveFloor()
    {
        try
        {
            final var server = FanoutFloor.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), serveFanout),
                bytes);
            spec.commandLine().getOut().println(LISTENING + server.getLocalPort());
            spec.commandLine().getOut().flush();
            new CountDownLatch(1).await();
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
