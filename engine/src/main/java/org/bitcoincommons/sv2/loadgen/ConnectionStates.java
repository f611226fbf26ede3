package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;

/**
 * Puts connections into one state each and holds them there, for {@code bin/sv2 bench memory}: the worst case the
 * pool must keep per connection in every state a client can leave it in. The states, in the order a session passes
 * them: TCP open with nothing sent; half of Noise act 1 sent; Noise done, no SetupConnection; set up, no channel; one
 * standard channel; the most channels a connection may open without shares (64 extended); a frame whose header
 * announced the largest payload the pool accepts, with a tenth of it sent; a channel whose client never reads (a 4 KiB
 * receive window, so that the pool's outbound queue fills rather than the kernel's buffers); and Stratum V1 subscribed
 * and authorized.
 */
public final class ConnectionStates implements AutoCloseable
{
    /** The states, by the name the benchmark reports. */
    public enum State
    {
        TCP_IDLE, HALF_ACT1, NOISE_NO_SETUP, SETUP_NO_CHANNEL, ONE_CHANNEL, CHANNELS_WITHOUT_SHARES, PARTIAL_FRAME,
        NEVER_READS, SV1_AUTHORIZED
    }

    private static final int CONCURRENCY = 16;

    private final InetSocketAddress sv2;
    private final InetSocketAddress sv1;
    private final byte[] authority;
    private final int maxChannelsWithoutShares;
    private final int maxPayload;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    public ConnectionStates(final InetSocketAddress sv2, final InetSocketAddress sv1, final byte[] authority,
        final int maxChannelsWithoutShares, final int maxPayload)
    {
        this.sv2 = sv2;
        this.sv1 = sv1;
        this.authority = authority;
        this.maxChannelsWithoutShares = maxChannelsWithoutShares;
        this.maxPayload = maxPayload;
    }

    /** Opens {@code n} connections into {@code state} and keeps them; returns how many got there. */
    public int open(final State state, final int n) throws InterruptedException
    {
        final Semaphore gate = new Semaphore(CONCURRENCY);
        final List<Thread> threads = new ArrayList<>(n);
        final AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < n; i++)
        {
            final int index = i;
            gate.acquire();
            threads.add(Thread.ofVirtual().start(() ->
            {
                try
                {
                    final Socket s = new Socket();
                    synchronized (sockets)
                    {
                        sockets.add(s);
                    }
                    into(state, s, index);
                    ok.incrementAndGet();
                }
                catch (final IOException ex)
                {
                    failures.incrementAndGet();
                }
                finally
                {
                    gate.release();
                }
            }));
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        return ok.get();
    }

    private void into(final State state, final Socket s, final int index) throws IOException
    {
        if (state == State.NEVER_READS)
        {
            s.setReceiveBufferSize(4096);   // a small window: the pool's own queue, not the kernel, holds what is unread
        }
        s.connect(state == State.SV1_AUTHORIZED ? sv1 : sv2, 30_000);
        s.setTcpNoDelay(true);
        switch (state)
        {
            case TCP_IDLE ->
            {
                // nothing sent: the pool waits for Noise act 1
            }
            case HALF_ACT1 -> s.getOutputStream().write(new byte[32]);
            case SV1_AUTHORIZED -> sv1(s, index);
            default -> sv2(state, s, index);
        }
    }

    private void sv1(final Socket s, final int index) throws IOException
    {
        final OutputStream out = s.getOutputStream();
        out.write(("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"memory-bench\"]}\n" +
            "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"mem." + index + "\",\"x\"]}\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (int lines = 0; lines < 16; lines++)
        {
            final String l = in.readLine();
            if (l == null)
            {
                throw new IOException("closed before the first job");
            }
            if (l.contains("mining.notify"))
            {
                return;   // subscribed, authorized, and the first job held; the client reads no more
            }
        }
        throw new IOException("no job");
    }

    private void sv2(final State state, final Socket s, final int index) throws IOException
    {
        final TruncatingOutput out = new TruncatingOutput(s.getOutputStream());
        final NoiseChannel ch = NoiseChannel.connect(new BufferedInputStream(s.getInputStream(), 4096), out, s,
            new NoiseConfig().handshakeTimeoutMs(60_000).authorityPublicKey(authority));
        if (state == State.NOISE_NO_SETUP)
        {
            return;
        }
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[Math.max(4096, maxPayload + 64)]);
        send(ch, buf, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, 0, "127.0.0.1", sv2.getPort(),
            "memory-bench", "", "", "mem-" + index));
        read(ch, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS);
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        switch (state)
        {
            case SETUP_NO_CHANNEL ->
            {
                // set up, no channel
            }
            case ONE_CHANNEL, NEVER_READS ->
            {
                send(ch, buf, new OpenStandardMiningChannel(1, "mem." + index, 1.0e12f, max));
                if (state == State.ONE_CHANNEL)
                {
                    read(ch, MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS);
                }
                // NEVER_READS: the client reads nothing more; the pool's jobs pile up in its outbound queue
            }
            case CHANNELS_WITHOUT_SHARES ->
            {
                for (int c = 0; c < maxChannelsWithoutShares; c++)
                {
                    send(ch, buf, new OpenExtendedMiningChannel(c + 1, "mem." + index + "." + c, 1.0e12f, max, 4));
                }
                for (int c = 0; c < maxChannelsWithoutShares; c++)
                {
                    read(ch, MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS);
                }
            }
            case PARTIAL_FRAME ->
            {
                // a frame announcing the largest payload allowed; the encrypted header and a tenth of the payload go out
                final int len = FrameHeaderFlyweight.write(buf, 0, 0, false, 0x7f, maxPayload);
                out.truncateAfter(22 + maxPayload / 10);
                ch.writeFrame(buf, 0, len + maxPayload);
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private static void send(final NoiseChannel ch, final UnsafeBuffer buf, final Message m) throws IOException
    {
        ch.writeFrame(buf, 0, m.encodeFrame(buf, 0));
    }

    private static void read(final NoiseChannel ch, final int type) throws IOException
    {
        for (int i = 0; i < 1024; i++)
        {
            ch.readFrame();
            final int t = FrameHeaderFlyweight.msgType(ch.frameBuffer(), 0);
            if (t == type)
            {
                return;
            }
        }
        throw new IOException("no message of type 0x" + Integer.toHexString(type));
    }

    public int failures()
    {
        return failures.get();
    }

    /** Closes every connection (resets: nothing lingers in TIME_WAIT). */
    @Override
    public void close()
    {
        synchronized (sockets)
        {
            for (final Socket s : sockets)
            {
                try
                {
                    s.setSoLinger(true, 0);
                    s.close();
                }
                catch (final IOException ignored)
                {
                    // closing anyway
                }
            }
            sockets.clear();
        }
    }

    /** Passes bytes through until a limit, then drops the rest: a peer that stops mid-frame. */
    private static final class TruncatingOutput extends OutputStream
    {
        private final OutputStream out;
        private long remaining = Long.MAX_VALUE;

        TruncatingOutput(final OutputStream out)
        {
            this.out = out;
        }

        void truncateAfter(final long bytes)
        {
            remaining = bytes;
        }

        @Override
        public void write(final int b) throws IOException
        {
            if (remaining > 0)
            {
                remaining--;
                out.write(b);
            }
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            final int n = (int)Math.min(len, remaining);
            if (n > 0)
            {
                remaining -= n;
                out.write(b, off, n);
            }
        }

        @Override
        public void flush() throws IOException
        {
            out.flush();
        }
    }
}
