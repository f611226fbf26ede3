package org.bitcoincommons.sv2.noise;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;

/**
 * Ephemeral key pairs made ahead of time. The responder's ephemeral key (k*G and its ElligatorSwift encoding, about
 * 35 us of the ~115 us of curve work in a responder handshake) does not depend on the client, so one background
 * thread prepares them into a bounded queue and a handshake takes one ready-made; when the queue is empty (a storm
 * longer than the queue) the handshake makes its own, exactly as without this class. Each prepared key is handed out
 * once and then forgotten.
 * <p>
 * The preparer starts with the first handshake (a pool nobody connects to spends nothing), fills the queue to its
 * capacity at most {@link #KEYS_PER_SECOND} keys a second (about a tenth of one core), then parks until takers have
 * drained it below three quarters. It is a daemon platform thread at minimum priority; its paced work lands in idle
 * time, and during a storm it takes at most that tenth of a core from the handshakes it feeds, which is why the queue
 * is sized to absorb a storm rather than to be refilled during one.
 * <p>
 * BIP340 aux randomness is not prepared: it is the source's.
 */
public final class PreparedKeys implements HandshakeRandom, AutoCloseable
{
    /** The preparer's pace: one key every 500 us at most. */
    public static final int KEYS_PER_SECOND = 2000;
    private static final long INTERVAL_NS = 1_000_000_000L / KEYS_PER_SECOND;

    private final HandshakeRandom source;
    private final ManyToManyConcurrentArrayQueue<EllSwiftKeyPair> ready;
    private final int capacity;
    private final int lowWater;
    private final Thread preparer;
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicLong prepared = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong madeInline = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param source   where keys come from (the preparer calls it, and a handshake that finds the queue empty).
     * @param capacity keys kept ready, at least 2 (each is ~100 bytes of heap plus object headers).
     */
    public PreparedKeys(final HandshakeRandom source, final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("prepared key capacity must be >= 2, got " + capacity);
        }
        this.source = source;
        this.capacity = capacity;
        this.lowWater = capacity - Math.max(1, capacity / 4);
        this.ready = new ManyToManyConcurrentArrayQueue<>(capacity);
        this.preparer = Thread.ofPlatform().daemon().name("noise-key-preparer").priority(Thread.MIN_PRIORITY)
            .unstarted(this::prepare);
    }

    private void prepare()
    {
        long next = System.nanoTime();
        while (!closed)
        {
            if (ready.size() >= capacity)
            {
                parked.set(true);
                // Re-check after announcing the park: a taker that drained the queue meanwhile has seen parked.
                if (ready.size() >= capacity && !closed)
                {
                    LockSupport.park(this);
                }
                parked.set(false);
                continue;
            }
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            next = Math.max(next + INTERVAL_NS, System.nanoTime() - INTERVAL_NS);
            final EllSwiftKeyPair key = source.nextKeyPair();
            if (ready.offer(key))
            {
                prepared.incrementAndGet();
            }
        }
    }

    @Override
    public EllSwiftKeyPair nextKeyPair()
    {
        if (!started.get() && started.compareAndSet(false, true) && !closed)
        {
            preparer.start();
            // The queue is empty at start: the starting handshake makes its own key, whatever the preparer does next.
            madeInline.incrementAndGet();
            return source.nextKeyPair();
        }
        final EllSwiftKeyPair key = ready.poll();
        if (key == null)
        {
            madeInline.incrementAndGet();
            wake();
            return source.nextKeyPair();
        }
        served.incrementAndGet();
        if (ready.size() < lowWater)
        {
            wake();
        }
        return key;
    }

    private void wake()
    {
        if (parked.get())
        {
            LockSupport.unpark(preparer);
        }
    }

    @Override
    public void auxRand(final byte[] out32)
    {
        source.auxRand(out32);
    }

    /** Keys ready now. */
    public int ready()
    {
        return ready.size();
    }

    public int capacity()
    {
        return capacity;
    }

    /** Keys the preparer has made since start. */
    public long prepared()
    {
        return prepared.get();
    }

    /** Handshakes that took a prepared key. */
    public long served()
    {
        return served.get();
    }

    /** Handshakes that found the queue empty and made their own key. */
    public long madeInline()
    {
        return madeInline.get();
    }

    /** Stops the preparer; keys still queued are dropped, later calls make keys inline. */
    @Override
    public void close()
    {
        closed = true;
        started.set(true);   // a preparer never started stays so
        LockSupport.unpark(preparer);
        ready.clear();
    }
}
