package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.transport.FrameSink;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.JobFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share path allocates nothing per share or per batch once warm: the pool logic's whole work for a share (staging, the
 * batch's hashing in the kernel the pool would use, target checks, duplicate window, the Chronicle journal append,
 * the batch's SubmitShares.Success encoded into the connection's outbound queue) measured with the JVM's per-thread
 * allocation counter on the thread doing it, for standard shares, version-rolled shares and extended shares.
 * <p>
 * Why per-thread: this thread is the pool's logic thread here, so the counter sees exactly its work; the writer
 * (another thread) and the reader (a connection's) are not in it. Two phases: with the writers busy (no wake-ups)
 * the pool's own code must stay under a quarter byte per share, below what a single 16-byte object per batch would
 * cost (what is left is the journal's index and file chunks now and then); with writers parking and being woken as in the pool, each wake-up of a parked virtual thread
 * from this platform thread costs the JDK's scheduler a task wrapper (about 24-40 bytes), which is the one
 * allocation per batch and connection left on the path (a finding: only a writer that is not a parked virtual thread,
 * or the logic thread writing to the socket itself, avoids it).
 */
@Timeout(120)
class ShareAllocationTest
{
    /** Network target so hard no share is a block. */
    private static final int BITS = 0x1d00ffff;
    private static final int BATCH = 16;

    /** A downstream that encodes what the pool sends into a real outbound queue whose writer discards the bytes. */
    private static final class QueueDownstream implements MiningDownstream
    {
        final MiningFrames frames = new MiningFrames();
        /** Closed: the writer blocks in its first write, so it is never parked and never woken. */
        volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
        volatile boolean writerBlocked;
        final java.util.concurrent.atomic.AtomicLong wakes = new java.util.concurrent.atomic.AtomicLong();
        // large enough that the measured rounds never grow it (growing allocates a ring)
        final OutboundQueue queue = new OutboundQueue(1 << 21, 1 << 24, new FrameSink()
        {
            @Override
            public void write(final DirectBuffer buffer, final int offset, final int length)
            {
                // discarded: the wire is not what is measured
                if (gate.getCount() > 0)
                {
                    writerBlocked = true;
                    try
                    {
                        gate.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    writerBlocked = false;
                }
            }

            @Override
            public void flush()
            {
                // nothing buffered
            }
        });
        int channelId = -1;
        int jobId;
        int version;
        long minNtime;
        long successes;
        long errors;
        final int[] errorsByReason = new int[ShareError.values().length];
        final long id;

        QueueDownstream(final long id)
        {
            this.id = id;
            queue.writerStartLatency(ns -> wakes.incrementAndGet());
        }

        @Override
        public long connectionId()
        {
            return id;
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
        }

        @Override
        public void openMiningChannelError(final int requestId, final String errorCode)
        {
            throw new AssertionError(errorCode);
        }

        @Override
        public void updateChannelError(final int channelId, final String errorCode)
        {
            throw new AssertionError(errorCode);
        }

        @Override
        public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final byte[] merkleRoot, final int merkleRootOffset)
        {
            this.jobId = jobId;
            this.version = version;
            this.minNtime = minNtime;
        }

        @Override
        public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount,
            final byte[] coinbaseTxPrefix, final byte[] coinbaseTxSuffix)
        {
            this.jobId = jobId;
            this.version = version;
            this.minNtime = minNtime;
        }

        @Override
        public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
            final int nbits)
        {
            this.minNtime = minNtime & 0xffffffffL;
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
            successes += newSubmitsAcceptedCount;
            if (!frames.submitSharesSuccess(queue, channelId, lastSequenceNumber, newSubmitsAcceptedCount, newSharesSum))
            {
                throw new AssertionError("outbound queue refused");
            }
        }

        @Override
        public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
        {
            errors++;
            errorsByReason[error.ordinal()]++;
            frames.submitSharesError(queue, channelId, sequenceNumber, error.ascii());
        }

        @Override
        public void closeChannel(final int channelId, final String reasonCode)
        {
        }

        @Override
        public void disconnect(final String reason)
        {
            throw new AssertionError("disconnected: " + reason);
        }
    }

    @Test
    void theLogicThreadAllocatesNothingPerShareOnceWarm(@TempDir final Path dir) throws IOException
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "this JVM has no per-thread allocation counter");
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
            "per-thread allocation counting is off in this JVM");
        final long[] nowMs = {1_800_000_000_000L};
        final EpochClock clock = () -> nowMs[0];
        try (Journal journal = Journal.open(dir.resolve("journal")))
        {
            final JournalAccounting accounting = new JournalAccounting(journal.writer(), new AccountingState(), clock);
            final HashBackend hash = HashBackends.create("auto");
            final PoolLogic logic = new PoolLogic(accounting, hash, new BlockSink()
            {
                @Override
                public void blockFound(final BlockCandidate candidate)
                {
                    throw new AssertionError("no share should be a block at this difficulty");
                }
            }, clock, 6.0, 8, BATCH, 1 << 16, 1e-12);
            final JobFactory jobs = new JobFactory(new byte[] {0x51}, "/alloc/".getBytes(), logic.extranonceLength(),
                t -> JobFactory.Decoration.NONE);
            final EmbeddedChain chain = new EmbeddedChain(BITS, 3, clock);
            chain.start((t, newTip) -> logic.newJob(jobs.create(t), newTip));

            final QueueDownstream standard = new QueueDownstream(1);
            final QueueDownstream extended = new QueueDownstream(2);
            logic.connectionOpened(standard, true);
            logic.connectionOpened(extended, false);
            logic.openStandardChannel(standard, 1, "alloc.standard", 1e-12f, PoolFixture.MAX_TARGET);
            logic.openExtendedChannel(extended, 1, "alloc.extended", 1e-12f, PoolFixture.MAX_TARGET, 8);
            assertTrue(standard.channelId >= 0 && extended.channelId >= 0);

            final ShareProcessor shares = logic.shares();
            final byte[] extranonce = new byte[8];
            final int[] nonce = {0};
            final Runnable round = () ->
            {
                for (int b = 0; b < 4; b++)
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        final int n = nonce[0]++;
                        final int ntime = (int)standard.minNtime;
                        switch (i % 4)
                        {
                            case 0, 1 -> shares.submitStandard(standard, standard.channelId, n, standard.jobId, n,
                                ntime, standard.version);
                            case 2 -> shares.submitStandard(standard, standard.channelId, n, standard.jobId, n, ntime,
                                standard.version ^ (1 << (13 + (n & 7))));
                            default ->
                            {
                                extranonce[0] = (byte)n;
                                extranonce[1] = (byte)(n >>> 8);
                                extranonce[2] = (byte)(n >>> 16);
                                shares.submitExtended(extended, extended.channelId, n, extended.jobId, n, ntime,
                                    extended.version, extranonce, 0, 8);
                            }
                        }
                    }
                    shares.endOfBatch();
                }
            };
            final int warmRounds = 4000;
            for (int r = 0; r < warmRounds; r++)
            {
                round.run();
            }
            final long id = Thread.currentThread().threadId();
            final int rounds = 2000;
            assertEquals(0, standard.errors + extended.errors, "every share is valid; standard " +
                java.util.Arrays.toString(standard.errorsByReason) + ", extended " +
                java.util.Arrays.toString(extended.errorsByReason) + " by " + java.util.Arrays.toString(ShareError.values()));

            // 1. The pool's own code: the writers are busy (blocked in a write), so no acknowledgement wakes one.
            standard.gate = new java.util.concurrent.CountDownLatch(1);
            extended.gate = new java.util.concurrent.CountDownLatch(1);
            round.run();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(standard.writerBlocked && extended.writerBlocked))
            {
                assertTrue(System.nanoTime() < deadline, "the writers reached their blocked write");
                Thread.onSpinWait();
            }
            long accepted = standard.successes + extended.successes;
            long before = mx.getThreadAllocatedBytes(id);
            for (int r = 0; r < rounds; r++)
            {
                round.run();
            }
            final long own = mx.getThreadAllocatedBytes(id) - before;
            final long ownShares = standard.successes + extended.successes - accepted;
            standard.gate.countDown();
            extended.gate.countDown();
            assertEquals(0, standard.errors + extended.errors, "every share is valid");
            assertEquals((long)rounds * 4 * BATCH, ownShares, "every measured share was accepted");

            // 2. With the writers parking and being woken, as in the pool: the only allocation left is the JDK's
            //    (unparking a virtual thread from a platform thread submits it to the scheduler in a task wrapper).
            accepted = standard.successes + extended.successes;
            final long wakesBefore = standard.wakes.get() + extended.wakes.get();
            before = mx.getThreadAllocatedBytes(id);
            for (int r = 0; r < rounds; r++)
            {
                round.run();
                if ((r & 15) == 0)
                {
                    Thread.yield();   // let the writers drain and park, so that commits have writers to wake
                }
            }
            final long withWakes = mx.getThreadAllocatedBytes(id) - before;
            final long wakeShares = standard.successes + extended.successes - accepted;
            final long wakes = standard.wakes.get() + extended.wakes.get() - wakesBefore;
            System.out.printf("share path on the logic thread (hash %s): %d bytes over %d shares with the writers "
                + "busy; %d bytes over %d shares with %d writer wake-ups%n", hash.impl() + "/" + hash.kernel(), own,
                ownShares, withWakes, wakeShares, wakes);
            // Zero per share and per batch: the smallest object per batch (16 bytes, batches of 16) would be 1 byte a
            // share, four times this bound. What is left is rare and not the share's: Chronicle now and then (its
            // index and file chunks), 0 to 7 KB over these 128,000 shares, and nothing else.
            assertTrue(own * 4 < ownShares, own + " bytes the pool's code allocated on the logic thread over " +
                ownShares + " shares (" + (double)own / ownShares + " per share): something allocates per share or "
                + "per batch");
            assertTrue(withWakes <= (wakes + 2) * 40 + ownShares / 100, withWakes + " bytes with " + wakes +
                " wake-ups: more than the scheduler's task wrapper per wake-up");
            standard.queue.close();
            extended.queue.close();
            chain.close();
        }
    }
}
