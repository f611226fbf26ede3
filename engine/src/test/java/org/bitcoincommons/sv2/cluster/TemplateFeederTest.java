package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.api.NodeApiServer;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.cli.Main;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.engine.StratumV2Server;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template feeder's limits and counters, and the embed API as a cluster frontend: three real Aeron Cluster nodes in
 * this JVM with {@code log_term_length = 64 KiB} (a template must fit 8 KiB less the headers), their feeders on a fake
 * bitcoind (JSON-RPC over HTTP on loopback), and a {@link StratumV2Server} built from TOML with
 * {@code [cluster] role = "frontend"} and {@code templates = "cluster"}, with an encrypted miner on it. The recorded
 * mainnet template (12 transactions, 2.7 KB) fits; the same tip with 13 KB more transactions does not: it is counted
 * and not sent, every node keeps the previous template and the frontend keeps mining it; the next tip's template fits
 * and goes through. The counters are read as operators read them: {@code bin/sv2 cluster status --json} (through the
 * node's Aeron counters) and the node's {@code /api/status} and {@code /metrics}.
 */
class TemplateFeederTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final TemplateFeeder[] feeders = new TemplateFeeder[3];

    static String bitcoind(final FakeBitcoind node)
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

    /**
     * {@code count} valid-looking transactions (one input each, spending distinct made-up outpoints, and {@code outputs}
     * P2WPKH outputs), each about 31 bytes per output.
     */
    static List<byte[]> transactions(final int count, final int outputs)
    {
        final List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final List<TxOut> outs = new ArrayList<>();
            for (int o = 0; o < outputs; o++)
            {
                final byte[] script = new byte[22];
                script[1] = 20;
                System.arraycopy(Sha256d.hash(("key " + i + " " + o).getBytes()), 0, script, 2, 20);
                outs.add(new TxOut(10_000 + o, script));
            }
            final TxIn in = new TxIn(Sha256d.hash(("funding " + i).getBytes()), 0, new byte[0], 0xffffffff, List.of());
            out.add(new Transaction(2, List.of(in), outs, 0).serialize(TxSerialization.LEGACY));
        }
        return out;
    }

    private static Template latestOf(final ClusterNode n)
    {
        final byte[] state = n.service().published().state();
        final ReplicatedAccounting r = new ReplicatedAccounting();
        r.decode(new UnsafeBuffer(state), 0, state.length);
        final byte[] c = r.latestTemplate();
        return c == null ? null : TemplateCodec.decode(new UnsafeBuffer(c), Protocol.TEMPLATE_HEADER_LENGTH,
            c.length - Protocol.TEMPLATE_HEADER_LENGTH);
    }

    static JsonNode get(final String url) throws IOException, InterruptedException
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return url.endsWith("/metrics") ? JSON.getNodeFactory().textNode(r.body()) : JSON.readTree(r.body());
    }

    /** {@code bin/sv2 cluster status --config FILE --json}, in-process. */
    static JsonNode clusterStatus(final Path config) throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "cluster", "status", "--config",
            config.toString(), "--json", "--timeout-ms", "5000");
        assertEquals(0, code, err.toString());
        return JSON.readTree(out.toString());
    }

    @Test
    @Timeout(120)
    void embeddedFrontendKeepsMiningThePreviousTemplateWhileTheNextIsTooLargeForOneMessage() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(Target.toCompact(Target.fromDifficulty(1e6)), false);
            ClusterHarness h = new ClusterHarness(dir, 3))
        {
            node.requireBasic("pool", "hunter2");
            h.shared = ClusterHarness.TIMEOUTS.replace("log_term_length = 524288", "log_term_length = 65536")
                .replace("ingress_term_length = 262144", "ingress_term_length = 65536");
            assertTrue(h.shared.contains("log_term_length = 65536\n"), h.shared);
            h.startAll();
            final Path[] configs = new Path[3];
            for (int i = 0; i < 3; i++)
            {
                configs[i] = dir.resolve("node-" + i + ".toml");
                Files.writeString(configs[i], h.toml(i, "templates = \"cluster\"\n") + bitcoind(node));
                feeders[i] = TemplateFeeder.start(EngineConfig.load(configs[i]), h.nodes[i]);
            }
            final int leader = h.awaitLeader(20_000);
            assertTrue(leader >= 0, "a leader");
            final EngineConfig frontend = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                handshake_timeout_ms = 2000
                [pool]
                journal_dir = "%s"
                shares_per_minute = 600
                [api]
                listen_addr = "127.0.0.1:0"
                %s
                %s""".formatted(dir.resolve("frontend-1").toString().replace("\\", "/"), bitcoind(node),
                h.toml(-1, "templates = \"cluster\"\n")), dir);
            try (StratumV2Server pool = StratumV2Server.builder(frontend).build();
                NodeApiServer api = new NodeApiServer(new InetSocketAddress("127.0.0.1", 0), h.nodes[leader],
                    feeders[leader]))
            {
                pool.start();
                api.start();
                final String poolApi = "http://127.0.0.1:" + pool.apiAddress().getPort();
                final String nodeApi = "http://127.0.0.1:" + api.address().getPort();
                // the pool reports the tip height, one below the template's
                final long height = node.height();
                assertTrue(ClusterHarness.await(20_000, () -> pool.status().height() == height - 1),
                    () -> "the embedded frontend on the cluster's template; feeders " + Arrays.stream(feeders)
                        .map(f -> f.status().toString()).toList());
                final JsonNode cluster = get(poolApi + "/api/status").get("cluster");
                assertTrue(cluster.get("template_updates_received").asLong() >= 1, cluster.toString());
                final long accepted = cluster.get("template_updates_received").asLong() -
                    cluster.get("template_updates_dropped").asLong();
                assertEquals(1, accepted, cluster.toString());
                // what the cluster holds is the node's template, transactions byte for byte
                final Template first = latestOf(h.nodes[leader]);
                assertNotNull(first);
                assertArrayEquals(node.tip(), first.prevHash());
                final List<JsonNode> recorded = new ArrayList<>();
                node.templates().get(0).get("transactions").forEach(recorded::add);
                assertEquals(recorded.size(), first.transactions().size());
                for (int i = 0; i < recorded.size(); i++)
                {
                    assertArrayEquals(Hex.decode(recorded.get(i).get("data").asText()), first.transactions().get(i));
                }

                // an encrypted miner on the embedded frontend gets a job and its shares are accepted
                final MinerClient miner = new MinerClient(new MinerConfig(pool.sv2Address(),
                    AuthorityKeys.decodePublic(pool.authorityPublicKey()), "alice.embed", 1, true, 0, "auto", 100, 1000,
                    2000));
                try (miner)
                {
                    miner.start();
                    assertTrue(ClusterHarness.await(20_000, () -> miner.stats().jobs.sum() >= 1 &&
                        miner.stats().sharesAccepted.sum() >= 2), () -> "a job and shares: " + pool.status());
                    final long fedBefore = feeders[leader].templatesOffered();
                    assertEquals(0, feeders[leader].templatesTooLarge());

                    // the same tip with 13 KB more transactions: more than one 8 KiB message
                    final List<byte[]> big = transactions(7, 60);
                    assertTrue(big.stream().mapToInt(b -> b.length).sum() > 8192);
                    node.addToTemplate(big, 2_000);
                    assertTrue(ClusterHarness.await(20_000, () -> feeders[leader].templatesTooLarge() == 1),
                        () -> "counted as too large: " + feeders[leader].status());
                    assertEquals(fedBefore, feeders[leader].templatesOffered(), "not sent");
                    final long jobsAtTooLarge = miner.stats().jobs.sum();
                    final long sharesAtTooLarge = miner.stats().sharesAccepted.sum();
                    // the frontend keeps mining the previous template: shares go on being accepted on it
                    assertTrue(ClusterHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >=
                        sharesAtTooLarge + 3), () -> "shares still accepted: " + pool.status());
                    assertEquals(height - 1, pool.status().height());
                    final JsonNode during = get(poolApi + "/api/status").get("cluster");
                    assertEquals(accepted, during.get("template_updates_received").asLong() -
                        during.get("template_updates_dropped").asLong(), during.toString());
                    for (int i = 0; i < 3; i++)
                    {
                        TemplateReplicationTest.assertSameTemplate(first, latestOf(h.nodes[i]));
                    }
                    assertEquals(0, pool.status().sharesRejected());

                    // the counters, as operators read them
                    final JsonNode statusLeader = clusterStatus(configs[leader]).get("template_feeder");
                    assertNotNull(statusLeader, "template_feeder in bin/sv2 cluster status");
                    assertEquals("leading", statusLeader.get("state").asText(), statusLeader.toString());
                    assertEquals(1, statusLeader.get("templates_too_large").asLong(), statusLeader.toString());
                    assertEquals(fedBefore, statusLeader.get("templates_fed").asLong(), statusLeader.toString());
                    assertTrue(statusLeader.get("templates_received").asLong() >= 2, statusLeader.toString());
                    assertEquals(height, statusLeader.get("last_height").asLong(), statusLeader.toString());
                    final StringWriter text = new StringWriter();
                    assertEquals(0, Main.execute(new PrintWriter(text), new PrintWriter(new StringWriter()), "cluster",
                        "status", "--config", configs[leader].toString()));
                    assertTrue(text.toString().contains("template feeder leading: ") &&
                        text.toString().contains(" 1 too large, "), text.toString());
                    final int follower = (leader + 1) % 3;
                    final JsonNode statusFollower = clusterStatus(configs[follower]).get("template_feeder");
                    assertEquals("idle", statusFollower.get("state").asText(), statusFollower.toString());
                    assertEquals(0, statusFollower.get("templates_fed").asLong(), statusFollower.toString());
                    assertEquals(-1, statusFollower.get("last_height").asLong(), statusFollower.toString());
                    final JsonNode nodeStatus = get(nodeApi + "/api/status").get("template_feeder");
                    assertEquals(1, nodeStatus.get("templates_too_large").asLong(), nodeStatus.toString());
                    assertEquals(true, nodeStatus.get("feeding").asBoolean(), nodeStatus.toString());
                    final String metrics = get(nodeApi + "/metrics").asText();
                    assertTrue(metrics.contains("\nsv2_cluster_feeder_templates_too_large_total 1.0\n"), metrics);
                    assertTrue(metrics.contains("\nsv2_cluster_feeder_feeding 1.0\n"), metrics);
                    assertTrue(metrics.contains("\nsv2_cluster_feeder_templates_fed_total " + fedBefore + ".0\n"),
                        metrics);

                    // the next tip's template fits: it goes through to every node and the frontend, and a new job
                    node.newTipFromNetwork();
                    assertTrue(ClusterHarness.await(20_000, () -> pool.status().height() == height),
                        () -> "the next template: " + feeders[leader].status());
                    assertEquals(1, feeders[leader].templatesTooLarge());
                    assertEquals(fedBefore + 1, feeders[leader].templatesOffered());
                    for (int i = 0; i < 3; i++)
                    {
                        final int n = i;
                        assertTrue(ClusterHarness.await(10_000, () -> Arrays.equals(node.tip(),
                            latestOf(h.nodes[n]).prevHash())), "node " + i + " holds the next template");
                    }
                    assertTrue(ClusterHarness.await(10_000, () -> miner.stats().jobs.sum() > jobsAtTooLarge));
                    assertTrue(ClusterHarness.await(10_000, () -> feeders[leader].counter(
                        TemplateFeeder.COUNTER_NAMES.indexOf("last_height")) == height + 1));
                    assertEquals(Map.of(), Map.copyOf(node.rejectReasons));
                }
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
    /**
     * A frontend configured with a smaller {@code log_term_length} than the nodes cannot take a template that fits the
     * nodes' messages but not its own egress: it keeps its previous one, and the frontends after it still get it (the
     * leader's service threw out of its broadcast loop at that session, so every later session missed the template).
     */
    @Test
    @Timeout(120)
    void aFrontendWithSmallerTermsMissesOnlyTheTemplatesItCannotHold() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(Target.toCompact(Target.fromDifficulty(1e6)), false);
            ClusterHarness h = new ClusterHarness(dir, 3))
        {
            node.requireBasic("pool", "hunter2");
            h.startAll();
            for (int i = 0; i < 3; i++)
            {
                feeders[i] = TemplateFeeder.start(EngineConfig.parse(h.toml(i, "templates = \"cluster\"\n") +
                    bitcoind(node), dir), h.nodes[i]);
            }
            final int leader = h.awaitLeader(20_000);
            assertTrue(leader >= 0, "a leader");
            h.shared = ClusterHarness.TIMEOUTS.replace("log_term_length = 524288", "log_term_length = 65536");
            final ClusterFrontend small = ClusterFrontend.start(EngineConfig.parse(bitcoind(node) +
                h.toml(-1, "templates = \"cluster\"\n"), dir).cluster());
            h.shared = ClusterHarness.TIMEOUTS;
            // the small one's session first, so that the broadcast reaches it before the other's
            try (small)
            {
                assertTrue(ClusterHarness.await(20_000, () -> small.clusterTemplates().latest() != null),
                    () -> small.status().toString());
                try (ClusterFrontend big = ClusterFrontend.start(EngineConfig.parse(bitcoind(node) +
                    h.toml(-2, "templates = \"cluster\"\n"), dir).cluster()))
                {
                    assertTrue(ClusterHarness.await(20_000, () -> big.clusterTemplates().latest() != null));
                    final Template first = small.clusterTemplates().latest();
                    final int firstCount = first.transactions().size();
                    node.addToTemplate(transactions(7, 60), 2_000);
                    assertTrue(ClusterHarness.await(20_000, () ->
                        big.clusterTemplates().latest().transactions().size() == firstCount + 7),
                        () -> "the larger template on the frontend that can hold it: " + big.status() + "; feeders " +
                            Arrays.stream(feeders).map(f -> f.status().toString()).toList());
                    assertEquals(0, feeders[leader].templatesTooLarge(), "it fits the nodes' messages");
                    assertTrue(ClusterHarness.await(10_000, () ->
                        h.nodes[leader].service().templatesTooLargeForSession() >= 1));
                    assertEquals(firstCount, small.clusterTemplates().latest().transactions().size());
                    assertEquals(first.height(), small.clusterTemplates().latest().height());

                    // the next tip's template fits everywhere: both get it
                    node.newTipFromNetwork();
                    assertTrue(ClusterHarness.await(20_000, () ->
                        small.clusterTemplates().latest().height() == node.height() &&
                        big.clusterTemplates().latest().height() == node.height()),
                        () -> small.status() + " " + big.status());
                }
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
