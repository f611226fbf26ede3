package org.bitcoincommons.sv2.revenue;

import java.util.concurrent.Executor;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.JournalWriter;

/**
 * {@link MergeAccounting} for the pool: each call is handed to {@code logicThread} (the pool logic thread's proxy
 * queue), which appends the event to the journal and then applies it to the accounting state, exactly as replay
 * applies it, so replay == live. The caller's thread only enqueues.
 */
public final class JournalMergeAccounting implements MergeAccounting
{
    private final Executor logicThread;
    private final JournalWriter writer;
    private final AccountingListener state;
    private final EpochClock clock;

    /**
     * @param logicThread runs each task on the thread that owns {@code writer} and {@code state}
     */
    public JournalMergeAccounting(final Executor logicThread, final JournalWriter writer,
        final AccountingListener state, final EpochClock clock)
    {
        this.logicThread = logicThread;
        this.writer = writer;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public void chain(final int chainIndex, final String name)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.chain(now, chainIndex, name);
            state.chain(now, chainIndex, name);
        });
    }

    @Override
    public void auxSubmitted(final int chainIndex, final byte[] hash)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.auxSubmitted(now, chainIndex, hash);
            state.auxSubmitted(now, chainIndex, hash);
        });
    }

    @Override
    public void auxAccepted(final int chainIndex, final byte[] hash)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.auxAccepted(now, chainIndex, hash);
            state.auxAccepted(now, chainIndex, hash);
        });
    }

    @Override
    public void auxRejected(final int chainIndex, final byte[] hash, final String reason)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.auxRejected(now, chainIndex, hash, reason);
            state.auxRejected(now, chainIndex, hash, reason);
        });
    }

    @Override
    public void auxUnknown(final int chainIndex, final byte[] hash, final String reason)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.auxUnknown(now, chainIndex, hash, reason);
            state.auxUnknown(now, chainIndex, hash, reason);
        });
    }

    @Override
    public void reward(final int chainIndex, final long amount, final byte[] hash)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.reward(now, chainIndex, amount, hash);
            state.reward(now, chainIndex, amount, hash);
        });
    }

    @Override
    public void fee(final int chainIndex, final long amount, final String contributorId)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.fee(now, chainIndex, amount, contributorId);
            state.fee(now, chainIndex, amount, contributorId);
        });
    }

    @Override
    public void distribution(final int chainIndex, final long core, final long grants, final long audits,
        final long operations)
    {
        logicThread.execute(() ->
        {
            final long now = clock.time();
            writer.distribution(now, chainIndex, core, grants, audits, operations);
            state.distribution(now, chainIndex, core, grants, audits, operations);
        });
    }
}
