package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.cli.Main;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster as operators run it: three nodes, each {@code bin/sv2 pool --config node.toml} in its own process, a
 * frontend pool with miners; {@code bin/sv2 cluster status} names the leader, which is killed with SIGKILL under
 * load; a new leader takes over, the frontend re-sends, and the survivors' {@code /api/accounting} equals a replay of
 * the frontend's journal. With {@code [cluster] templates = "cluster"}: three node processes with their feeders on a
 * fake bitcoind (JSON-RPC over HTTP on loopback) and a frontend process; an encrypted miner on the frontend mines a
 * block the fake node accepts, built from its template.
 */
class ClusterProcessTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("api: http://([^/]+)/");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void leaderProcessKilledUnderLoad() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            final Process[] nodes = new Process[3];
            final Path[] configs = new Path[3];
            final String[] apis = new String[3];
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    configs[i] = dir.resolve("node-" + i + ".toml");
                    Files.writeString(configs[i], "[api]\nlisten_addr = \"127.0.0.1:0\"\n" + h.toml(i, ""));
                    nodes[i] = start(configs[i], dir.resolve("node-" + i + ".log"));
                }
                for (int i = 0; i < 3; i++)
                {
                    apis[i] = awaitApi(nodes[i], dir.resolve("node-" + i + ".log"));
                }
                final JsonNode[] status = new JsonNode[1];
                assertTrue(ClusterHarness.await(30_000, () ->
                {
                    status[0] = clusterStatus(configs[0]);
                    return status[0] != null && status[0].get("leader_member_id").asInt() >= 0;
                }), "bin/sv2 cluster status names a leader");
                assertEquals(3, status[0].get("members").size(), status[0].toString());
                final int leader = status[0].get("leader_member_id").asInt();

                final Frontend f = new Frontend(h, 1, "");
                final LoadGenerator load = f.load(4, 3000);
                assertTrue(ClusterHarness.await(30_000, () -> load.acceptedTotal() > 2000), () -> f.cluster.status().toString());
                nodes[leader].destroyForcibly();   // SIGKILL, mid-stream
                nodes[leader].waitFor();
                final long ackedAtKill = load.acceptedTotal();
                final int survivor = (leader + 1) % 3;
                assertTrue(ClusterHarness.await(30_000, () ->
                {
                    final JsonNode s = clusterStatus(configs[survivor]);
                    return s != null && s.get("leader_member_id").asInt() >= 0 && s.get("leader_member_id").asInt() != leader;
                }), "a new leader");
                assertTrue(ClusterHarness.await(30_000, () -> load.acceptedTotal() > ackedAtKill + 3000),
                    () -> "acknowledgements resume: " + f.cluster.status());
                load.close();
                assertTrue(f.awaitAllCommitted(20_000), () -> f.cluster.status().toString());
                final long acked = load.acceptedTotal();
                f.close();

                final ReplicatedAccounting replay = JournalCommands.replay(f);
                final int other = (leader + 2) % 3;
                final Map<?, ?> expected = JSON.convertValue(replay.state().toMap(), Map.class);
                assertTrue(ClusterHarness.await(10_000, () -> equalTotals(expected, accounting(apis[survivor])) &&
                    equalTotals(expected, accounting(apis[other]))), () -> "survivors " + accounting(apis[survivor]) +
                    " and " + accounting(apis[other]) + " equal the replay " + expected);
                final long inCluster = ((Number)accounting(apis[survivor]).get("shares_accepted")).longValue();
                assertTrue(inCluster >= acked, inCluster + " >= " + acked + " acknowledged");
                assertEquals(f.journaledShares(), inCluster, "each journaled share exactly once");
                assertNotEquals(leader, clusterStatus(configs[survivor]).get("leader_member_id").asInt());
            }
            finally
            {
                for (final Process p : nodes)
                {
                    if (p != null)
                    {
                        p.destroy();
                        p.waitFor();
                    }
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void nodeAndFrontendProcessesWithClusterTemplates() throws Exception
    {
        try (FakeBitcoind bitcoind = new FakeBitcoind(Target.toCompact(Target.fromDifficulty(0.0005)), false);
            org.bitcoincommons.sv2.merge.FakeAuxPowNode nmc = new org.bitcoincommons.sv2.merge.FakeAuxPowNode(1,
                Target.toCompact(Target.fromDifficulty(0.0005)));
            ClusterHarness h = new ClusterHarness(dir, 3))
        {
            bitcoind.requireBasic("pool", "hunter2");
            final long t0 = System.nanoTime();
            final String source = TemplateFeederTest.bitcoind(bitcoind);
            final List<Process> processes = new ArrayList<>();
            try
            {
                // one AuxPoW chain through the cluster: the nodes' feeders poll the fake aux node, the frontend's
                // rpc_url is dead (it never polls)
                final String mergeMining = "[stratum_v2]\nmerge_mining_enabled = true\nsecondary_chains = [\"namecoin\"]\n";
                final String chain = """
                    [[merge.chains]]
                    name = "namecoin"
                    kind = "auxpow"
                    chain_id = 1
                    rpc_url = "%s"
                    payout_address = "payout-namecoin"
                    poll_interval_ms = 200
                    timeout_ms = 2000
                    """;
                final String clusterKeys = "templates = \"cluster\"\naux = \"cluster\"\n";
                final Path[] configs = new Path[3];
                final String[] apis = new String[3];
                for (int i = 0; i < 3; i++)
                {
                    configs[i] = dir.resolve("node-" + i + ".toml");
                    Files.writeString(configs[i], "[api]\nlisten_addr = \"127.0.0.1:0\"\n" + source +
                        h.toml(i, clusterKeys) + mergeMining + chain.formatted(nmc.url()));
                    processes.add(start(configs[i], dir.resolve("node-" + i + ".log"), 1));
                }
                final Path frontendConfig = dir.resolve("frontend-1.toml");
                Files.writeString(frontendConfig, """
                    [stratum_v2]
                    listen_addr = "127.0.0.1:0"
                    handshake_timeout_ms = 5000
                    merge_mining_enabled = true
                    secondary_chains = ["namecoin"]
                    [pool]
                    journal_dir = "%s"
                    shares_per_minute = 600
                    [api]
                    listen_addr = "127.0.0.1:0"
                    %s
                    %s
                    %s""".formatted(dir.resolve("frontend-1-journal").toString().replace("\\", "/"), source,
                    h.toml(-1, clusterKeys), chain.formatted("http://127.0.0.1:1/")));
                final Path frontendLog = dir.resolve("frontend-1.log");
                final Process frontend = start(frontendConfig, frontendLog);
                processes.add(frontend);
                for (int i = 0; i < 3; i++)
                {
                    apis[i] = awaitApi(processes.get(i), dir.resolve("node-" + i + ".log"));
                }
                final String frontendApi = awaitApi(frontend, frontendLog);
                final Matcher url = awaitLine(frontend, frontendLog, POOL_URL);
                final long upNs = System.nanoTime();

                // an encrypted miner on the frontend process finds a block on the fake node's template
                final MinerConfig mc = new MinerConfig(new InetSocketAddress(url.group(1), Integer.parseInt(url.group(2))),
                    AuthorityKeys.decodePublic(url.group(3)), "alice.proc", 1, true, 0, "auto", 100, 1000, 5000);
                final long heightBefore = bitcoind.height();
                try (MinerClient miner = new MinerClient(mc))
                {
                    miner.start();
                    assertTrue(ClusterHarness.await(60_000, () -> !bitcoind.acceptedHex.isEmpty()),
                        () -> "a block accepted; rejected " + bitcoind.rejectReasons + "; frontend " +
                            get(frontendApi, "/api/status").path("cluster"));
                    assertTrue(miner.stats().jobs.sum() >= 1);
                    // the aux work reached the frontend through the cluster; a proof went to the leader's feeder,
                    // which submitted it to the aux node
                    assertTrue(get(frontendApi, "/api/status").path("cluster").path("aux_work_updates_received")
                        .asLong() >= 1, () -> get(frontendApi, "/api/status").path("cluster").toString());
                    assertTrue(ClusterHarness.await(60_000, () -> !nmc.acceptedBlocks().isEmpty()),
                        () -> "an aux block accepted; rejected " + nmc.rejectionReasons() + "; frontend " +
                            get(frontendApi, "/api/status").path("cluster"));
                }
                final long blockNs = System.nanoTime();
                final List<byte[]> recorded = new ArrayList<>();
                bitcoind.templates().get(0).get("transactions").forEach(t -> recorded.add(Hex.decode(t.get("data")
                    .asText())));
                final List<Transaction> txs = Block.parse(Hex.decode(bitcoind.acceptedHex.get(0))).transactions();
                assertEquals(recorded.size() + 1, txs.size());
                for (int i = 1; i < txs.size(); i++)
                {
                    assertArrayEquals(recorded.get(i - 1), txs.get(i).serialize(TxSerialization.WITNESS), "tx " + i);
                }
                // the block's successor template (the node's new tip) reaches the frontend through the cluster too
                assertTrue(bitcoind.height() > heightBefore);
                assertTrue(ClusterHarness.await(30_000, () ->
                {
                    final JsonNode c = get(frontendApi, "/api/status").path("cluster");
                    return c.path("template_updates_received").asLong() - c.path("template_updates_dropped").asLong()
                        >= 2;
                }), () -> "the next template on the frontend: " + get(frontendApi, "/api/status").path("cluster"));
                assertTrue(get(frontendApi, "/api/status").path("cluster").path("template_updates_received").asLong()
                    >= 1);

                // each node's feeder as bin/sv2 cluster status and the node's API show it: one leads and fed both
                int leading = 0;
                for (int i = 0; i < 3; i++)
                {
                    final JsonNode s = clusterStatus(configs[i]);
                    assertNotNull(s, "node " + i + " answers");
                    final JsonNode f = s.path("template_feeder");
                    assertTrue(f.isObject(), s.toString());
                    final boolean leader = s.get("leader_member_id").asInt() == i;
                    assertEquals(leader ? "leading" : "idle", f.get("state").asText(), s.toString());
                    assertEquals(0, f.get("templates_too_large").asLong());
                    if (leader)
                    {
                        leading++;
                        assertTrue(f.get("templates_fed").asLong() >= 2, f.toString());
                        final String api = apis[i];
                        assertTrue(ClusterHarness.await(10_000, () -> get(api, "/api/status").path("template_feeder")
                            .path("last_height").asLong() == bitcoind.height()), "the leader's feeder fed the tip");
                    }
                    else
                    {
                        assertEquals(0, f.get("templates_fed").asLong(), f.toString());
                    }
                    final JsonNode viaApi = get(apis[i], "/api/status").path("template_feeder");
                    assertEquals(f.get("state").asText(), viaApi.path("state").asText(), viaApi.toString());
                    // and the node's periodic status line (every second here)
                    final Path log = dir.resolve("node-" + i + ".log");
                    final String line = "| template feeder " + (leader ? "leading" : "idle") + ", ";
                    assertTrue(ClusterHarness.await(5_000, () -> readQuietly(log).contains(line)), line);
                }
                assertEquals(1, leading);
                // the aux feeder likewise: leading on exactly one node, which submitted the accepted proof
                int auxLeading = 0;
                for (int i = 0; i < 3; i++)
                {
                    final JsonNode s = clusterStatus(configs[i]);
                    final JsonNode f = s.path("aux_feeder");
                    assertTrue(f.isObject(), s.toString());
                    if ("leading".equals(f.path("state").asText()))
                    {
                        auxLeading++;
                        assertEquals(i, s.get("leader_member_id").asInt(), s.toString());
                        assertTrue(f.path("proofs_accepted").asLong() >= 1, f.toString());
                        final JsonNode viaApi = get(apis[i], "/api/status");
                        assertEquals("leading", viaApi.path("aux_feeder").path("state").asText(), viaApi.toString());
                        assertTrue(viaApi.path("aux").path("aux_chains").path("namecoin").path("accepted").asLong() >= 1,
                            viaApi.toString());
                    }
                }
                assertEquals(1, auxLeading);
                // not asserted (no timed tests): where this test's time goes
                System.out.printf("ClusterProcessTest: processes up %.1f s, block accepted %.1f s later, checks %.1f s%n",
                    (upNs - t0) / 1e9, (blockNs - upNs) / 1e9, (System.nanoTime() - blockNs) / 1e9);
            }
            finally
            {
                for (final Process p : processes)
                {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
    }

    private static final Pattern POOL_URL = Pattern.compile("pool: stratum2\\+tcp://([^:/]+):(\\d+)/(\\S+)");

    private static JsonNode get(final String api, final String path)
    {
        try
        {
            final HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + api + path)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }
        catch (final IOException ex)
        {
            return JSON.createObjectNode();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static Matcher awaitLine(final Process p, final Path log, final Pattern pattern) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            final String s = Files.exists(log) ? Files.readString(log) : "";
            final Matcher m = pattern.matcher(s);
            if (m.find())
            {
                return m;
            }
            if (!p.isAlive())
            {
                throw new IllegalStateException("exited with " + p.exitValue() + ": " + s);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no " + pattern + " in " + Files.readString(log));
    }

    private static boolean equalTotals(final Map<?, ?> expected, final Map<?, ?> actual)
    {
        try
        {
            Totals.assertSame(expected, actual, "");
            return true;
        }
        catch (final AssertionError e)
        {
            return false;
        }
    }

    private static Map<?, ?> accounting(final String api)
    {
        try
        {
            final HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + api + "/api/accounting")).build(),
                HttpResponse.BodyHandlers.ofString());
            return JSON.readValue(r.body(), Map.class);
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** {@code bin/sv2 cluster status --config FILE --json}, in-process; null when the node did not answer. */
    private static JsonNode clusterStatus(final Path config)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "cluster", "status", "--config",
            config.toString(), "--json", "--timeout-ms", "2000");
        if (code != 0)
        {
            return null;
        }
        try
        {
            return JSON.readTree(out.toString());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(out.toString(), ex);
        }
    }

    private static Process start(final Path config, final Path log) throws IOException
    {
        return start(config, log, 0);
    }

    private static Process start(final Path config, final Path log, final int statusIntervalSec) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("@" + Path.of(System.getProperty("sv2.root.dir", ".."), "etc", "jvm.flags").toAbsolutePath().normalize());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add("org.bitcoincommons.sv2.cli.Main");
        cmd.add("pool");
        cmd.add("--config");
        cmd.add(config.toString());
        cmd.add("--status-interval");
        cmd.add(Integer.toString(statusIntervalSec));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String awaitApi(final Process p, final Path log) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            final String s = Files.exists(log) ? Files.readString(log) : "";
            final Matcher m = API.matcher(s);
            if (m.find())
            {
                return m.group(1);
            }
            if (!p.isAlive())
            {
                throw new IllegalStateException("node exited with " + p.exitValue() + ": " + s);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node did not start: " + Files.readString(log));
    }
}
