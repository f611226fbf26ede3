package org.bitcoincommons.sv2.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link IoLoop} against real loopback sockets: many connections on one thread, writes asked for from other threads,
 * a peer that stops reading (partial writes, the others unaffected), and each way a connection ends (peer's end of
 * stream, a close from another thread, a fault of its own, the loop's close) reaching {@code onEnd} exactly once.
 */
@Timeout(60)
class IoLoopTest
{
    private ServerSocketChannel server;
    private IoLoop loop;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void open() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 512);
        loop = new IoLoop("io-loop-test", 1000);
    }

    @AfterEach
    void close() throws IOException
    {
        loop.close();
        for (final Socket s : clients)
        {
            s.close();
        }
        server.close();
    }

    /** Echoes what it reads; other threads may queue bytes too ({@link #send}). */
    private static final class Echo implements IoLoop.Endpoint
    {
        final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
        ByteBuffer writing;
        volatile IoLoop.Handle handle;
        volatile SocketChannel channel;
        volatile boolean closing;
        volatile RuntimeException failOnRead;
        final AtomicInteger ends = new AtomicInteger();
        final AtomicReference<Exception> cause = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Thread endThread;

        void send(final byte[] b)
        {
            outbox.add(b);
            handle.schedule();
        }

        @Override
        public void onRead(final byte[] src, final int offset, final int length)
        {
            final RuntimeException f = failOnRead;
            if (f != null)
            {
                throw f;
            }
            outbox.add(java.util.Arrays.copyOfRange(src, offset, offset + length));   // src is the loop's buffer
            handle.schedule();
        }

        @Override
        public boolean onWritable(final SocketChannel channel) throws IOException
        {
            while (true)
            {
                if (writing == null || !writing.hasRemaining())
                {
                    final byte[] next = outbox.poll();
                    if (next == null)
                    {
                        return true;
                    }
                    writing = ByteBuffer.wrap(next);
                }
                channel.write(writing);
                if (writing.hasRemaining())
                {
                    return false;
                }
            }
        }

        @Override
        public boolean closing()
        {
            return closing;
        }

        @Override
        public void onEnd(final Exception c)
        {
            endThread = Thread.currentThread();
            cause.set(c);
            ends.incrementAndGet();
            ended.countDown();
        }
    }

    private Echo connect() throws IOException
    {
        final Socket s = new Socket();
        s.connect(server.getLocalAddress());
        s.setSoTimeout(20_000);
        clients.add(s);
        final SocketChannel accepted = server.accept();
        final Echo e = new Echo();
        e.channel = accepted;
        e.handle = loop.attach(accepted, e);
        e.handle.schedule();
        return e;
    }

    private Socket client(final int i)
    {
        return clients.get(i);
    }

    private static byte[] readExactly(final Socket s, final int n) throws IOException
    {
        final byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    @Test
    void manyConnectionsEchoOnOneThread() throws Exception
    {
        final int n = 200;
        final List<Echo> echoes = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            echoes.add(connect());
        }
        final Random r = new Random(3);
        final byte[][] sent = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            sent[i] = new byte[1 + r.nextInt(3000)];
            r.nextBytes(sent[i]);
            client(i).getOutputStream().write(sent[i]);
        }
        for (int i = 0; i < n; i++)
        {
            assertArrayEquals(sent[i], readExactly(client(i), sent[i].length), "connection " + i);
        }
        assertTrue(await(() -> loop.connections() == n), "connections on the loop: " + loop.connections());
        for (final Echo e : echoes)
        {
            assertEquals(0, e.ends.get());
        }
    }

    @Test
    void aPeerThatStopsReadingGetsPartialWritesAndHoldsUpNoOther() throws Exception
    {
        final Echo stalled = connect();
        final Echo other = connect();
        final byte[] big = new byte[16 << 20];   // far beyond both sockets' buffers
        new Random(5).nextBytes(big);
        for (int off = 0; off < big.length; off += 64 * 1024)
        {
            stalled.send(java.util.Arrays.copyOfRange(big, off, off + 64 * 1024));   // from this thread, not the loop's
        }
        // the loop cannot finish those writes; the other connection is served meanwhile
        for (int i = 0; i < 20; i++)
        {
            client(1).getOutputStream().write(new byte[] {(byte)i, 1, 2, 3});
            assertArrayEquals(new byte[] {(byte)i, 1, 2, 3}, readExactly(client(1), 4));
        }
        assertTrue(!stalled.outbox.isEmpty(), "everything went out: not a stall");
        // the stalled peer now reads: every byte arrives, in order
        final InputStream in = client(0).getInputStream();
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final byte[] buf = new byte[65536];
        while (got.size() < big.length)
        {
            final int k = in.read(buf);
            assertTrue(k > 0);
            got.write(buf, 0, k);
        }
        assertArrayEquals(big, got.toByteArray());
        assertEquals(0, stalled.ends.get() + other.ends.get());
    }

    @Test
    void eachWayToEndReachesOnEndOnceOnTheLoopThread() throws Exception
    {
        final Echo byPeer = connect();
        final Echo byOtherThread = connect();
        final Echo byFault = connect();
        final Echo survivor = connect();
        final Echo closedUnderneath = connect();

        client(0).close();   // the peer's end of stream
        assertTrue(byPeer.ended.await(10, TimeUnit.SECONDS));
        assertNull(byPeer.cause.get());

        byOtherThread.closing = true;   // a close decided elsewhere (the logic thread, the deadline sweeper)
        byOtherThread.handle.schedule();
        assertTrue(byOtherThread.ended.await(10, TimeUnit.SECONDS));
        assertNull(byOtherThread.cause.get());
        assertEquals(-1, client(1).getInputStream().read(), "the peer sees the socket closed");

        final IllegalStateException fault = new IllegalStateException("malformed");
        byFault.failOnRead = fault;
        client(2).getOutputStream().write(1);
        assertTrue(byFault.ended.await(10, TimeUnit.SECONDS));
        assertSame(fault, byFault.cause.get());

        client(3).getOutputStream().write(new byte[] {9, 8});
        assertArrayEquals(new byte[] {9, 8}, readExactly(client(3), 2), "the others are not touched");
        for (final Echo e : List.of(byPeer, byOtherThread, byFault))
        {
            assertEquals("io-loop-test", e.endThread.getName());
            byFault.handle.schedule();   // a turn asked for after the end changes nothing
        }
        Thread.sleep(50);
        assertEquals(1, byPeer.ends.get());
        assertEquals(1, byOtherThread.ends.get());
        assertEquals(1, byFault.ends.get());
        assertEquals(0, survivor.ends.get());

        // a socket closed by another thread without asking for a turn (the server's shutdown closing every socket):
        // its key is cancelled and leaves the selector, but the loop still owes it its end
        closedUnderneath.channel.close();
        client(4).getOutputStream().write(1);   // nothing the loop could still read from it
        Thread.sleep(50);
        assertEquals(0, closedUnderneath.ends.get());

        loop.close();   // ends the rest
        assertTrue(survivor.ended.await(10, TimeUnit.SECONDS));
        assertEquals(1, survivor.ends.get());
        assertTrue(closedUnderneath.ended.await(10, TimeUnit.SECONDS), "the closed-underneath connection was ended");
        assertEquals(1, closedUnderneath.ends.get());
        assertEquals(1, byFault.ends.get());
    }

    /** A duty fed from another thread: its work is counted on the loop's thread and woken from its sleep. */
    private static final class Counter implements IoLoop.Duty
    {
        final java.util.concurrent.atomic.AtomicLong given = new java.util.concurrent.atomic.AtomicLong();
        volatile long done;
        volatile Thread thread;
        volatile boolean endedSocketsFirst;
        volatile Echo watched;
        final CountDownLatch loopEnded = new CountDownLatch(1);
        final CountDownLatch releaseEnd = new CountDownLatch(1);

        @Override
        public int doWork()
        {
            thread = Thread.currentThread();
            final long g = given.get();
            final int n = (int)(g - done);
            done = g;
            return n;
        }

        @Override
        public boolean hasWork()
        {
            return given.get() != done;
        }

        @Override
        public void onLoopEnd()
        {
            final Echo w = watched;
            endedSocketsFirst = w != null && w.ends.get() == 1;
            loopEnded.countDown();
            try
            {
                releaseEnd.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aDutyRunsOnTheLoopWokenFromAnyThreadAndEndsAfterTheSockets() throws Exception
    {
        loop.close();
        final Counter duty = new Counter();
        loop = new IoLoop("io-loop-duty-test", 100, duty);
        final Echo e = connect();
        duty.watched = e;
        client(0).getOutputStream().write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, readExactly(client(0), 3), "sockets served beside the duty");
        for (int round = 1; round <= 200; round++)
        {
            Thread.sleep(round % 50 == 0 ? 20 : 0);   // now and then the loop is surely asleep in select
            duty.given.incrementAndGet();
            loop.wake();
            final long want = round;
            assertTrue(await(() -> duty.done == want), () -> "woken for work " + want + ", done " + duty.done);
        }
        assertEquals("io-loop-duty-test", duty.thread.getName());
        final long t0 = System.nanoTime();
        loop.close();   // returns once the sockets have ended, while the duty's end still runs
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close did not wait for the duty's end");
        assertTrue(e.ended.await(1, TimeUnit.SECONDS));
        assertTrue(duty.loopEnded.await(5, TimeUnit.SECONDS));
        assertTrue(duty.endedSocketsFirst, "the duty ended after the sockets");
        loop.wake();   // a publisher after the end: the closed selector is not touched
        duty.releaseEnd.countDown();
    }

    private static boolean await(final java.util.function.BooleanSupplier c) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
