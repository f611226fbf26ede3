package org.bitcoincommons.sv2.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.lmax.disruptor.EventTranslatorTwoArg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SharePipeline} with the {@code "loop"} strategy: no thread of its own; whoever polls is the consumer. Events
 * from many threads reach it in ring order, each batch ends with {@code onEndOfBatch}, a poll stops at its budget,
 * publishers wake the poller, the poller publishing into its own full ring makes the room itself, and close waits
 * for everything published before it.
 */
@Timeout(30)
class SharePipelinePolledTest
{
    private static final EventTranslatorTwoArg<PipelineEvent<String, Object>, String, Integer> SHARE =
        (e, seq, source, n) ->
        {
            e.type = PipelineEvent.SUBMIT_STANDARD;
            e.source = source;
            e.sequenceNumber = n;
        };

    /** Records what the pipeline gives it, and on which thread. */
    private static class Recorder implements PipelineConsumer<String, Object>
    {
        final List<String> seen = new ArrayList<>();
        final List<Integer> batchEnds = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        Thread started;
        int errors;
        RuntimeException failOn;

        @Override
        public void onEvent(final PipelineEvent<String, Object> event)
        {
            threads.add(Thread.currentThread());
            if (event.type == PipelineEvent.TASK)
            {
                event.task.run();
                return;
            }
            seen.add(event.source + ":" + event.sequenceNumber);
            if (failOn != null && event.sequenceNumber == 13)
            {
                throw failOn;
            }
        }

        @Override
        public void onEndOfBatch()
        {
            batchEnds.add(seen.size());
        }

        @Override
        public void onStart()
        {
            started = Thread.currentThread();
        }

        @Override
        public void onError(final Throwable error, final PipelineEvent<String, Object> event)
        {
            errors++;
        }
    }

    @Test
    void pollingThreadIsTheConsumerAndSeesEachPublishersEventsInOrder() throws Exception
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(1024, SharePipeline.POLLED, r);
        assertTrue(p.polled());
        final AtomicInteger wakes = new AtomicInteger();
        p.waker(wakes::incrementAndGet);
        p.start();
        assertFalse(p.hasWork());
        assertEquals(-1, p.consumerCpuNs(), "not started before the first poll");

        final int publishers = 4;
        final int each = 2_000;
        final CountDownLatch done = new CountDownLatch(publishers);
        for (int t = 0; t < publishers; t++)
        {
            final String name = "p" + t;
            Thread.ofPlatform().start(() ->
            {
                for (int i = 0; i < each; i++)
                {
                    p.publish(SHARE, name, i);   // 8,000 into 1,024 slots: publishers wait for the poller
                }
                done.countDown();
            });
        }
        final Thread self = Thread.currentThread();
        while (done.getCount() > 0 || p.hasWork())
        {
            if (p.poll() == 0)
            {
                Thread.onSpinWait();
            }
        }
        assertSame(self, r.started, "onStart on the polling thread");
        assertEquals(publishers * each, r.seen.size());
        assertTrue(r.threads.stream().allMatch(t -> t == self), "every event on the polling thread");
        for (int t = 0; t < publishers; t++)
        {
            final String prefix = "p" + t + ":";
            final int[] last = {-1};
            r.seen.stream().filter(s -> s.startsWith(prefix)).forEach(s ->
            {
                final int n = Integer.parseInt(s.substring(prefix.length()));
                assertEquals(last[0] + 1, n, "one publisher's events in its order");
                last[0] = n;
            });
            assertEquals(each - 1, last[0]);
        }
        assertEquals(publishers * each, r.batchEnds.get(r.batchEnds.size() - 1), "the last batch was ended");
        assertEquals(publishers * each, wakes.get(), "every publish ran the waker");
        assertTrue(p.consumerCpuNs() > 0);
        p.close();
    }

    @Test
    void aPollStopsAtItsBudgetAndEndsTheBatchSoFar()
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(4096, SharePipeline.POLLED, r);
        p.start();
        for (int i = 0; i < 2_500; i++)
        {
            p.publish(SHARE, "a", i);
        }
        assertTrue(p.hasWork());
        assertEquals(1024, p.poll());
        assertEquals(List.of(1024), r.batchEnds, "the batch so far ended at the budget");
        assertEquals(1024, p.poll());
        assertEquals(452, p.poll());
        assertEquals(List.of(1024, 2048, 2500), r.batchEnds);
        assertFalse(p.hasWork());
        assertEquals(0, p.poll());
        assertEquals(List.of(1024, 2048, 2500), r.batchEnds, "no batch end without events");
    }

    @Test
    void thePollerPublishingIntoItsFullRingMakesTheRoomItself()
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(64, SharePipeline.POLLED, r);
        p.start();
        assertEquals(0, p.poll());   // binds the consumer to this thread
        for (int i = 0; i < 1_000; i++)
        {
            p.publish(SHARE, "self", i);   // a connection on the loop: the loop is also the consumer
        }
        while (p.poll() > 0)
        {
            // the rest
        }
        assertEquals(1_000, r.seen.size());
        for (int i = 0; i < 1_000; i++)
        {
            assertEquals("self:" + i, r.seen.get(i));
        }
        assertTrue(p.fullWaits() > 0, "the ring was full and counted");
    }

    @Test
    void aPollFromInsideThePollHandlesNothingTwice()
    {
        final AtomicReference<SharePipeline<String, Object>> self = new AtomicReference<>();
        final List<Integer> nested = new ArrayList<>();
        final Recorder r = new Recorder()
        {
            @Override
            public void onEvent(final PipelineEvent<String, Object> event)
            {
                super.onEvent(event);
                nested.add(self.get().poll());   // e.g. the consumer publishing into its own full ring
            }
        };
        final SharePipeline<String, Object> p = new SharePipeline<>(64, SharePipeline.POLLED, r);
        self.set(p);
        p.start();
        for (int i = 0; i < 10; i++)
        {
            p.publish(SHARE, "a", i);
        }
        assertEquals(10, p.poll());
        assertEquals(10, r.seen.size(), "each event once");
        assertTrue(nested.stream().allMatch(n -> n == 0), "the nested polls handled nothing: " + nested);
        assertEquals(0, p.poll());
    }

    @Test
    void aConsumerFaultIsReportedAndTheRingGoesOn()
    {
        final Recorder r = new Recorder();
        r.failOn = new IllegalStateException("bad event");
        final SharePipeline<String, Object> p = new SharePipeline<>(256, SharePipeline.POLLED, r);
        p.start();
        for (int i = 0; i < 20; i++)
        {
            p.publish(SHARE, "a", i);
        }
        assertEquals(20, p.poll());
        assertEquals(20, r.seen.size());
        assertEquals(1, r.errors);
        assertEquals(List.of(20), r.batchEnds);
    }

    @Test
    void closeWaitsForWhatWasPublishedBeforeItThenThePollerStops() throws Exception
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(256, SharePipeline.POLLED, r);
        p.start();
        final AtomicReference<Thread> poller = new AtomicReference<>();
        final CountDownLatch polling = new CountDownLatch(1);
        final Thread loop = Thread.ofPlatform().name("polled-test-loop").start(() ->
        {
            poller.set(Thread.currentThread());
            p.poll();
            polling.countDown();
            p.pollUntilClosed();   // as a loop does once its sockets have ended
        });
        assertTrue(polling.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++)
        {
            p.publish(SHARE, "late", i);
        }
        final AtomicInteger ranLast = new AtomicInteger();
        p.execute(ranLast::incrementAndGet);
        p.close();   // returns only once the poller has handled all of the above
        assertEquals(100, r.seen.size());
        assertEquals(1, ranLast.get());
        assertTrue(r.threads.stream().allMatch(t -> t == poller.get()));
        loop.join(5_000);
        assertFalse(loop.isAlive(), "pollUntilClosed returned after close");
        assertEquals(0, p.poll(), "nothing is handled after close");
        assertNull(r.failOn);
    }

    @Test
    void closeWithoutAnyPollerReturns()
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(64, SharePipeline.POLLED, r);
        p.start();
        p.publish(SHARE, "never", 0);
        final long t0 = System.nanoTime();
        p.close();   // e.g. a pool whose loop never started
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        assertEquals(0, p.poll(), "closed: nothing is handled after");
        assertEquals(List.of(), r.seen);
    }

    @Test
    void closeWithALoopStillServingSocketsEndsThePolling() throws Exception
    {
        final Recorder r = new Recorder();
        final SharePipeline<String, Object> p = new SharePipeline<>(256, SharePipeline.POLLED, r);
        p.start();
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread loop = Thread.ofPlatform().start(() ->
        {
            while (stop.getCount() > 0)
            {
                if (p.poll() == 0 && !p.hasWork())
                {
                    Thread.onSpinWait();
                }
            }
        });
        p.publish(SHARE, "x", 1);
        p.close();
        assertEquals(List.of("x:1"), r.seen);
        stop.countDown();
        loop.join(5_000);
    }
}
