package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.agrona.BitUtil;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop: a platform thread that reads and writes many non-blocking sockets through one selector, so that a
 * connection costs no thread of its own and a burst of ready sockets costs one wake-up, not one per socket.
 * <p>
 * A connection is handed over when it is accepted ({@link #attach}); from then on everything that touches its socket
 * runs on this thread: {@link Endpoint#onRead} with the bytes that arrived (in the loop's one read buffer, valid
 * during the call), {@link Endpoint#onWritable} when it asked for a turn ({@link Handle#schedule}, from any thread:
 * its outbound queue has frames, or it was closed) or when the socket can take more after a partial write, and
 * {@link Endpoint#onEnd} once at its end. A request for a turn is a flag and a slot in a bounded queue (nothing
 * allocated), and the selector is woken only when the loop sleeps.
 * <p>
 * An endpoint's fault (an exception from its callbacks) ends that endpoint only.
 * <p>
 * A loop may also carry a {@link Duty}: other work it runs in every pass, between the sockets' callbacks and its
 * write turns (the pool's logic, polled from the share ring: a share read, handled and acknowledged in one pass).
 * Whoever gives the duty work calls {@link #wake}.
 */
public final class IoLoop implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    /** One read(2) takes at most this much: many frames of many sockets in turn, one buffer for all. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final long SELECT_TIMEOUT_MS = 1000;
    private static final VarHandle SCHEDULED;

    static
    {
        try
        {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Handle.class, "scheduled", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** What the loop drives: one connection. Every method runs on the loop's thread. */
    public interface Endpoint
    {
        /** Bytes arrived: {@code src[offset, offset + length)}, valid during the call only. */
        void onRead(byte[] src, int offset, int length) throws IOException;

        /**
         * The connection's turn to write (it asked, or the socket can take more): write what is queued without
         * blocking.
         *
         * @return true when nothing is left unwritten (false: call again when the socket can take more)
         */
        boolean onWritable(SocketChannel channel) throws IOException;

        /** True once the connection was closed by another thread: the loop ends it at its next turn. */
        boolean closing();

        /** The connection's end, once: {@code cause} is null at the peer's end of stream or a close by another thread. */
        void onEnd(Exception cause);
    }

    /** Work a loop runs besides its sockets, on its thread. */
    public interface Duty
    {
        /**
         * Runs once per pass, after the ready sockets' callbacks and before the write turns.
         *
         * @return work done (0: none was waiting)
         */
        int doWork();

        /** True when work waits; read after the loop announced it will sleep (pairs with {@link IoLoop#wake}). */
        boolean hasWork();

        /** The loop's sockets have all ended and it serves none again: finish on this thread, then return. */
        void onLoopEnd();
    }

    /** A connection on this loop. */
    public static final class Handle
    {
        private final IoLoop loop;
        private final SocketChannel channel;
        private final Endpoint endpoint;
        private SelectionKey key;
        /** 1 while the handle waits in the loop's queue (a turn was asked for), 0 otherwise. */
        @SuppressWarnings("unused")
        private volatile int scheduled;
        /** Loop thread only. */
        private boolean ended;

        private Handle(final IoLoop loop, final SocketChannel channel, final Endpoint endpoint)
        {
            this.loop = loop;
            this.channel = channel;
            this.endpoint = endpoint;
        }

        /**
         * Asks for a write turn soon (after a commit to the connection's queue, or after closing it); any thread. A
         * request while one is pending costs a fence and a volatile read.
         */
        public void schedule()
        {
            VarHandle.fullFence();   // the commit before, then the flag: pairs with the loop's clear-then-drain
            if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1))
            {
                loop.enqueue(this);
            }
        }

        public IoLoop loop()
        {
            return loop;
        }
    }

    private final String name;
    private final Selector selector;
    private final ManyToOneConcurrentArrayQueue<Handle> turns;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Thread thread;
    /** True while the loop is in (or about to enter) select with nothing queued: a producer must wake it. */
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile int attached;
    /** The connections registered and not yet ended (loop thread only): each gets its end, whoever closed its socket. */
    private final java.util.Set<Handle> registered = new java.util.HashSet<>();
    /** What select calls for each ready key (one instance: a method reference per select would be an allocation). */
    private final java.util.function.Consumer<SelectionKey> onReady = this::ready;
    private final java.util.concurrent.atomic.LongAdder wakeups = new java.util.concurrent.atomic.LongAdder();
    private final Duty duty;
    /** Counted down once the loop's sockets have ended (before its duty's end). */
    private final java.util.concurrent.CountDownLatch socketsEnded = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param maxConnections the most connections this loop will hold (sizes its queue of turns: each connection
     *                       waits in it at most once)
     */
    public IoLoop(final String name, final int maxConnections) throws IOException
    {
        this(name, maxConnections, null);
    }

    /**
     * @param duty work run in every pass besides the sockets (null: none)
     */
    public IoLoop(final String name, final int maxConnections, final Duty duty) throws IOException
    {
        this.name = name;
        this.duty = duty;
        this.selector = Selector.open();
        this.turns = new ManyToOneConcurrentArrayQueue<>(BitUtil.findNextPositivePowerOfTwo(Math.max(1024, maxConnections + 64)));
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    /**
     * Hands a connected socket to this loop (any thread; the caller no longer touches the socket): it is made
     * non-blocking now, and registered for reads at the handle's first {@link Handle#schedule} (which is also its
     * first write turn, for what was queued before).
     */
    public Handle attach(final SocketChannel channel, final Endpoint endpoint) throws IOException
    {
        channel.configureBlocking(false);
        return new Handle(this, channel, endpoint);
    }

    /** Connections on this loop now (loop thread's count; approximate from others). */
    public int connections()
    {
        return attached;
    }

    private void enqueue(final Handle h)
    {
        while (!turns.offer(h))
        {
            Thread.onSpinWait();   // more handles than the loop was sized for: the loop is draining them
            if (!running)
            {
                return;
            }
        }
        wakeIfSleeping();
    }

    private void wakeIfSleeping()
    {
        if (sleeping)
        {
            sleeping = false;
            wakeups.increment();
            selector.wakeup();
        }
    }

    /**
     * Wakes the loop if it sleeps, after work was given to its {@link Duty} (any thread; cheap while it is awake: a
     * fence and a volatile read).
     */
    public void wake()
    {
        VarHandle.fullFence();   // the work given, then the flag: pairs with the loop's flag-then-hasWork
        wakeIfSleeping();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                if (duty != null)
                {
                    duty.doWork();
                }
                drainTurns();
                sleeping = true;
                VarHandle.fullFence();   // the flag, then the queue: pairs with enqueue's offer-then-flag
                if (turns.isEmpty() && (duty == null || !duty.hasWork()))
                {
                    selector.select(onReady, SELECT_TIMEOUT_MS);
                }
                else
                {
                    selector.selectNow(onReady);
                }
                sleeping = false;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (running)
            {
                LOG.error("{}: event loop failed: {}", name, ex.toString(), ex);
            }
        }
        finally
        {
            sleeping = false;   // no wake-up is owed any more (the selector is about to close)
            // Every registered connection, also one whose socket another thread closed (which cancels its key and
            // takes it out of the selector's key set, so the selector alone would forget it).
            for (final Handle live : new java.util.ArrayList<>(registered))
            {
                end(live, null);
            }
            Handle h;
            while ((h = turns.poll()) != null)
            {
                end(h, null);
            }
            try
            {
                selector.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
            socketsEnded.countDown();
            if (duty != null)
            {
                try
                {
                    duty.onLoopEnd();
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("{}: its duty's end failed: {}", name, ex.toString(), ex);
                }
            }
        }
    }

    /** Runs the turns asked for since the last pass (each handle once). */
    private void drainTurns()
    {
        Handle h;
        int budget = turns.capacity();
        while (budget-- > 0 && (h = turns.poll()) != null)
        {
            SCHEDULED.setVolatile(h, 0);   // then drain: a commit after this asks again
            if (h.ended)
            {
                continue;
            }
            if (h.key == null)
            {
                try
                {
                    h.key = h.channel.register(selector, SelectionKey.OP_READ, h);
                    registered.add(h);
                    attached = registered.size();
                }
                catch (final IOException | RuntimeException ex)
                {
                    end(h, ex instanceof IOException io ? io : new IOException(ex));
                    continue;
                }
            }
            write(h);
        }
    }

    private void ready(final SelectionKey k)
    {
        final Handle h = (Handle)k.attachment();
        if (h.ended)
        {
            return;
        }
        try
        {
            final int ops = k.readyOps();
            if ((ops & SelectionKey.OP_WRITE) != 0)
            {
                write(h);
            }
            if ((ops & SelectionKey.OP_READ) != 0 && !h.ended)
            {
                read(h);
            }
        }
        catch (final CancelledKeyException ex)
        {
            end(h, null);
        }
    }

    private void read(final Handle h)
    {
        if (h.endpoint.closing())
        {
            end(h, null);
            return;
        }
        try
        {
            readBuffer.clear();
            final int n = h.channel.read(readBuffer);
            if (n < 0)
            {
                end(h, null);
                return;
            }
            if (n > 0)
            {
                h.endpoint.onRead(readBuffer.array(), 0, n);
            }
        }
        catch (final Exception ex)
        {
            end(h, ex);
        }
    }

    private void write(final Handle h)
    {
        if (h.endpoint.closing())
        {
            end(h, null);
            return;
        }
        try
        {
            final boolean done = h.endpoint.onWritable(h.channel);
            final SelectionKey k = h.key;
            final int want = done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            if (k.interestOps() != want)
            {
                k.interestOps(want);
            }
        }
        catch (final Exception ex)
        {
            end(h, ex);
        }
    }

    private void end(final Handle h, final Exception cause)
    {
        if (h.ended)
        {
            return;
        }
        h.ended = true;
        if (h.key != null)
        {
            h.key.cancel();
            registered.remove(h);
            attached = registered.size();
        }
        try
        {
            h.channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        try
        {
            h.endpoint.onEnd(cause);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("{}: a connection's end failed: {}", name, ex.toString(), ex);
        }
    }

    /** Times a producer woke the loop's selector (the loop asleep: a turn asked for, or work given to its duty). */
    public long wakeups()
    {
        return wakeups.sum();
    }

    /**
     * Ends every connection on this loop (each endpoint's {@code onEnd} runs) and stops the thread; with a
     * {@link Duty}, returns once the sockets have ended, and the thread goes on in the duty's {@code onLoopEnd}.
     */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            if (duty != null)
            {
                socketsEnded.await(5, java.util.concurrent.TimeUnit.SECONDS);
                return;
            }
            thread.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
