package org.bitcoincommons.sv2.pool;

import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.bitcoincommons.sv2.journal.ShareBatch;
import org.bitcoincommons.sv2.journal.TeeListener;

/**
 * The pool's accounting: every event is appended to the Chronicle journal and then applied to the
 * {@link AccountingState}. An append returns once the event is in the memory-mapped queue file, which survives
 * the death of the process, and {@link ShareProcessor} acknowledges a share only after this, so no acknowledged
 * share is ever lost. Owned by the pool logic thread; {@link #snapshot()} is safe from any thread.
 */
public final class JournalAccounting implements ShareAccounting
{
    private final JournalWriter writer;
    private final AccountingState state;
    /** The state, or the state then the sink: what every event is applied to after it is journaled. */
    private AccountingListener listener;
    private final EpochClock clock;
    private final Map<String, Integer> workerIds = new HashMap<>();
    private int nextWorkerId;
    private volatile AccountingState.Frozen snapshot;
    /** Accepted shares of the current validation batch, journaled together at {@link #flush()}. */
    private final ShareBatch shares = new ShareBatch(4096);
    private long batchTimeMs;
    /** Told of every share batch once it is journaled (the engine API measures listener lag from it), or null. */
    private BatchObserver batchObserver;

    /**
     * Told on the logic thread each time a SHARE_BATCH document has been appended, before its acknowledgements are
     * queued. Called once per batch, never per share; must not block.
     */
    @FunctionalInterface
    public interface BatchObserver
    {
        void journaled(int shares);
    }

    /**
     * @param state the state replayed from the journal at start-up, so counters and worker ids continue
     */
    public JournalAccounting(final JournalWriter writer, final AccountingState state, final EpochClock clock)
    {
        this(writer, state, clock, null);
    }

    /**
     * @param sink also receives every event, after the state (a cluster frontend's replication); null for none
     */
    public JournalAccounting(final JournalWriter writer, final AccountingState state, final EpochClock clock,
        final AccountingSink sink)
    {
        this.writer = writer;
        this.state = state;
        this.listener = sink == null ? state : new TeeListener(state, sink);
        this.clock = clock;
        state.workerNames().forEach((id, name) -> workerIds.put(name, id));
        this.nextWorkerId = state.maxWorkerId() + 1;
        this.snapshot = state.freeze();
    }

    /**
     * Adds an observer of every event, after the state and the sink (e.g. the recent blocks of the API). Before the
     * first event only: the logic thread reads the listener without a lock.
     */
    public JournalAccounting observe(final AccountingListener observer)
    {
        listener = new TeeListener(listener, observer);
        return this;
    }

    @Override
    public int workerId(final String userIdentity)
    {
        final Integer known = workerIds.get(userIdentity);
        if (known != null)
        {
            return known;
        }
        final int id = nextWorkerId++;
        workerIds.put(userIdentity, id);
        writeShares();
        final long now = clock.time();
        writer.worker(now, id, userIdentity);
        listener.worker(now, id, userIdentity);
        return id;
    }

    @Override
    public void shareAccepted(final int workerId, final int channelId, final int sequenceNumber, final int jobId,
        final double difficulty, final long chainMask)
    {
        if (shares.count() == 0)
        {
            batchTimeMs = clock.time();
        }
        else if (shares.full())
        {
            writeShares();
            batchTimeMs = clock.time();
        }
        shares.add(workerId, channelId, sequenceNumber, jobId, difficulty, chainMask);
        listener.shareAccepted(batchTimeMs, workerId, channelId, sequenceNumber, jobId, difficulty, chainMask);
    }

    @Override
    public void blockFound(final int chainIndex, final int workerId, final long height, final byte[] blockHash)
    {
        writeShares();
        final long now = clock.time();
        writer.blockFound(now, chainIndex, workerId, height, blockHash);
        listener.blockFound(now, chainIndex, workerId, height, blockHash);
    }

    /** Names chain {@code index} (0 is bitcoin) in the journal. Logic thread. */
    public void chain(final int index, final String name)
    {
        writeShares();
        final long now = clock.time();
        writer.chain(now, index, name);
        listener.chain(now, index, name);
    }

    public void auxSubmitted(final int index, final byte[] hash)
    {
        writeShares();
        final long now = clock.time();
        writer.auxSubmitted(now, index, hash);
        listener.auxSubmitted(now, index, hash);
    }

    public void auxAccepted(final int index, final byte[] hash)
    {
        writeShares();
        final long now = clock.time();
        writer.auxAccepted(now, index, hash);
        listener.auxAccepted(now, index, hash);
    }

    public void auxRejected(final int index, final byte[] hash, final String reason)
    {
        writeShares();
        final long now = clock.time();
        writer.auxRejected(now, index, hash, reason);
        listener.auxRejected(now, index, hash, reason);
    }

    /** A bitcoin block no template source accepted; call on the logic thread (the journal's writer). */
    public void blockRejected(final int index, final byte[] hash, final String reason)
    {
        writeShares();
        final long now = clock.time();
        writer.blockRejected(now, index, hash, reason);
        state.blockRejected(now, index, hash, reason);
    }

    public void reward(final int index, final long amount, final byte[] hash)
    {
        writeShares();
        final long now = clock.time();
        writer.reward(now, index, amount, hash);
        listener.reward(now, index, amount, hash);
    }

    public void fee(final int index, final long amount, final String contributorId)
    {
        writeShares();
        final long now = clock.time();
        writer.fee(now, index, amount, contributorId);
        listener.fee(now, index, amount, contributorId);
    }

    public void distribution(final int index, final long core, final long grants, final long audits,
        final long operations)
    {
        writeShares();
        final long now = clock.time();
        writer.distribution(now, index, core, grants, audits, operations);
        listener.distribution(now, index, core, grants, audits, operations);
    }

    /**
     * Journals the batch's accepted shares as one document. Once Chronicle's append returns the document is in the
     * memory-mapped file and survives the death of this process; acknowledgements are queued only after this.
     */
    @Override
    public void flush()
    {
        writeShares();
    }

    private void writeShares()
    {
        final int n = shares.count();
        if (n > 0)
        {
            writer.shareBatch(batchTimeMs, shares);
            if (batchObserver != null)
            {
                batchObserver.journaled(n);
            }
        }
    }

    /** Sets the observer of journaled share batches (null for none); call before the logic thread starts. */
    public void batchObserver(final BatchObserver observer)
    {
        this.batchObserver = observer;
    }

    /** Called on the logic thread (each tick): publishes a copy of the totals for other threads. */
    public void publishSnapshot()
    {
        snapshot = state.freeze();
    }

    /**
     * The totals as of the last tick, in the shape {@code bin/sv2 replay --json} prints. The logic thread only copies
     * the numbers at the tick; the map (sorted by worker) is built here, by the first reader.
     */
    public Map<String, Object> snapshot()
    {
        return snapshot.toMap();
    }

    /** What every event is applied to after it is journaled (the state, and the sink if any); logic thread. */
    public AccountingListener listener()
    {
        return listener;
    }

    /** The live state; only the logic thread may touch it. */
    public AccountingState state()
    {
        return state;
    }

    public JournalWriter writer()
    {
        return writer;
    }
}
