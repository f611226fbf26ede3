package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The responder's curve workers: never more at once than their number, each handshake that found every worker busy
 * counted as queued, none after the close.
 */
@Timeout(30)
class ResponderWorkersTest
{
    @Test
    void atMostTheirNumberRunAtOnceAndTheRestAreCountedAsQueued() throws Exception
    {
        final NoiseConfig config = new NoiseConfig();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(6);
        final int[] order = new int[6];
        final AtomicInteger finished = new AtomicInteger();
        try (ResponderWorkers workers = new ResponderWorkers(config, 2))
        {
            for (int i = 0; i < 6; i++)
            {
                final int task = i;
                workers.submit(() ->
                {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try
                    {
                        release.await(10, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    order[finished.getAndIncrement()] = task;
                    done.countDown();
                });
            }
            assertEquals(4, config.handshakesQueued(), "two ran at once, four found both workers busy");
            final long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (running.get() < 2 && System.nanoTime() < started)
            {
                Thread.onSpinWait();
            }
            Thread.sleep(50);   // a third would have started by now if it could
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(2, most.get());
            assertEquals(15, java.util.Arrays.stream(order).sum(), "each of the six ran once");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (workers.inFlight() > 0 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertEquals(0, workers.inFlight());
            workers.submit(() -> { });
            assertEquals(4, config.handshakesQueued(), "a worker was free again");
        }
        final ResponderWorkers closed = new ResponderWorkers(config, 1);
        closed.close();
        assertThrows(RejectedExecutionException.class, () -> closed.submit(() -> { }));
    }
}
