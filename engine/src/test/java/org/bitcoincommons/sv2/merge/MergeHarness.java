package org.bitcoincommons.sv2.merge;

import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.hash.HashImpl;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.bitcoincommons.sv2.pool.JournalAccounting;
import org.bitcoincommons.sv2.pool.MiningDownstream;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.pool.ShareError;
import org.bitcoincommons.sv2.revenue.JournalMergeAccounting;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.work.JobFactory;

/**
 * The pool logic mining on the embedded chain with the coordinator as its job decorator and block sink, talking real
 * JSON-RPC over loopback HTTP to fake aux nodes, journaling into a real Chronicle queue. The test thread plays the
 * pool logic thread: it makes jobs, submits shares and applies the accounting calls ({@link #drainLogicThread}).
 */
final class MergeHarness implements AutoCloseable
{
    static final long WAIT_MS = 10_000;
    static final byte[] COMMONS_SCRIPT = Arrays.copyOf(new byte[] {0x00, 0x14, 0x11, 0x22}, 22);

    final EpochClock clock = System::currentTimeMillis;
    final ConcurrentLinkedQueue<Runnable> logicThread = new ConcurrentLinkedQueue<>();
    final AtomicInteger refreshes = new AtomicInteger();
    final List<BlockCandidate> bitcoinBlocks = new ArrayList<>();
    final Journal journal;
    final JournalWriter writer;
    final AccountingState state;
    final EmbeddedChain chain;
    final PoolLogic logic;
    final JobFactory jobs;
    final MergeMiningCoordinator coordinator;
    final Miner miner;
    final int channelId;
    private int sequence;

    MergeHarness(final Path dir, final int btcBits, final List<AuxChainConfig> chains, final MergeMiningFeeConfig fee)
    {
        journal = Journal.open(dir.resolve("journal"));
        writer = journal.writer();
        state = new AccountingState();
        coordinator = new MergeMiningCoordinator(chains, chains.stream().map(AuxChainConfig::name).toList(), fee,
            COMMONS_SCRIPT, new JournalMergeAccounting(logicThread::add, writer, state, clock), refreshes::incrementAndGet);
        chain = new EmbeddedChain(btcBits, 3, clock);
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

    static AuxChainConfig auxpow(final String name, final int chainId, final URI url, final long timeoutMs)
    {
        return auxpow(name, chainId, url, "", "", null, timeoutMs);
    }

    static AuxChainConfig auxpow(final String name, final int chainId, final URI url, final String user,
        final String password, final Path cookie, final long timeoutMs)
    {
        return new AuxChainConfig(name, AuxChainConfig.Kind.AUXPOW, chainId, url, user, password, cookie, 40, timeoutMs,
            "payout-" + name, AuxChainConfig.RpcStyle.CREATEAUXBLOCK);
    }

    static AuxChainConfig rsk(final URI url)
    {
        return new AuxChainConfig("rsk", AuxChainConfig.Kind.RSK, -1, url, "", "", null, 40, 2000, "",
            AuxChainConfig.RpcStyle.CREATEAUXBLOCK);
    }

    static MergeMiningFeeConfig disabledFee()
    {
        return new MergeMiningFeeConfig(false, 1, "", "", false);
    }

    /** Runs the accounting calls the coordinator handed to the "logic thread", in order. */
    void drainLogicThread()
    {
        Runnable r;
        while ((r = logicThread.poll()) != null)
        {
            r.run();
        }
    }

    /** A new job from the current template, as the pool does on refreshJobs. */
    Job refreshJob()
    {
        final Job job = jobs.create(chain.currentTemplate());
        logic.newJob(job, false);
        return job;
    }

    static void await(final BooleanSupplier condition, final String what)
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

    /** The work id of chain {@code name} in the snapshot the next job commits to (0 when it is not in it). */
    long snapshotWorkId(final String name)
    {
        return coordinator.snapshot().chains().stream().filter(w -> w.name().equals(name))
            .mapToLong(AuxWorkSnapshot.ChainWork::workId).findFirst().orElse(0);
    }

    /** Waits until the next job would commit to chain {@code name}'s work number {@code workId} (1 = first). */
    void awaitWork(final String name, final long workId)
    {
        await(() -> snapshotWorkId(name) == workId, name + "'s work " + workId + " in the aux snapshot");
    }

    void awaitChains(final int count)
    {
        await(() -> coordinator.snapshot().chains().size() == count, count + " chains in the aux snapshot");
    }

    /**
     * Grinds nonces on the miner's current job until the header hash satisfies {@code wanted}, submits that share
     * and returns its hash (little-endian). Hashes with MessageDigest, independent of the pool.
     */
    byte[] mineShare(final Predicate<byte[]> wanted) throws Exception
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

    static Predicate<byte[]> meets(final BigInteger target)
    {
        return h -> le(h).compareTo(target) <= 0;
    }

    static Predicate<byte[]> meetsButNot(final BigInteger target, final BigInteger tighter)
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

    /** The journal as replayed by {@code bin/sv2 replay}. */
    AccountingState replay()
    {
        final AccountingState replayed = new AccountingState();
        try (JournalReader reader = journal.reader())
        {
            reader.readAll(replayed);
        }
        return replayed;
    }

    @Override
    public void close()
    {
        coordinator.close();
        chain.close();
        writer.close();
        journal.close();
    }

    /** Records what the pool sends a standard channel. */
    static final class Miner implements MiningDownstream
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
            final byte[] merkleRoot, final int merkleRootOffset)
        {
            final byte[] root = java.util.Arrays.copyOfRange(merkleRoot, merkleRootOffset, merkleRootOffset + 32);
            if (minNtime < 0)
            {
                pendingJobId = jobId;
                pendingRoot = root;
                pendingVersion = version;
                return;
            }
            this.jobId = jobId;
            this.version = version;
            this.merkleRoot = root;
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
