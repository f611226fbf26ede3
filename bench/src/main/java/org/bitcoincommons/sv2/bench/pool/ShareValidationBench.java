package org.bitcoincommons.sv2.bench.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.pool.JournalAccounting;
import org.bitcoincommons.sv2.pool.MiningDownstream;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.pool.ShareError;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pool logic thread's work per share, without the network: stage a SubmitSharesStandard (channel and job
 * lookup, version and ntime checks, header and midstate record), hash the batch in the native kernel, compare with
 * the targets, check the duplicate window, journal the batch to a real Chronicle queue and emit one
 * SubmitShares.Success per channel. 256 shares from 16 channels per batch. -prof gc shows the allocation per share.
 * {@code mix=mixed}: 16 more channels are extended ones, and every other share of a batch is a SubmitSharesExtended
 * with its own extranonce (its merkle root depends on it) and every other share has rolled version bits, the mix of
 * {@code bench load --extended-percent 50 --rolled-percent 50}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShareValidationBench
{
    private static final int BATCH = 256;
    private static final int CHANNELS = 16;

    @Param({"ffm"})
    public String hashImpl;

    @Param({"standard", "mixed"})
    public String mix;

    private Path dir;
    private Journal journal;
    private PoolLogic logic;
    private final CountingDownstream[] miners = new CountingDownstream[CHANNELS];
    private final int[] channelIds = new int[CHANNELS];
    private final CountingDownstream[] proxies = new CountingDownstream[CHANNELS];
    private final int[] extendedIds = new int[CHANNELS];
    private final byte[] extranonce = new byte[32];
    private boolean mixed;
    private int jobId;
    private int version;
    private int ntime;
    private int nonce;

    /** Counts what the pool sends; keeps the last job. */
    static final class CountingDownstream implements MiningDownstream
    {
        long successes;
        long errors;
        int channelId;
        int extranonceSize;
        int jobId;
        int version;
        int ntime;

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
        }

        @Override
        public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
            final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
        {
            this.channelId = channelId;
            this.extranonceSize = extranonceSize;
        }

        @Override
        public void openMiningChannelError(final int requestId, final String errorCode)
        {
        }

        @Override
        public void updateChannelError(final int channelId, final String errorCode)
        {
        }

        @Override
        public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final byte[] merkleRoot, final int merkleRootOffset)
        {
            this.jobId = jobId;
            this.version = version;
        }

        @Override
        public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount, final byte[] prefix,
            final byte[] suffix)
        {
            this.jobId = jobId;
            this.version = version;
        }

        @Override
        public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
            final int nbits)
        {
            this.ntime = minNtime;
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
        public void submitSharesSuccess(final int channelId, final int lastSequenceNumber, final int count,
            final long sum)
        {
            successes += count;
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

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = Files.createTempDirectory("sv2-share-bench");
        journal = Journal.open(dir);
        final EpochClock clock = System::currentTimeMillis;
        final JournalAccounting accounting = new JournalAccounting(journal.writer(), new AccountingState(), clock);
        // A hard network target: no share becomes a block.
        final EmbeddedChain chain = new EmbeddedChain(0x1a00ffff, 3, clock);
        logic = new PoolLogic(accounting, HashBackends.create(hashImpl), new BlockSink()
        {
            @Override
            public void blockFound(final BlockCandidate candidate)
            {
            }
        }, clock, 6.0, 8, BATCH, 1 << 22, 1e-6);
        final JobFactory jobs = new JobFactory(new byte[] {0x51}, "/bench/".getBytes(), logic.extranonceLength(),
            t -> JobFactory.Decoration.NONE);
        chain.start((t, tip) -> logic.newJob(jobs.create(t), tip));
        final byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte)0xff);
        for (int i = 0; i < CHANNELS; i++)
        {
            miners[i] = new CountingDownstream();
            logic.connectionOpened(miners[i], true);
            logic.openStandardChannel(miners[i], 1, "bench." + i, 0.0f, max);
            channelIds[i] = miners[i].channelId;
        }
        mixed = mix.equals("mixed");
        for (int i = 0; mixed && i < CHANNELS; i++)
        {
            proxies[i] = new CountingDownstream();
            logic.connectionOpened(proxies[i], false);
            logic.openExtendedChannel(proxies[i], 1, "bench.x" + i, 0.0f, max, 8);
            extendedIds[i] = proxies[i].channelId;
            if (proxies[i].jobId != miners[0].jobId || proxies[i].extranonceSize != 8)
            {
                throw new IllegalStateException("extended channel " + i + ": job " + proxies[i].jobId + ", extranonce " +
                    proxies[i].extranonceSize);
            }
        }
        jobId = miners[0].jobId;
        version = miners[0].version;
        ntime = miners[0].ntime;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        journal.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One batch of 256 shares; the score is per share. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void validateBatch(final Blackhole bh)
    {
        final var shares = logic.shares();
        if (mixed)
        {
            for (int i = 0; i < BATCH; i++)
            {
                final int c = (i >> 1) & (CHANNELS - 1);
                // shares 1 and 2 of every 4 have rolled bits (BIP320 range), shares 2 and 3 are extended ones
                final int v = ((i + 1) & 2) != 0 ? version ^ ((nonce & 0xff) << 13) : version;
                if ((i & 2) != 0)
                {
                    extranonce[0] = (byte)nonce;
                    extranonce[1] = (byte)(nonce >>> 8);
                    extranonce[2] = (byte)(nonce >>> 16);
                    extranonce[3] = (byte)(nonce >>> 24);
                    shares.submitExtended(proxies[c], extendedIds[c], nonce, jobId, nonce++, ntime, v, extranonce, 0, 8);
                }
                else
                {
                    shares.submitStandard(miners[c], channelIds[c], nonce, jobId, nonce++, ntime, v);
                }
            }
        }
        else
        {
            for (int i = 0; i < BATCH; i++)
            {
                final int c = i & (CHANNELS - 1);
                shares.submitStandard(miners[c], channelIds[c], nonce, jobId, nonce++, ntime, version);
            }
        }
        shares.endOfBatch();
        bh.consume(miners[0].successes);
        if (mixed && proxies[0].errors + miners[0].errors != 0)
        {
            throw new IllegalStateException("shares rejected: " + proxies[0].errors + " extended, " + miners[0].errors);
        }
    }
}
