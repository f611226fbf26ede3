package org.bitcoincommons.sv2.cluster;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.service.ClusterMarkFile;
import org.bitcoincommons.sv2.config.ClusterConfig;

/**
 * What {@code bin/sv2 cluster status} reports, asked of a running node through its consensus module's mark file and
 * counters (so it runs on the node's machine): the members, the leader, each member's log position as this node knows
 * it, the commit position and how far each member lags behind the leader; and, when a template feeder runs beside the
 * node ({@code [cluster] templates = "cluster"}), its counters ({@link TemplateFeeder#COUNTER_NAMES}). Cold path.
 */
public final class ClusterStatus
{
    private ClusterStatus()
    {
    }

    /** Queries the node of {@code config} ({@code [cluster] role = "node"}); throws when it does not answer. */
    public static Map<String, Object> query(final ClusterConfig config, final long timeoutMs)
    {
        final File consensusDir = config.clusterDir().resolve("consensus").toFile();
        if (!new File(consensusDir, ClusterMarkFile.FILENAME).exists())
        {
            throw new IllegalStateException("no cluster node has run in " + consensusDir);
        }
        final ClusterMembership membership = new ClusterMembership();
        if (!ClusterTool.listMembers(membership, consensusDir, timeoutMs))
        {
            throw new IllegalStateException("the node in " + consensusDir + " did not answer within " + timeoutMs + " ms");
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("member_id", membership.memberId);
        out.put("leader_member_id", membership.leaderMemberId);
        long commitPosition = -1;
        String role = "unknown";
        long snapshots = -1;
        final long[] feeder = new long[TemplateFeeder.COUNTER_NAMES.size()];
        final boolean[] feederSeen = {false};
        final long[] auxFeeder = new long[AuxFeeder.COUNTER_NAMES.size()];
        final boolean[] auxFeederSeen = {false};
        final int memberId = membership.memberId;
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ClusterNode.aeronDir(config))))
        {
            final long[] values = {-1, -1, -1};
            aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (typeId == AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID)
                {
                    values[0] = aeron.countersReader().getCounterValue(counterId);
                }
                else if (typeId == AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID)
                {
                    values[1] = aeron.countersReader().getCounterValue(counterId);
                }
                else if (typeId == AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID)
                {
                    values[2] = aeron.countersReader().getCounterValue(counterId);
                }
                else if (typeId == TemplateFeeder.COUNTER_TYPE_ID && keyBuffer.getInt(0) == memberId)
                {
                    final int index = keyBuffer.getInt(Integer.BYTES);
                    if (index >= 0 && index < feeder.length)
                    {
                        feeder[index] = aeron.countersReader().getCounterValue(counterId);
                        feederSeen[0] = true;
                    }
                }
                else if (typeId == AuxFeeder.COUNTER_TYPE_ID && keyBuffer.getInt(0) == memberId)
                {
                    final int index = keyBuffer.getInt(Integer.BYTES);
                    if (index >= 0 && index < auxFeeder.length)
                    {
                        auxFeeder[index] = aeron.countersReader().getCounterValue(counterId);
                        auxFeederSeen[0] = true;
                    }
                }
            });
            commitPosition = values[0];
            role = values[1] == 0 ? "follower" : values[1] == 1 ? "candidate" : values[1] == 2 ? "leader" : "unknown";
            snapshots = values[2];
        }
        out.put("role", role);
        out.put("commit_position", commitPosition);
        out.put("snapshots", snapshots);
        long leaderPosition = -1;
        if (membership.activeMembers != null)
        {
            for (final ClusterMember m : membership.activeMembers)
            {
                if (m.id() == membership.leaderMemberId)
                {
                    leaderPosition = Math.max(m.logPosition(), commitPosition);
                }
            }
        }
        final List<Map<String, Object>> members = new ArrayList<>();
        if (membership.activeMembers != null)
        {
            for (final ClusterMember m : membership.activeMembers)
            {
                final Map<String, Object> e = new LinkedHashMap<>();
                e.put("id", m.id());
                e.put("leader", m.id() == membership.leaderMemberId);
                e.put("ingress_endpoint", m.ingressEndpoint());
                e.put("consensus_endpoint", m.consensusEndpoint());
                e.put("leadership_term_id", m.leadershipTermId());
                e.put("log_position", m.logPosition());
                e.put("commit_lag_bytes", leaderPosition < 0 || m.logPosition() < 0 ? -1 :
                    Math.max(0, leaderPosition - m.logPosition()));
                members.add(e);
            }
        }
        out.put("members", members);
        if (feederSeen[0])
        {
            out.put("template_feeder", TemplateFeeder.status(feeder));
        }
        if (auxFeederSeen[0])
        {
            out.put("aux_feeder", AuxFeeder.status(auxFeeder));
        }
        return out;
    }

    /**
     * Asks the node of {@code config}, which must be the leader, to have the cluster take a snapshot (every member
     * takes one at the same log position); waits for it to complete.
     */
    public static boolean snapshot(final ClusterConfig config, final PrintStream out)
    {
        return ClusterTool.snapshot(config.clusterDir().resolve("consensus").toFile(), out);
    }
}
