package org.bitcoincommons.sv2.pipeline;

import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * The logic thread's wait: spin a little, then park; a publisher wakes it only when it is parked.
 * <p>
 * Disruptor's blocking strategies make every publisher pay for a possible sleeper: {@code BlockingWaitStrategy}
 * takes a lock, {@code LiteBlockingWaitStrategy} an atomic getAndSet on one shared flag. Here a publisher pays one
 * volatile read of {@link #parked}, which stays in every core's cache while the consumer is busy, and an unpark
 * (a futex wake) only when the consumer really sleeps. No lost wake-up: the consumer publishes itself in
 * {@link #parked} and then reads the cursor; a publisher advanced the cursor (a CAS) before reading {@link #parked};
 * both are sequentially consistent, so one of the two sees the other.
 * <p>
 * Spinning longer takes a core from the carriers that run the connections (measured: spinning and yielding
 * strategies raise the tail on two cores), hence the short spin.
 */
final class ParkingWaitStrategy implements WaitStrategy
{
    /** About a microsecond or two of PAUSE before parking. */
    private static final int SPINS = 64;

    private volatile Thread parked;

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence,
        final SequenceBarrier barrier) throws AlertException
    {
        long available;
        int spins = SPINS;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (spins > 0)
            {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            parked = Thread.currentThread();
            if (cursor.get() < sequence)
            {
                barrier.checkAlert();
                LockSupport.park(this);
            }
            parked = null;
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        final Thread t = parked;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }
}
