package org.bitcoincommons.sv2.engine;

import java.util.concurrent.atomic.AtomicLongArray;

import org.bitcoincommons.sv2.pool.JournalAccounting;

/**
 * When each share batch was journaled (System.nanoTime), kept in a ring by batch number so that a listener's delivery
 * thread can measure its lag. One writer (the pool logic thread, once per batch, no allocation); any number of
 * readers. A slot is a tiny seqlock: its number is negated while the time is written.
 */
final class BatchClock implements JournalAccounting.BatchObserver
{
    private static final int SIZE = 1 << 14;
    private static final int MASK = SIZE - 1;

    private final AtomicLongArray numbers = new AtomicLongArray(SIZE);
    private final AtomicLongArray times = new AtomicLongArray(SIZE);
    private long written;

    @Override
    public void journaled(final int shares)
    {
        final long n = ++written;
        final int slot = (int)(n & MASK);
        numbers.setRelease(slot, -n);
        times.setRelease(slot, System.nanoTime());
        numbers.setRelease(slot, n);
    }

    /** The nanoTime batch {@code n} (1-based) was journaled at, or -1 when the ring no longer holds it. */
    long journaledAt(final long n)
    {
        final int slot = (int)(n & MASK);
        if (numbers.getAcquire(slot) != n)
        {
            return -1;
        }
        final long t = times.getAcquire(slot);
        return numbers.getAcquire(slot) == n ? t : -1;
    }
}
