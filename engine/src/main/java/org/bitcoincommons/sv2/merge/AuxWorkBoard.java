package org.bitcoincommons.sv2.merge;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aux work the next jobs commit to: rebuilt from every chain that is up whenever a chain's work or state
 * changes, then the pool is asked for new jobs. Logs each chain's state once per change (never once per failed
 * request). Called by every chain's poller and submitter; synchronized (cold path), the snapshot is read lock-free.
 */
final class AuxWorkBoard
{
    private static final Logger LOG = LoggerFactory.getLogger(MergeMiningCoordinator.class);

    private final List<AuxChain> chains;
    private final MergeMetrics metrics;
    private final Runnable refreshJobs;
    private final Boolean[] reportedUp = new Boolean[64];
    private volatile AuxWorkSnapshot snapshot = AuxWorkSnapshot.EMPTY;
    /**
     * The current snapshot and the one it replaced, published together: custom jobs (Job Declaration) may commit to
     * either, since a JD client learned the commitment at its AllocateMiningJobToken and the work may have changed
     * since. The previous one stays acceptable until the aux work changes once more.
     */
    private volatile Generations generations = new Generations(AuxWorkSnapshot.EMPTY, AuxWorkSnapshot.EMPTY);

    /** The current aux work and the one before it (EMPTY when there was none). */
    record Generations(AuxWorkSnapshot current, AuxWorkSnapshot previous)
    {
    }

    /**
     * @param refreshJobs asks the pool for new jobs (called from the chains' threads)
     */
    AuxWorkBoard(final List<AuxChain> chains, final MergeMetrics metrics, final Runnable refreshJobs)
    {
        this.chains = chains;
        this.metrics = metrics;
        this.refreshJobs = refreshJobs;
    }

    AuxWorkSnapshot snapshot()
    {
        return snapshot;
    }

    /** The current and the previous aux work, read together (any thread). */
    Generations generations()
    {
        return generations;
    }

    /** True when the chain's state differs from the one last logged (or none was logged yet). */
    synchronized boolean reportedDiffers(final AuxChain chain)
    {
        final Boolean reported = reportedUp[chain.index];
        return reported == null || reported != chain.up();
    }

    /** Logs the chain's state if it changed, rebuilds the snapshot, and asks for new jobs when the work changed. */
    void changed(final AuxChain chain)
    {
        synchronized (this)
        {
            report(chain);
            final List<AuxWorkSnapshot.ChainWork> work = new ArrayList<>(chains.size());
            for (final AuxChain c : chains)
            {
                final AuxWorkSnapshot.ChainWork w = c.work();
                if (c.up() && w != null)
                {
                    work.add(w);
                }
            }
            final AuxWorkSnapshot next = AuxWorkSnapshot.build(work);
            if (sameWork(snapshot, next))
            {
                return;
            }
            generations = new Generations(next, snapshot);
            snapshot = next;
            metrics.workChanges.increment();
        }
        refreshJobs.run();
    }

    private void report(final AuxChain chain)
    {
        final boolean up = chain.up();
        final Boolean before = reportedUp[chain.index];
        if (before != null && before == up)
        {
            return;
        }
        reportedUp[chain.index] = up;
        metrics.stateChanges.increment();
        if (up)
        {
            LOG.info("aux chain {} is up ({})", chain.config.name(), chain.config.rpcUrl());
            return;
        }
        if (Boolean.TRUE.equals(before))
        {
            metrics.chainsWentDown.increment();
        }
        final long age = chain.health.workAgeMs(System.currentTimeMillis());
        LOG.warn("aux chain {} is down after {} consecutive failure(s), work {} ms old; left out of new jobs until it "
            + "answers: {}", chain.config.name(), chain.health.consecutiveFailures(),
            age == Long.MAX_VALUE ? "never" : Long.toString(age), chain.lastError());
    }

    private static boolean sameWork(final AuxWorkSnapshot a, final AuxWorkSnapshot b)
    {
        if (a.chains().size() != b.chains().size())
        {
            return false;
        }
        for (int i = 0; i < a.chains().size(); i++)
        {
            final AuxWorkSnapshot.ChainWork x = a.chains().get(i);
            final AuxWorkSnapshot.ChainWork y = b.chains().get(i);
            if (x.chainIndex() != y.chainIndex() || x.workId() != y.workId())
            {
                return false;
            }
        }
        return true;
    }
}
