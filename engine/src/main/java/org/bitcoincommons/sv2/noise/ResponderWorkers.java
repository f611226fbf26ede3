package org.bitcoincommons.sv2.noise;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The curve work of responder handshakes whose sockets an event loop reads and writes: a fixed number of platform
 * threads, which is the bound on handshakes computing at once ({@code handshake_concurrency}), fed first come first
 * served. A handshake waits here for a thread, not on a thread of its own; whoever submits it checks its deadline.
 */
public final class ResponderWorkers implements AutoCloseable
{
    private final NoiseConfig config;
    private final int threads;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param config  counts the handshakes that found every thread busy ({@link NoiseConfig#handshakesQueued})
     * @param threads handshakes computing at once, at least 1
     */
    public ResponderWorkers(final NoiseConfig config, final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.config = config;
        this.threads = threads;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("noise-responder-", 0).factory());   // started as handshakes come
    }

    public int threads()
    {
        return threads;
    }

    /** Handshakes submitted and not finished (running or waiting for a worker). */
    public int inFlight()
    {
        return inFlight.get();
    }

    /**
     * Runs {@code task} on a worker as soon as one is free; any thread.
     *
     * @throws RejectedExecutionException once closed
     */
    public void submit(final Runnable task)
    {
        if (inFlight.incrementAndGet() > threads)
        {
            config.handshakeQueued();
        }
        try
        {
            pool.execute(() ->
            {
                try
                {
                    task.run();
                }
                finally
                {
                    inFlight.decrementAndGet();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            inFlight.decrementAndGet();
            throw ex;
        }
    }

    @Override
    public void close()
    {
        pool.shutdownNow();
    }
}
