package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Aeron Cluster nodes and two real frontend pools in this JVM, with encrypted miners on both frontends:
 * every node ends with the same state, equal to a single-process replay of the frontends' journals; a leader killed
 * under load loses and double-counts nothing; a snapshot plus the log restores what a replay from the start builds.
 */
class ClusterFrontendTest
{
    @TempDir
    Path dir;

    /** Stops the loads, waits until both frontends have everything committed, closes them. */
    private static long finish(final LoadGenerator[] loads, final Frontend... frontends)
    {
        long acked = 0;
        for (final LoadGenerator g : loads)
        {
            g.close();
        }
        for (final Frontend f : frontends)
        {
            assertTrue(f.awaitAllCommitted(20_000), () -> "frontend " + f.id + ": " + f.cluster.status());
        }
        for (final LoadGenerator g : loads)
        {
            acked += g.acceptedTotal();
        }
        for (final Frontend f : frontends)
        {
            f.close();
        }
        return acked;
    }

    private static long shares(final byte[] state)
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        r.decode(new org.agrona.concurrent.UnsafeBuffer(state), 0, state.length);
        return r.state().sharesAccepted();
    }

    private static void assertEqualsReplay(final ClusterHarness h, final byte[] state, final long acked,
        final Frontend... frontends)
    {
        final ReplicatedAccounting node = new ReplicatedAccounting();
        node.decode(new org.agrona.concurrent.UnsafeBuffer(state), 0, state.length);
        final ReplicatedAccounting replay = JournalCommands.replay(frontends);
        long journaled = 0;
        for (final Frontend f : frontends)
        {
            journaled += f.journaledShares();
        }
        assertTrue(node.state().sharesAccepted() >= acked,
            "every acknowledged share is in the cluster: " + node.state().sharesAccepted() + " >= " + acked);
        assertEquals(journaled, node.state().sharesAccepted(), "each journaled share counted exactly once");
        Totals.assertSame(replay.state().toMap(), node.state().toMap(), "totals");
    }

    @Test
    @Timeout(90)
    void twoFrontendsOnThreeNodesEqualASingleProcessReplay() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            assertTrue(h.awaitLeader(20_000) >= 0, "a leader is elected");
            final Frontend a = new Frontend(h, 1, "");
            final Frontend b = new Frontend(h, 2, "");
            final LoadGenerator[] loads = {a.load(4, 3000), b.load(4, 3000)};
            assertTrue(ClusterHarness.await(30_000, () -> loads[0].acceptedTotal() > 3000 && loads[1].acceptedTotal() > 3000),
                () -> a.cluster.status() + " " + b.cluster.status());
            final long acked = finish(loads, a, b);
            final byte[] state = h.awaitEqualStates(10_000, a, b);
            assertNotNull(state, "all three nodes hold the same state");
            assertEqualsReplay(h, state, acked, a, b);
            System.out.println("two frontends: " + acked + " shares acknowledged, " + shares(state) + " on every node");
        }
    }

    @Test
    @Timeout(120)
    void leaderKilledUnderLoadLosesAndDoublesNothing() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            final int leader = h.awaitLeader(20_000);
            assertTrue(leader >= 0);
            final Frontend a = new Frontend(h, 1, "");
            final Frontend b = new Frontend(h, 2, "");
            final LoadGenerator[] loads = {a.load(4, 3000), b.load(4, 3000)};
            assertTrue(ClusterHarness.await(30_000, () -> loads[0].acceptedTotal() > 2000 && loads[1].acceptedTotal() > 2000));
            final long ackedBeforeKill = loads[0].acceptedTotal() + loads[1].acceptedTotal();
            h.stop(leader);
            final int newLeader = h.awaitLeader(20_000);
            assertTrue(newLeader >= 0 && newLeader != leader, "a new leader is elected");
            assertTrue(ClusterHarness.await(30_000,
                () -> loads[0].acceptedTotal() + loads[1].acceptedTotal() > ackedBeforeKill + 4000),
                () -> "acknowledgements resume after the failover: " + a.cluster.status() + " " + b.cluster.status());
            final long acked = finish(loads, a, b);
            final byte[] state = h.awaitEqualStates(10_000, a, b);
            assertNotNull(state, "the two survivors hold the same state");
            assertEqualsReplay(h, state, acked, a, b);

            // the killed node comes back on its own directories and catches up to the same bytes
            h.start(leader, ClusterNode.Start.RESUME);
            assertArrayEquals(state, awaitState(h, leader, state), "the restarted node caught up");
        }
    }

    @Test
    @Timeout(120)
    void followerAndFrontendKilledUnderLoad() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            final int leader = h.awaitLeader(20_000);
            final int follower = (leader + 1) % 3;
            final Frontend a = new Frontend(h, 1, "");
            final Frontend b = new Frontend(h, 2, "");
            final LoadGenerator la = a.load(4, 3000);
            final LoadGenerator lb = b.load(4, 3000);
            assertTrue(ClusterHarness.await(30_000, () -> la.acceptedTotal() > 2000 && lb.acceptedTotal() > 2000));
            h.stop(follower);
            final long before = lb.acceptedTotal();
            assertTrue(ClusterHarness.await(30_000, () -> lb.acceptedTotal() > before + 2000),
                "two of three nodes still commit");
            assertEquals(leader, h.awaitLeader(1000), "losing a follower keeps the leader");
            // frontend a dies: its connections drop, its unacknowledged work is lost, nothing acknowledged is
            la.close();
            final long ackedA = la.acceptedTotal();
            a.pool.close();
            a.cluster.close(0);
            final long beforeB = lb.acceptedTotal();
            assertTrue(ClusterHarness.await(30_000, () -> lb.acceptedTotal() > beforeB + 2000), "b goes on");
            final long ackedB = finish(new LoadGenerator[] {lb}, b);
            final byte[] state = h.awaitEqualStates(10_000, b);
            assertNotNull(state, "the two running nodes hold the same state");
            final long inCluster = shares(state);
            assertTrue(inCluster >= ackedA + ackedB, inCluster + " >= " + ackedA + " + " + ackedB);
            assertTrue(inCluster <= a.journaledShares() + b.journaledShares(), "nothing counted twice");
            h.start(follower, ClusterNode.Start.RESUME);
            assertArrayEquals(state, awaitState(h, follower, state), "the follower caught up");
        }
    }

    @Test
    @Timeout(120)
    void snapshotThenRestartAllEqualsAReplayFromTheStart() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            assertTrue(h.awaitLeader(20_000) >= 0);
            final Frontend a = new Frontend(h, 1, "");
            final Frontend b = new Frontend(h, 2, "");
            final LoadGenerator[] loads = {a.load(4, 3000), b.load(4, 3000)};
            assertTrue(ClusterHarness.await(30_000, () -> loads[0].acceptedTotal() > 2000 && loads[1].acceptedTotal() > 2000));
            // bin/sv2 cluster snapshot runs on the leader's machine
            final int leader = h.awaitLeader(20_000);
            final boolean taken = ClusterStatus.snapshot(h.nodes[leader].config(), System.out);
            if (!taken)
            {
                h.dumpDiagnostics(System.out);
            }
            assertTrue(taken, "snapshot taken");
            assertTrue(ClusterHarness.await(10_000, () -> h.nodes[0].service().snapshotsTaken() == 1 &&
                h.nodes[1].service().snapshotsTaken() == 1 && h.nodes[2].service().snapshotsTaken() == 1));
            final long atSnapshot = loads[0].acceptedTotal() + loads[1].acceptedTotal();
            assertTrue(ClusterHarness.await(30_000, () -> loads[0].acceptedTotal() + loads[1].acceptedTotal() > atSnapshot + 2000));
            final long acked = finish(loads, a, b);
            final byte[] state = h.awaitEqualStates(10_000, a, b);
            assertNotNull(state, "all three nodes hold the same state");
            assertEqualsReplay(h, state, acked, a, b);

            // a fourth start of node 2 from nothing replays the whole log from the others
            h.stop(2);
            h.start(2, ClusterNode.Start.CLEAN);
            assertArrayEquals(state, awaitState(h, 2, state), "a replay from the start equals the state");
            assertEquals(0, h.nodes[2].service().snapshotsLoaded());

            // every node restarts from its snapshot plus the log after it
            for (int i = 0; i < 3; i++)
            {
                h.stop(i);
            }
            for (int i = 0; i < 3; i++)
            {
                h.start(i, ClusterNode.Start.RESUME);
            }
            assertTrue(h.awaitLeader(20_000) >= 0, "the restarted cluster elects a leader");
            for (int i = 0; i < 3; i++)
            {
                assertArrayEquals(state, awaitState(h, i, state), "node " + i + " after restart");
            }
            assertEquals(1, h.nodes[0].service().snapshotsLoaded(), "node 0 restored from its snapshot");
            assertEquals(1, h.nodes[1].service().snapshotsLoaded(), "node 1 restored from its snapshot");
        }
    }

    private static byte[] awaitState(final ClusterHarness h, final int node, final byte[] expected)
    {
        ClusterHarness.await(30_000, () -> java.util.Arrays.equals(expected, h.nodes[node].service().published().state()));
        return h.nodes[node].service().published().state();
    }

    @Test
    @Timeout(90)
    void withoutALeaderConnectionsAreAcceptedAndAcknowledgementsWait() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            assertTrue(h.awaitLeader(20_000) >= 0);
            final Frontend a = new Frontend(h, 1, "ack_timeout_ms = 60000\n");
            final LoadGenerator first = a.load(2, 1000);
            assertTrue(ClusterHarness.await(30_000, () -> first.acceptedTotal() > 500));
            // two of three nodes gone: no majority, no leader, nothing commits
            h.stop(0);
            h.stop(1);
            assertTrue(ClusterHarness.await(30_000, () -> a.pool.pendingAcks().held() > 0), "acknowledgements wait");
            final long committed = a.cluster.committedTicket();
            // a new miner connects, opens a channel and submits while there is no leader
            final LoadGenerator second = a.load(1, 200);
            assertEquals(1, second.openConnections(), "the frontend accepts connections without a leader");
            assertTrue(ClusterHarness.await(30_000, () -> a.pool.status().sharesAccepted() > 0 &&
                a.cluster.status().get("commands_sealed") instanceof Long s && s > committed + 5),
                "shares are validated and batched while the cluster is down");
            assertEquals(committed, a.cluster.committedTicket(), "nothing commits without a majority");
            assertEquals(0, second.acceptedTotal(), "no share is acknowledged without commit");
            // the majority returns: a leader is elected, the frontend re-sends, the held acknowledgements go out
            h.start(0, ClusterNode.Start.RESUME);
            h.start(1, ClusterNode.Start.RESUME);
            assertTrue(ClusterHarness.await(30_000, () -> second.acceptedTotal() > 50), "acknowledged after commit");
            final long acked = finish(new LoadGenerator[] {first, second}, a);
            final byte[] state = h.awaitEqualStates(15_000, a);
            assertNotNull(state, "all three nodes hold the same state");
            assertEqualsReplay(h, state, acked, a);
        }
    }

    @Test
    @Timeout(60)
    void acknowledgementsGiveUpAfterTheTimeoutAndConnectionsClose() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            // no node runs at all: the frontend starts, accepts miners, validates shares, acknowledges none
            final Frontend a = new Frontend(h, 1, "ack_timeout_ms = 1000\n");
            final LoadGenerator load = a.load(2, 500);
            assertTrue(ClusterHarness.await(30_000, () -> a.pool.pendingAcks().expired() > 0),
                "held acknowledgements expire");
            assertTrue(ClusterHarness.await(30_000, () -> load.openConnections() < 2), "their connections are closed");
            assertEquals(0, load.acceptedTotal(), "never acknowledged without commit");
            final Map<String, Object> s = a.cluster.status();
            assertNotEquals("connected", s.get("session_state"), s.toString());
            load.close();
            a.close();
        }
    }
}
