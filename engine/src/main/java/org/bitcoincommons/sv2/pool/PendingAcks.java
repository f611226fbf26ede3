package org.bitcoincommons.sv2.pool;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SubmitShares.Success messages held until the accounting batch they belong to is committed by an
 * {@link AccountingSink} (a frontend of the cluster): a share is never acknowledged before a majority of the cluster
 * has it. Entries are released in order once {@link AccountingSink#committedTicket()} reaches their ticket; an entry
 * held longer than the timeout closes its connection instead (the miner never sees the acknowledgement; the batch
 * stays queued for the cluster and is credited if it commits later).
 * <p>
 * Owned by the pool logic thread, except {@link #wakeUp()}, which the sink calls from any thread. A fixed ring,
 * allocated once; nothing is allocated per share or per batch.
 */
public final class PendingAcks
{
    private final AccountingSink sink;
    private final Executor logicThread;
    private final long timeoutNs;
    private final LatencyRecorder heldForCommit;
    private final int mask;
    private final Channel[] channel;
    private final int[] lastSequence;
    private final int[] count;
    private final long[] sum;
    private final long[] ticket;
    private final long[] heldAtNs;
    private long head;
    private long tail;
    private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();
    private final Runnable releaseTask = () ->
    {
        wakeUpScheduled.set(false);
        release(System.nanoTime());
    };

    private volatile long released;
    private volatile long expired;
    private volatile long overflowed;
    private volatile int held;

    /**
     * @param logicThread   runs a task on the pool logic thread, in ring order
     * @param timeoutNs     longest hold before the connection is closed instead
     * @param capacity      entries (per-channel acknowledgements) held at most; rounded up to a power of two
     * @param heldForCommit records, per released entry, how long it was held (ns)
     */
    PendingAcks(final AccountingSink sink, final Executor logicThread, final long timeoutNs, final int capacity,
        final LatencyRecorder heldForCommit)
    {
        final int n = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        this.sink = sink;
        this.logicThread = logicThread;
        this.timeoutNs = timeoutNs;
        this.heldForCommit = heldForCommit;
        this.mask = n - 1;
        this.channel = new Channel[n];
        this.lastSequence = new int[n];
        this.count = new int[n];
        this.sum = new long[n];
        this.ticket = new long[n];
        this.heldAtNs = new long[n];
    }

    /** Logic thread: ends the sink's batch; the acknowledgements held next wait for the returned ticket. */
    long seal()
    {
        return sink.seal();
    }

    /** Logic thread: holds one SubmitShares.Success until {@code batchTicket} commits. */
    void hold(final Channel c, final int lastSequenceNumber, final int accepted, final long sharesSum,
        final long batchTicket, final long nowNs)
    {
        if (tail - head > mask)
        {
            overflowed++;
            c.downstream.disconnect("cluster commit backlog: more than " + (mask + 1) + " acknowledgements waiting");
            return;
        }
        final int i = (int)(tail & mask);
        channel[i] = c;
        lastSequence[i] = lastSequenceNumber;
        count[i] = accepted;
        sum[i] = sharesSum;
        ticket[i] = batchTicket;
        heldAtNs[i] = nowNs;
        tail++;
        held = (int)(tail - head);
    }

    /** Logic thread: sends every held acknowledgement whose batch is committed, oldest first. */
    void release(final long nowNs)
    {
        final long committed = sink.committedTicket();
        while (head < tail)
        {
            final int i = (int)(head & mask);
            if (ticket[i] > committed)
            {
                break;
            }
            final Channel c = channel[i];
            channel[i] = null;
            head++;
            if (!c.closed)
            {
                c.downstream.submitSharesSuccess(c.channelId, lastSequence[i], count[i], sum[i]);
            }
            if (heldForCommit != null)
            {
                heldForCommit.recordNs(nowNs - heldAtNs[i]);
            }
            released++;
        }
        held = (int)(tail - head);
    }

    /** Logic thread, once per tick: seals events that came without shares, releases, and expires overdue entries. */
    void tick(final long nowNs)
    {
        seal();
        release(nowNs);
        while (head < tail)
        {
            final int i = (int)(head & mask);
            if (nowNs - heldAtNs[i] < timeoutNs)
            {
                break;
            }
            final Channel c = channel[i];
            channel[i] = null;
            head++;
            expired++;
            if (!c.closed)
            {
                c.downstream.disconnect("cluster did not commit within " + timeoutNs / 1_000_000 +
                    " ms: shares left unacknowledged");
            }
        }
        held = (int)(tail - head);
    }

    /** Any thread: the sink's committed ticket moved; runs {@link #release} on the logic thread (once if repeated). */
    void wakeUp()
    {
        if (wakeUpScheduled.compareAndSet(false, true))
        {
            logicThread.execute(releaseTask);
        }
    }

    /** Acknowledgements sent after their batch committed. */
    public long released()
    {
        return released;
    }

    /** Acknowledgements given up after the timeout (their connections were closed). */
    public long expired()
    {
        return expired;
    }

    /** Acknowledgements refused because the ring was full (their connections were closed). */
    public long overflowed()
    {
        return overflowed;
    }

    /** Acknowledgements held right now. */
    public int held()
    {
        return held;
    }
}
