package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.merge.AuxChainEndpoint;
import org.bitcoincommons.sv2.merge.AuxWorkSnapshot;
import org.bitcoincommons.sv2.merge.FakeAuxPowNode;
import org.bitcoincommons.sv2.merge.FakeRskNode;
import org.bitcoincommons.sv2.merge.MergeMiningChannel;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [cluster] aux = "cluster"} end to end: three real Aeron Cluster nodes in this JVM, each with its aux feeder on
 * the same two aux nodes (a Namecoin-style AuxPoW node and an RSK node, fakes speaking JSON-RPC over HTTP on loopback),
 * and two real pool frontends whose {@code rpc_url}s lead nowhere: every frontend mines the aux work the leader's feeder
 * fetched, in log order, and never talks to an aux node; a proof found on frontend 2 reaches the aux node through the
 * cluster and the leader's feeder, which the node verifies and accepts; the leader killed with a proof still to submit:
 * the next leader's feeder submits it (the work its predecessor fetched) and feeds new work; a snapshot and a restart
 * keep the latest work of each chain; every node's per-chain credit equals a single-process replay of the frontends'
 * journals.
 */
class ClusterAuxTest
{
    /** A frontend never polls: its chains' nodes are unreachable on purpose. */
    private static final String NOWHERE = "http://127.0.0.1:1/";

    @TempDir
    Path dir;

    private final AuxFeeder[] feeders = new AuxFeeder[3];

    private static int bits(final double difficulty)
    {
        return Target.toCompact(Target.fromDifficulty(difficulty));
    }

    private static final String STRATUM = """
        merge_mining_enabled = true
        secondary_chains = ["namecoin", "rsk"]
        """;

    /**
     * The chains, on {@code nmc} and {@code rsk}. A proof waits up to 2 s for its outcome and is retried until the work
     * is 120 s old; a frontend's chain stays up through the retries of a failover (down after 50 failures).
     */
    private static String chains(final String nmc, final String rsk)
    {
        return """
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "%s"
            payout_address = "payout-namecoin"
            poll_interval_ms = 200
            timeout_ms = 2000
            max_work_age_ms = 120000
            down_after_failures = 50
            [[merge.chains]]
            name = "rsk"
            kind = "rsk"
            rpc_url = "%s"
            poll_interval_ms = 200
            timeout_ms = 2000
            max_work_age_ms = 120000
            down_after_failures = 50
            """.formatted(nmc, rsk);
    }

    private static EngineConfig nodeConfig(final ClusterHarness h, final int i, final URI nmc, final URI rsk)
    {
        return EngineConfig.parse(h.toml(i, "aux = \"cluster\"\n") + "[stratum_v2]\n" + STRATUM +
            chains(nmc.toString(), rsk.toString()), h.dir);
    }

    private static Frontend frontend(final ClusterHarness h, final int id) throws Exception
    {
        return new Frontend(h, id, "aux = \"cluster\"\n", STRATUM, chains(NOWHERE, NOWHERE));
    }

    private static MergeMiningCoordinator merge(final Frontend f)
    {
        return (MergeMiningCoordinator)f.pool.merge();
    }

    private static AuxWorkSnapshot.ChainWork work(final Frontend f, final String chain)
    {
        for (final AuxWorkSnapshot.ChainWork w : merge(f).snapshot().chains())
        {
            if (w.name().equals(chain))
            {
                return w;
            }
        }
        return null;
    }

    private static MergeMiningChannel channel(final Frontend f, final String chain)
    {
        return merge(f).channels().stream().filter(c -> c.name().equals(chain)).findFirst().orElseThrow();
    }

    private static MinerClient miner(final Frontend f, final String user)
    {
        final MinerClient m = new MinerClient(new MinerConfig(f.address(),
            AuthorityKeys.decodePublic(f.pool.authorityPublicKey()), user, 1, true, 0, "auto", 100, 1000, 2000));
        m.start();
        return m;
    }

    /** Both frontends hold, for both chains, the work the aux nodes hand out now (asked here, directly). */
    private void awaitBothOnNodesWork(final EngineConfig node, final Frontend a, final Frontend b) throws Exception
    {
        final List<AuxChainEndpoint> direct = AuxChainEndpoint.of(node);
        final byte[][] expected = new byte[2][];
        assertTrue(ClusterHarness.await(30_000, () ->
        {
            for (int i = 0; i < 2; i++)
            {
                try
                {
                    expected[i] = direct.get(i).work().hash();
                }
                catch (final Exception ex)
                {
                    return false;
                }
                final AuxWorkSnapshot.ChainWork wa = work(a, direct.get(i).name());
                final AuxWorkSnapshot.ChainWork wb = work(b, direct.get(i).name());
                if (wa == null || wb == null || !Arrays.equals(expected[i], wa.blockHash()) ||
                    !Arrays.equals(expected[i], wb.blockHash()))
                {
                    return false;
                }
            }
            return true;
        }), () -> "both frontends on the aux nodes' work; feeders " + Arrays.stream(feeders)
            .map(f -> f == null ? "-" : f.status().toString()).toList() + "; frontends " + a.cluster.status() + " " +
            b.cluster.status());
        for (final String chain : List.of("namecoin", "rsk"))
        {
            final AuxWorkSnapshot.ChainWork wa = work(a, chain);
            final AuxWorkSnapshot.ChainWork wb = work(b, chain);
            assertArrayEquals(wa.targetLe(), wb.targetLe(), chain + " target");
            assertEquals(wa.reward(), wb.reward(), chain + " reward");
            assertEquals(wa.height(), wb.height(), chain + " height");
            assertEquals(wa.slot(), wb.slot(), chain + " slot");
            assertArrayEquals(wa.chainBranch(), wb.chainBranch(), chain + " branch");
        }
        assertArrayEquals(merge(a).snapshot().commitment().scriptSigPush(),
            merge(b).snapshot().commitment().scriptSigPush(), "the same AuxPoW commitment");
    }

    private static ReplicatedAccounting decode(final byte[] state)
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        r.decode(new UnsafeBuffer(state), 0, state.length);
        return r;
    }

    /**
     * {@code PoolServer.close()} seals what the frontend journaled since its last tick (one per second): a frontend
     * closed at once still sends the chain names it journaled at start, and one closed while shares are being accepted
     * sends every share it journaled (the cluster's totals equal its journal's).
     */
    @Test
    @Timeout(90)
    void aFrontendClosedAtOnceSendsEverythingItJournaled() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            assertTrue(h.awaitLeader(20_000) >= 0, "a leader");
            final Frontend a = frontend(h, 1);
            a.close();
            final byte[] first = h.awaitEqualStates(20_000, a);
            assertNotNull(first, "every node applied everything frontend 1 sealed");
            assertTrue(a.cluster.sealedTicket() > 0, "frontend 1 sealed its start's events");
            final Map<String, Object> chains = chains(decode(first));
            assertTrue(chains.containsKey("namecoin") && chains.containsKey("rsk"), chains.toString());

            final Frontend b = frontend(h, 2);
            final org.bitcoincommons.sv2.loadgen.LoadGenerator load = b.load(2, 2000);
            try
            {
                assertTrue(ClusterHarness.await(30_000, () -> load.acceptedTotal() > 0), "shares acknowledged");
                b.close();
            }
            finally
            {
                load.close();
            }
            final byte[] end = h.awaitEqualStates(20_000, a, b);
            assertNotNull(end, "every node applied everything both frontends sealed");
            final ReplicatedAccounting node = decode(end);
            assertEquals(a.journaledShares() + b.journaledShares(), node.state().sharesAccepted(),
                "every share the frontends journaled is in the cluster");
            assertTrue(node.state().sharesAccepted() >= load.acceptedTotal());
            Totals.assertSame(JournalCommands.replay(a, b).state().toMap(), node.state().toMap(), "totals");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chains(final ReplicatedAccounting r)
    {
        return (Map<String, Object>)r.state().toMap().get("chains");
    }

    @Test
    @Timeout(240)
    void frontendsMineTheClustersAuxWorkAndTheLeadersFeederSubmitsTheirProofs() throws Exception
    {
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, bits(0.0005));
             FakeRskNode rsk = new FakeRskNode(Target.fromDifficulty(0.0005));
             ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            final EngineConfig[] nodeConfigs = new EngineConfig[3];
            for (int i = 0; i < 3; i++)
            {
                nodeConfigs[i] = nodeConfig(h, i, nmc.url(), rsk.url());
                feeders[i] = AuxFeeder.start(nodeConfigs[i], h.nodes[i]);
            }
            final int leader = h.awaitLeader(20_000);
            assertTrue(leader >= 0, "a leader");
            Frontend a = null;
            Frontend b = null;
            try
            {
                a = frontend(h, 1);
                b = frontend(h, 2);
                final Frontend fa = a;
                final Frontend fb = b;

                // the same aux work on both frontends, fetched by the leader's feeder only
                awaitBothOnNodesWork(nodeConfigs[leader], a, b);
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(i == leader, feeders[i].feeding(), "feeder " + i + " feeds only beside the leader");
                    if (i != leader)
                    {
                        assertEquals(0, feeders[i].workOffered());
                    }
                }
                assertTrue(a.cluster.auxSource().updatesReceived() >= 2);
                // bin/sv2 cluster status reads each feeder's Aeron counters from the node's driver: leading on the
                // leader only; the leader's node API shows the feeder and the replicated aux counts
                for (int i = 0; i < 3; i++)
                {
                    final Map<String, Object> st = ClusterStatus.query(nodeConfigs[i].cluster(), 10_000);
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> af = (Map<String, Object>)st.get("aux_feeder");
                    assertNotNull(af, st.toString());
                    assertEquals(i == leader ? "leading" : "idle", af.get("state"), st.toString());
                    assertEquals(i == leader, (Long)af.get("work_fed") > 0, st.toString());
                }
                try (org.bitcoincommons.sv2.api.NodeApiServer api = new org.bitcoincommons.sv2.api.NodeApiServer(
                    new java.net.InetSocketAddress("127.0.0.1", 0), h.nodes[leader], null, feeders[leader]))
                {
                    api.start();
                    final String base = "http://127.0.0.1:" + api.address().getPort();
                    final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                    final String status = http.send(java.net.http.HttpRequest.newBuilder(URI.create(base +
                        "/api/status")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    assertTrue(status.contains("\"aux_feeder\":{\"state\":\"leading\"") &&
                        status.contains("\"aux\":{\"aux_work_applied\"") &&
                        status.contains("\"namecoin\":{\"work_height\":") &&
                        status.contains("\"rsk\":{\"work_height\":"), status);
                    final String metrics = http.send(java.net.http.HttpRequest.newBuilder(URI.create(base +
                        "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    assertTrue(metrics.contains("sv2_cluster_aux_feeder_feeding 1.0") &&
                        metrics.contains("sv2_cluster_aux_feeder_work_fed_total "), metrics);
                }

                // shares on frontend 2 meet both aux targets: the proofs go through the cluster to the leader's
                // feeder, which submits them to the nodes; the nodes verify and accept them
                try (MinerClient m = miner(b, "bob.aux"))
                {
                    assertTrue(ClusterHarness.await(60_000, () -> !nmc.acceptedBlocks().isEmpty() &&
                        !rsk.acceptedBlocks().isEmpty()), () -> "namecoin " + nmc.acceptedBlocks() + " " +
                        nmc.rejectionReasons() + ", rsk " + rsk.acceptedBlocks() + " " + rsk.rejectionReasons() +
                        "; feeder " + feeders[leader].status() + "; frontend " + fb.cluster.status());
                }
                assertTrue(ClusterHarness.await(30_000, () -> channel(fb, "namecoin").inFlight() == 0 &&
                    channel(fb, "rsk").inFlight() == 0));
                assertEquals(List.of(), nmc.rejectionReasons());
                assertEquals(List.of(), rsk.rejectionReasons());
                assertTrue(channel(b, "namecoin").accepted() >= 1, channel(b, "namecoin").toString());
                assertTrue(channel(b, "rsk").accepted() >= 1, channel(b, "rsk").toString());
                assertEquals(0, channel(b, "namecoin").rejected() + channel(b, "namecoin").unknown());
                assertEquals(0, channel(a, "namecoin").accepted(), "frontend 1 mined nothing");
                assertTrue(b.cluster.auxSource().proofsAccepted() >= 2, b.cluster.status().toString());
                assertEquals(0, b.cluster.auxSource().proofsRejected());
                assertTrue(feeders[leader].proofsSubmitted() >= 2, feeders[leader].status().toString());
                assertTrue(b.cluster.status().containsKey("aux_proofs_sent"));
                // the replicated record of the proofs: as many accepted per chain as the frontend counted (a node's
                // published state refreshes every publish interval: equal states may still predate the last result)
                final Frontend fbb = b;
                assertTrue(ClusterHarness.await(20_000, () ->
                {
                    final SortedMap<String, long[]> c = decode(h.awaitEqualStates(20_000)).auxCounts();
                    return c.containsKey("namecoin") && c.containsKey("rsk") &&
                        c.get("namecoin")[2] == channel(fbb, "namecoin").accepted() &&
                        c.get("rsk")[2] == channel(fbb, "rsk").accepted();
                }), "the nodes' aux counts reach the frontend's accepted proofs");
                final SortedMap<String, long[]> counts = decode(h.awaitEqualStates(20_000)).auxCounts();
                assertEquals(channel(b, "namecoin").accepted(), counts.get("namecoin")[2], "namecoin proofs accepted");
                assertEquals(channel(b, "rsk").accepted(), counts.get("rsk")[2], "rsk proofs accepted");
                assertEquals(0, counts.get("namecoin")[3] + counts.get("rsk")[3], "none rejected");
                // a block taken moves the node's tip: the feeder fetches the new work and both frontends mine it
                awaitBothOnNodesWork(nodeConfigs[leader], a, b);

                // the leader dies, and with it (here: every) feeder; a proof found meanwhile on work the old
                // leader's feeder fetched waits in the cluster until the next leader's feeder submits it
                final byte[] oldWork = work(b, "namecoin").blockHash();
                for (int i = 0; i < 3; i++)
                {
                    feeders[i].close();
                    feeders[i] = null;
                }
                h.stop(leader);
                final int next = h.awaitLeader(20_000);
                assertTrue(next >= 0 && next != leader, "a new leader");
                final int acceptedBefore = nmc.acceptedBlocks().size();
                try (MinerClient m = miner(b, "bob.aux"))
                {
                    assertTrue(ClusterHarness.await(60_000, () ->
                        ((Number)h.nodes[next].service().auxStatus().getOrDefault("aux_proofs_waiting", 0)).intValue()
                            > 0), () -> "a proof waits for a feeder: " + h.nodes[next].service().auxStatus());
                }
                assertEquals(acceptedBefore, nmc.acceptedBlocks().size(), "nothing submitted without a feeder");
                assertArrayEquals(oldWork, work(b, "namecoin").blockHash(), "the frontend still mines the old work");
                feeders[next] = AuxFeeder.start(nodeConfigs[next], h.nodes[next]);
                assertTrue(ClusterHarness.await(60_000, () ->
                    nmc.acceptedBlocks().contains(HashOrder.toDisplayHex(oldWork))), () -> "the old work's block " +
                    "accepted: " + nmc.acceptedBlocks() + " " + nmc.rejectionReasons() + "; " + feeders[next].status());
                final long acceptedNs = System.nanoTime();
                assertTrue(feeders[next].proofsSubmitted() >= 1);
                assertTrue(ClusterHarness.await(30_000, () -> channel(fb, "namecoin").inFlight() == 0 &&
                    channel(fb, "rsk").inFlight() == 0));
                assertEquals(0, channel(b, "namecoin").rejected() + channel(b, "namecoin").unknown(),
                    channel(b, "namecoin").toString());
                assertEquals(List.of(), nmc.rejectionReasons());
                // the next leader's feeder feeds: the node's new work reaches both frontends
                assertTrue(feeders[next].workOffered() > 0);
                awaitBothOnNodesWork(nodeConfigs[next], a, b);
                // not asserted (no timed tests): the feeder's poll after the submission, the log, egress, the frontends
                System.out.printf("ClusterAuxTest: the aux node's next work reached both frontends %.1f ms after it " +
                    "accepted the block%n", (System.nanoTime() - acceptedNs) / 1e6);
                assertFalse(Arrays.equals(oldWork, work(a, "namecoin").blockHash()));

                // every node's accounting, per-chain credit included, equals a single-process replay of the journals;
                // closing a frontend seals and sends the outcomes it journaled since its last tick
                a.close();
                b.close();
                final byte[] end = h.awaitEqualStates(20_000, a, b);
                assertNotNull(end, "every node applied everything the frontends sealed");
                a = null;
                b = null;
                final ReplicatedAccounting replay = JournalCommands.replay(fa, fb);
                final ReplicatedAccounting node = decode(end);
                Totals.assertSame(replay.state().toMap(), node.state().toMap(), "totals");
                @SuppressWarnings("unchecked")
                final Map<String, Map<String, Object>> perChain =
                    (Map<String, Map<String, Object>>)node.state().toMap().get("chains");
                assertEquals(channel(fb, "namecoin").accepted(), perChain.get("namecoin").get("aux_accepted"),
                    perChain.toString());
                assertEquals(channel(fb, "rsk").accepted(), perChain.get("rsk").get("aux_accepted"), perChain.toString());
                assertEquals(0L, perChain.get("namecoin").get("aux_in_flight"), perChain.toString());
                assertEquals(0L, perChain.get("rsk").get("aux_in_flight"), perChain.toString());
                assertTrue((Long)perChain.get("namecoin").get("aux_accepted") >= 2, perChain.toString());
                assertTrue((Long)perChain.get("namecoin").get("shares") > 0, perChain.toString());
                assertTrue((Long)perChain.get("rsk").get("aux_accepted") >= 1, perChain.toString());

                // a snapshot, then every node restarts from it plus the log: the same latest work per chain
                assertTrue(ClusterStatus.snapshot(h.nodes[next].config(), System.out), "snapshot taken");
                final int other = 3 - leader - next;
                assertTrue(ClusterHarness.await(10_000, () -> h.nodes[next].service().snapshotsTaken() == 1 &&
                    h.nodes[other].service().snapshotsTaken() == 1));
                final byte[] state = h.awaitEqualStates(10_000);
                assertNotNull(state);
                final SortedMap<String, byte[]> latestWork = decode(state).auxWork();
                assertEquals(List.of("namecoin", "rsk"), List.copyOf(latestWork.keySet()));
                feeders[next].close();
                feeders[next] = null;
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
                    final int n = i;
                    assertTrue(ClusterHarness.await(20_000, () ->
                        Arrays.equals(state, h.nodes[n].service().published().state())), "node " + i + " after restart");
                    final SortedMap<String, byte[]> restored = decode(h.nodes[i].service().published().state()).auxWork();
                    for (final Map.Entry<String, byte[]> e : latestWork.entrySet())
                    {
                        assertArrayEquals(e.getValue(), restored.get(e.getKey()), e.getKey() + " on node " + i);
                    }
                }
                assertEquals(1, h.nodes[next].service().snapshotsLoaded());
                assertEquals(1, h.nodes[other].service().snapshotsLoaded());
            }
            finally
            {
                for (final AuxFeeder f : feeders)
                {
                    if (f != null)
                    {
                        f.close();
                    }
                }
                if (a != null)
                {
                    a.close();
                }
                if (b != null)
                {
                    b.close();
                }
            }
        }
    }
}
