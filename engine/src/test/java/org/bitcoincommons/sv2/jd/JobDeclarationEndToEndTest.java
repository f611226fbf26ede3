package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job Declaration end to end: the pool with its JDS, a (fake) Bitcoin Core speaking real JSON-RPC over loopback
 * (getrawmempool true, getrawtransaction, getblocktemplate proposal, submitblock), and a JD client written here over
 * real Noise NX: declarations with missing transactions, custom jobs on an extended channel, shares and blocks on
 * them, PushSolution, and the refusals (tokens reused, expired or another connection's; a tip change; outputs
 * reordered; the pool unpaid).
 */
@Timeout(120)
class JobDeclarationEndToEndTest
{
    /** A real mainnet P2WPKH address (an output of one of the recorded transactions). */
    static final String MAINNET_PAYOUT = "bc1q4xssfjd4n522ye9m22fkhcj08zdrfgt79lc0jm";

    @TempDir
    Path dir;

    private final AtomicLong clockOffset = new AtomicLong();
    private final EpochClock clock = () -> System.currentTimeMillis() + clockOffset.get();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private FakeBitcoind node;
    private PoolServer pool;
    private Peer mining;
    private Peer jds;
    private long channelId;
    private byte[] channelPrefix;
    private int rollable;
    private BigInteger channelTarget;
    private byte[] payoutScript;
    private long requestIds = 100;

    static int bits(final double difficulty)
    {
        return Target.toCompact(Target.fromDifficulty(difficulty));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable c : closing.reversed())
        {
            c.close();
        }
    }

    /** Starts node and pool (hiding {@code hidden} template positions from the mempool) and opens both peers. */
    private void start(final int... hidden) throws Exception
    {
        start("", hidden);
    }

    private void start(final String jdsKeys, final int... hidden) throws Exception
    {
        node = new FakeBitcoind(bits(1e-5), false);
        closing.add(node);
        node.requireBasic("pool", "hunter2");
        final JsonNode txs = recordedTransactions();
        for (final int p : hidden)
        {
            node.hideFromMempool(txs.get(p).get("txid").asText());
        }
        final EngineConfig config = EngineConfig.parse(JdPoolConfig.pool(dir.resolve("journal"), "")
            + JdPoolConfig.bitcoindSource(node.url(), 500)
            + JdPoolConfig.jdsWithoutApi("127.0.0.1:0", 100, jdsKeys), dir);
        pool = new PoolServer(config, clock, WorkLayerFactory.NONE);
        pool.start();
        closing.add(pool::close);
        payoutScript = new AddressCodec(Network.MAINNET, Base58::decodeCheck).scriptPubKey(MAINNET_PAYOUT);
        final byte[] authority = AuthorityKeys.decodePublic(pool.authorityPublicKey());

        mining = new Peer(pool.sv2Address(), authority);
        closing.add(mining);
        mining.send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
            CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING, "127.0.0.1", 0,
            "test-jdc", "", "", ""));
        mining.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode,
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        mining.send(new OpenExtendedMiningChannel(1, "alice.jdc", 1000f, max, 4));
        final OpenExtendedMiningChannelSuccess open = mining.expect(
            MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS, OpenExtendedMiningChannelSuccess::decode,
            MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR);
        channelId = open.channelId();
        channelPrefix = open.extranoncePrefix();
        rollable = open.extranonceSize();
        channelTarget = Target.fromLittleEndian(open.target(), 0);
        mining.readUntil(MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);   // the pool has a tip

        jds = jdsPeer();
        assertTrue(await(() -> pool.jds().mempool().refreshes() > 0 &&
            pool.jds().mempool().size() == txs.size() - hidden.length), "the JDS read the node's mempool");
    }

    private Peer jdsPeer() throws IOException
    {
        return jdsPeer(CommonProtocol.FLAG_DECLARE_TX_DATA);
    }

    private Peer jdsPeer(final long flags) throws IOException
    {
        final Peer p = new Peer(pool.jds().localAddress(), AuthorityKeys.decodePublic(pool.authorityPublicKey()));
        closing.add(p);
        p.send(new SetupConnection(CommonProtocol.PROTOCOL_JOB_DECLARATION, 2, 2, flags,
            "127.0.0.1", 0, "test-jdc", "", "", ""));
        p.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode,
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        return p;
    }

    private static JsonNode recordedTransactions() throws IOException
    {
        try (var in = JobDeclarationEndToEndTest.class.getResourceAsStream("/template/gbt_mainnet_881423.json"))
        {
            return FakeBitcoind.MAPPER.readTree(in).get("transactions");
        }
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
            Thread.onSpinWait();
            Thread.sleep(5);   // polling interval of the await, not a synchronisation
        }
        return condition.getAsBoolean();
    }

    private byte[] allocate(final Peer p) throws IOException
    {
        final long req = requestIds++;
        p.send(new AllocateMiningJobToken("alice", req));
        final AllocateMiningJobTokenSuccess s = p.expect(0x51, AllocateMiningJobTokenSuccess::decode);
        assertEquals(req, s.requestId());
        assertEquals(8, s.miningJobToken().length, "SRI's 8-byte little-endian u64 token");
        return s.miningJobToken();
    }

    private int extranonceLength()
    {
        return channelPrefix.length + rollable;
    }

    private TestJdc.Work work(final JsonNode template)
    {
        return TestJdc.work(template, payoutScript, extranonceLength(), false, true);
    }

    private DeclareMiningJob declaration(final long req, final byte[] token, final TestJdc.Work w)
    {
        return new DeclareMiningJob(req, token, w.version(), w.prefix(), w.suffix(), w.wtxids(), new byte[0]);
    }

    /** Declares {@code w} with a fresh token; returns DeclareMiningJob.Success's token (no transaction may be asked). */
    private byte[] declare(final Peer p, final TestJdc.Work w) throws IOException
    {
        final long req = requestIds++;
        p.send(declaration(req, allocate(p), w));
        final DeclareMiningJobSuccess s = p.expect(0x58, DeclareMiningJobSuccess::decode, 0x59, 0x55);
        assertEquals(req, s.requestId());
        return s.newMiningJobToken();
    }

    private SetCustomMiningJob custom(final byte[] token, final TestJdc.Work w, final byte[] outputs)
    {
        return new SetCustomMiningJob(channelId, requestIds++, token, w.version(), w.prevHash(), w.curtime(), w.nbits(),
            2, w.scriptSigPrefix(), 0xfffffffeL, outputs, w.height() - 1, w.merklePath());
    }

    private long setCustom(final SetCustomMiningJob m) throws IOException
    {
        mining.send(m);
        final SetCustomMiningJobSuccess s = mining.expect(MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS,
            SetCustomMiningJobSuccess::decode, MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR);
        assertEquals(m.requestId(), s.requestId());
        return s.jobId();
    }

    private String setCustomRefused(final SetCustomMiningJob m) throws IOException
    {
        mining.send(m);
        final SetCustomMiningJobError e = mining.expect(MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR,
            SetCustomMiningJobError::decode, MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS);
        assertEquals(m.requestId(), e.requestId());
        return e.errorCode();
    }

    private String declareRefused(final Peer p, final DeclareMiningJob m) throws IOException
    {
        p.send(m);
        final DeclareMiningJobError e = p.expect(0x59, DeclareMiningJobError::decode, 0x58, 0x55);
        assertEquals(m.requestId(), e.requestId());
        return e.errorCode();
    }

    @Test
    void declaresWithTwoMissingTransactionsThenMinesAShareAndABlockOnTheCustomJob() throws Exception
    {
        start(3, 7);
        final JsonNode template = node.templates().get(0);
        final TestJdc.Work w = work(template);
        final byte[] token = allocate(jds);
        final long req = requestIds++;
        jds.send(declaration(req, token, w));
        final ProvideMissingTransactions ask = jds.expect(0x55, ProvideMissingTransactions::decode, 0x58, 0x59);
        assertEquals(req, ask.requestId(), "the DeclareMiningJob's request_id");
        assertArrayEquals(new int[] {3, 7}, ask.unknownTxPositionList(), "exactly the positions the mempool lacks");
        jds.send(new ProvideMissingTransactionsSuccess(req, List.of(w.txData().get(3), w.txData().get(7))));
        final DeclareMiningJobSuccess ok = jds.expect(0x58, DeclareMiningJobSuccess::decode, 0x59);
        assertEquals(req, ok.requestId());
        assertTrue(node.proposals.get() >= 1, "validated by getblocktemplate proposal");

        final long jobId = setCustom(custom(ok.newMiningJobToken(), w, w.outputs()));
        assertEquals(2, pool.jds().missingRequested.sum());
        assertEquals(1, pool.jds().jobsDeclared.sum());
        assertEquals(1, pool.customJobsAccepted());
        // a share on the custom job: it meets the network target too, so the pool also submits the block
        final byte[] rollablePart = new byte[rollable];
        rollablePart[0] = 7;
        final byte[] extranonce = TestJdc.cat(channelPrefix, rollablePart);
        final int ntime = (int)w.curtime();
        final int nonce = submitBlockShare(w, jobId, rollablePart);
        assertTrue(await(() -> node.acceptedHex.size() == 1), () -> "the pool's block on the custom job: rejected " +
            node.rejectReasons);
        final byte[] expected = w.block(w.header(extranonce, ntime, nonce), extranonce);
        assertEquals(Hex.encode(expected), node.acceptedHex.get(0), "the block the client's own code builds");
        crossCheck(node.acceptedHex.get(0), w);
        pool.close();
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertEquals(1, replayed.sharesAccepted(), "the custom job's share is journaled");
        assertEquals(1L, replayed.toMap().get("blocks_found"));
    }

    @Test
    void pushSolutionGivesTheNodeExactlyTheDeclaredBlock() throws Exception
    {
        start();
        final TestJdc.Work w = work(node.templates().get(0));
        declare(jds, w);
        final byte[] extranonce = new byte[extranonceLength()];
        extranonce[extranonce.length - 1] = 0x42;
        final int ntime = (int)w.curtime() + 1;
        final int nonce = TestJdc.grind(w, extranonce, ntime, Target.fromCompact(w.nbits()));
        jds.send(new PushSolution(extranonce, w.prevHash(), nonce & 0xffffffffL, ntime & 0xffffffffL,
            w.nbits() & 0xffffffffL, w.version() & 0xffffffffL));
        assertTrue(await(() -> node.acceptedHex.size() == 1), () -> "PushSolution's block: rejected " +
            node.rejectReasons + ", submitted " + node.submittedHex.size());
        final byte[] expected = w.block(w.header(extranonce, ntime, nonce), extranonce);
        assertEquals(Hex.encode(expected), node.acceptedHex.get(0), "exactly the block the client built");
        assertEquals(1, node.submittedHex.size());
        crossCheck(node.acceptedHex.get(0), w);
    }

    @Test
    void tokensAreSingleUseBoundToTheirConnectionAndExpire() throws Exception
    {
        start();
        final TestJdc.Work w = work(node.templates().get(0));
        // an allocated token declares once
        final byte[] allocated = allocate(jds);
        final long req = requestIds++;
        jds.send(declaration(req, allocated, w));
        final byte[] active = jds.expect(0x58, DeclareMiningJobSuccess::decode, 0x59, 0x55).newMiningJobToken();
        assertEquals("invalid-mining-job-token", declareRefused(jds, declaration(requestIds++, allocated, w)));
        // another connection's token
        final Peer other = jdsPeer();
        final byte[] theirs = allocate(other);
        assertEquals("invalid-mining-job-token", declareRefused(jds, declaration(requestIds++, theirs, w)));
        // the active token sets one custom job
        setCustom(custom(active, w, w.outputs()));
        assertEquals("invalid-mining-job-token", setCustomRefused(custom(active, w, w.outputs())));
        // and expires 10 s after DeclareMiningJob.Success
        final byte[] late = declare(jds, w);
        clockOffset.addAndGet(10_001);
        assertEquals("invalid-mining-job-token", setCustomRefused(custom(late, w, w.outputs())));
        // a token that was never issued
        assertEquals("invalid-mining-job-token", setCustomRefused(custom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, w,
            w.outputs())));
    }

    @Test
    void aTipChangeBetweenDeclareAndSetCustomMiningJobIsStaleChainTipAndTheClientDeclaresAgain() throws Exception
    {
        start();
        final TestJdc.Work w = work(node.templates().get(0));
        final byte[] token = declare(jds, w);
        node.newTipFromNetwork();
        final byte[] newTip = node.tip();
        // the pool moves to the new tip: its SetNewPrevHash to the channel
        while (true)
        {
            mining.readUntil(MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);
            final org.bitcoincommons.sv2.codec.mining.SetNewPrevHash s = new org.bitcoincommons.sv2.codec.mining
                .SetNewPrevHash().wrap(mining.channel.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH,
                FrameHeaderFlyweight.msgLength(mining.channel.frameBuffer(), 0));
            final byte[] prev = new byte[32];
            s.buffer().getBytes(s.offset() + 8, prev);
            if (Arrays.equals(prev, newTip))
            {
                break;
            }
        }
        assertEquals("stale-chain-tip", setCustomRefused(custom(token, w, w.outputs())));
        assertTrue(await(() -> pool.jds().mempool().refreshes() > 0));
        // the client re-declares on the new tip (the node's new template) and mines it
        final JsonNode next = node.templates().getLast();
        assertEquals(HashOrder.toDisplayHex(newTip), next.get("previousblockhash").asText());
        final TestJdc.Work w2 = work(next);
        setCustom(custom(declare(jds, w2), w2, w2.outputs()));
    }

    @Test
    void aDeclarationBuiltOnAnotherTipIsStaleChainTipNotAHardError() throws Exception
    {
        start();
        // the client's template is a block behind (or ahead of) the pool's: its coinbase commits to another height,
        // which on the pool's tip the node would refuse as bad-cb-height; it is a race the client re-declares after
        final JsonNode t = node.templates().get(0);
        for (final int delta : new int[] {-1, 1})
        {
            final com.fasterxml.jackson.databind.node.ObjectNode other =
                (com.fasterxml.jackson.databind.node.ObjectNode)t.deepCopy();
            other.put("height", t.get("height").asInt() + delta);
            final TestJdc.Work w = work(other);
            assertEquals("stale-chain-tip", declareRefused(jds, declaration(requestIds++, allocate(jds), w)),
                "height " + delta);
        }
        assertEquals(0, node.proposals.get(), "refused before asking the node");
        // the same template at the pool's height is declared
        declare(jds, work(t));
    }

    @Test
    void outputsReorderedOrThePoolUnpaidAreRefused() throws Exception
    {
        start();
        final JsonNode t = node.templates().get(0);
        final TestJdc.Work w = work(t);
        final TestJdc.Work swapped = TestJdc.work(t, payoutScript, extranonceLength(), true, true);
        final byte[] token = declare(jds, w);
        assertEquals("invalid-coinbase-tx-outputs", setCustomRefused(custom(token, w, swapped.outputs())));
        final TestJdc.Work unpaid = TestJdc.work(t, payoutScript, extranonceLength(), false, false);
        assertEquals("invalid-coinbase-tx", declareRefused(jds, declaration(requestIds++, allocate(jds), unpaid)));
        // a coinbase whose extranonce does not fit the channel is refused at SetCustomMiningJob
        final TestJdc.Work shorter = TestJdc.work(t, payoutScript, extranonceLength() - 1, false, true);
        assertEquals("invalid-coinbase-tx", setCustomRefused(custom(declare(jds, shorter), shorter,
            shorter.outputs())));
    }

    @Test
    void coinbaseOnlyModeTakesAnAllocatedTokenWithoutADeclaration() throws Exception
    {
        start("mode = \"coinbase-only\"");
        final TestJdc.Work w = work(node.templates().get(0));
        final Peer coinbaseOnly = jdsPeer(0);
        final byte[] token = allocate(coinbaseOnly);
        assertEquals("invalid-job", declareRefused(coinbaseOnly, declaration(requestIds++, allocate(coinbaseOnly), w)),
            "no DeclareMiningJob without DECLARE_TX_DATA");
        // the pool must be paid even undeclared
        final TestJdc.Work unpaid = TestJdc.work(node.templates().get(0), payoutScript, extranonceLength(), false, false);
        assertEquals("invalid-coinbase-tx-outputs", setCustomRefused(custom(allocate(coinbaseOnly), unpaid,
            unpaid.outputs())));
        final long jobId = setCustom(custom(token, w, w.outputs()));
        assertTrue(jobId > 0);
        assertEquals("invalid-mining-job-token", setCustomRefused(custom(token, w, w.outputs())), "spent");
        // a Full-Template connection's allocated token is not a custom job token
        assertEquals("invalid-mining-job-token", setCustomRefused(custom(allocate(jds), w, w.outputs())));

        // a block on the undeclared job: the pool knows its merkle path but not its transactions, so it does not
        // submit a block the node could only refuse (bad-txnmrklroot); the JDC broadcasts it
        final byte[] rollablePart = new byte[rollable];
        rollablePart[0] = 9;
        submitBlockShare(w, jobId, rollablePart);
        assertTrue(await(() -> pool.metrics().blocksLeftToDeclarator.sum() == 1), "the block is left to the declarator");
        assertEquals(0, node.submittedHex.size(), "nothing submitted: " + node.rejectReasons);
        assertEquals(0, pool.metrics().blocksSubmitted.sum());
        assertEquals(0, pool.metrics().blocksRejected.sum());
    }

    /**
     * Sends a share on custom job {@code jobId} (rollable extranonce {@code rollablePart}) that meets the network
     * target, and waits for its SubmitShares.Success; returns its nonce.
     */
    private int submitBlockShare(final TestJdc.Work w, final long jobId, final byte[] rollablePart) throws Exception
    {
        final byte[] extranonce = TestJdc.cat(channelPrefix, rollablePart);
        final int ntime = (int)w.curtime();
        final BigInteger target = channelTarget.min(Target.fromCompact(w.nbits()));
        final int nonce = TestJdc.grind(w, extranonce, ntime, target);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = new SubmitSharesExtended().wrapForEncode(frame, FrameHeaderFlyweight.HEADER_LENGTH)
            .channelId(channelId).sequenceNumber(1).jobId(jobId).nonce(nonce & 0xffffffffL).ntime(ntime & 0xffffffffL)
            .version(w.version() & 0xffffffffL).extranonce(new UnsafeBuffer(rollablePart), 0, rollable).encodedLength();
        FrameHeaderFlyweight.write(frame, 0, 0, true, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED, len);
        mining.sendFrame(frame, FrameHeaderFlyweight.HEADER_LENGTH + len);
        mining.readUntil(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS);
        return nonce;
    }

    @Test
    void fullTemplateModeRefusesClientsWithoutDeclareTxData() throws Exception
    {
        start();
        final Peer p = new Peer(pool.jds().localAddress(), AuthorityKeys.decodePublic(pool.authorityPublicKey()));
        closing.add(p);
        p.send(new SetupConnection(CommonProtocol.PROTOCOL_JOB_DECLARATION, 2, 2, 0, "127.0.0.1", 0, "t", "", "", ""));
        final org.bitcoincommons.sv2.codec.common.SetupConnectionError e = p.expect(
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR,
            org.bitcoincommons.sv2.codec.common.SetupConnectionError::decode);
        assertEquals("unsupported-feature-flags", e.errorCode());
        assertEquals(CommonProtocol.FLAG_DECLARE_TX_DATA, e.flags());
    }

    /** The independent parser: python-bitcoinlib's CheckBlock, txids and merkle root. */
    private void crossCheck(final String blockHex, final TestJdc.Work w) throws Exception
    {
        final String python = "/usr/bin/python3";
        final Process probe = new ProcessBuilder(python, "-c", "import bitcoin.core").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
            "python3-bitcoinlib is not installed: the independent cross-check was NOT run");
        final Path hex = dir.resolve("block.hex");
        Files.writeString(hex, blockHex);
        final Path script = dir.resolve("check.py");
        Files.writeString(script, """
            import sys, json, bitcoin
            from bitcoin.core import CBlock, CheckBlock, x, b2lx
            bitcoin.SelectParams('regtest')
            block = CBlock.deserialize(x(open(sys.argv[1]).read().strip()))
            CheckBlock(block, cur_time=block.nTime)
            print(json.dumps({"prev": b2lx(block.hashPrevBlock), "txids": [b2lx(t.GetTxid()) for t in block.vtx[1:]],
                "outputs": [o.nValue for o in block.vtx[0].vout]}))
            """);
        final Process p = new ProcessBuilder(python, script.toString(), hex.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "python-bitcoinlib refused the block: " + out);
        final JsonNode r = FakeBitcoind.MAPPER.readTree(out);
        assertEquals(HashOrder.toDisplayHex(w.prevHash()), r.get("prev").asText());
        final List<String> seen = new ArrayList<>();
        r.get("txids").forEach(t -> seen.add(t.asText()));
        assertEquals(w.txids().stream().map(HashOrder::toDisplayHex).toList(), seen, "the declared transactions, in order");
    }
}
