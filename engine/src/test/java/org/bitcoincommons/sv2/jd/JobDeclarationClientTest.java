package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.engine.JobDeclarationClient;
import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Job Declaration client ({@link JobDeclarationClient}) against our pool and its JDS over real Noise on
 * loopback: the pool reads a fake Bitcoin Core whose mempool lacks two of the template's transactions, the client takes
 * its templates from a second fake node (the same recorded mainnet template), and one of our miners hashes for the farm
 * on the client's local pool. Blocks are checked by an independent parse written here (header hash against the target,
 * merkle root over the coinbase and the template's txids, the coinbase's outputs).
 */
@Timeout(120)
class JobDeclarationClientTest
{
    /** The BIP173 example P2WPKH address: the farm's solo payout. */
    static final String SOLO_PAYOUT = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    /** Network difficulty of the fake node: a block every two million hashes or so (seconds for one Java thread). */
    static final double NETWORK_DIFFICULTY = 5e-4;

    /** The client's SV1 endpoint, at a difficulty one Java thread meets many times a second. */
    static final String SV1_SECTION = """
        [sv1]
        enabled = true
        listen_addr = "127.0.0.1:0"
        start_difficulty = 0.0001
        min_difficulty = 0.0001
        """;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private FakeBitcoind node;
    private PoolServer pool;
    private byte[] poolScript;
    private final java.util.concurrent.atomic.AtomicLong poolClockOffsetMs = new java.util.concurrent.atomic.AtomicLong();

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable c : closing.reversed())
        {
            c.close();
        }
    }

    /** The pool with its JDS on a fixed port (it is restarted there), keys fixed in the file. */
    private void startPool(final FakeBitcoind node, final int... hidden) throws Exception
    {
        startPool(node, "", "", hidden);
    }

    private void startPool(final FakeBitcoind node, final String jdsKeys, final String poolKeys, final int... hidden)
        throws Exception
    {
        startPool(node, 200, true, jdsKeys, poolKeys, hidden);
    }

    private void startPool(final FakeBitcoind node, final int pollMs, final boolean longpoll, final String jdsKeys,
        final String poolKeys, final int... hidden) throws Exception
    {
        final JsonNode txs = node.currentTemplate().get("transactions");
        for (final int p : hidden)
        {
            node.hideFromMempool(txs.get(p).get("txid").asText());
        }
        final EngineConfig config = EngineConfig.parse(JdPoolConfig.pool(dir.resolve("pool-journal"), poolKeys)
            + JdPoolConfig.bitcoindSource(node.url(), pollMs, longpoll)
            + JdPoolConfig.jdsWithoutApi("127.0.0.1:" + JdPoolConfig.freePort(), 100, jdsKeys), dir);
        pool = new PoolServer(config, () -> System.currentTimeMillis() + poolClockOffsetMs.get(), WorkLayerFactory.NONE);
        pool.start();
        closing.add(pool::close);
        poolScript = new AddressCodec(Network.MAINNET, Base58::decodeCheck)
            .scriptPubKey(JobDeclarationEndToEndTest.MAINNET_PAYOUT);
        assertTrue(await(() -> pool.jds().mempool().refreshes() > 0 &&
            pool.jds().mempool().size() == txs.size() - hidden.length), "the JDS read the node's mempool");
    }

    private static FakeBitcoind node() throws Exception
    {
        final FakeBitcoind n = new FakeBitcoind(JobDeclarationEndToEndTest.bits(NETWORK_DIFFICULTY), false);
        n.requireBasic("pool", "hunter2");
        return n;
    }

    private String jdcToml(final FakeBitcoind source, final String extra)
    {
        return JdPoolConfig.farm(dir.resolve("jdc-journal")) + JdPoolConfig.bitcoindSource(source.url(), 200) + """
            [api]
            enabled = false
            [jdc]
            upstream_addr = "127.0.0.1:%d"
            authority_public_key = "%s"
            jds_addr = "127.0.0.1:%d"
            user_identity = "farm.jdc"
            nominal_hashrate = 1000.0
            response_timeout_ms = 5000
            retry_min_ms = 200
            retry_max_ms = 800
            %s
            """.formatted(pool.sv2Address().getPort(), pool.authorityPublicKey(), pool.jds().localAddress().getPort(), extra);
    }

    private JobDeclarationClient startJdc(final FakeBitcoind source, final JobDeclarationClient.Builder builder)
        throws Exception
    {
        final JobDeclarationClient jdc = builder.start();
        closing.add(jdc);
        return jdc;
    }

    private StratumV2Miner miner(final JobDeclarationClient jdc) throws Exception
    {
        return JdPoolConfig.farmMiner(jdc, closing);
    }

    /**
     * One node for pool and farm, as both see the same Bitcoin network: its mempool (what the JDS sees) lacks two of
     * the template's transactions, its getblocktemplate (the client's source) has them all.
     */
    private void start(final int... hidden) throws Exception
    {
        node = node();
        closing.add(node);
        startPool(node, hidden);
    }

    @Test
    void declaresWithTheMissingTransactionsForwardsSharesAndPushesTheBlock() throws Exception
    {
        start(3, 7);
        final JsonNode template = node.currentTemplate().deepCopy();
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job on the pool: " + jdc.status());
        assertArrayEquals(new int[] {3, 7}, jdc.client().lastMissingPositions(),
            "ProvideMissingTransactions asked exactly the positions the pool's mempool lacks");
        assertEquals(2, pool.jds().missingRequested.sum());
        assertEquals("declaring", jdc.mode());

        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 3),
            () -> "the farm's shares accepted by the pool on the custom job: " + jdc.status());
        assertTrue(await(() -> node.acceptedHex.size() >= 1), () -> "a block found downstream: " + jdc.status() +
            ", node rejects " + node.rejectReasons);
        miner.stop();
        final String block = node.acceptedHex.get(0);
        checkBlock(block, template);
        // the client submitted it to its node and pushed it to the JDS, which submitted the same block again
        assertTrue(await(() -> jdc.client().pushSolutions() >= 1 &&
            node.submittedHex.stream().filter(block::equals).count() >= 2), () -> "PushSolution: " + jdc.status() +
            ", submitted " + node.submittedHex.size());
        jdc.close();
        pool.close();
        assertJournaledUnderTheClientsUser();
    }

    /**
     * An SV1 miner on the client's [sv1] endpoint, written here from the wire format ({@link RawSv1Miner}): SV1 has no
     * custom jobs, the client's custom jobs reach it as ordinary mining.notify jobs whose coinbase parts carry the pool
     * channel's extranonce prefix before extranonce1. Its shares (some with rolled version bits) are accepted locally,
     * forwarded on the custom job and journaled by the pool under the client's user; its block reaches the client's node
     * and the JDS.
     */
    @Test
    void anSv1MinerMinesTheCustomJobsWithVersionRollingAndFindsTheBlock() throws Exception
    {
        start(3, 7);
        final JsonNode template = node.currentTemplate().deepCopy();
        final JobDeclarationClient jdc = startJdc(node, JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, SV1_SECTION), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job on the pool: " + jdc.status());
        final RawSv1Miner miner = new RawSv1Miner(jdc.client().localPool().sv1Address(), "farm.bitaxe1", 0x1fffe000);
        closing.add(miner);
        assertTrue(await(() -> miner.accepted.get() >= 3 && miner.rolledAccepted.get() >= 1 &&
            jdc.client().sharesAcceptedUpstream() >= 3), () -> "the SV1 miner's shares, rolled ones among them, "
            + "accepted locally and by the pool on the custom job: " + miner.status() + "; " + jdc.status());
        assertEquals(0x1fffe000, miner.versionMask, "mining.configure granted the requested mask");
        assertTrue(await(() -> node.acceptedHex.size() >= 1), () -> "a block found by the SV1 miner: " +
            miner.status() + ", node rejects " + node.rejectReasons);
        miner.stop();
        final String block = node.acceptedHex.get(0);
        checkBlock(block, template);
        assertTrue(await(() -> jdc.client().pushSolutions() >= 1 &&
            node.submittedHex.stream().filter(block::equals).count() >= 2), () -> "PushSolution: " + jdc.status() +
            ", submitted " + node.submittedHex.size());
        assertTrue(await(() -> miner.blocksAccepted.get() >= 1), miner::status);
        assertTrue(miner.errors.stream().allMatch(e -> e.contains("Stale")), miner::status);
        assertOnlyStaleRejections(jdc);
        jdc.close();
        pool.close();
        assertJournaledUnderTheClientsUser();
    }

    /** With fallback = "pool", the pool's own jobs reach the SV1 miner too, and its shares on them are the pool's. */
    @Test
    void anSv1MinerMinesThePoolsJobsInThePoolFallback() throws Exception
    {
        start();
        final JobDeclarationClient jdc = startJdc(node, JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node,
            "fallback = \"pool\"\n" + SV1_SECTION), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "declaring: " + jdc.status());
        final RawSv1Miner miner = new RawSv1Miner(jdc.client().localPool().sv1Address(), "farm.bitaxe1", 0x1fffe000);
        closing.add(miner);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 1), () -> "shares upstream: " +
            miner.status() + "; " + jdc.status());

        pool.jds().close();
        assertTrue(await(() -> "pool".equals(jdc.mode())), () -> "fallback to the pool's jobs: " + jdc.status());
        final long upstreamBefore = jdc.client().sharesAcceptedUpstream();
        final long acceptedBefore = miner.accepted.get();
        final long rolledBefore = miner.rolledAccepted.get();
        assertTrue(await(() -> jdc.client().poolSharesForwarded() >= 3 &&
            jdc.client().sharesAcceptedUpstream() >= upstreamBefore + 3 && miner.accepted.get() >= acceptedBefore + 3 &&
            miner.rolledAccepted.get() > rolledBefore), () -> "the SV1 miner's shares on the pool's jobs: " +
            miner.status() + "; " + jdc.status());
        miner.stop();
        assertTrue(miner.errors.stream().allMatch(e -> e.contains("Stale")), miner::status);
        assertOnlyStaleRejections(jdc);
    }

    private void assertJournaledUnderTheClientsUser() throws Exception
    {
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("pool-journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertTrue(replayed.sharesAccepted() >= 3, "the forwarded shares are journaled by the pool");
        assertTrue(replayed.toMap().toString().contains("farm.jdc"), () -> "credited to the client's user: " +
            replayed.toMap());
    }

    @Test
    void aTipChangeBetweenDeclareAndSetCustomMiningJobIsDeclaredAgain() throws Exception
    {
        start();
        // a plain miner's connection to the pool: its SetNewPrevHash says the pool's logic has moved to the new tip
        final Peer watcher = new Peer(pool.sv2Address(), AuthorityKeys.decodePublic(pool.authorityPublicKey()));
        closing.add(watcher);
        watcher.send(new org.bitcoincommons.sv2.codec.common.SetupConnection(
            org.bitcoincommons.sv2.codec.common.CommonProtocol.PROTOCOL_MINING, 2, 2, 0, "127.0.0.1", 0, "watcher", "",
            "", ""));
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        watcher.send(new org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel(1, "watcher", 1000f, max, 4));
        watcher.readUntil(org.bitcoincommons.sv2.codec.mining.MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);
        final boolean[] once = {false};
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)).beforeSetCustomJob(job ->
            {
                if (!once[0])
                {
                    once[0] = true;
                    node.newTipFromNetwork();
                    final byte[] tip = node.tip();
                    // the pool follows the node to the new tip before the client's SetCustomMiningJob
                    while (true)
                    {
                        watcher.readUntil(
                            org.bitcoincommons.sv2.codec.mining.MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);
                        final byte[] prev = new byte[32];
                        watcher.channel.frameBuffer().getBytes(
                            org.bitcoincommons.sv2.codec.FrameHeaderFlyweight.HEADER_LENGTH + 8, prev);
                        if (Arrays.equals(prev, tip))
                        {
                            break;
                        }
                    }
                }
            }));
        assertTrue(await(() -> jdc.client().staleChainTips() >= 1 && jdc.client().customJobs() >= 1),
            () -> "stale-chain-tip, then a custom job on the new tip: " + jdc.status());
        assertEquals(0, jdc.client().fallbacks(), "a race is not a fallback");
        assertEquals("declaring", jdc.mode());
    }

    @Test
    void aJobRefusedAsStaleBecauseThePoolWasTheOneBehindIsDeclaredAgainOnceThePoolCatchesUp() throws Exception
    {
        // The pool (and its JDS) read the node every 3 s and hold no long poll; the client's long poll returns at
        // once: after a block from the network the client usually declares on the new tip before the JDS has seen it,
        // and is refused as stale-chain-tip. (With both on long polls who is first is a race the pool may always win.)
        // No newer job comes from the client's node (the tip is the newest), so the refused job itself must be
        // declared again, or the farm would mine undeclared work (blocks no one can submit) until the next block.
        node = node();
        closing.add(node);
        startPool(node, 3000, false, "", "");
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job on the pool: " + jdc.status());
        for (int tips = 0; tips < 6 && jdc.client().staleChainTips() == 0; tips++)
        {
            final long before = jdc.client().customJobs();
            node.newTipFromNetwork();
            assertTrue(await(() -> jdc.client().customJobs() > before),
                () -> "a custom job on the new tip (the pool caught up within 3 s): " + jdc.status());
        }
        assertTrue(jdc.client().staleChainTips() >= 1, () -> "the pool was never behind: " + jdc.status());
        assertEquals(0, jdc.client().fallbacks(), "a race is not a fallback");
        assertEquals("declaring", jdc.mode());
    }

    @Test
    void aDeclaredTokenThatExpiredBeforeSetCustomMiningJobIsDeclaredAgainWithAFreshOne() throws Exception
    {
        start();
        final boolean[] once = {false};
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)).beforeSetCustomJob(job ->
            {
                if (!once[0])
                {
                    once[0] = true;
                    poolClockOffsetMs.addAndGet(10_001);   // past the JDS's 10 s for DeclareMiningJob.Success's token
                }
            }));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job after the retry: " + jdc.status());
        assertEquals(1, jdc.client().tokensRefused(), "the expired token was refused once");
        assertEquals(2, jdc.client().jobsDeclared(), "and the job declared again");
        assertEquals(0, jdc.client().fallbacks(), "an expired token is not a fallback");
        assertEquals(1, pool.customJobsRefused());
    }

    @Test
    void coinbaseOnlyModeSetsCustomJobsWithoutDeclaring() throws Exception
    {
        node = node();
        closing.add(node);
        startPool(node, "mode = \"coinbase-only\"", "");
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, "mode = \"coinbase-only\""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job: " + jdc.status());
        assertEquals(0, jdc.client().jobsDeclared());
        assertEquals(0, pool.jds().jobsDeclared.sum());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 2), () -> "shares on it: " + jdc.status());
        miner.stop();
    }

    @Test
    void aPoolChannelWiderThanTheLocalExtranoncesIsZeroPadded() throws Exception
    {
        // the pool's channels roll 12 bytes, the farm's local extranonces are 8 (4-byte channel prefix + 4): 4 bytes of
        // zero padding in the coinbase's scriptSig, and at the front of every forwarded share's extranonce
        node = node();
        closing.add(node);
        startPool(node, "", "extranonce_size = 12");
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "a custom job: " + jdc.status());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 2), () -> "the pool recomputes the farm's "
            + "merkle roots with the padded extranonce: " + jdc.status());
        assertOnlyStaleRejections(jdc);
        miner.stop();
    }

    @Test
    void fallsBackToSoloWhenTheJdsStopsAndDeclaresAgainWhenItReturns() throws Exception
    {
        start();
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, ""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "declaring: " + jdc.status());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> miner.sharesAccepted() >= 1));

        pool.jds().close();
        assertTrue(await(() -> "solo".equals(jdc.mode())), () -> "fallback: " + jdc.status());
        assertEquals(1, jdc.client().fallbacks());
        final long sharesBefore = miner.sharesAccepted();
        final int blocksBefore = node.acceptedHex.size();
        assertTrue(await(() -> miner.sharesAccepted() >= sharesBefore + 3), "the farm keeps mining while solo");
        // (a share still on a job declared before the fallback may give one more block paying the pool first)
        final byte[] soloScript = new AddressCodec(Network.MAINNET, Base58::decodeCheck).scriptPubKey(SOLO_PAYOUT);
        assertTrue(await(() -> node.acceptedHex.stream().skip(blocksBefore).anyMatch(b ->
            coinbaseOutputScripts(b).stream().anyMatch(s -> Arrays.equals(s, soloScript)))),
            "a solo block paying the farm's own address reaches the own node");

        final long customBefore = jdc.client().customJobs();
        pool.jds().start();
        assertTrue(await(() -> "declaring".equals(jdc.mode()) && jdc.client().customJobs() > customBefore),
            () -> "back to declaring: " + jdc.status());
        assertEquals(1, jdc.client().recoveries());
        final long forwarded = jdc.client().sharesAcceptedUpstream();
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() > forwarded), () -> "shares reach the pool again: "
            + jdc.status());
    }

    @Test
    void fallsBackToThePoolsJobsWhenTheJdsStopsAndDeclaresAgainWhenItReturns() throws Exception
    {
        start();
        final JobDeclarationClient jdc = startJdc(node,
            JobDeclarationClient.builder(EngineConfig.parse(jdcToml(node, "fallback = \"pool\""), dir)));
        assertTrue(await(() -> jdc.client().customJobs() >= 1), () -> "declaring: " + jdc.status());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 1), () -> "shares upstream: " + jdc.status());

        pool.jds().close();
        assertTrue(await(() -> "pool".equals(jdc.mode())), () -> "fallback to the pool's jobs: " + jdc.status());
        assertEquals(1, jdc.client().fallbacks());
        assertTrue(jdc.client().poolJobsMined() >= 1, () -> "the pool's job given to the farm: " + jdc.status());
        final long upstreamBefore = jdc.client().sharesAcceptedUpstream();
        final long customBefore = jdc.client().customJobs();
        // the farm's shares on the pool's own jobs are accepted by the pool (no custom job is set meanwhile)
        assertTrue(await(() -> jdc.client().poolSharesForwarded() >= 3 &&
            jdc.client().sharesAcceptedUpstream() >= upstreamBefore + 3), () -> "shares on the pool's jobs: " +
            jdc.status());
        assertEquals(customBefore, jdc.client().customJobs());
        assertOnlyStaleRejections(jdc);

        pool.jds().start();
        assertTrue(await(() -> "declaring".equals(jdc.mode()) && jdc.client().customJobs() > customBefore),
            () -> "back to declaring: " + jdc.status());
        assertEquals(1, jdc.client().recoveries());
        miner.stop();
    }

    @Test
    void configErrorsNameTheKey()
    {
        final String base = """
            [pool]
            coinbase_address = "%s"
            [jdc]
            upstream_addr = "127.0.0.1:3333"
            authority_public_key = "%s"
            jds_addr = "127.0.0.1:3334"
            user_identity = "farm"
            """.formatted(SOLO_PAYOUT, AuthorityKeys.encodePublic(
                AuthorityKeys.publicOf(AuthorityKeys.generateSecret(new java.security.SecureRandom()))));
        final EngineConfig ok = EngineConfig.parse(base, dir);
        assertTrue(ok.jdc().enabled());
        assertEquals("full-template", ok.jdc().mode());
        assertEquals("solo", ok.jdc().fallback());
        assertEquals(false, EngineConfig.parse("", dir).jdc().enabled());
        assertTrue(error(base.replace("jds_addr = \"127.0.0.1:3334\"", "")).startsWith("jdc.jds_addr:"));
        assertTrue(error(base.replace("user_identity = \"farm\"", "")).startsWith("jdc.user_identity:"));
        assertTrue(error(base + "mode = \"full\"\n").startsWith("jdc.mode:"));
        assertEquals(true, EngineConfig.parse(base + "fallback = \"pool\"\n", dir).jdc().poolFallback());
        assertTrue(error(base + "fallback = \"none\"\n").startsWith("jdc.fallback:"));
        assertTrue(error(base + "retry_min_ms = 5000\nretry_max_ms = 100\n").startsWith("jdc.retry_max_ms:"));
        assertTrue(error(base + "typo = 1\n").contains("jdc.typo"));
        final EngineConfig badKey = EngineConfig.parse(base.replace("authority_public_key = \"",
            "authority_public_key = \"x"), dir);
        assertTrue(assertThrows(ConfigException.class, () -> JobDeclarationClient.builder(badKey).start()).getMessage()
            .startsWith("jdc.authority_public_key:"));
        assertTrue(error(base.replace("coinbase_address = \"" + SOLO_PAYOUT + "\"", ""))
            .startsWith("pool.coinbase_address:"));
        assertTrue(error(base + "[jds]\nlisten_addr = \"127.0.0.1:0\"\n").startsWith("jdc:"));
    }

    @Test
    void theExampleFileIsAValidClientConfiguration()
    {
        Path root = Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.exists(root.resolve("etc/jdc.example.toml")))
        {
            root = root.getParent();
        }
        final EngineConfig c = EngineConfig.load(root.resolve("etc/jdc.example.toml"));
        assertTrue(c.jdc().enabled());
        assertEquals(3334, c.jdc().jdsAddr().getPort());
        assertEquals(34265, c.stratumV2().listenAddr().getPort());
        assertEquals(4, c.pool().extranonceSize());
    }

    /** A share on a job the pool's new block made stale in flight is a race; any other refusal is a fault. */
    private static void assertOnlyStaleRejections(final JobDeclarationClient jdc)
    {
        final java.util.Map<?, ?> errors = (java.util.Map<?, ?>)jdc.status().get("share_errors");
        assertTrue(errors.keySet().stream().allMatch("stale-share"::equals), () -> "shares refused: " + jdc.status());
    }

    private String error(final String toml)
    {
        return assertThrows(ConfigException.class, () -> EngineConfig.parse(toml, dir)).getMessage();
    }

    // ------------------------------------------------------------------------------------- the independent check

    /**
     * Parses the block by hand: the header's hash meets its nbits target, the header's merkle root is the root over the
     * coinbase's txid and the template's txids, the transactions after the coinbase are the template's, and the
     * coinbase pays the pool's script the template's whole coinbase value.
     */
    private void checkBlock(final String hex, final JsonNode template)
    {
        final byte[] block = Hex.decode(hex);
        final byte[] header = Arrays.copyOf(block, 80);
        final int nbits = (int)le32(header, 72);
        final BigInteger hash = new BigInteger(1, HashOrder.reversed(TestJdc.sha256d(header)));
        assertTrue(hash.compareTo(Target.fromCompact(nbits)) <= 0, "the header's hash meets its target");
        assertEquals(template.get("previousblockhash").asText(), HashOrder.toDisplayHex(Arrays.copyOfRange(header, 4,
            36)));
        final int count = block[80] & 0xff;
        assertEquals(1 + template.get("transactions").size(), count);
        final ParsedTx coinbase = parseTx(block, 81);
        final List<byte[]> leaves = new ArrayList<>();
        leaves.add(coinbase.txid);
        int at = 81 + coinbase.length;
        for (final JsonNode tx : template.get("transactions"))
        {
            final byte[] data = Hex.decode(tx.get("data").asText());
            assertArrayEquals(data, Arrays.copyOfRange(block, at, at + data.length), "the template's transactions");
            at += data.length;
            leaves.add(HashOrder.fromDisplayHex(tx.get("txid").asText()));
        }
        assertEquals(block.length, at);
        assertArrayEquals(TestJdc.root(leaves), Arrays.copyOfRange(header, 36, 68), "merkle root over the txids");
        assertArrayEquals(poolScript, coinbase.scripts.get(0), "the first output pays the pool");
        assertEquals(template.get("coinbasevalue").asLong(), coinbase.values.get(0), "the whole coinbase value");
    }

    private List<byte[]> coinbaseOutputScripts(final String hex)
    {
        final byte[] block = Hex.decode(hex);
        return parseTx(block, 80 + ((block[80] & 0xff) < 0xfd ? 1 : 3)).scripts;
    }

    private record ParsedTx(int length, byte[] txid, List<Long> values, List<byte[]> scripts)
    {
    }

    /** A segwit coinbase: version, marker, flag, one input, outputs, one witness item, locktime. */
    private static ParsedTx parseTx(final byte[] b, final int start)
    {
        int p = start;
        final ByteArrayOutputStream stripped = new ByteArrayOutputStream();
        stripped.write(b, p, 4);
        p += 4;
        assertEquals(0, b[p]);
        assertEquals(1, b[p + 1]);
        p += 2;
        final int inputsStart = p;
        assertEquals(1, b[p++]);
        p += 36;
        final int scriptSig = b[p++] & 0xff;
        p += scriptSig + 4;
        final int outputs = b[p++] & 0xff;
        final List<Long> values = new ArrayList<>();
        final List<byte[]> scripts = new ArrayList<>();
        for (int i = 0; i < outputs; i++)
        {
            long v = 0;
            for (int k = 7; k >= 0; k--)
            {
                v = v << 8 | (b[p + k] & 0xff);
            }
            values.add(v);
            p += 8;
            final int len = b[p++] & 0xff;
            scripts.add(Arrays.copyOfRange(b, p, p + len));
            p += len;
        }
        stripped.write(b, inputsStart, p - inputsStart);
        final int items = b[p++] & 0xff;
        for (int i = 0; i < items; i++)
        {
            final int len = b[p++] & 0xff;
            p += len;
        }
        stripped.write(b, p, 4);
        p += 4;
        return new ParsedTx(p - start, TestJdc.sha256d(stripped.toByteArray()), values, scripts);
    }

    private static long le32(final byte[] b, final int o)
    {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    static boolean await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(10);   // polling interval of the await, not a synchronisation
        }
        return condition.getAsBoolean();
    }
}
