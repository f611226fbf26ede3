package org.bitcoincommons.sv2.pipeline;

import java.util.concurrent.ThreadFactory;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The multi-producer Disruptor ring between the connections (one virtual thread each) and the pool logic
 * (one platform thread). Producers claim a slot, fill it and publish; claiming waits while the ring is full,
 * which is the pool's back-pressure: a connection that cannot publish stops reading its socket.
 */
public final class SharePipeline implements AutoCloseable
{
    private final Disruptor<PipelineEvent> disruptor;
    private final RingBuffer<PipelineEvent> ring;
    private volatile boolean running;

    public SharePipeline(final int ringSize, final PipelineConsumer consumer)
    {
        this(ringSize, "blocking", consumer);
    }

    /**
     * @param waitStrategy "blocking" (the consumer sleeps until signalled), "sleeping", "yielding" or "busy-spin"
     */
    public SharePipeline(final int ringSize, final String waitStrategy, final PipelineConsumer consumer)
    {
        final ThreadFactory threads = r ->
        {
            final Thread t = new Thread(r, "sv2-pool-logic");
            t.setDaemon(true);
            return t;
        };
        final com.lmax.disruptor.WaitStrategy wait = switch (waitStrategy)
        {
            case "sleeping" -> new com.lmax.disruptor.SleepingWaitStrategy();
            case "yielding" -> new com.lmax.disruptor.YieldingWaitStrategy();
            case "busy-spin" -> new com.lmax.disruptor.BusySpinWaitStrategy();
            default -> new LiteBlockingWaitStrategy();
        };
        this.disruptor = new Disruptor<>(PipelineEvent::new, ringSize, threads, ProducerType.MULTI, wait);
        final EventHandler<PipelineEvent> handler = new EventHandler<>()
        {
            @Override
            public void onEvent(final PipelineEvent event, final long sequence, final boolean endOfBatch)
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
            public void handleEventException(final Throwable ex, final long sequence, final PipelineEvent event)
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

    /** Claims the next slot; waits while the ring is full. Fill {@link #event(long)} then {@link #publish(long)}. */
    public long claim()
    {
        return ring.next();
    }

    public PipelineEvent event(final long sequence)
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
    public <A, B> void publish(final EventTranslatorTwoArg<PipelineEvent, A, B> translator, final A a, final B b)
    {
        ring.publishEvent(translator, a, b);
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
    public void execute(final Object source, final Runnable task)
    {
        final long seq = ring.next();
        try
        {
            final PipelineEvent e = ring.get(seq);
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
