package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.IoUtil;
import org.bitcoincommons.sv2.cluster.ClusterFrontend;
import org.bitcoincommons.sv2.cluster.ClusterStatus;
import org.bitcoincommons.sv2.cluster.LoopbackPorts;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench cluster}: the scale-out benchmark on this machine. Three cluster nodes run as child processes
 * ({@code bin/sv2 pool} with {@code [cluster] role = "node"}), two frontend pools and the load generator's encrypted
 * miners run in this process. In one run it measures, beside the floor (one single-process pool driven by the same
 * miners): accepted shares/s, the acknowledgement latency, how long acknowledgements wait for the commit, each
 * node's CPU time per share, and the failover time from SIGKILL of the leader to the first batch committed in the
 * new term.
 */
@Command(name = "cluster", description = "Scale-out: two frontends and a three-node Aeron Cluster on this machine.")
public final class BenchClusterCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Miners in total (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rate", defaultValue = "0", description = "Total shares/s offered; 0 = flat out (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--leader-heartbeat-timeout-ms", defaultValue = "10000",
        description = "The nodes' leader_heartbeat_timeout_ms, which sets the failover time (default ${DEFAULT-VALUE}, Aeron's).")
    long heartbeatTimeoutMs;

    @Option(names = "--failover-rate", defaultValue = "20000", description = "Shares/s offered while the leader is killed.")
    double failoverRate;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        final Path tmp;
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-cluster");
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot create a temporary directory: " + ex.getMessage());
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("connections", connections);
        out.put("seconds", seconds);
        out.put("rate", rate);
        final List<Process> nodes = new ArrayList<>();
        try
        {
            out.put("floor_single_process", floor(tmp));
            final List<String> members = LoopbackPorts.freeMemberBlocks(3);
            final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            final Path[] configs = new Path[3];
            for (int i = 0; i < 3; i++)
            {
                configs[i] = tmp.resolve("node-" + i + ".toml");
                Files.writeString(configs[i], "[api]\nenabled = false\n" + clusterToml(members, id, tmp, i));
                nodes.add(startNode(configs[i], tmp.resolve("node-" + i + ".log")));
            }
            final PoolServer[] pools = new PoolServer[2];
            final ClusterFrontend[] frontends = new ClusterFrontend[2];
            try
            {
                for (int f = 0; f < 2; f++)
                {
                    final EngineConfig c = EngineConfig.parse(poolToml(tmp.resolve("frontend-" + f)) +
                        clusterToml(members, id, tmp, -(f + 1)), tmp);
                    frontends[f] = ClusterFrontend.start(c.cluster());
                    pools[f] = new PoolServer(c, MergeMiningCoordinator.FACTORY).accountingSink(frontends[f]);
                    pools[f].start();
                }
                awaitConnected(frontends, nodes, tmp, 90_000);
                out.put("cluster", measureCluster(pools, frontends, nodes));
                out.put("failover", failover(pools, frontends, nodes, configs, tmp));
            }
            finally
            {
                for (int f = 0; f < 2; f++)
                {
                    if (pools[f] != null)
                    {
                        pools[f].close();
                    }
                    if (frontends[f] != null)
                    {
                        frontends[f].close(1000);
                    }
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
            throw new CliException(ExitCode.FAILURE, "interrupted");
        }
        finally
        {
            for (final Process p : nodes)
            {
                p.destroy();
                try
                {
                    p.waitFor();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            IoUtil.delete(tmp.toFile(), true);
        }
        final var w = spec.commandLine().getOut();
        if (json)
        {
            w.println(Json.MAPPER.valueToTree(out).toString());
        }
        else
        {
            out.forEach((k, v) -> w.println(k + ": " + v));
        }
    }

    /** The same miners against one single-process pool (journal only): what the cluster adds is measured against it. */
    private Map<String, Object> floor(final Path tmp) throws IOException, InterruptedException
    {
        final EngineConfig c = EngineConfig.parse(poolToml(tmp.resolve("single")), tmp);
        final PoolServer pool = new PoolServer(c, MergeMiningCoordinator.FACTORY);
        pool.start();
        try
        {
            final LoadGenerator g = load(pool, connections, rate);
            final LoadGenerator.Result r = g.measure(g.start());
            g.close();
            return result(r);
        }
        finally
        {
            pool.close();
        }
    }

    private Map<String, Object> measureCluster(final PoolServer[] pools, final ClusterFrontend[] frontends,
        final List<Process> nodes) throws InterruptedException
    {
        final LoadGenerator[] loads = new LoadGenerator[2];
        for (int f = 0; f < 2; f++)
        {
            loads[f] = load(pools[f], connections / 2, rate / 2);
        }
        final LoadGenerator.Result[] results = new LoadGenerator.Result[2];
        final long[] cpu0 = new long[nodes.size()];
        final Thread[] measuring = new Thread[2];
        for (int f = 0; f < 2; f++)
        {
            final int i = f;
            loads[f].onMeasureStart(() ->
            {
                pools[i].metrics().ackHeldForCommit.reset();
                if (i == 0)
                {
                    for (int n = 0; n < nodes.size(); n++)
                    {
                        cpu0[n] = cpuNs(nodes.get(n));
                    }
                }
            });
            measuring[f] = Thread.ofPlatform().start(() ->
            {
                try
                {
                    results[i] = loads[i].measure(loads[i].start());
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (final Thread t : measuring)
        {
            t.join();
        }
        final long[] cpu = new long[nodes.size()];
        for (int n = 0; n < nodes.size(); n++)
        {
            cpu[n] = cpuNs(nodes.get(n)) - cpu0[n];
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        final long shares = results[0].sharesAccepted() + results[1].sharesAccepted();
        final double secs = Math.max(results[0].seconds(), results[1].seconds());
        m.put("shares_per_sec", shares / secs);
        for (int f = 0; f < 2; f++)
        {
            final Map<String, Object> fm = result(results[f]);
            fm.put("ack_held_for_commit_us", pools[f].metrics().ackHeldForCommit.snapshotUs());
            m.put("frontend_" + (f + 1), fm);
        }
        final List<Object> nodeCpu = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++)
        {
            final Map<String, Object> nm = new LinkedHashMap<>();
            nm.put("cpu_ms", cpu[n] / 1e6);
            nm.put("cpu_ns_per_share", shares == 0 ? 0 : (double)cpu[n] / shares);
            nm.put("cores_busy", cpu[n] / 1e9 / secs);
            nodeCpu.add(nm);
        }
        m.put("nodes", nodeCpu);
        for (final LoadGenerator g : loads)
        {
            g.close();
        }
        return m;
    }

    /** SIGKILL of the leader under load; the time until a frontend sees a batch committed in the new term. */
    private Map<String, Object> failover(final PoolServer[] pools, final ClusterFrontend[] frontends,
        final List<Process> nodes, final Path[] configs, final Path logs) throws InterruptedException
    {
        awaitConnected(frontends, nodes, logs, 90_000);
        final LoadGenerator[] loads = {load(pools[0], connections / 2, failoverRate / 2), load(pools[1], connections / 2,
            failoverRate / 2)};
        loads[0].start();
        loads[1].start();
        Thread.sleep(2000);
        int leader = -1;
        for (int i = 0; i < configs.length && leader < 0; i++)
        {
            try
            {
                leader = ((Number)ClusterStatus.query(EngineConfig.load(configs[i]).cluster(), 5000)
                    .get("leader_member_id")).intValue();
            }
            catch (final IllegalStateException ex)
            {
                // ask the next node
            }
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("leader_heartbeat_timeout_ms", heartbeatTimeoutMs);
        if (leader < 0)
        {
            m.put("error", "no node named a leader");
            return m;
        }
        final long term = ((Number)frontends[0].status().get("leadership_term_id")).longValue();
        final long committed = frontends[0].committedTicket();
        final long t0 = System.nanoTime();
        nodes.get(leader).destroyForcibly();
        long newLeaderNs = -1;
        long firstCommitNs = -1;
        final long deadline = t0 + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && firstCommitNs < 0)
        {
            final Map<String, Object> s = frontends[0].status();
            final long nowTerm = ((Number)s.get("leadership_term_id")).longValue();
            if (newLeaderNs < 0 && nowTerm > term)
            {
                newLeaderNs = System.nanoTime() - t0;
            }
            if (nowTerm > term && frontends[0].committedTicket() > committed &&
                "connected".equals(s.get("session_state")))
            {
                firstCommitNs = System.nanoTime() - t0;
            }
            Thread.sleep(1);
        }
        m.put("killed_member_id", leader);
        m.put("new_leader_seen_ms", newLeaderNs / 1e6);
        m.put("first_commit_in_new_term_ms", firstCommitNs / 1e6);
        for (final LoadGenerator g : loads)
        {
            g.close();
        }
        return m;
    }

    private static void awaitConnected(final ClusterFrontend[] frontends, final List<Process> nodes,
        final Path logs, final long timeoutMs) throws InterruptedException
    {
        final long minAlive = nodes.size();
        final long deadline = System.currentTimeMillis() + timeoutMs;
        for (final ClusterFrontend f : frontends)
        {
            while (!"connected".equals(f.status().get("session_state")))
            {
                if (nodes.stream().filter(Process::isAlive).count() < minAlive)
                {
                    throw new CliException(ExitCode.FAILURE, "a cluster node exited: " + exited(nodes, logs));
                }
                if (System.currentTimeMillis() > deadline)
                {
                    throw new CliException(ExitCode.FAILURE, "frontend " + f.frontendId() + " did not connect: " +
                        f.status());
                }
                Thread.sleep(10);
            }
        }
    }

    private static String exited(final List<Process> nodes, final Path logs)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++)
        {
            if (!nodes.get(i).isAlive())
            {
                String last = "";
                try
                {
                    final List<String> lines = Files.readAllLines(logs.resolve("node-" + i + ".log"));
                    last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                }
                catch (final IOException ex)
                {
                    last = ex.toString();
                }
                sb.append("node ").append(i).append(" (").append(last).append(") ");
            }
        }
        return sb.toString();
    }

    private static long cpuNs(final Process p)
    {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private LoadGenerator load(final PoolServer pool, final int n, final double r)
    {
        return new LoadGenerator(new LoadGenerator.Options(pool.sv2Address(),
            AuthorityKeys.decodePublic(pool.authorityPublicKey()), n, r, (long)(warmup * 1000),
            (long)(seconds * 1000), 512, 16, 30_000));
    }

    private static Map<String, Object> result(final LoadGenerator.Result r)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("shares_per_sec", r.sharesPerSecond());
        m.put("ack_p50_us", r.p50Us());
        m.put("ack_p99_us", r.p99Us());
        m.put("ack_p999_us", r.p999Us());
        m.put("connect_failures", r.connectFailures());
        return m;
    }

    private static String poolToml(final Path dir)
    {
        return """
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 60000
            [pool]
            # every simulated miner connects from 127.0.0.1: no per-address limits in a benchmark
            max_connections_per_ip = 10000000
            connect_rate_per_ip = 1000000000.0
            connect_burst_per_ip = 10000000
            max_unauthenticated = 10000000
            journal_dir = "%s"
            min_hashrate = 0.000001
            [template]
            embedded_bits = "1a00ffff"
            [api]
            enabled = false
            """.formatted(dir.resolve("journal").toString().replace("\\", "/"));
    }

    private String clusterToml(final List<String> members, final String id, final Path tmp, final int i)
    {
        final StringBuilder sb = new StringBuilder("[cluster]\nmembers = [");
        for (int m = 0; m < members.size(); m++)
        {
            sb.append(m == 0 ? "" : ", ").append('"').append(members.get(m)).append('"');
        }
        sb.append("]\n");
        final String aeronDir = io.aeron.CommonContext.getAeronDirectoryName() + "-bench-" + id +
            (i >= 0 ? "-node-" + i : "-frontend-" + -i);
        if (i >= 0)
        {
            sb.append("role = \"node\"\nmember_id = ").append(i).append("\ncluster_dir = \"")
                .append(tmp.resolve("node-" + i).toString().replace("\\", "/")).append("\"\n");
        }
        else
        {
            sb.append("role = \"frontend\"\nfrontend_id = ").append(-i).append("\negress_host = \"127.0.0.1\"\n");
        }
        sb.append("aeron_dir = \"").append(aeronDir).append("\"\n");
        sb.append("leader_heartbeat_timeout_ms = ").append(heartbeatTimeoutMs).append('\n');
        sb.append("startup_canvass_timeout_ms = ").append(Math.max(10_000, 2 * heartbeatTimeoutMs)).append('\n');
        sb.append("ack_timeout_ms = 120000\n");
        return sb.toString();
    }

    private static Process startNode(final Path config, final Path log) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        final String root = System.getProperty("sv2.root.dir");
        if (root != null && Files.exists(Path.of(root, "etc/jvm.flags")))
        {
            cmd.add("@" + Path.of(root, "etc/jvm.flags"));
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("pool");
        cmd.add("--config");
        cmd.add(config.toString());
        cmd.add("--status-interval");
        cmd.add("0");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
