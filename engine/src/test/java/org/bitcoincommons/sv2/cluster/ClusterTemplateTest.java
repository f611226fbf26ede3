package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.TemplateReplicationTest.assertSameTemplate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [cluster] templates = "cluster"} end to end: three real Aeron Cluster nodes in this JVM, each with its template
 * feeder on a (fake, JSON-RPC on loopback) bitcoind, and two real pool frontends. Only the leader's feeder feeds; both
 * frontends mine the same template, and each new tip reaches both; a block found on a frontend is the block the node
 * accepts; when the leader dies the next leader's feeder takes over; a snapshot and a restart keep the latest template.
 */
class ClusterTemplateTest
{
    @TempDir
    Path dir;

    private static int bits(final double difficulty)
    {
        return Target.toCompact(Target.fromDifficulty(difficulty));
    }

    private static String bitcoind(final FakeBitcoind node)
    {
        return """
            [template]
            sources = ["bitcoind"]
            network = "regtest"
            [template.bitcoind]
            rpc_url = "%s"
            rpc_user = "pool"
            rpc_password = "hunter2"
            zmq_hashblock = "%s"
            poll_interval_ms = 1000
            """.formatted(node.url(), node.zmqEndpoint());
    }

    private static final class Pool implements AutoCloseable
    {
        final ClusterFrontend cluster;
        final PoolServer pool;

        Pool(final ClusterHarness h, final int id, final FakeBitcoind node) throws Exception
        {
            final EngineConfig config = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                handshake_timeout_ms = 2000
                [pool]
                journal_dir = "%s"
                shares_per_minute = 600
                [api]
                enabled = false
                %s
                %s""".formatted(h.dir.resolve("frontend-" + id).toString().replace("\\", "/"), bitcoind(node),
                h.toml(-id, "templates = \"cluster\"\n")), h.dir);
            cluster = ClusterFrontend.start(config.cluster());
            pool = new PoolServer(config, MergeMiningCoordinator.FACTORY).accountingSink(cluster)
                .templateSources(cluster::templateSource);
            pool.start();
        }

        Template latest()
        {
            return cluster.clusterTemplates().latest();
        }

        MinerClient miner(final String user)
        {
            final MinerClient m = new MinerClient(new MinerConfig(pool.sv2Address(),
                AuthorityKeys.decodePublic(pool.authorityPublicKey()), user, 1, true, 0, "auto", 100, 1000, 2000));
            m.start();
            return m;
        }

        @Override
        public void close()
        {
            pool.close();
            cluster.close();
        }
    }

    private static TemplateFeeder feeder(final ClusterHarness h, final int i, final FakeBitcoind node)
    {
        final EngineConfig c = EngineConfig.parse(h.toml(i, "templates = \"cluster\"\n") + bitcoind(node), h.dir);
        return TemplateFeeder.start(c, h.nodes[i]);
    }

    /** Both frontends hold a template on the node's tip, the same one (every field the jobs are built from). */
    private void awaitBothOnTip(final FakeBitcoind node, final Pool a, final Pool b)
    {
        assertTrue(ClusterHarness.await(20_000, () -> a.latest() != null && b.latest() != null &&
            Arrays.equals(node.tip(), a.latest().prevHash()) && Arrays.equals(node.tip(), b.latest().prevHash()) &&
            a.latest().coinbaseValue() == b.latest().coinbaseValue() &&
            a.latest().transactions().size() == b.latest().transactions().size()),
            () -> "both frontends on the tip " + Hex.encode(node.tip()) + "; feeders " + Arrays.stream(feeders)
                .map(f -> f == null ? "-" : f.status().toString()).toList() + "; frontends " + a.cluster.status() + " " +
                b.cluster.status());
        assertEquals(node.height(), a.latest().height());
        assertSameTemplate(a.latest(), b.latest());
    }

    private static Template latestOf(final byte[] state)
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        r.decode(new UnsafeBuffer(state), 0, state.length);
        final byte[] c = r.latestTemplate();
        return c == null ? null : TemplateCodec.decode(new UnsafeBuffer(c), Protocol.TEMPLATE_HEADER_LENGTH,
            c.length - Protocol.TEMPLATE_HEADER_LENGTH);
    }

    private final TemplateFeeder[] feeders = new TemplateFeeder[3];

    @Test
    @Timeout(120)
    void everyFrontendMinesTheLeadersTemplatesInLogOrder() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(bits(0.0005), false); ClusterHarness h = new ClusterHarness(dir, 3))
        {
            node.requireBasic("pool", "hunter2");
            h.startAll();
            for (int i = 0; i < 3; i++)
            {
                feeders[i] = feeder(h, i, node);
            }
            final int leader = h.awaitLeader(20_000);
            assertTrue(leader >= 0, "a leader");
            try (Pool a = new Pool(h, 1, node); Pool b = new Pool(h, 2, node))
            {
                // the first template: the same on both frontends, from the leader's feeder only
                awaitBothOnTip(node, a, b);
                final List<byte[]> recorded = node.templates().get(0).get("transactions").valueStream()
                    .map(t -> Hex.decode(t.get("data").asText())).toList();
                assertEquals(recorded.size(), a.latest().transactions().size());
                for (int i = 0; i < recorded.size(); i++)
                {
                    assertArrayEquals(recorded.get(i), a.latest().transactions().get(i), "transaction " + i);
                }
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(i == leader, feeders[i].feeding(), "feeder " + i + " feeds only beside the leader");
                    if (i != leader)
                    {
                        assertEquals(0, feeders[i].templatesOffered());
                    }
                }

                // a block found on frontend 1 is submitted to the node, which accepts exactly that block: the
                // recorded template's transactions byte for byte, under a merkle root and witness commitment it checks
                final long heightBefore = node.height();
                try (MinerClient m = a.miner("alice.ext"))
                {
                    assertTrue(ClusterHarness.await(30_000, () -> !node.acceptedHex.isEmpty()),
                        () -> "a block accepted; rejected: " + node.rejectReasons);
                }
                final Map<String, Long> reasons = new TreeMap<>(node.rejectReasons);
                reasons.remove("inconclusive-not-best-prevblk");
                assertEquals(Map.of(), reasons, "every block submitted passed the node's checks");
                final Block found = Block.parse(Hex.decode(node.acceptedHex.get(0)));
                final List<Transaction> txs = found.transactions();
                assertEquals(recorded.size() + 1, txs.size());
                for (int i = 1; i < txs.size(); i++)
                {
                    assertArrayEquals(recorded.get(i - 1), txs.get(i).serialize(TxSerialization.WITNESS));
                }
                assertTrue(ClusterHarness.await(10_000, () -> a.pool.metrics().blocksAccepted.sum() >= 1));
                // the accepted block is the node's new tip: the next template reaches both frontends, in log order
                awaitBothOnTip(node, a, b);
                assertTrue(node.height() > heightBefore);
                assertTrue(a.cluster.clusterTemplates().updatesReceived() >= 2);

                // the leader dies: the next leader's feeder takes over and the frontends keep getting templates
                feeders[leader].close();
                feeders[leader] = null;
                h.stop(leader);
                final int next = h.awaitLeader(20_000);
                assertTrue(next >= 0 && next != leader, "a new leader");
                assertTrue(ClusterHarness.await(20_000, () -> feeders[next].feeding() &&
                    feeders[next].templatesOffered() > 0), "the new leader's feeder feeds");
                final long tipNs = System.nanoTime();
                node.newTipFromNetwork();
                awaitBothOnTip(node, a, b);
                // not asserted (no timed tests): the node's hashblock, the feeder's fetch, the log and egress
                System.out.printf("ClusterTemplateTest: a new tip reached both frontends %.1f ms after the node had it%n",
                    (System.nanoTime() - tipNs) / 1e6);
                for (int i = 0; i < 3; i++)
                {
                    if (feeders[i] != null && i != next)
                    {
                        assertFalse(feeders[i].feeding());
                    }
                }

                // a snapshot, then every node restarts from it plus the log: the same latest template
                assertTrue(ClusterStatus.snapshot(h.nodes[next].config(), System.out), "snapshot taken");
                final int other = 3 - leader - next;
                assertTrue(ClusterHarness.await(10_000, () -> h.nodes[next].service().snapshotsTaken() == 1 &&
                    h.nodes[other].service().snapshotsTaken() == 1));
                final byte[] state = h.awaitEqualStates(10_000);
                assertNotNull(state);
                final Template latest = latestOf(state);
                assertNotNull(latest);
                assertSameTemplate(a.latest(), latest);
                for (int i = 0; i < 3; i++)
                {
                    if (feeders[i] != null)
                    {
                        feeders[i].close();
                        feeders[i] = null;
                    }
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
                    assertSameTemplate(latest, latestOf(h.nodes[i].service().published().state()));
                }
                assertEquals(1, h.nodes[next].service().snapshotsLoaded());
                assertEquals(1, h.nodes[other].service().snapshotsLoaded());
            }
            finally
            {
                for (final TemplateFeeder f : feeders)
                {
                    if (f != null)
                    {
                        f.close();
                    }
                }
            }
        }
    }
}
