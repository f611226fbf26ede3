package org.bitcoincommons.sv2.merge;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.HashWindow;
import org.bitcoincommons.sv2.revenue.MergeAccounting;
import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aux chain's submission path: its own queue of candidates and its own virtual thread, so that a slow or dead
 * node delays only its own chain. Each aux block (by hash) is submitted once: a later candidate for a hash already
 * submitted, whatever its outcome, is counted as a duplicate and dropped, because nodes answer a repeat as if it were
 * new (Namecoin's {@code submitauxblock} returns true for a block it has, RSK imports another solution of solved
 * work as a sibling) and a repeat can never earn a second reward.
 *
 * <p>Threads: {@link #offer} is called by the pool logic thread (never blocks: a full queue drops and counts); the
 * rest runs on this chain's submitter thread, which alone touches the window of submitted hashes.
 */
final class ChainSubmitter
{
    /** Candidates waiting for this chain; beyond this they are dropped and counted. */
    static final int QUEUE_CAPACITY = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ChainSubmitter.class);

    private final AuxChain chain;
    private final MergeAccounting accounting;
    private final RewardRecorder recorder;
    private final MergeMetrics metrics;
    private final LongSupplier clockMs;
    private final LongSupplier drainDeadlineMs;
    private final Consumer<AuxChain> healthChanged;
    private final Consumer<AuxChain> submittedOne;
    private final ArrayBlockingQueue<BlockCandidate> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final HashWindow submittedHashes = new HashWindow(AccountingState.HASH_WINDOW);
    private volatile boolean stopping;
    private Thread thread;

    /**
     * @param drainDeadlineMs once the pool stops: the time by which queued candidates must be done
     * @param healthChanged   told when a request flips the chain's health
     * @param submittedOne    told after each submission (the chain's work is about to change: poll it now)
     */
    ChainSubmitter(final AuxChain chain, final MergeAccounting accounting, final RewardRecorder recorder,
        final MergeMetrics metrics, final LongSupplier clockMs, final LongSupplier drainDeadlineMs,
        final Consumer<AuxChain> healthChanged, final Consumer<AuxChain> submittedOne)
    {
        this.chain = chain;
        this.accounting = accounting;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clockMs = clockMs;
        this.drainDeadlineMs = drainDeadlineMs;
        this.healthChanged = healthChanged;
        this.submittedOne = submittedOne;
    }

    void start()
    {
        thread = Thread.ofVirtual().name("merge-submit-" + chain.config.name()).start(this::loop);
    }

    /**
     * Hands a candidate whose hash met this chain's target to the chain (pool logic thread; never blocks).
     *
     * @return false when it was dropped (queue full, or the pool is stopping); the drop is counted
     */
    boolean offer(final BlockCandidate candidate)
    {
        if (stopping || !queue.offer(candidate))
        {
            chain.dropped.incrementAndGet();
            metrics.candidatesDropped.increment();
            return false;
        }
        return true;
    }

    /** Takes no more candidates; those queued are still submitted until the drain deadline. */
    void stop()
    {
        stopping = true;
    }

    /** Waits for the thread until {@code deadlineMs}; then interrupts it (its submission ends as unknown). */
    void awaitOrInterrupt(final long deadlineMs) throws InterruptedException
    {
        final Thread t = thread;
        if (t == null)
        {
            return;
        }
        final long waitMs = deadlineMs - clockMs.getAsLong();
        if (waitMs > 0)
        {
            t.join(waitMs);
        }
        if (t.isAlive())
        {
            t.interrupt();
            t.join(5000);
        }
    }

    private void loop()
    {
        while (true)
        {
            final BlockCandidate c;
            try
            {
                c = queue.poll(50, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                break;
            }
            if (c == null)
            {
                if (stopping)
                {
                    break;
                }
                continue;
            }
            if (stopping && clockMs.getAsLong() >= drainDeadlineMs.getAsLong())
            {
                chain.dropped.incrementAndGet();
                metrics.candidatesDropped.increment();
                break;
            }
            try
            {
                process(c);
            }
            catch (final RuntimeException ex)
            {
                LOG.error("aux chain {}: submission failed unexpectedly", chain.config.name(), ex);
            }
        }
        final int left = queue.size();
        if (left > 0)
        {
            chain.dropped.addAndGet(left);
            metrics.candidatesDropped.add(left);
            queue.clear();
            LOG.warn("aux chain {}: {} candidate(s) not submitted before the pool stopped", chain.config.name(), left);
        }
    }

    private void process(final BlockCandidate c)
    {
        final AuxWorkSnapshot.ChainWork w = workOf(c);
        if (w == null)
        {
            return;
        }
        if (!submittedHashes.add(w.blockHash()))
        {
            chain.duplicates.incrementAndGet();
            metrics.duplicatesSuppressed.increment();
            return;
        }
        new AuxSubmission(chain, w, c, accounting, recorder, metrics, clockMs, drainDeadlineMs, healthChanged).run();
        submittedOne.accept(chain);
    }

    /** This chain's work in the candidate's job snapshot (what its coinbase committed to), or null. */
    private AuxWorkSnapshot.ChainWork workOf(final BlockCandidate c)
    {
        if (c.job().auxWork() instanceof AuxWorkSnapshot s)
        {
            for (final AuxWorkSnapshot.ChainWork w : s.chains())
            {
                if (w.chainIndex() == chain.index)
                {
                    return w;
                }
            }
        }
        return null;
    }
}
