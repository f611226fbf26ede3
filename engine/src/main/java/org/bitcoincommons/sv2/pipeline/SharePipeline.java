package org.bitcoincommons.sv2.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The multi-producer Disruptor ring between the connections (one virtual thread each) and the pool logic
 * (one platform thread). Producers claim a slot, fill it and publish. Claiming never blocks inside the ring: a
 * producer that finds it full backs off on its own thread (parks 1 us, doubling to 1 ms) and tries again, which is
 * the pool's back-pressure: that connection stops reading its socket while every other keeps going. Each time a
 * producer found the ring full is counted ({@link #fullWaits}).
 *
 * @param <S> the connection type events come from (typed, so the consumer casts nothing)
 * @param <J> the job type
 */
public final class SharePipeline<S, J> implements AutoCloseable
{
    private final Disruptor<PipelineEvent<S, J>> disruptor;
    private final RingBuffer<PipelineEvent<S, J>> ring;
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
        final ThreadFactory threads = r ->
        {
            final Thread t = new Thread(r, "sv2-pool-logic");
            t.setDaemon(true);
            consumerThread = t;
            return t;
        };
        final com.lmax.disruptor.WaitStrategy wait = switch (waitStrategy)
        {
            case "sleeping" -> new com.lmax.disruptor.SleepingWaitStrategy();
            case "yielding" -> new com.lmax.disruptor.YieldingWaitStrategy();
            case "busy-spin" -> new com.lmax.disruptor.BusySpinWaitStrategy();
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
        disruptor.start();
        running = true;
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
            LockSupport.parkNanos(parkNs);
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

    /** CPU time the consumer (pool logic) thread has used, in nanoseconds; -1 before it started or where unsupported. */
    public long consumerCpuNs()
    {
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

    /** Drains what was published, then stops the consumer thread. */
    @Override
    public void close()
    {
        if (running)
        {
            running = false;
            disruptor.shutdown();
        }
    }
}
