package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The round-trip floor of this machine: a plain TCP echo (no encryption, no parsing, no pool) measured the way the
 * load generator measures acknowledgements. N clients each send {@code messageBytes} at a fixed total rate; the
 * server writes every byte straight back; the client records send-to-echo time per message in an HdrHistogram.
 * <p>
 * Whatever the pool does, its acknowledgement latency cannot beat this: the same sockets, the same thread kinds and the
 * same two-process layout, with all of the pool's work taken out. Run it beside {@code bench load} to see which part
 * of a latency figure is the pool and which is the platform (virtual-thread scheduling, the OS, the hypervisor).
 */
public final class EchoFloor
{
    /** The kind of thread that serves each connection. */
    public enum Threads
    {
        VIRTUAL, PLATFORM;

        Thread.Builder builder(final String name)
        {
            return this == VIRTUAL ? Thread.ofVirtual().name(name) : Thread.ofPlatform().daemon().name(name);
        }
    }

    /** What one client run measured. */
    public record Result(long messages, double messagesPerSecond, double p50Us, double p90Us, double p99Us,
        double p999Us, double maxUs, double seconds, double connectSeconds)
    {
    }

    /** Bytes each echo thread reads at once (and each client reader): small, so 15,000 connections fit a small heap. */
    static final int BUFFER_BYTES = 4096;
    /** Connections being set up at once, as the load generator does. */
    static final int CONNECTING = 64;

    private EchoFloor()
    {
    }

    /**
     * Serves until the process ends: one thread of the given kind per accepted connection, each echoing what it
     * reads. Returns after binding; the acceptor is a daemon platform thread.
     */
    public static ServerSocket serve(final InetSocketAddress address, final Threads threads) throws IOException
    {
        final ServerSocket server = new ServerSocket();
        server.bind(address, 1024);
        Thread.ofPlatform().daemon().name("echo-accept").start(() ->
        {
            long id = 0;
            while (!server.isClosed())
            {
                final Socket s;
                try
                {
                    s = server.accept();
                    s.setTcpNoDelay(true);
                }
                catch (final IOException ex)
                {
                    return;
                }
                threads.builder("echo-" + id++).start(() -> echo(s));
            }
        });
        return server;
    }

    /**
     * Serves until closed: one event loop (a platform thread and a selector, as the pool's {@code [pool] io_loops})
     * accepts every connection and echoes what each sends, from one read buffer for all; an echo the socket does not
     * take at once is finished when it can take more, and that connection is not read meanwhile. The floor for an
     * event-loop server: no thread per connection. Returns after binding; closing the returned socket stops the loop
     * and closes every connection.
     */
    public static ServerSocket serveOnLoop(final InetSocketAddress address) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(address, 1024);
        server.configureBlocking(false);
        final Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        Thread.ofPlatform().daemon().name("echo-loop").start(() -> loop(server, selector));
        return server.socket();
    }

    private static void loop(final ServerSocketChannel server, final Selector selector)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (selector)
        {
            while (server.isOpen())
            {
                selector.select(key -> ready(server, selector, key, buffer), 200);
            }
        }
        catch (final IOException | java.nio.channels.ClosedSelectorException ignored)
        {
            // closed
        }
        finally
        {
            for (final SelectionKey k : selector.keys())
            {
                closeQuietly(k.channel());
            }
        }
    }

    private static void ready(final ServerSocketChannel server, final Selector selector, final SelectionKey key,
        final ByteBuffer buffer)
    {
        try
        {
            if (key.isAcceptable())
            {
                SocketChannel c;
                while ((c = server.accept()) != null)
                {
                    c.configureBlocking(false);
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.register(selector, SelectionKey.OP_READ);
                }
                return;
            }
            final SocketChannel c = (SocketChannel)key.channel();
            if (key.attachment() instanceof ByteBuffer pending)
            {
                c.write(pending);
                if (pending.hasRemaining())
                {
                    return;
                }
                key.attach(null);
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            buffer.clear();
            final int n = c.read(buffer);
            if (n < 0)
            {
                key.cancel();
                c.close();
                return;
            }
            buffer.flip();
            c.write(buffer);
            if (buffer.hasRemaining())
            {
                final ByteBuffer rest = ByteBuffer.allocate(buffer.remaining());
                rest.put(buffer).flip();
                key.attach(rest);
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }
        catch (final IOException | java.nio.channels.CancelledKeyException ex)
        {
            key.cancel();
            closeQuietly(key.channel());
        }
    }

    private static void closeQuietly(final java.io.Closeable c)
    {
        try
        {
            c.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    private static void echo(final Socket s)
    {
        try (s)
        {
            final InputStream in = s.getInputStream();
            final OutputStream out = s.getOutputStream();
            final byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                out.write(buffer, 0, n);
            }
        }
        catch (final IOException ignored)
        {
            // the client went away
        }
    }

    /**
     * Connects {@code connections} clients to an echo server and measures.
     *
     * @param rate total messages per second over all connections
     */
    public static Result measure(final InetSocketAddress server, final int connections, final double rate,
        final int messageBytes, final long warmupMs, final long durationMs, final Threads threads)
        throws IOException, InterruptedException
    {
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
        final LongAdder echoed = new LongAdder();
        final List<Client> clients = new ArrayList<>(connections);
        final long intervalNs = (long)(1e9 * connections / rate);
        final int ring = ringFor(intervalNs);
        try
        {
            for (int i = 0; i < connections; i++)
            {
                final Client c = new Client(new Socket(), messageBytes, intervalNs, latency, echoed, ring);
                c.socket.setTcpNoDelay(true);
                clients.add(c);
            }
            final long c0 = System.nanoTime();
            connectAll(server, clients.stream().map(c -> c.socket).toList());
            final double connectSeconds = (System.nanoTime() - c0) / 1e9;
            for (int i = 0; i < connections; i++)
            {
                final Client c = clients.get(i);
                threads.builder("floor-read-" + i).start(c::readLoop);
                threads.builder("floor-send-" + i).start(c::sendLoop);
            }
            return interval(latency, echoed, warmupMs, durationMs, connectSeconds);
        }
        finally
        {
            for (final Client c : clients)
            {
                c.close();
            }
        }
    }

    /** Connects every client, {@link #CONNECTING} at a time on virtual threads; the first failure is thrown. */
    private static void connectAll(final InetSocketAddress server, final List<Socket> clients)
        throws IOException, InterruptedException
    {
        final java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(CONNECTING);
        final java.util.concurrent.atomic.AtomicReference<IOException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(clients.size());
        for (final Socket c : clients)
        {
            connecting.acquire();
            Thread.ofVirtual().name("floor-connect").start(() ->
            {
                try
                {
                    c.connect(server, 30_000);
                }
                catch (final IOException ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    connecting.release();
                    done.countDown();
                }
            });
        }
        done.await();
        if (failure.get() != null)
        {
            throw new IOException("connecting " + clients.size() + " clients: " + failure.get().getMessage(),
                failure.get());
        }
    }

    /**
     * As {@link #measure}, with the clients laid out as the load generator's with loop readers
     * ({@code LoadGenerator.loopReaders}): one platform thread sends for every client on a {@link Pacer} schedule
     * (non-blocking writes) and one event loop reads every echo, so the clients take two threads whatever their
     * number, and the floor stays comparable with a pool run measured that way.
     */
    public static Result measureOnLoop(final InetSocketAddress server, final int connections, final double rate,
        final int messageBytes, final long warmupMs, final long durationMs) throws IOException, InterruptedException
    {
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
        final LongAdder echoed = new LongAdder();
        final List<LoopClient> clients = new ArrayList<>(connections);
        final long intervalNs = (long)(1e9 * connections / rate);
        final int ring = ringFor(intervalNs);
        final org.bitcoincommons.sv2.transport.IoLoop loop =
            new org.bitcoincommons.sv2.transport.IoLoop("floor-read-loop", connections);
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread pacer = null;
        try
        {
            final List<Socket> sockets = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++)
            {
                final SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                clients.add(new LoopClient(ch, messageBytes, latency, echoed, ring));
                sockets.add(ch.socket());
            }
            final long c0 = System.nanoTime();
            connectAll(server, sockets);
            final double connectSeconds = (System.nanoTime() - c0) / 1e9;
            for (final LoopClient c : clients)
            {
                c.open = true;
                loop.attach(c.channel, c).schedule();
            }
            pacer = Thread.ofPlatform().daemon().name("floor-pacer")
                .start(() -> Pacer.run(clients, 1, rate, running::get));
            return interval(latency, echoed, warmupMs, durationMs, connectSeconds);
        }
        finally
        {
            running.set(false);
            if (pacer != null)
            {
                pacer.join(5_000);
            }
            for (final LoopClient c : clients)
            {
                c.stop = true;
                closeQuietly(c.channel);
            }
            loop.close();
        }
    }

    /**
     * One connection of {@link #measureOnLoop}: the pacer's thread sends (what the socket does not take at once goes
     * with the next message), the loop's thread reads and matches echoes to send times in order.
     */
    private static final class LoopClient extends Pacer.LoopRead
    {
        final SocketChannel channel;
        final int messageBytes;
        final Recorder latency;
        final LongAdder echoed;
        final long[] sentAtNs;
        final ByteBuffer out;
        final byte[] message;
        volatile boolean stop;
        private int sent;
        private long pending;
        private int seq;

        LoopClient(final SocketChannel channel, final int messageBytes, final Recorder latency, final LongAdder echoed,
            final int ring)
        {
            super(1, ring);   // in flight at most the ring's size: every send time kept until its echo
            this.channel = channel;
            this.messageBytes = messageBytes;
            this.latency = latency;
            this.echoed = echoed;
            this.sentAtNs = new long[ring];
            this.message = new byte[messageBytes];
            this.out = ByteBuffer.allocate(messageBytes * 64);
        }

        @Override
        void sendBatch() throws IOException
        {
            if (out.remaining() < messageBytes)
            {
                throw new IOException("64 messages unsent: the echo server is not reading");
            }
            sentAtNs[sent++ & (sentAtNs.length - 1)] = System.nanoTime();
            inflight.incrementAndGet();
            out.put(message).flip();
            channel.write(out);
            out.compact();
        }

        @Override
        public void onRead(final byte[] src, final int offset, final int length)
        {
            final long now = System.nanoTime();
            pending += length;
            while (pending >= messageBytes)
            {
                pending -= messageBytes;
                latency.recordValue(Math.max(1, now - sentAtNs[seq++ & (sentAtNs.length - 1)]));
                echoed.increment();
                inflight.decrementAndGet();
            }
        }

        @Override
        public boolean closing()
        {
            return stop;
        }
    }

    /** Send times kept per connection: its rate times the 10 s histogram cap, a power of two from 16 to 4096. */
    private static int ringFor(final long intervalNs)
    {
        return Integer.highestOneBit((int)Math.min(4096, Math.max(16, 2 * 10e9 / intervalNs)) * 2 - 1);
    }

    /** Waits out the warm-up, then measures for {@code durationMs}: what was echoed and how fast. */
    private static Result interval(final Recorder latency, final LongAdder echoed, final long warmupMs,
        final long durationMs, final double connectSeconds) throws InterruptedException
    {
        Thread.sleep(warmupMs);
        latency.reset();
        final long e0 = echoed.sum();
        final long t0 = System.nanoTime();
        Thread.sleep(durationMs);
        final Histogram h = latency.getIntervalHistogram();
        final long n = echoed.sum() - e0;
        final double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(n, n / seconds, us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
            us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), seconds,
            connectSeconds);
    }

    private static double us(final long ns)
    {
        return ns / 1000.0;
    }

    /** One connection: a paced sender and a reader that matches echoes to send times in order. */
    private static final class Client
    {
        final Socket socket;
        final int messageBytes;
        final long intervalNs;
        final Recorder latency;
        final LongAdder echoed;
        final long[] sentAtNs;
        volatile boolean stop;

        Client(final Socket socket, final int messageBytes, final long intervalNs, final Recorder latency,
            final LongAdder echoed, final int ring)
        {
            this.sentAtNs = new long[ring];
            this.socket = socket;
            this.messageBytes = messageBytes;
            this.intervalNs = intervalNs;
            this.latency = latency;
            this.echoed = echoed;
        }

        void sendLoop()
        {
            final byte[] message = new byte[messageBytes];
            long next = System.nanoTime() + (long)(Math.random() * intervalNs);
            int seq = 0;
            try
            {
                final OutputStream out = socket.getOutputStream();
                while (!stop)
                {
                    final long wait = next - System.nanoTime();
                    if (wait > 0)
                    {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next += intervalNs;
                    sentAtNs[seq++ & (sentAtNs.length - 1)] = System.nanoTime();
                    out.write(message);
                }
            }
            catch (final IOException ignored)
            {
                // closed
            }
        }

        void readLoop()
        {
            final byte[] buffer = new byte[BUFFER_BYTES];
            long pending = 0;
            int seq = 0;
            try
            {
                final InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    final long now = System.nanoTime();
                    pending += n;
                    while (pending >= messageBytes)
                    {
                        pending -= messageBytes;
                        latency.recordValue(Math.max(1, now - sentAtNs[seq++ & (sentAtNs.length - 1)]));
                        echoed.increment();
                    }
                }
            }
            catch (final IOException ignored)
            {
                // closed
            }
        }

        void close()
        {
            stop = true;
            try
            {
                socket.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
        }
    }
}
