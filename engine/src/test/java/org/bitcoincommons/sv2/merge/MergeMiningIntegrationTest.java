package org.bitcoincommons.sv2.merge;

import static org.bitcoincommons.sv2.merge.MergeHarness.COMMONS_SCRIPT;
import static org.bitcoincommons.sv2.merge.MergeHarness.auxpow;
import static org.bitcoincommons.sv2.merge.MergeHarness.await;
import static org.bitcoincommons.sv2.merge.MergeHarness.disabledFee;
import static org.bitcoincommons.sv2.merge.MergeHarness.le;
import static org.bitcoincommons.sv2.merge.MergeHarness.meets;
import static org.bitcoincommons.sv2.merge.MergeHarness.meetsButNot;
import static org.bitcoincommons.sv2.merge.MergeHarness.rsk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.pool.BlockAssembler;
import org.bitcoincommons.sv2.revenue.RevenueSplit;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool logic mining on the embedded chain with the coordinator as its job decorator and block sink, talking real
 * JSON-RPC over loopback HTTP to two fake AuxPoW nodes and a fake RSK node, journaling into a real Chronicle queue
 * ({@link MergeHarness}).
 */
class MergeMiningIntegrationTest
{
    /** Bitcoin: one hash in 2^16. */
    static final int BTC_BITS = 0x1f00ffff;
    /** Aux chain A (Namecoin-like, id 1): one in 2^12. Tightest aux target. */
    static final int NMC_BITS = 0x1f0fffff;
    /** Aux chain B (id 7): one in 2^8. */
    static final int AUX7_BITS = 0x2000ffff;
    /** RSK: one in 2^6. Loosest. */
    static final BigInteger RSK_TARGET = BigInteger.ONE.shiftLeft(250);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MergeHarness h;

    @AfterEach
    void tearDown() throws Exception
    {
        if (h != null)
        {
            h.close();
        }
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
    }

    private void start(final List<AuxChainConfig> chains, final MergeMiningFeeConfig fee)
    {
        h = new MergeHarness(dir, BTC_BITS, chains, fee);
    }

    @Test
    void auxPowAndRskMergeMinedFromTheSameWorkAndTheJournalReplays() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        final FakeAuxPowNode aux7 = closeLater(new FakeAuxPowNode(7, AUX7_BITS));
        final FakeRskNode rskNode = closeLater(new FakeRskNode(RSK_TARGET));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000),
            auxpow("seven", 7, aux7.url(), "", "", null, 2000), rsk(rskNode.url())), disabledFee());
        h.awaitChains(3);
        Job job = h.refreshJob();
        assertEquals(0b1111L, job.chainMask());

        // the job's coinbase commits to every chain: one fabe6d6d root and the RSK tag
        final Transaction cb = job.coinbase().transaction(new byte[h.logic.extranonceLength()]);
        final CoinbaseCommitments c = CoinbaseCommitments.of(cb);
        assertNotNull(c.aux());
        assertEquals(h.coordinator.snapshot().commitment(), c.aux());
        assertArrayEquals(rskNode.currentWork(), c.rskHash());
        assertNotNull(c.witnessCommitment());

        // an ordinary share meeting only the loosest target (RSK's) lands on RSK alone
        final BigInteger aux7Target = Target.fromCompact(AUX7_BITS);
        h.mineShare(meetsButNot(RSK_TARGET, aux7Target));
        await(() -> rskNode.acceptedBlocks().size() == 1, "RSK accepting the first proof");
        assertEquals(0, aux7.acceptedBlocks().size());
        assertEquals(0, nmc.acceptedBlocks().size());

        // one share meeting the tightest aux target lands on every chain (from the same proof of work)
        await(() -> h.refreshes.get() > 0 && !Arrays.equals(h.coordinator.snapshot().rsk().blockHash(), c.rskHash()),
            "new RSK work after the accepted block");
        job = h.refreshJob();
        h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> nmc.acceptedBlocks().size() == 1 && aux7.acceptedBlocks().size() == 1
            && rskNode.acceptedBlocks().size() == 2, "the share landing on all three chains");
        assertTrue(nmc.rejectionReasons().isEmpty(), nmc.rejectionReasons().toString());
        assertTrue(aux7.rejectionReasons().isEmpty(), aux7.rejectionReasons().toString());
        assertTrue(h.bitcoinBlocks.isEmpty());

        // a Bitcoin block also goes to the aux chains (it meets every target)
        await(() -> h.coordinator.snapshot().chains().stream().allMatch(w -> w.workId() >= 2), "new work on every chain");
        h.refreshJob();
        h.mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertEquals(1, h.bitcoinBlocks.size());
        assertNull(h.chain.submitBlock(BlockAssembler.assemble(h.bitcoinBlocks.get(0))));
        await(() -> nmc.acceptedBlocks().size() == 2 && aux7.acceptedBlocks().size() == 2
            && rskNode.acceptedBlocks().size() == 3, "the Bitcoin block landing on every aux chain");

        // accounting: the coordinator's counters, then the journal replayed equals the live state
        await(() -> h.coordinator.metrics().accepted.sum() == 7 && h.coordinator.recorder().blocks(1) == 2
            && h.coordinator.recorder().blocks(2) == 2 && h.coordinator.recorder().blocks(3) == 3,
            "seven accepted submissions and their rewards");
        h.drainLogicThread();
        final AccountingState.ChainStats nmcStats = h.state.chainStats(1);
        assertEquals(2 * 50_0000_0000L, nmcStats.rewards());
        assertEquals(0, nmcStats.unallocated());
        assertEquals(3 * 1_000_000_000_000L, h.state.chainStats(3).rewards());
        assertEquals(3, h.state.chainStats(0).shares());
        assertEquals(3, h.state.chainStats(1).shares());
        final List<MergeMiningChannel> channels = h.coordinator.channels();
        assertEquals(List.of("namecoin", "seven", "rsk"), channels.stream().map(MergeMiningChannel::name).toList());
        assertEquals(2, channels.get(0).sharesSubmitted());
        assertEquals(2 * 50_0000_0000L, channels.get(0).totalRewards());
        assertEquals(3, channels.get(2).accepted());
        assertTrue(channels.stream().allMatch(MergeMiningChannel::up));

        final Map<String, Object> live = h.state.toMap();
        final AccountingState replayed = new AccountingState();
        try (JournalReader reader = h.journal.reader())
        {
            reader.readAll(replayed);
        }
        assertEquals(live, replayed.toMap());
    }

    @Test
    void aDownAuxNodeLeavesBitcoinAndTheOtherChainWorking() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        final FakeAuxPowNode aux7 = closeLater(new FakeAuxPowNode(7, AUX7_BITS));
        nmc.down();
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 500),
            auxpow("seven", 7, aux7.url(), "", "", null, 500)), disabledFee());
        h.awaitChains(1);
        Job job = h.refreshJob();
        assertEquals(0b101L, job.chainMask(), "namecoin (index 1) is left out, seven (index 2) is in");
        await(() -> h.coordinator.metrics().pollFailures.sum() >= 2, "failed polls of the down node");
        assertFalse(h.coordinator.channels().get(0).up());

        // Bitcoin shares and blocks keep flowing, and chain seven accepts its proof
        h.mineShare(meetsButNot(Target.fromCompact(AUX7_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> aux7.acceptedBlocks().size() == 1, "chain seven accepting");
        h.mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertEquals(1, h.bitcoinBlocks.size());
        assertEquals(0, h.miner.errors);

        // the node comes back: it is in the next jobs again
        nmc.up();
        h.awaitChains(2);
        job = h.refreshJob();
        assertEquals(0b111L, job.chainMask());
        assertTrue(h.coordinator.channels().get(0).up());

        // slow answers: past the timeout the chain is down again, the other is untouched
        nmc.delayMs = 1500;
        nmc.advanceTipElsewhere();
        h.awaitChains(1);
        assertEquals(1, h.coordinator.metrics().chainsWentDown.sum());
        nmc.delayMs = 0;
        h.awaitChains(2);

        // JSON-RPC errors on submit are rejections, not outages: stale work ("block hash unknown", once the node
        // has handed out work on its new tip)
        final long jobWork = ((AuxWorkSnapshot)h.refreshJob().auxWork()).chains().stream()
            .filter(w -> w.name().equals("namecoin")).findFirst().orElseThrow().workId();
        nmc.advanceTipElsewhere();
        h.awaitWork("namecoin", jobWork + 1);
        final long before = h.coordinator.metrics().rejected.sum();
        h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> h.coordinator.metrics().rejected.sum() > before, "the stale proof's rejection");
        assertTrue(nmc.rejectionReasons().contains("block hash unknown"));
        h.drainLogicThread();
        assertTrue(h.coordinator.channels().get(0).up());
    }

    @Test
    void authBasicAndCookieWorkAndBadAuthIsReported() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        final FakeAuxPowNode aux7 = closeLater(new FakeAuxPowNode(7, AUX7_BITS));
        final FakeAuxPowNode bad = closeLater(new FakeAuxPowNode(9, AUX7_BITS));
        nmc.requireBasic("pool", "pw");
        final Path cookie = dir.resolve(".cookie");
        aux7.requireCookie(cookie, "c00kie");
        bad.requireBasic("pool", "pw");
        start(List.of(auxpow("namecoin", 1, nmc.url(), "pool", "pw", null, 2000),
            auxpow("seven", 7, aux7.url(), "", "", cookie, 2000),
            auxpow("bad", 9, bad.url(), "pool", "wrong", null, 2000)), disabledFee());
        h.awaitChains(2);
        await(() -> bad.authFailures.get() > 0, "the bad credentials being refused");
        assertFalse(h.coordinator.channels().get(2).up());
        assertEquals(0, nmc.authFailures.get());
        assertEquals(0, aux7.authFailures.get());
        // the aux node restarts with a new cookie: re-read on reconnect
        aux7.requireCookie(cookie, "fresh");
        aux7.advanceTipElsewhere();
        await(() -> aux7.authFailures.get() > 0, "the old cookie being refused");
        await(() -> h.coordinator.channels().get(1).up() && h.coordinator.snapshot().chains().size() == 2,
            "the chain back with the new cookie");
    }

    @Test
    void autoDistributedFeeIsACoinbaseOutputAndIsAccounted() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000)),
            new MergeMiningFeeConfig(true, 2, "bcrt1qcommons", "commons-dev", true));
        h.awaitChains(1);
        final Job job = h.refreshJob();
        final long value = job.template().coinbaseValue();
        final Transaction cb = job.coinbase().transaction(new byte[h.logic.extranonceLength()]);
        final TxOut feeOut = cb.outputs().stream().filter(o -> Arrays.equals(o.scriptPubKey(), COMMONS_SCRIPT))
            .findFirst().orElseThrow();
        assertEquals(value * 2 / 100, feeOut.valueSats());
        long total = 0;
        for (final TxOut o : cb.outputs())
        {
            total += o.valueSats();
        }
        assertEquals(value, total, "payout + fee == coinbase value");

        // a Bitcoin block: the pool records its reward through the recorder; the fee event equals the output
        h.mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertNull(h.chain.submitBlock(BlockAssembler.assemble(h.bitcoinBlocks.get(0))));
        final RevenueSplit.Shares s = h.coordinator.recorder().record(0, value, h.bitcoinBlocks.get(0).hash());
        assertEquals(feeOut.valueSats(), s.fee());
        // the block also met namecoin's target: its reward is split with the same 2 % fee
        await(() -> nmc.acceptedBlocks().size() == 1, "namecoin accepting the Bitcoin block's proof");
        await(() -> h.coordinator.recorder().blocks(1) == 1, "namecoin's reward");
        h.drainLogicThread();
        assertEquals(value * 2 / 100, h.state.chainStats(0).fees());
        assertEquals(50_0000_0000L * 2 / 100, h.state.chainStats(1).fees());
        assertEquals(0, h.state.chainStats(0).unallocated());
        assertEquals(0, h.state.chainStats(1).unallocated());
    }

    @Test
    void aShareWithVersionBit8IsNoAuxPowProofButStillAnRskProof() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, AUX7_BITS));
        final FakeRskNode rskNode = closeLater(new FakeRskNode(RSK_TARGET));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000), rsk(rskNode.url())), disabledFee());
        h.awaitChains(2);
        final Job job = h.refreshJob();
        // the header a miner with the wide SV2 rolling mask (0x1fffffe0) may send: bit 8 set in the parent version
        final byte[] coinbase = job.coinbase().serialize(h.miner.extranoncePrefix, TxSerialization.LEGACY);
        final byte[] root = Sha256d.hash(coinbase);
        Merkle.fold(new Sha256d(), root, 0, job.template().merklePath(), 0, job.template().merklePathCount(), 0);
        final int version = job.template().version() | AuxPowVerifier.VERSION_AUXPOW;
        final BigInteger auxTarget = Target.fromCompact(AUX7_BITS);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int nonce = 0; ; nonce++)
        {
            final byte[] header = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN).putInt(version)
                .put(job.template().prevHash()).put(root).putInt(job.template().minNtime()).putInt(job.template().nbits())
                .putInt(nonce).array();
            final byte[] hash = sha.digest(sha.digest(header));
            if (le(hash).compareTo(auxTarget) <= 0 && le(hash).compareTo(Target.fromCompact(BTC_BITS)) > 0)
            {
                h.coordinator.enqueue(new BlockCandidate(job, header, hash, h.miner.extranoncePrefix, 0, "alice.rig"));
                break;
            }
        }
        await(() -> rskNode.acceptedBlocks().size() == 1, "RSK accepting the bit-8 share");
        await(() -> h.coordinator.metrics().auxPowSkippedVersionBit.sum() == 1, "the AuxPoW chain skipped and counted");
        assertEquals(1, h.coordinator.metrics().submissions.sum(), "no AuxPoW submission for a bit-8 parent");
        assertEquals(0, nmc.acceptedBlocks().size());
        assertTrue(nmc.rejectionReasons().isEmpty());
    }

    private <T extends AutoCloseable> T closeLater(final T t)
    {
        closeables.add(t);
        return t;
    }
}
