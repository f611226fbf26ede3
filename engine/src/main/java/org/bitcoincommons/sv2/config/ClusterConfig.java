package org.bitcoincommons.sv2.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [cluster]}: scale-out on Aeron Cluster. {@code role = "single"} (the default) is one process that journals
 * its own accounting; {@code "frontend"} is a pool whose accepted-share batches go to the cluster as commands and are
 * acknowledged once committed; {@code "node"} is one member of the cluster that replicates the accounting.
 *
 * @param role                       "single", "frontend" or "node"
 * @param members                    every member's host and port block, in member-id order: member i listens on
 *                                   port_base+1 (archive control), +2 (ingress, what frontends send to), +3 (consensus),
 *                                   +4 (log), +5 (catch-up)
 * @param memberId                   this node's index in {@code members} (role node)
 * @param frontendId                 this frontend's id, unique in the cluster (role frontend)
 * @param egressHost                 the address the nodes send a frontend's replies to (role frontend; the port is
 *                                   chosen by the OS)
 * @param clusterDir                 where a node keeps its archive, recording log and snapshots
 * @param aeronDir                   the Aeron media driver's directory; empty: Aeron's default directory (/dev/shm on
 *                                   Linux) with "-sv2-node-N" or "-sv2-frontend-N" appended
 * @param logTermLength              bytes of one term of the replicated log (a power of two, 64 KiB..1 GiB); with
 *                                   {@code templates = "cluster"} also of the feeder's ingress and of the egress to
 *                                   frontends: a template is at most 1/8 of it (default 8 MiB, 64 MiB with
 *                                   {@code templates = "cluster"})
 * @param ingressTermLength          bytes of one term of a frontend's ingress stream; a command is at most 1/8 of it
 * @param leaderHeartbeatTimeoutMs   followers start an election when the leader is silent this long
 * @param leaderHeartbeatIntervalMs  how often the leader sends heartbeats when idle
 * @param electionTimeoutMs          how long an election round waits for votes
 * @param startupCanvassTimeoutMs    how long a starting node waits to hear from every member before electing with a
 *                                   majority
 * @param sessionTimeoutMs           a frontend session with no message or keepalive for this long is closed
 * @param ackTimeoutMs               a frontend holds a share's acknowledgement at most this long waiting for its batch
 *                                   to commit; then it closes the connection without acknowledging
 * @param resendIntervalMs           a frontend re-sends its uncommitted batches when none commits for this long
 * @param maxUnackedBytes            a frontend keeps at most this many bytes of uncommitted batches for re-sending
 * @param publishIntervalMs          how often a node publishes its totals to its API and {@code bin/sv2 cluster status}
 * @param templates                  "local" (the default): a frontend runs its own {@code [template] sources};
 *                                   "cluster": every frontend mines the templates the cluster sends it, in log order:
 *                                   on a node, the feeder beside it polls {@code [template] sources} while the node
 *                                   is leader and sends them to the cluster; on a frontend, {@code [template] sources}
 *                                   must be ["bitcoind"], whose node is used only to submit found blocks
 * @param aux                        "local" (the default): a frontend's merged mining polls its own aux nodes;
 *                                   "cluster": on a node, an aux feeder polls the {@code [[merge.chains]]} nodes
 *                                   while the node is leader and sends their work to the cluster, and submits the
 *                                   proofs frontends send back; a frontend mines the cluster's aux work and never
 *                                   talks to an aux node (every node's {@code rpc_url} of a chain must reach the same
 *                                   aux node: a proof may be submitted by another node's feeder than the one that
 *                                   fetched the work)
 */
public record ClusterConfig(
    String role,
    List<String> members,
    int memberId,
    int frontendId,
    String egressHost,
    Path clusterDir,
    String aeronDir,
    int logTermLength,
    int ingressTermLength,
    long leaderHeartbeatTimeoutMs,
    long leaderHeartbeatIntervalMs,
    long electionTimeoutMs,
    long startupCanvassTimeoutMs,
    long sessionTimeoutMs,
    long ackTimeoutMs,
    long resendIntervalMs,
    long maxUnackedBytes,
    long publishIntervalMs,
    String templates,
    String aux)
{
    public static final String SINGLE = "single";
    public static final String FRONTEND = "frontend";
    public static final String NODE = "node";
    public static final String TEMPLATES_LOCAL = "local";
    public static final String TEMPLATES_CLUSTER = "cluster";

    /** The ports of member {@code i}, relative to its port base (Aeron's ClusterConfig sample uses the same). */
    public static final int ARCHIVE_CONTROL_PORT_OFFSET = 1;
    public static final int INGRESS_PORT_OFFSET = 2;
    public static final int CONSENSUS_PORT_OFFSET = 3;
    public static final int LOG_PORT_OFFSET = 4;
    public static final int CATCHUP_PORT_OFFSET = 5;

    static ClusterConfig read(final TomlReader t, final Path baseDir)
    {
        final String role = t.string("role", SINGLE);
        if (!role.equals(SINGLE) && !role.equals(FRONTEND) && !role.equals(NODE))
        {
            throw new ConfigException(t.key("role") + ": must be \"single\", \"frontend\" or \"node\" (got \"" + role + "\")");
        }
        final List<String> members = t.strings("members");
        final List<String> checked = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++)
        {
            final var a = TomlReader.parseAddress(t.key("members") + "[" + i + "]", members.get(i));
            if (a.getPort() == 0 || a.getPort() + CATCHUP_PORT_OFFSET > 65535)
            {
                throw new ConfigException(t.key("members") + "[" + i + "]: the port base must be 1.." +
                    (65535 - CATCHUP_PORT_OFFSET) + " (got " + a.getPort() + ")");
            }
            checked.add(members.get(i));
        }
        if (!role.equals(SINGLE) && checked.isEmpty())
        {
            throw new ConfigException(t.key("members") + ": is required for role \"" + role + "\" " +
                "(every member's \"host:port_base\", in member-id order)");
        }
        final int memberId = (int)t.integer("member_id", 0, 0, 127);
        if (role.equals(NODE) && memberId >= checked.size())
        {
            throw new ConfigException(t.key("member_id") + ": must name one of the " + checked.size() +
                " members (0.." + (checked.size() - 1) + "), got " + memberId);
        }
        final int frontendId = (int)t.integer("frontend_id", 0, 0, Integer.MAX_VALUE);
        if (role.equals(FRONTEND) && frontendId == 0)
        {
            throw new ConfigException(t.key("frontend_id") + ": is required for role \"frontend\" (1.." +
                Integer.MAX_VALUE + ", unique among the frontends)");
        }
        final String templates = t.string("templates", TEMPLATES_LOCAL);
        if (!templates.equals(TEMPLATES_LOCAL) && !templates.equals(TEMPLATES_CLUSTER))
        {
            throw new ConfigException(t.key("templates") + ": must be \"local\" or \"cluster\" (got \"" + templates +
                "\")");
        }
        if (templates.equals(TEMPLATES_CLUSTER) && role.equals(SINGLE))
        {
            throw new ConfigException(t.key("templates") + ": \"cluster\" needs role \"frontend\" or \"node\"");
        }
        final String aux = t.string("aux", TEMPLATES_LOCAL);
        if (!aux.equals(TEMPLATES_LOCAL) && !aux.equals(TEMPLATES_CLUSTER))
        {
            throw new ConfigException(t.key("aux") + ": must be \"local\" or \"cluster\" (got \"" + aux + "\")");
        }
        if (aux.equals(TEMPLATES_CLUSTER) && role.equals(SINGLE))
        {
            throw new ConfigException(t.key("aux") + ": \"cluster\" needs role \"frontend\" or \"node\"");
        }
        // a TEMPLATE carries the template's transactions and must fit one message (1/8 of a term): 64 MiB terms hold
        // the largest block (4 MB serialized) with room to spare
        final int logTerm = termLength(t, "log_term_length", templates.equals(TEMPLATES_CLUSTER) ? 64 << 20 : 8 << 20);
        final int ingressTerm = termLength(t, "ingress_term_length", 1 << 20);
        final long heartbeatTimeout = t.integer("leader_heartbeat_timeout_ms", 10_000, 10, 3_600_000);
        final long heartbeatInterval = t.integer("leader_heartbeat_interval_ms", 200, 1, 60_000);
        if (heartbeatInterval >= heartbeatTimeout)
        {
            throw new ConfigException(t.key("leader_heartbeat_interval_ms") + ": must be below leader_heartbeat_timeout_ms ("
                + heartbeatTimeout + "), got " + heartbeatInterval);
        }
        final long canvass = t.integer("startup_canvass_timeout_ms", 60_000, 10, 3_600_000);
        if (canvass < 2 * heartbeatTimeout)
        {
            throw new ConfigException(t.key("startup_canvass_timeout_ms") + ": must be at least twice " +
                "leader_heartbeat_timeout_ms (" + heartbeatTimeout + "), got " + canvass);
        }
        return new ClusterConfig(
            role,
            List.copyOf(checked),
            memberId,
            frontendId,
            t.string("egress_host", "localhost"),
            PoolConfig.resolve(baseDir, t.string("cluster_dir", "data/cluster")),
            t.string("aeron_dir", ""),
            logTerm,
            ingressTerm,
            heartbeatTimeout,
            heartbeatInterval,
            t.integer("election_timeout_ms", 1_000, 10, 3_600_000),
            canvass,
            t.integer("session_timeout_ms", 10_000, 100, 3_600_000),
            t.integer("ack_timeout_ms", 30_000, 1, 3_600_000),
            t.integer("resend_interval_ms", 1_000, 1, 3_600_000),
            t.integer("max_unacked_bytes", 64L << 20, 1L << 20, 1L << 30),
            t.integer("publish_interval_ms", 1_000, 1, 3_600_000),
            templates,
            aux);
    }

    private static int termLength(final TomlReader t, final String key, final int dflt)
    {
        final long v = t.integer(key, dflt, 64 * 1024, 1L << 30);
        if (Long.bitCount(v) != 1)
        {
            throw new ConfigException(t.key(key) + ": must be a power of two (got " + v + ")");
        }
        return (int)v;
    }

    public boolean frontend()
    {
        return role.equals(FRONTEND);
    }

    public boolean node()
    {
        return role.equals(NODE);
    }

    /** Templates come from the cluster (a frontend) or are fed to it (a node). */
    public boolean clusterTemplates()
    {
        return templates.equals(TEMPLATES_CLUSTER);
    }

    /**
     * Aux work comes from the cluster and proofs go back through it (a frontend), or an aux feeder beside the node
     * feeds it (a node): {@code aux = "cluster"}.
     */
    public boolean clusterAux()
    {
        return aux.equals(TEMPLATES_CLUSTER);
    }

    /** Member {@code i}'s host, as written (an IPv6 literal without its brackets). */
    public String host(final int i)
    {
        final String s = members.get(i);
        final String h = s.substring(0, s.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Member {@code i}'s port base. */
    public int portBase(final int i)
    {
        final String s = members.get(i);
        return Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
    }

    /** {@code host:port} of member {@code i}'s port at {@code offset} from its base. */
    public String endpoint(final int i, final int offset)
    {
        final String host = host(i);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + (portBase(i) + offset);
    }

    /** Aeron's cluster members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    public String aeronMembers()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < members.size(); i++)
        {
            if (i > 0)
            {
                sb.append('|');
            }
            sb.append(i).append(',')
                .append(endpoint(i, INGRESS_PORT_OFFSET)).append(',')
                .append(endpoint(i, CONSENSUS_PORT_OFFSET)).append(',')
                .append(endpoint(i, LOG_PORT_OFFSET)).append(',')
                .append(endpoint(i, CATCHUP_PORT_OFFSET)).append(',')
                .append(endpoint(i, ARCHIVE_CONTROL_PORT_OFFSET));
        }
        return sb.toString();
    }

    /** The cluster client's ingress endpoints: {@code 0=host:port,1=host:port,...}. */
    public String ingressEndpoints()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < members.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append(i).append('=').append(endpoint(i, INGRESS_PORT_OFFSET));
        }
        return sb.toString();
    }
}
