package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.revenue.RevenueSplit;
import org.bitcoincommons.sv2.revenue.JournalMergeAccounting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.hash.HashImpl;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.bitcoincommons.sv2.pool.BlockAssembler;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.pool.JournalAccounting;
import org.bitcoincommons.sv2.pool.MiningDownstream;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.pool.ShareError;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool logic mining on the embedded chain with the coordinator as its job decorator and block sink, talking real
 * JSON-RPC over loopback HTTP to two fake AuxPoW nodes and a fake RSK node, journaling into a real Chronicle queue.
 * The test thread plays the pool logic thread: it makes jobs, submits shares and applies the accounting calls.
 */
class MergeMiningIntegrationTest
{
    /** Bitcoin: one hash in 2^16. */
    private static final int BTC_BITS = 0x1f00ffff;
    /** Aux chain A (Namecoin-like, id 1): one in 2^12. Tightest aux target. */
    private static final int NMC_BITS = 0x1f0fffff;
    /** Aux chain B (id 7): one in 2^8. */
    private static final int AUX7_BITS = 0x2000ffff;
    /** RSK: one in 2^6. Loosest. */
    private static final BigInteger RSK_TARGET = BigInteger.ONE.shiftLeft(250);
    private static final byte[] COMMONS_SCRIPT = Arrays.copyOf(new byte[] {0x00, 0x14, 0x11, 0x22}, 22);
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final EpochClock clock = System::currentTimeMillis;
    private final ConcurrentLinkedQueue<Runnable> logicThread = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final List<BlockCandidate> bitcoinBlocks = new ArrayList<>();
    private Journal journal;
    private JournalWriter writer;
    private AccountingState state;
    private EmbeddedChain chain;
    private PoolLogic logic;
    private JobFactory jobs;
    private MergeMiningCoordinator coordinator;
    private Miner miner;
    private int channelId;
    private int sequence;

    @AfterEach
    void tearDown() throws Exception
    {
        if (coordinator != null)
        {
            coordinator.close();
        }
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
        if (journal != null)
        {
            writer.close();
            journal.close();
        }
    }

    private void drainLogicThread()
    {
        Runnable r;
        while ((r = logicThread.poll()) != null)
        {
            r.run();
        }
    }

    private static AuxChainConfig auxpow(final String name, final int chainId, final URI url, final String user,
        final String password, final Path cookie, final long timeoutMs)
    {
        return new AuxChainConfig(name, AuxChainConfig.Kind.AUXPOW, chainId, url, user, password, cookie, 40, timeoutMs,
            "payout-" + name, AuxChainConfig.RpcStyle.CREATEAUXBLOCK);
    }

    private static AuxChainConfig rsk(final URI url)
    {
        return new AuxChainConfig("rsk", AuxChainConfig.Kind.RSK, -1, url, "", "", null, 40, 2000, "",
            AuxChainConfig.RpcStyle.CREATEAUXBLOCK);
    }

    private void start(final List<AuxChainConfig> chains, final MergeMiningFeeConfig fee)
    {
        journal = Journal.open(dir.resolve("journal"));
        writer = journal.writer();
        state = new AccountingState();
        coordinator = new MergeMiningCoordinator(chains, chains.stream().map(AuxChainConfig::name).toList(), fee,
            COMMONS_SCRIPT, new JournalMergeAccounting(logicThread::add, writer, state, clock), refreshes::incrementAndGet);
        chain = new EmbeddedChain(BTC_BITS, 3, clock);
        logic = new PoolLogic(new JournalAccounting(writer, state, clock), HashBackends.create(HashImpl.JAVA),
            coordinator.blockSink(new BlockSink()
            {
                @Override
                public void blockFound(final BlockCandidate candidate)
                {
                    bitcoinBlocks.add(candidate);
                }
            }), clock, 6.0, 8, 64, 1 << 16, 1.0);
        jobs = new JobFactory(new byte[] {0x51}, "/merge-test/".getBytes(), logic.extranonceLength(), coordinator);
        coordinator.start();
        chain.start((t, newTip) -> logic.newJob(jobs.create(t), newTip));
        miner = new Miner();
        logic.connectionOpened(miner, true);
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        logic.openStandardChannel(miner, 1, "alice.rig", 1.0f, max);
        channelId = miner.channelId;
    }

    /** A new job from the current template, as the pool does on refreshJobs. */
    private Job refreshJob()
    {
        final Job job = jobs.create(chain.currentTemplate());
        logic.newJob(job, false);
        return job;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                throw new AssertionError(ex);
            }
        }
    }

    private void awaitChains(final int count)
    {
        await(() -> coordinator.snapshot().chains().size() == count, count + " chains in the aux snapshot");
    }

    /**
     * Grinds nonces on the miner's current job until the header hash satisfies {@code wanted}, submits that share
     * and returns its hash (little-endian). Hashes with MessageDigest, independent of the pool.
     */
    private byte[] mineShare(final Predicate<byte[]> wanted) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int nonce = miner.nextNonce; ; nonce++)
        {
            final byte[] header = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN).putInt(miner.version)
                .put(miner.prevHash).put(miner.merkleRoot).putInt(miner.ntime).putInt(miner.nbits).putInt(nonce).array();
            final byte[] hash = sha.digest(sha.digest(header));
            if (wanted.test(hash))
            {
                miner.nextNonce = nonce + 1;
                logic.shares().submitStandard(miner, channelId, ++sequence, miner.jobId, nonce, miner.ntime,
                    miner.version);
                logic.shares().endOfBatch();
                return hash;
            }
        }
    }

    private static Predicate<byte[]> meets(final BigInteger target)
    {
        return h -> le(h).compareTo(target) <= 0;
    }

    private static Predicate<byte[]> meetsButNot(final BigInteger target, final BigInteger tighter)
    {
        return h -> le(h).compareTo(target) <= 0 && le(h).compareTo(tighter) > 0;
    }

    static BigInteger le(final byte[] b)
    {
        final byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++)
        {
            be[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    @Test
    void auxPowAndRskMergeMinedFromTheSameWorkAndTheJournalReplays() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        final FakeAuxPowNode aux7 = closeLater(new FakeAuxPowNode(7, AUX7_BITS));
        final FakeRskNode rskNode = closeLater(new FakeRskNode(RSK_TARGET));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000),
            auxpow("seven", 7, aux7.url(), "", "", null, 2000), rsk(rskNode.url())), disabledFee());
        awaitChains(3);
        Job job = refreshJob();
        assertEquals(0b1111L, job.chainMask());

        // the job's coinbase commits to every chain: one fabe6d6d root and the RSK tag
        final Transaction cb = job.coinbase().transaction(new byte[logic.extranonceLength()]);
        final CoinbaseCommitments c = CoinbaseCommitments.of(cb);
        assertNotNull(c.aux());
        assertEquals(coordinator.snapshot().commitment(), c.aux());
        assertArrayEquals(rskNode.currentWork(), c.rskHash());
        assertNotNull(c.witnessCommitment());

        // an ordinary share meeting only the loosest target (RSK's) lands on RSK alone
        final BigInteger aux7Target = Target.fromCompact(AUX7_BITS);
        mineShare(meetsButNot(RSK_TARGET, aux7Target));
        await(() -> rskNode.acceptedBlocks().size() == 1, "RSK accepting the first proof");
        assertEquals(0, aux7.acceptedBlocks().size());
        assertEquals(0, nmc.acceptedBlocks().size());

        // one share meeting the tightest aux target lands on every chain (from the same proof of work)
        await(() -> refreshes.get() > 0 && !Arrays.equals(coordinator.snapshot().rsk().blockHash(), c.rskHash()),
            "new RSK work after the accepted block");
        job = refreshJob();
        mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> nmc.acceptedBlocks().size() == 1 && aux7.acceptedBlocks().size() == 1
            && rskNode.acceptedBlocks().size() == 2, "the share landing on all three chains");
        assertTrue(nmc.rejectionReasons().isEmpty(), nmc.rejectionReasons().toString());
        assertTrue(aux7.rejectionReasons().isEmpty(), aux7.rejectionReasons().toString());
        assertTrue(bitcoinBlocks.isEmpty());

        // a Bitcoin block also goes to the aux chains (it meets every target)
        await(() -> coordinator.snapshot().chains().stream().allMatch(w -> w.workId() >= 2), "new work on every chain");
        refreshJob();
        mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertEquals(1, bitcoinBlocks.size());
        assertNull(chain.submitBlock(BlockAssembler.assemble(bitcoinBlocks.get(0))));
        await(() -> nmc.acceptedBlocks().size() == 2 && aux7.acceptedBlocks().size() == 2
            && rskNode.acceptedBlocks().size() == 3, "the Bitcoin block landing on every aux chain");

        // accounting: the coordinator's counters, then the journal replayed equals the live state
        await(() -> coordinator.metrics().accepted.sum() == 7 && coordinator.recorder().blocks(1) == 2
            && coordinator.recorder().blocks(2) == 2 && coordinator.recorder().blocks(3) == 3,
            "seven accepted submissions and their rewards");
        drainLogicThread();
        final AccountingState.ChainStats nmcStats = state.chainStats(1);
        assertEquals(2 * 50_0000_0000L, nmcStats.rewards());
        assertEquals(0, nmcStats.unallocated());
        assertEquals(3 * 1_000_000_000_000L, state.chainStats(3).rewards());
        assertEquals(3, state.chainStats(0).shares());
        assertEquals(3, state.chainStats(1).shares());
        final List<MergeMiningChannel> channels = coordinator.channels();
        assertEquals(List.of("namecoin", "seven", "rsk"), channels.stream().map(MergeMiningChannel::name).toList());
        assertEquals(2, channels.get(0).sharesSubmitted());
        assertEquals(2 * 50_0000_0000L, channels.get(0).totalRewards());
        assertEquals(3, channels.get(2).accepted());
        assertTrue(channels.stream().allMatch(MergeMiningChannel::up));

        final Map<String, Object> live = state.toMap();
        final AccountingState replayed = new AccountingState();
        try (JournalReader reader = journal.reader())
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
        awaitChains(1);
        Job job = refreshJob();
        assertEquals(0b101L, job.chainMask(), "namecoin (index 1) is left out, seven (index 2) is in");
        await(() -> coordinator.metrics().pollFailures.sum() >= 2, "failed polls of the down node");
        assertFalse(coordinator.channels().get(0).up());

        // Bitcoin shares and blocks keep flowing, and chain seven accepts its proof
        mineShare(meetsButNot(Target.fromCompact(AUX7_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> aux7.acceptedBlocks().size() == 1, "chain seven accepting");
        mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertEquals(1, bitcoinBlocks.size());
        assertEquals(0, miner.errors);

        // the node comes back: it is in the next jobs again
        nmc.up();
        awaitChains(2);
        job = refreshJob();
        assertEquals(0b111L, job.chainMask());
        assertTrue(coordinator.channels().get(0).up());

        // slow answers: past the timeout the chain is down again, the other is untouched
        nmc.delayMs = 1500;
        nmc.advanceTipElsewhere();
        awaitChains(1);
        assertEquals(1, coordinator.metrics().chainsWentDown.sum());
        nmc.delayMs = 0;
        awaitChains(2);

        // JSON-RPC errors on submit are rejections, not outages: stale work ("block hash unknown")
        refreshJob();
        nmc.advanceTipElsewhere();
        final long before = coordinator.metrics().rejected.sum();
        mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
        await(() -> coordinator.metrics().rejected.sum() > before, "the stale proof's rejection");
        assertTrue(nmc.rejectionReasons().contains("block hash unknown"));
        drainLogicThread();
        assertTrue(coordinator.channels().get(0).up());
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
        awaitChains(2);
        await(() -> bad.authFailures.get() > 0, "the bad credentials being refused");
        assertFalse(coordinator.channels().get(2).up());
        assertEquals(0, nmc.authFailures.get());
        assertEquals(0, aux7.authFailures.get());
        // the aux node restarts with a new cookie: re-read on reconnect
        aux7.requireCookie(cookie, "fresh");
        aux7.advanceTipElsewhere();
        await(() -> aux7.authFailures.get() > 0, "the old cookie being refused");
        await(() -> coordinator.channels().get(1).up() && coordinator.snapshot().chains().size() == 2,
            "the chain back with the new cookie");
    }

    @Test
    void autoDistributedFeeIsACoinbaseOutputAndIsAccounted() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, NMC_BITS));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000)),
            new MergeMiningFeeConfig(true, 2, "bcrt1qcommons", "commons-dev", true));
        awaitChains(1);
        final Job job = refreshJob();
        final long value = job.template().coinbaseValue();
        final Transaction cb = job.coinbase().transaction(new byte[logic.extranonceLength()]);
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
        mineShare(meets(Target.fromCompact(BTC_BITS)));
        assertNull(chain.submitBlock(BlockAssembler.assemble(bitcoinBlocks.get(0))));
        final RevenueSplit.Shares s = coordinator.recorder().record(0, value, bitcoinBlocks.get(0).hash());
        assertEquals(feeOut.valueSats(), s.fee());
        // the block also met namecoin's target: its reward is split with the same 2 % fee
        await(() -> nmc.acceptedBlocks().size() == 1, "namecoin accepting the Bitcoin block's proof");
        await(() -> coordinator.recorder().blocks(1) == 1, "namecoin's reward");
        drainLogicThread();
        assertEquals(value * 2 / 100, state.chainStats(0).fees());
        assertEquals(50_0000_0000L * 2 / 100, state.chainStats(1).fees());
        assertEquals(0, state.chainStats(0).unallocated());
        assertEquals(0, state.chainStats(1).unallocated());
    }

    @Test
    void aShareWithVersionBit8IsNoAuxPowProofButStillAnRskProof() throws Exception
    {
        final FakeAuxPowNode nmc = closeLater(new FakeAuxPowNode(1, AUX7_BITS));
        final FakeRskNode rskNode = closeLater(new FakeRskNode(RSK_TARGET));
        start(List.of(auxpow("namecoin", 1, nmc.url(), "", "", null, 2000), rsk(rskNode.url())), disabledFee());
        awaitChains(2);
        final Job job = refreshJob();
        // the header a miner with the wide SV2 rolling mask (0x1fffffe0) may send: bit 8 set in the parent version
        final byte[] coinbase = job.coinbase().serialize(miner.extranoncePrefix, TxSerialization.LEGACY);
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
                coordinator.enqueue(new BlockCandidate(job, header, hash, miner.extranoncePrefix, 0, "alice.rig"));
                break;
            }
        }
        await(() -> rskNode.acceptedBlocks().size() == 1, "RSK accepting the bit-8 share");
        await(() -> coordinator.metrics().auxPowSkippedVersionBit.sum() == 1, "the AuxPoW chain skipped and counted");
        assertEquals(1, coordinator.metrics().submissions.sum(), "no AuxPoW submission for a bit-8 parent");
        assertEquals(0, nmc.acceptedBlocks().size());
        assertTrue(nmc.rejectionReasons().isEmpty());
    }

    private static MergeMiningFeeConfig disabledFee()
    {
        return new MergeMiningFeeConfig(false, 1, "", "", false);
    }

    private <T extends AutoCloseable> T closeLater(final T t)
    {
        closeables.add(t);
        return t;
    }

    /** Records what the pool sends a standard channel. */
    private static final class Miner implements MiningDownstream
    {
        int channelId;
        byte[] extranoncePrefix;
        int jobId;
        int version;
        byte[] merkleRoot;
        byte[] prevHash;
        int ntime;
        int nbits;
        int nextNonce;
        int errors;
        int pendingJobId = -1;
        byte[] pendingRoot;
        int pendingVersion;

        @Override
        public long connectionId()
        {
            return 1;
        }

        @Override
        public void openStandardMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
            final byte[] extranoncePrefix, final int groupChannelId)
        {
            this.channelId = channelId;
            this.extranoncePrefix = extranoncePrefix.clone();
        }

        @Override
        public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
            final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
        {
        }

        @Override
        public void openMiningChannelError(final int requestId, final String errorCode)
        {
            errors++;
        }

        @Override
        public void updateChannelError(final int channelId, final String errorCode)
        {
        }

        @Override
        public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final byte[] merkleRoot)
        {
            if (minNtime < 0)
            {
                pendingJobId = jobId;
                pendingRoot = merkleRoot.clone();
                pendingVersion = version;
                return;
            }
            this.jobId = jobId;
            this.version = version;
            this.merkleRoot = merkleRoot.clone();
            this.ntime = (int)minNtime;
        }

        @Override
        public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount,
            final byte[] coinbaseTxPrefix, final byte[] coinbaseTxSuffix)
        {
        }

        @Override
        public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
            final int nbits)
        {
            if (jobId == pendingJobId)
            {
                this.jobId = jobId;
                this.version = pendingVersion;
                this.merkleRoot = pendingRoot;
            }
            this.prevHash = prevHash.clone();
            this.ntime = minNtime;
            this.nbits = nbits;
        }

        @Override
        public void setTarget(final int channelId, final byte[] maximumTarget)
        {
        }

        @Override
        public void setExtranoncePrefix(final int channelId, final byte[] extranoncePrefix)
        {
        }

        @Override
        public void setGroupChannel(final int groupChannelId, final int[] channelIds, final int count)
        {
        }

        @Override
        public void submitSharesSuccess(final int channelId, final int lastSequenceNumber,
            final int newSubmitsAcceptedCount, final long newSharesSum)
        {
        }

        @Override
        public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
        {
            errors++;
        }

        @Override
        public void closeChannel(final int channelId, final String reasonCode)
        {
        }

        @Override
        public void disconnect(final String reason)
        {
        }
    }
}
