package org.bitcoincommons.sv2.transport;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Paces the admission of new connections: the whole of it, from accept to the first channel opened (Noise handshake,
 * SetupConnection, the channel and its first job), not only the handshake's curve work. A connection accepted by
 * {@link TcpServer} takes a {@link Slot} before any byte is read and gives it back when its first channel is open, when
 * it ends, or {@code holdTimeoutNs} after it got it, whichever comes first. Slots are given first come first served,
 * within two limits:
 * <ul>
 * <li>{@code maxInFlight}: slots held at once (admissions in flight; 0: no bound);</li>
 * <li>{@code ratePerSec} with bursts of {@code burst}: slots given per second (a token bucket; 0: no rate). In the
 * adaptive mode ({@code adaptiveP99Ns > 0}) the rate moves between {@code adaptiveMinRatePerSec} and
 * {@code ratePerSec}: halved after each window in which the connected miners' share path was slower than the
 * threshold (see {@link #adapt}), raised by half after each window in which it was not.</li>
 * </ul>
 * A connection that waits parks its virtual thread (an accepted socket and a parked thread, no other work) for at most
 * {@code waitTimeoutNs}; then it is closed unserved (counted in {@link #timedOut}). Releasing is lock-free (the pool
 * logic thread releases when it opens the first channel); taking a slot and the adaptive tick take one lock, never
 * held while parked. Any thread.
 */
public final class AdmissionControl implements AutoCloseable
{
    /**
     * @param maxInFlight           slots held at once; 0: no bound
     * @param ratePerSec            slots given per second (the ceiling in the adaptive mode); 0: no rate
     * @param burst                 slots the bucket holds (given at once after a quiet spell); at least 1
     * @param waitTimeoutNs         a connection waits at most this long for a slot, then is closed
     * @param holdTimeoutNs         a slot not released this long after it was given is freed anyway
     * @param adaptiveP99Ns         share-path p99 over a window above which the rate is halved; 0: not adaptive
     * @param adaptiveMinRatePerSec the adaptive rate's floor
     * @param adaptiveWindowNs      the adaptive mode's window (one tick per window)
     */
    public record Settings(int maxInFlight, double ratePerSec, double burst, long waitTimeoutNs, long holdTimeoutNs,
        long adaptiveP99Ns, double adaptiveMinRatePerSec, long adaptiveWindowNs)
    {
        public boolean paces()
        {
            return maxInFlight > 0 || ratePerSec > 0;
        }

        public boolean adaptive()
        {
            return adaptiveP99Ns > 0;
        }
    }

    /** One admission in flight: released once (idempotent, lock-free, any thread). */
    public final class Slot
    {
        private final AtomicBoolean released = new AtomicBoolean();
        private final long deadlineNs;

        private Slot(final long deadlineNs)
        {
            this.deadlineNs = deadlineNs;
        }

        /** The admission is over (first channel open, or the connection ended). Idempotent; any thread; no lock. */
        public void release()
        {
            if (released.compareAndSet(false, true))
            {
                inFlight.decrementAndGet();
                final Thread h = head;
                if (h != null)
                {
                    LockSupport.unpark(h);
                }
            }
        }

        public boolean released()
        {
            return released.get();
        }
    }

    private static final class Waiter
    {
        final Thread thread;
        /** Set under the lock when a slot is given to this waiter. */
        Slot slot;

        Waiter(final Thread thread)
        {
            this.thread = thread;
        }
    }

    private final Settings settings;
    private final LongSupplier clockNs;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: waiting connections, first come first served. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Guarded by lock: slots given, in order (= deadline order), for the hold timeout; only with a bound. */
    private final ArrayDeque<Slot> held = new ArrayDeque<>();
    /** Guarded by lock: the token bucket. */
    private double tokens;
    private long refilledNs;
    /** The rate in effect, slots/s (written under lock; read by metrics). */
    private volatile double rateNowPerSec;
    /** The first waiter's thread (it owns the token timer); released slots unpark it. */
    private volatile Thread head;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int waiting;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong paced = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong slowWindows = new AtomicLong();
    private volatile boolean closed;
    private Thread adaptor;

    /** @param clockNs monotonic nanoseconds ({@code System::nanoTime} outside tests) */
    public AdmissionControl(final Settings settings, final LongSupplier clockNs)
    {
        if (settings.maxInFlight() < 0 || settings.ratePerSec() < 0 || settings.burst() < 1
            || settings.waitTimeoutNs() <= 0 || settings.holdTimeoutNs() <= 0
            || (settings.adaptive() && (settings.ratePerSec() <= 0 || settings.adaptiveMinRatePerSec() <= 0
                || settings.adaptiveMinRatePerSec() > settings.ratePerSec() || settings.adaptiveWindowNs() <= 0)))
        {
            throw new IllegalArgumentException("bad admission settings: " + settings);
        }
        this.settings = settings;
        this.clockNs = clockNs;
        this.rateNowPerSec = settings.ratePerSec();
        this.tokens = settings.burst();
        this.refilledNs = clockNs.getAsLong();
    }

    public Settings settings()
    {
        return settings;
    }

    /**
     * Starts the adaptive mode's tick on its own daemon platform thread: every window it reads
     * {@code shareP99NsOverWindow} (the connected miners' share-path p99 over the window just past, 0 when nothing was
     * recorded) and calls {@link #adapt}. Does nothing unless the settings are adaptive.
     */
    public synchronized AdmissionControl startAdaptive(final LongSupplier shareP99NsOverWindow)
    {
        if (!settings.adaptive() || adaptor != null)
        {
            return this;
        }
        adaptor = Thread.ofPlatform().daemon().name("sv2-admission-adapt").start(() ->
        {
            while (!closed)
            {
                LockSupport.parkNanos(settings.adaptiveWindowNs());
                adapt(shareP99NsOverWindow.getAsLong());
            }
        });
        return this;
    }

    /**
     * One adaptive step: {@code shareP99Ns} above the threshold halves the rate (not below the floor); otherwise it is
     * raised by half (not above {@code ratePerSec}). Returns the new rate. Any thread.
     */
    public double adapt(final long shareP99Ns)
    {
        lock.lock();
        try
        {
            refillLocked(clockNs.getAsLong());
            final double r;
            if (shareP99Ns > settings.adaptiveP99Ns())
            {
                slowWindows.incrementAndGet();
                r = Math.max(settings.adaptiveMinRatePerSec(), rateNowPerSec * 0.5);
            }
            else
            {
                r = Math.min(settings.ratePerSec(), rateNowPerSec * 1.5);
            }
            rateNowPerSec = r;
            final Thread h = head;
            if (h != null)
            {
                LockSupport.unpark(h);
            }
            return r;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A slot now, or null (counted nowhere) when a limit says wait: for a caller that does not wait, and for tests that
     * drive the clock. Never gives a slot past connections already waiting.
     */
    public Slot tryAcquire()
    {
        lock.lock();
        try
        {
            return waiters.isEmpty() && !closed ? grantLocked(clockNs.getAsLong()) : null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A slot, waiting (parked) for it up to {@code waitTimeoutNs}; null when the wait timed out, the control was
     * closed, or the thread was interrupted (its flag set again). Called on the connection's own (virtual) thread.
     */
    public Slot acquire()
    {
        final long startNs = clockNs.getAsLong();
        final long deadlineNs = startNs + settings.waitTimeoutNs();
        final Waiter w;
        lock.lock();
        try
        {
            if (closed)
            {
                return null;
            }
            if (waiters.isEmpty())
            {
                final Slot s = grantLocked(startNs);
                if (s != null)
                {
                    return s;
                }
            }
            w = new Waiter(Thread.currentThread());
            waiters.addLast(w);
            waiting = waiters.size();
            paced.incrementAndGet();
            if (waiters.size() == 1)
            {
                head = w.thread;
            }
        }
        finally
        {
            lock.unlock();
        }
        boolean interrupted = false;
        for (;;)
        {
            final long parkNs;
            lock.lock();
            try
            {
                if (w.slot != null)
                {
                    break;
                }
                final long nowNs = clockNs.getAsLong();
                long untilNs = Long.MAX_VALUE;
                if (waiters.peekFirst() == w)
                {
                    untilNs = drainLocked(nowNs);
                    if (w.slot != null)
                    {
                        break;
                    }
                }
                if (closed || interrupted || nowNs - deadlineNs >= 0)
                {
                    waiters.remove(w);
                    waiting = waiters.size();
                    timedOut.incrementAndGet();
                    newHeadLocked();
                    if (interrupted)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }
                parkNs = Math.min(untilNs, deadlineNs - nowNs);
            }
            finally
            {
                lock.unlock();
            }
            LockSupport.parkNanos(this, parkNs);
            interrupted |= Thread.interrupted();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return w.slot;
    }

    /** Wakes every waiter (they return null) and stops the adaptive tick. */
    @Override
    public void close()
    {
        closed = true;
        lock.lock();
        try
        {
            for (final Waiter w : waiters)
            {
                LockSupport.unpark(w.thread);
            }
        }
        finally
        {
            lock.unlock();
        }
        final Thread a;
        synchronized (this)
        {
            a = adaptor;
        }
        if (a != null)
        {
            LockSupport.unpark(a);
        }
    }

    /**
     * Gives slots to waiters in order while the limits allow. Returns how long the first waiter left may sleep before
     * something other than a release can change the answer (a token, a hold expiring), or Long.MAX_VALUE.
     */
    private long drainLocked(final long nowNs)
    {
        long untilNs = Long.MAX_VALUE;
        while (!waiters.isEmpty())
        {
            final Slot s = grantLocked(nowNs);
            if (s == null)
            {
                untilNs = nanosUntilChangeLocked(nowNs);
                break;
            }
            final Waiter w = waiters.pollFirst();
            w.slot = s;
            if (w.thread != Thread.currentThread())
            {
                LockSupport.unpark(w.thread);
            }
        }
        waiting = waiters.size();
        newHeadLocked();
        return untilNs;
    }

    private void newHeadLocked()
    {
        final Waiter first = waiters.peekFirst();
        final Thread h = first == null ? null : first.thread;
        if (h != head)
        {
            head = h;
            if (h != null)
            {
                LockSupport.unpark(h);
            }
        }
    }

    /** A slot if both limits allow one now (the bucket refilled, expired holds freed first), else null. */
    private Slot grantLocked(final long nowNs)
    {
        expireLocked(nowNs);
        refillLocked(nowNs);
        if (settings.maxInFlight() > 0 && inFlight.get() >= settings.maxInFlight())
        {
            return null;
        }
        if (settings.ratePerSec() > 0)
        {
            if (tokens < 1.0)
            {
                return null;
            }
            tokens -= 1.0;
        }
        inFlight.incrementAndGet();
        admitted.incrementAndGet();
        final Slot s = new Slot(nowNs + settings.holdTimeoutNs());
        if (settings.maxInFlight() > 0)
        {
            held.addLast(s);
        }
        return s;
    }

    private void refillLocked(final long nowNs)
    {
        if (settings.ratePerSec() > 0)
        {
            tokens = Math.min(settings.burst(), tokens + rateNowPerSec * (nowNs - refilledNs) / 1e9);
        }
        refilledNs = nowNs;
    }

    /** Frees the slots held past their deadline (their connection never opened a channel); drops released ones. */
    private void expireLocked(final long nowNs)
    {
        Slot s;
        while ((s = held.peekFirst()) != null)
        {
            if (s.released())
            {
                held.pollFirst();
            }
            else if (nowNs - s.deadlineNs >= 0)
            {
                held.pollFirst();
                if (s.released.compareAndSet(false, true))
                {
                    inFlight.decrementAndGet();
                    expired.incrementAndGet();
                }
            }
            else
            {
                break;
            }
        }
    }

    private long nanosUntilChangeLocked(final long nowNs)
    {
        long untilNs = Long.MAX_VALUE;
        if (settings.ratePerSec() > 0 && tokens < 1.0)
        {
            untilNs = Math.max(1, (long)Math.ceil((1.0 - tokens) * 1e9 / rateNowPerSec));
        }
        final Slot oldest = held.peekFirst();
        if (oldest != null && settings.maxInFlight() > 0 && inFlight.get() >= settings.maxInFlight())
        {
            untilNs = Math.min(untilNs, Math.max(1, oldest.deadlineNs - nowNs));
        }
        return untilNs;
    }

    /** Admissions in flight now (slots held). */
    public int inFlight()
    {
        return inFlight.get();
    }

    /** Connections waiting for a slot now. */
    public int waiting()
    {
        return waiting;
    }

    /** Slots given since start. */
    public long admitted()
    {
        return admitted.get();
    }

    /** Connections that had to wait for their slot (paced). */
    public long paced()
    {
        return paced.get();
    }

    /** Connections closed because their wait ran out (or the control closed). */
    public long timedOut()
    {
        return timedOut.get();
    }

    /** Slots freed by the hold timeout (their connection neither opened a channel nor ended in time). */
    public long expired()
    {
        return expired.get();
    }

    /** Adaptive windows in which the share path was above the threshold (each halved the rate). */
    public long slowWindows()
    {
        return slowWindows.get();
    }

    /** The rate in effect, slots/s (the adaptive mode's current value; 0: no rate). */
    public double ratePerSec()
    {
        return rateNowPerSec;
    }
}
