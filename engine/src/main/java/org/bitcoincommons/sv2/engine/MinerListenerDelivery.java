package org.bitcoincommons.sv2.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a {@link StratumV2Miner}'s events to one {@link MinerListener} on a thread of its own, so that the miner's
 * session thread (which reads the pool's acknowledgements and work and lets the hashing threads submit) never waits
 * for a listener. The session thread only counts or enqueues and never blocks: accepted-share counts are summed into
 * one number (no allocation per acknowledgement) and delivered as one call, the rare events (job, rejection,
 * connected, disconnected) go through a bounded queue; when a stuck listener lets that queue fill, further events are
 * dropped and counted rather than held. A listener that throws has the failure logged (the first time and then at
 * every power of two) and counted; it is still given the next events.
 */
final class MinerListenerDelivery
{
    private static final Logger LOG = LoggerFactory.getLogger(MinerListenerDelivery.class);
    /** Queued rare events per listener before they are dropped. */
    static final int QUEUE_CAPACITY = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private record Job(int jobId)
    {
    }

    private record Rejected(String reason)
    {
    }

    private record Connected(int session)
    {
    }

    private record Disconnected(String reason)
    {
    }

    private final MinerListener listener;
    private final AtomicLong failures;
    private final AtomicLong dropped;
    private final AtomicLong pendingAccepted = new AtomicLong();
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param failures counts listener calls that threw (shared by the miner's listeners)
     * @param dropped  counts events dropped because this listener's queue was full (shared)
     */
    MinerListenerDelivery(final MinerListener listener, final int index, final AtomicLong failures,
        final AtomicLong dropped)
    {
        this.listener = listener;
        this.failures = failures;
        this.dropped = dropped;
        this.thread = Thread.ofPlatform().daemon().name("sv2-miner-listener-" + index).start(this::run);
    }

    /** Session thread: adds to the accepted count the listener is given next. Never blocks, never allocates. */
    void sharesAccepted(final long count)
    {
        if (pendingAccepted.getAndAdd(count) == 0)
        {
            LockSupport.unpark(thread);
        }
    }

    void job(final int jobId)
    {
        offer(new Job(jobId));
    }

    void shareRejected(final String reason)
    {
        offer(new Rejected(reason));
    }

    void connected(final int session)
    {
        offer(new Connected(session));
    }

    void disconnected(final String reason)
    {
        offer(new Disconnected(reason));
    }

    private void offer(final Object event)
    {
        if (queue.offer(event))
        {
            LockSupport.unpark(thread);
        }
        else
        {
            final long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1)
            {
                LOG.warn("miner listener {} is not keeping up: {} event(s) dropped so far",
                    listener.getClass().getName(), n);
            }
        }
    }

    /**
     * Stops after delivering what is queued, waiting at most {@code waitMs} for a listener that is still busy (its
     * thread is a daemon and is left to finish on its own).
     */
    void close(final long waitMs)
    {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread)
        {
            return;     // a listener stopping its own miner: its thread ends once the call returns
        }
        try
        {
            thread.join(waitMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        while (true)
        {
            final Object e = queue.poll();
            if (e != null)
            {
                call(() -> deliver(e));
            }
            final long accepted = pendingAccepted.getAndSet(0);
            if (accepted > 0)
            {
                call(() -> listener.onSharesAccepted(accepted));
            }
            if (e != null || accepted > 0)
            {
                continue;
            }
            if (!running)
            {
                return;
            }
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
    }

    private void deliver(final Object e)
    {
        switch (e)
        {
            case Job j -> listener.onJob(j.jobId());
            case Rejected r -> listener.onShareRejected(r.reason());
            case Connected c -> listener.onConnected(c.session());
            case Disconnected d -> listener.onDisconnected(d.reason());
            default -> throw new IllegalStateException("unknown event " + e);
        }
    }

    private void call(final Runnable r)
    {
        try
        {
            r.run();
        }
        catch (final RuntimeException ex)
        {
            final long n = failures.incrementAndGet();
            if (Long.bitCount(n) == 1)
            {
                LOG.warn("miner listener {} threw ({} failure(s) so far): {}", listener.getClass().getName(), n,
                    ex.toString(), ex);
            }
        }
    }
}
