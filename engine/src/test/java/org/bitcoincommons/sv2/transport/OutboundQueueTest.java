package org.bitcoincommons.sv2.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutboundQueueTest
{
    /** A sink that records frames (as their first int, a sequence number) and can be held shut. */
    static class RecordingSink implements FrameSink
    {
        final List<Integer> frames = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        int flushes;

        @Override
        public void write(final DirectBuffer buffer, final int offset, final int length) throws IOException
        {
            try
            {
                gate.await();
            }
            catch (final InterruptedException ex)
            {
                throw new IOException(ex);
            }
            synchronized (this)
            {
                frames.add(buffer.getInt(offset));
                lengths.add(length);
                for (int i = 4; i < length; i++)
                {
                    if (buffer.getByte(offset + i) != (byte)(i + buffer.getInt(offset)))
                    {
                        throw new AssertionError("frame " + buffer.getInt(offset) + " corrupted at byte " + i);
                    }
                }
            }
        }

        @Override
        public void flush()
        {
            flushes++;
        }

        synchronized int count()
        {
            return frames.size();
        }
    }

    private static boolean put(final OutboundQueue q, final int seq, final int length)
    {
        final int index = q.claim(length);
        if (index < 0)
        {
            return false;
        }
        q.buffer().putInt(index, seq);
        for (int i = 4; i < length; i++)
        {
            q.buffer().putByte(index + i, (byte)(i + seq));
        }
        q.commit(index);
        return true;
    }

    @Test
    void deliversEveryFrameInOrderWhileGrowingThroughBursts() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);   // the writer is stuck: the burst must fit by growing
        final OutboundQueue q = new OutboundQueue(1024, 1 << 20, sink);
        int seq = 0;
        for (; seq < 2000; seq++)
        {
            assertTrue(put(q, seq, 8 + seq % 200), "frame " + seq + " refused below the limit");
        }
        assertTrue(q.backlogBytes() > 1024, "the queue grew past its first ring");
        sink.gate.countDown();
        for (; seq < 4000; seq++)
        {
            assertTrue(put(q, seq, 8 + seq % 200));
        }
        final long deadline = System.currentTimeMillis() + 10_000;
        while (sink.count() < 4000 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(4000, sink.count());
        for (int i = 0; i < 4000; i++)
        {
            assertEquals(i, sink.frames.get(i));
            assertEquals(8 + i % 200, sink.lengths.get(i));
        }
        assertTrue(sink.flushes >= 1);
        q.close();
    }

    @Test
    void refusesOnceTheLimitIsQueuedUnread() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);   // a peer that never reads
        final OutboundQueue q = new OutboundQueue(1024, 16 * 1024, sink);
        int accepted = 0;
        while (put(q, accepted, 100))
        {
            accepted++;
            assertTrue(accepted < 1000, "never refused");
        }
        assertTrue(accepted >= 100 && accepted <= 16 * 1024 / 100, "accepted " + accepted + " frames of 100 bytes");
        sink.gate.countDown();
        q.close(2000);
        assertTrue(q.closed());
        assertEquals(-1, q.claim(10), "closed queues refuse");
    }

    @Test
    void producerAndWriterRaceWithoutLosingAFrame() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        final OutboundQueue q = new OutboundQueue(1024, 1 << 22, sink);
        final int n = 200_000;
        final CountDownLatch done = new CountDownLatch(1);
        Thread.ofPlatform().start(() ->
        {
            for (int i = 0; i < n; i++)
            {
                while (!put(q, i, 8 + i % 64))
                {
                    Thread.onSpinWait();
                }
            }
            done.countDown();
        });
        assertTrue(done.await(20, TimeUnit.SECONDS));
        final long deadline = System.currentTimeMillis() + 20_000;
        while (sink.count() < n && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(n, sink.count());
        for (int i = 0; i < n; i += 997)
        {
            assertEquals(i, sink.frames.get(i));
        }
        q.close();
    }

    /**
     * One frame at a time, each waited for before the next: the writer parks between every two, so every commit
     * races the writer going to sleep. A lost wake-up leaves a frame unwritten and this test times out on it.
     */
    @Test
    void everyCommitWakesAParkedWriter() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        final OutboundQueue q = new OutboundQueue(1024, 1 << 20, sink);
        final java.util.concurrent.atomic.AtomicLong wakes = new java.util.concurrent.atomic.AtomicLong();
        q.writerStartLatency(ns -> wakes.incrementAndGet());
        final int n = 20_000;
        for (int i = 0; i < n; i++)
        {
            assertTrue(put(q, i, 16));
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (sink.count() <= i)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("frame " + i + " was committed but never written (lost wake-up)");
                }
                Thread.onSpinWait();
            }
        }
        assertEquals(n, sink.count());
        assertTrue(wakes.get() > 0, "the writer was parked and woken at least once");
        q.close();
    }

    /** The writer is one thread for the queue's life, and close ends it. */
    @Test
    void oneWriterForTheQueuesLifeEndedByClose() throws Exception
    {
        final java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final RecordingSink sink = new RecordingSink()
        {
            @Override
            public void write(final DirectBuffer buffer, final int offset, final int length) throws IOException
            {
                writers.add(Thread.currentThread());
                super.write(buffer, offset, length);
            }
        };
        final OutboundQueue q = new OutboundQueue(1024, 1 << 20, sink);
        for (int i = 0; i < 500; i++)
        {
            assertTrue(put(q, i, 16));
            final long deadline = System.currentTimeMillis() + 5_000;
            while (sink.count() <= i && System.currentTimeMillis() < deadline)
            {
                Thread.onSpinWait();
            }
        }
        assertEquals(500, sink.count());
        assertEquals(1, writers.size(), "one writer thread wrote every frame");
        final Thread writer = writers.iterator().next();
        assertTrue(writer.isVirtual());
        q.close();
        writer.join(5_000);
        assertTrue(!writer.isAlive(), "close ends the writer");
    }

    /**
     * Handed to an event loop: each commit asks for a drain, and one {@link OutboundQueue#drainTo} after it delivers
     * every committed frame, in order, also when the ring wraps (a read stops at the ring's end, where a padding
     * record may be all it passes) and when the queue moves on to a larger segment. A missed frame here would wait
     * for the connection's next commit: the flat-out stall this test was written for.
     */
    @Test
    void handedOverEachCommitsDrainDeliversEveryFrameAcrossWrapsAndSegments() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        final OutboundQueue q = new OutboundQueue(1024, 1 << 20, sink);
        final int[] asked = new int[1];
        assertTrue(q.handOver(() -> asked[0]++, 1000));
        final java.util.Random r = new java.util.Random(9);
        int seq = 0;
        for (int round = 0; round < 2_000; round++)
        {
            final int frames = 1 + r.nextInt(3);
            for (int f = 0; f < frames; f++)
            {
                // mostly small frames (they wrap the 1 KiB ring with padding), now and then one that needs a bigger ring
                final int length = r.nextInt(50) == 0 ? 200 + r.nextInt(400) : 8 + r.nextInt(60);
                assertTrue(put(q, seq++, length));
            }
            q.drainTo(1_000);   // what the loop does once per turn asked for
            assertEquals(seq, sink.count(), "frames stranded after round " + round);
        }
        assertEquals(seq, asked[0], "every commit asked the loop for a drain");
        for (int i = 0; i < seq; i++)
        {
            assertEquals(i, sink.frames.get(i));
        }
        assertEquals(0, q.drainTo(10));
        assertTrue(!q.pending());
    }
}
