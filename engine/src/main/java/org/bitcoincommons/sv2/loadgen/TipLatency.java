package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.transport.CountingStreams;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;

/**
 * Tip-to-miner latency: N encrypted miners (one standard channel each) connected to a pool whose template source is a
 * {@link ScriptedNode}; for each new tip the node announces (ZMQ hashblock), every miner stamps the arrival of the
 * SetNewPrevHash naming it. The latency of a miner is its arrival minus the node's announcement; both are
 * {@link System#nanoTime()} in this process. Bytes received per miner per tip are counted, so that the broadcast floor
 * ({@link FanoutFloor}) can send the same.
 */
public final class TipLatency
{
    /** What one run measured: {@code [tip][miner]} latencies in ns (-1: not received within 10 s). */
    public record Result(int connections, int connectFailures, double connectSeconds, long[][] latenciesNs,
        double bytesPerMinerPerTip)
    {
    }

    private static final int CONNECT_CONCURRENCY = 32;

    private final InetSocketAddress pool;
    private final byte[] authority;
    private final int connections;
    private final List<Miner> miners = new ArrayList<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger connectFailures = new AtomicInteger();
    /** The tip being measured and the hash it is awaited by (set by the driver before the node announces it). */
    private volatile int tipIndex = -1;
    private volatile byte[] expectedPrevHash = new byte[32];
    private volatile AtomicLongArray[] arrivals;

    public TipLatency(final InetSocketAddress pool, final byte[] authority, final int connections)
    {
        this.pool = pool;
        this.authority = authority;
        this.connections = connections;
    }

    /** Connects every miner and waits for each one's first job; returns the seconds it took. */
    public double connect() throws InterruptedException
    {
        final long t0 = System.nanoTime();
        final CountDownLatch ready = new CountDownLatch(connections);
        final Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
        for (int i = 0; i < connections; i++)
        {
            final Miner m = new Miner(i);
            miners.add(m);
            Thread.ofVirtual().name("tip-miner-" + i).start(() ->
            {
                try
                {
                    connecting.acquire();
                    try
                    {
                        m.connect();
                    }
                    finally
                    {
                        connecting.release();
                    }
                }
                catch (final Exception ex)
                {
                    connectFailures.incrementAndGet();
                    m.close();
                    return;
                }
                finally
                {
                    ready.countDown();
                }
                m.readLoop();
            });
        }
        ready.await();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Moves the node's tip {@code tips} times, {@code intervalMs} apart (after every open miner had the last one, or
     * 10 s), and records each miner's arrival. May be called again (a warm-up, then the measured tips).
     */
    public Result measure(final ScriptedNode node, final int tips, final long intervalMs, final double connectSeconds)
        throws InterruptedException
    {
        final AtomicLongArray[] arrivals = new AtomicLongArray[tips];
        for (int t = 0; t < tips; t++)
        {
            arrivals[t] = new AtomicLongArray(connections);
        }
        final long[] announcedAt = new long[tips];
        tipIndex = -1;
        this.arrivals = arrivals;
        final long bytes0 = bytesIn.sum();
        for (int t = 0; t < tips; t++)
        {
            tipIndex = t;
            expectedPrevHash = nextTip(node);
            announcedAt[t] = node.advance();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!allOpenArrived(arrivals[t]) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            Thread.sleep(intervalMs);
        }
        final double bytesPerTip = (bytesIn.sum() - bytes0) / (double)Math.max(1, open()) / tips;
        final long[][] out = new long[tips][];
        for (int t = 0; t < tips; t++)
        {
            final long[] row = new long[connections];
            int n = 0;
            for (int c = 0; c < connections; c++)
            {
                if (!miners.get(c).everOpen)
                {
                    continue;
                }
                final long at = arrivals[t].get(c);
                row[n++] = at == 0 ? -1 : at - announcedAt[t];
            }
            out[t] = Arrays.copyOf(row, n);
        }
        return new Result(connections, connectFailures.get(), connectSeconds, out, bytesPerTip);
    }

    /** The hash the node's next tip will have (the node derives it from the height). */
    private static byte[] nextTip(final ScriptedNode node)
    {
        return ScriptedNode.tipHash(node.height() + 1);
    }

    private boolean allOpenArrived(final AtomicLongArray a)
    {
        for (int i = 0; i < a.length(); i++)
        {
            if (a.get(i) == 0 && miners.get(i).open)
            {
                return false;
            }
        }
        return true;
    }

    private int open()
    {
        int n = 0;
        for (final Miner m : miners)
        {
            n += m.everOpen ? 1 : 0;
        }
        return n;
    }

    public void close()
    {
        for (final Miner m : miners)
        {
            m.close();
        }
    }

    private final class Miner
    {
        final int index;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        Socket socket;
        NoiseChannel channel;
        volatile boolean open;
        volatile boolean everOpen;

        Miner(final int index)
        {
            this.index = index;
        }

        void connect() throws IOException
        {
            socket = new Socket();
            socket.connect(pool, 30_000);
            socket.setTcpNoDelay(true);
            final var in = new BufferedInputStream(CountingStreams.in(socket.getInputStream(), bytesIn), 2048);
            final var os = CountingStreams.out(socket.getOutputStream(), bytesOut);
            channel = NoiseChannel.connect(in, os, socket, new NoiseConfig().handshakeTimeoutMs(60_000)
                .authorityPublicKey(authority));
            send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS,
                "127.0.0.1", pool.getPort(), "tipbench", "", "", "tip-" + index));
            final byte[] max = new byte[32];
            Arrays.fill(max, (byte)0xff);
            send(new OpenStandardMiningChannel(1, "tip." + index, 0.0f, max));
            while (true)
            {
                final int n = channel.readFrame();
                final int type = FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0);
                if (type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR ||
                    type == MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR)
                {
                    throw new IOException("refused by the pool");
                }
                if (type == MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH && n > 0)
                {
                    break;
                }
            }
            open = true;
            everOpen = true;
        }

        private void send(final Message m) throws IOException
        {
            final int len = m.encodeFrame(out, 0);
            channel.writeFrame(out, 0, len);
        }

        void readLoop()
        {
            final SetNewPrevHash p = new SetNewPrevHash();
            final byte[] prev = new byte[32];
            try
            {
                while (open)
                {
                    final int n = channel.readFrame();
                    final DirectBuffer b = channel.frameBuffer();
                    if (FrameHeaderFlyweight.msgType(b, 0) != MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH)
                    {
                        continue;
                    }
                    final long now = System.nanoTime();
                    p.wrap(b, FrameHeaderFlyweight.HEADER_LENGTH, n - FrameHeaderFlyweight.HEADER_LENGTH);
                    b.getBytes(p.prevHashOffset(), prev);
                    final int t = tipIndex;
                    final AtomicLongArray[] a = arrivals;
                    if (t >= 0 && a != null && t < a.length && Arrays.equals(prev, expectedPrevHash))
                    {
                        a[t].compareAndSet(index, 0, now);
                    }
                }
            }
            catch (final IOException ex)
            {
                open = false;
            }
        }

        void close()
        {
            open = false;
            if (socket != null)
            {
                try
                {
                    socket.setSoLinger(true, 0);   // a reset, not 60 s of TIME_WAIT holding a local port
                    socket.close();
                }
                catch (final IOException ignored)
                {
                    // closing anyway
                }
            }
        }
    }
}
