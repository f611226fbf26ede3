package org.bitcoincommons.sv2.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The multi-producer Disruptor ring between the connections (one virtual thread each) and the pool logic
 * (one platform thread). Producers claim a slot, fill it and publish. Claiming never blocks inside the ring: a
 * producer that finds it full backs off on its own thread (parks 1 us, doubling to 1 ms) and tries again, which is
 * the pool's back-pressure: that connection stops reading its socket while every other keeps going. Each time a
 * producer found the ring full is counted ({@link #fullWaits}).
 *
 * <p>
 * The consumer runs on a thread of its own (the Disruptor's batch processor), or, with the {@code "loop"} strategy,
 * on a thread that polls the ring ({@link #poll}) between its other work: an event loop that reads a share, runs the
 * logic and writes the acknowledgement in one pass, as Aeron's shared threading mode composes its agents on one
 * thread. A publisher then wakes that thread through {@link #waker} when it sleeps.
 *
 * @param <S> the connection type events come from (typed, so the consumer casts nothing)
 * @param <J> the job type
 */
public final class SharePipeline<S, J> implements AutoCloseable
{
    /** The wait strategy under which no thread of the pipeline's own consumes: the owner of a loop polls. */
    public static final String POLLED = "loop";
    /** Events one {@link #poll} handles at most before it returns (the loop's sockets get their turn). */
    private static final int POLL_BUDGET = 1024;

    private final Disruptor<PipelineEvent<S, J>> disruptor;
    private final RingBuffer<PipelineEvent<S, J>> ring;
    /** With {@link #POLLED}: the consumer's cursor, advanced by {@link #poll}; null with a thread of its own. */
    private final EventPoller<PipelineEvent<S, J>> poller;
    private final PolledHandler polled;
    private final PollerWake wake;
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile boolean closing;
    /** With {@link #POLLED}: a thread has polled (and so is the consumer). */
    private volatile boolean started;
    /** With {@link #POLLED}, polling thread only: inside {@link #poll} (a nested call would handle events twice). */
    private boolean inPoll;
    /** With {@link #POLLED}: time spent in {@link #poll} handling events (the logic's share of the thread). */
    private volatile long polledNs;
    private volatile boolean running;
    private volatile long fullWaits;
    private volatile Thread consumerThread;
    private static final VarHandle FULL_WAITS;

    static
    {
        try
        {
            FULL_WAITS = MethodHandles.lookup().findVarHandle(SharePipeline.class, "fullWaits", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    public SharePipeline(final int ringSize, final PipelineConsumer<S, J> consumer)
    {
        this(ringSize, "parking", consumer);
    }

    /**
     * @param waitStrategy "parking" (the consumer spins briefly, then parks; see {@link ParkingWaitStrategy}),
     *                     "blocking" (Disruptor's lite blocking strategy), "sleeping", "yielding" or "busy-spin"
     */
    public SharePipeline(final int ringSize, final String waitStrategy, final PipelineConsumer<S, J> consumer)
    {
        if (POLLED.equals(waitStrategy))
        {
            this.disruptor = null;
            this.wake = new PollerWake();
            this.ring = RingBuffer.createMultiProducer(PipelineEvent<S, J>::new, ringSize, wake);
            this.poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
            this.polled = new PolledHandler(consumer);
            return;
        }
        this.poller = null;
        this.polled = null;
        this.wake = null;
        final ThreadFactory threads = r ->
        {
            final Thread t = new Thread(r, "sv2-pool-logic");
            t.setDaemon(true);
            consumerThread = t;
            return t;
        };
        final WaitStrategy wait = switch (waitStrategy)
        {
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            case "blocking" -> new LiteBlockingWaitStrategy();
            default -> new ParkingWaitStrategy();
        };
        this.disruptor = new Disruptor<>(PipelineEvent<S, J>::new, ringSize, threads, ProducerType.MULTI, wait);
        final EventHandler<PipelineEvent<S, J>> handler = new EventHandler<>()
        {
            @Override
            public void onEvent(final PipelineEvent<S, J> event, final long sequence, final boolean endOfBatch)
            {
                try
                {
                    consumer.onEvent(event);
                }
                finally
                {
                    event.clearReferences();
                    if (endOfBatch)
                    {
                        consumer.onEndOfBatch();
                    }
                }
            }

            @Override
            public void onStart()
            {
                consumer.onStart();
            }
        };
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new ExceptionHandler<>()
        {
            @Override
            public void handleEventException(final Throwable ex, final long sequence, final PipelineEvent<S, J> event)
            {
                consumer.onError(ex, event);
            }

            @Override
            public void handleOnStartException(final Throwable ex)
            {
                consumer.onError(ex, null);
            }

            @Override
            public void handleOnShutdownException(final Throwable ex)
            {
                consumer.onError(ex, null);
            }
        });
        this.ring = disruptor.getRingBuffer();
    }

    public void start()
    {
        if (disruptor != null)
        {
            disruptor.start();
        }
        running = true;
    }

    /** True when the consumer runs on a thread that calls {@link #poll} (the {@code "loop"} strategy). */
    public boolean polled()
    {
        return poller != null;
    }

    /**
     * With {@link #POLLED}: what a publisher runs after each publish, to wake the polling thread if it sleeps (any
     * thread; it must fence before reading its sleeping flag). Set before the first publish that must be seen.
     */
    public void waker(final Runnable waker)
    {
        wake.waker = waker;
    }

    /**
     * With {@link #POLLED}, on the polling thread: handles what was published, at most {@value #POLL_BUDGET} events,
     * ending each batch with the consumer's {@code onEndOfBatch}. The first call binds the consumer to this thread
     * (its {@code onStart}).
     *
     * @return events handled (0: nothing was waiting)
     */
    public int poll()
    {
        if (!started)
        {
            started = true;
            consumerThread = Thread.currentThread();
            try
            {
                polled.consumer.onStart();
            }
            catch (final RuntimeException ex)
            {
                polled.consumer.onError(ex, null);
            }
        }
        if (inPoll || drained.getCount() == 0)
        {
            return 0;   // nested (the consumer publishing into its own full ring): the poller's cursor is not saved yet
        }
        final long t0 = System.nanoTime();
        polled.count = 0;
        inPoll = true;
        try
        {
            poller.poll(polled);
        }
        catch (final Exception ex)
        {
            polled.consumer.onError(ex, null);   // the handler catches the consumer's own: this is the ring's
        }
        finally
        {
            inPoll = false;
        }
        final int n = polled.count;
        if (n > 0)
        {
            if (!polled.ended)
            {
                polled.end();   // stopped at the budget: the batch so far is settled now
            }
            polledNs += System.nanoTime() - t0;
        }
        else if (closing)
        {
            drained.countDown();   // closed and nothing left: the last event was handled
        }
        return n;
    }

    /** With {@link #POLLED}: true when events wait for {@link #poll} (read after the poller announced it sleeps). */
    public boolean hasWork()
    {
        return ring.isAvailable(poller.getSequence().get() + 1) || (closing && drained.getCount() != 0);
    }

    /** With {@link #POLLED}, on the polling thread once its other work has stopped: polls until {@link #close}. */
    public void pollUntilClosed()
    {
        long parkNs = 1_000;
        while (drained.getCount() != 0)
        {
            if (poll() > 0)
            {
                parkNs = 1_000;
            }
            else if (drained.getCount() != 0)
            {
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs << 1, 1_000_000);
            }
        }
    }

    public boolean running()
    {
        return running;
    }

    /**
     * Claims the next slot; backs off on the caller's thread while the ring is full. Fill {@link #event(long)} then
     * {@link #publish(long)}.
     */
    public long claim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            return claimWhenFree();
        }
    }

    private long claimWhenFree()
    {
        FULL_WAITS.getAndAdd(this, 1L);
        long parkNs = 1_000;
        while (true)
        {
            if (poller == null || Thread.currentThread() != consumerThread || poll() == 0)
            {
                // (the polling thread publishes too, a connection on its loop: it makes the room itself, unless it is
                // the consumer publishing from inside a poll, which, like a consumer thread publishing into its own
                // full ring, can only wait)
                LockSupport.parkNanos(parkNs);
            }
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                parkNs = Math.min(parkNs << 1, 1_000_000);
            }
        }
    }

    /**
     * CPU time the consumer (pool logic) thread has used, in nanoseconds; -1 before it started or where unsupported.
     * With {@link #POLLED}: the time the polling thread spent handling events (wall time, which is its CPU time
     * unless the system took the core away meanwhile).
     */
    public long consumerCpuNs()
    {
        if (poller != null)
        {
            return started ? polledNs : -1;
        }
        final Thread t = consumerThread;
        if (t == null)
        {
            return -1;
        }
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(t.threadId()) : -1;
    }

    /** Times a producer found the ring full and had to wait (its connection stopped reading meanwhile). */
    public long fullWaits()
    {
        return fullWaits;
    }

    public PipelineEvent<S, J> event(final long sequence)
    {
        return ring.get(sequence);
    }

    public void publish(final long sequence)
    {
        ring.publish(sequence);
    }

    /**
     * Claims a slot, lets {@code translator} fill it from the two arguments, and publishes it (also when the
     * translator throws). Waits while the ring is full. Pass static translators, not capturing lambdas.
     */
    public <A, B> void publish(final EventTranslatorTwoArg<PipelineEvent<S, J>, A, B> translator, final A a, final B b)
    {
        final long seq = claim();
        try
        {
            translator.translateTo(ring.get(seq), seq, a, b);
        }
        finally
        {
            ring.publish(seq);
        }
    }

    /** Slots free right now (for metrics). */
    public long remainingCapacity()
    {
        return ring.remainingCapacity();
    }

    public int bufferSize()
    {
        return ring.getBufferSize();
    }

    /** Runs a task on the consumer thread, in ring order. */
    public void execute(final Runnable task)
    {
        execute(null, task);
    }

    /**
     * Runs a task on the consumer thread, in ring order, on behalf of {@code source} (a connection): a task that throws
     * is that connection's fault only, as its messages' are.
     */
    public void execute(final S source, final Runnable task)
    {
        final long seq = claim();
        try
        {
            final PipelineEvent<S, J> e = ring.get(seq);
            e.type = PipelineEvent.TASK;
            e.source = source;
            e.task = task;
        }
        finally
        {
            ring.publish(seq);
        }
    }

    /**
     * Drains what was published, then stops the consumer thread. With {@link #POLLED}: waits (up to 10 s) until the
     * polling thread has handled everything published before this call, and it polls no more after; called on the
     * polling thread, drains there; when no thread has ever polled, returns after a second (nothing consumes).
     */
    @Override
    public void close()
    {
        if (running)
        {
            running = false;
            if (disruptor != null)
            {
                disruptor.shutdown();
                return;
            }
            closing = true;
            if (Thread.currentThread() == consumerThread)
            {
                while (poll() > 0)
                {
                    // the polling thread closes: it drains the rest itself (the last poll, empty, ends it)
                }
                return;
            }
            wake.signalAllWhenBlocking();
            final long t0 = System.nanoTime();
            try
            {
                while (!drained.await(20, TimeUnit.MILLISECONDS))
                {
                    final long waited = System.nanoTime() - t0;
                    if (!started && waited > 1_000_000_000L)
                    {
                        drained.countDown();   // no thread ever polled (its loop never ran): nobody to wait for
                        return;
                    }
                    if (waited > 10_000_000_000L)
                    {
                        throw new IllegalStateException("the polling thread did not drain the ring within 10 s");
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The poller's handler: the consumer's calls, each event's references cleared, a budget per poll. */
    private final class PolledHandler implements EventPoller.Handler<PipelineEvent<S, J>>
    {
        final PipelineConsumer<S, J> consumer;
        int count;
        boolean ended;

        PolledHandler(final PipelineConsumer<S, J> consumer)
        {
            this.consumer = consumer;
        }

        @Override
        public boolean onEvent(final PipelineEvent<S, J> event, final long sequence, final boolean endOfBatch)
        {
            count++;
            ended = false;
            try
            {
                consumer.onEvent(event);
            }
            catch (final Throwable ex)
            {
                consumer.onError(ex, event);
            }
            finally
            {
                event.clearReferences();
            }
            if (endOfBatch)
            {
                end();
            }
            return count < POLL_BUDGET;
        }

        void end()
        {
            ended = true;
            try
            {
                consumer.onEndOfBatch();
            }
            catch (final Throwable ex)
            {
                consumer.onError(ex, null);
            }
        }
    }

    /** The ring's wait strategy when polled: nobody waits in it; a publish runs the poller's waker. */
    private static final class PollerWake implements WaitStrategy
    {
        volatile Runnable waker;

        @Override
        public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence,
            final SequenceBarrier barrier) throws AlertException
        {
            throw new UnsupportedOperationException("a polled ring has no waiting consumer");
        }

        @Override
        public void signalAllWhenBlocking()
        {
            final Runnable w = waker;
            if (w != null)
            {
                w.run();
            }
        }
    }
}
