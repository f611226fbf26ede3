package org.bitcoincommons.sv2.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import org.agrona.IoUtil;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.config.EngineConfig;

/**
 * Three (or N) real Aeron Cluster nodes in this JVM on 127.0.0.1, each with its own directories, Aeron directory and
 * port block, with TestCluster-like short timeouts and small sparse terms; and the configurations of frontends.
 */
final class ClusterHarness implements AutoCloseable
{
    /** The [cluster] keys every member and frontend of a test shares (short timeouts, small terms). */
    static final String TIMEOUTS = """
        log_term_length = 524288
        ingress_term_length = 262144
        leader_heartbeat_timeout_ms = 1000
        leader_heartbeat_interval_ms = 100
        election_timeout_ms = 500
        startup_canvass_timeout_ms = 2000
        session_timeout_ms = 5000
        resend_interval_ms = 500
        publish_interval_ms = 20
        """;

    final Path dir;
    final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    final List<String> members;
    final ClusterNode[] nodes;
    /** The shared [cluster] keys this harness writes ({@link #TIMEOUTS} unless a test changes it before any toml). */
    String shared = TIMEOUTS;
    private final List<Path> aeronDirs = new ArrayList<>();

    ClusterHarness(final Path dir, final int memberCount) throws IOException
    {
        this.dir = dir;
        this.members = LoopbackPorts.freeMemberBlocks(memberCount);
        this.nodes = new ClusterNode[memberCount];
    }

    /** The [cluster] table of member {@code i}, or of a frontend when {@code i < 0} (frontend id {@code -i}). */
    String toml(final int i, final String extra)
    {
        final StringBuilder sb = new StringBuilder("[cluster]\n");
        sb.append("members = [");
        for (int m = 0; m < members.size(); m++)
        {
            sb.append(m == 0 ? "" : ", ").append('"').append(members.get(m)).append('"');
        }
        sb.append("]\n");
        final Path aeronDir = aeronBase().resolve("sv2-" + id + (i >= 0 ? "-node-" + i : "-frontend-" + -i));
        aeronDirs.add(aeronDir);
        if (i >= 0)
        {
            sb.append("role = \"node\"\nmember_id = ").append(i).append('\n');
            sb.append("cluster_dir = \"").append(dir.resolve("node-" + i).toString().replace("\\", "/")).append("\"\n");
        }
        else
        {
            sb.append("role = \"frontend\"\nfrontend_id = ").append(-i).append('\n');
            sb.append("egress_host = \"127.0.0.1\"\n");
        }
        sb.append("aeron_dir = \"").append(aeronDir.toString().replace("\\", "/")).append("\"\n");
        sb.append(shared).append(extra);
        return sb.toString();
    }

    ClusterConfig config(final int i, final String extra)
    {
        return EngineConfig.parse(toml(i, extra), dir).cluster();
    }

    ClusterNode start(final int i, final ClusterNode.Start start)
    {
        nodes[i] = ClusterNode.launch(config(i, ""), start);
        return nodes[i];
    }

    void startAll()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            start(i, ClusterNode.Start.CLEAN);
        }
    }

    /** The node whose service is leader, waiting up to {@code timeoutMs}; -1 when none. */
    int awaitLeader(final long timeoutMs)
    {
        final int[] leader = {-1};
        await(timeoutMs, () ->
        {
            for (int i = 0; i < nodes.length; i++)
            {
                if (nodes[i] != null && "LEADER".equals(nodes[i].service().role().name()))
                {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    void stop(final int i)
    {
        if (nodes[i] != null)
        {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /**
     * Waits until every running node published the same state bytes, and that state has applied every command the
     * given (finished) frontends sealed; returns it. (A node publishes a copy of its state every publish interval, so
     * equal copies alone could all be one interval old.)
     */
    byte[] awaitEqualStates(final long timeoutMs, final Frontend... finished)
    {
        final byte[][] out = {null};
        await(timeoutMs, () ->
        {
            byte[] first = null;
            for (final ClusterNode n : nodes)
            {
                if (n == null)
                {
                    continue;
                }
                final byte[] s = n.service().published().state();
                if (first == null)
                {
                    first = s;
                }
                else if (!Arrays.equals(first, s))
                {
                    return false;
                }
            }
            final ReplicatedAccounting r = new ReplicatedAccounting();
            r.decode(new org.agrona.concurrent.UnsafeBuffer(first), 0, first.length);
            for (final Frontend f : finished)
            {
                if (r.highestSequence(f.id) != f.cluster.sealedTicket())
                {
                    return false;
                }
            }
            out[0] = first;
            return true;
        });
        return out[0];
    }

    /** Aeron's own error logs of every running node, and where the cluster's threads are: for a failing test. */
    void dumpDiagnostics(final java.io.PrintStream out)
    {
        for (final ClusterNode n : nodes)
        {
            if (n != null)
            {
                out.println("=== node " + n.memberId() + " consensus/service errors");
                io.aeron.cluster.ClusterTool.errors(out, n.consensusDir());
                out.println("=== node " + n.memberId() + " archive errors");
                io.aeron.archive.ArchiveTool.printErrors(out, n.config().clusterDir().resolve("archive").toFile());
            }
        }
        Thread.getAllStackTraces().forEach((t, stack) ->
        {
            final String name = t.getName();
            if (name.contains("consensus") || name.contains("archive") || name.contains("clustered") ||
                name.contains("driver") || name.contains("recorder"))
            {
                out.println("=== thread " + name + " " + t.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++)
                {
                    out.println("    at " + stack[i]);
                }
            }
        });
    }

    @Override
    public void close()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            stop(i);
        }
        for (final Path p : aeronDirs)
        {
            IoUtil.delete(p.toFile(), true);
        }
    }

    static Path aeronBase()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    static boolean await(final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
