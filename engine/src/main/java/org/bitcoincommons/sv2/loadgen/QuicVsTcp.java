package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.NewMiningJob;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.QuicClient;

/**
 * Two measurements of SV2 over QUIC beside SV2 over TCP against the same pool, for {@code bin/sv2 bench quic}:
 * <ul>
 * <li>{@link #handshakes}: the time from nothing to SetupConnection.Success: TCP connect + Noise NX + setup, against
 * QUIC connect (TLS 1.3) + the Noise NX handshake bound to the certificate on the control stream + setup;</li>
 * <li>{@link #headOfLine}: one connection with several channels submitting at a steady rate; after a baseline, the
 * reader of one channel stops for a while (its writer goes on). Over QUIC that channel's stream simply stops being
 * read; over TCP a channel has no stream of its own, so the one reader of the connection stops (the alternative,
 * buffering that channel's messages without bound, is not flow control). The figure is the acknowledgement latency
 * of the other channels' shares sent during the stall, against the baseline.</li>
 * </ul>
 * The pool must give every share the maximum target (a near-zero min_hashrate), as for {@link LoadGenerator}.
 */
public final class QuicVsTcp
{
    private static final String ALPN = "sv2";
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    private QuicVsTcp()
    {
    }

    /** Latency percentiles in microseconds. */
    public record Percentiles(long count, double p50Us, double p99Us, double maxUs)
    {
        static Percentiles of(final Histogram h)
        {
            return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        }

        public Map<String, Object> toMap()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("p50_us", p50Us);
            m.put("p99_us", p99Us);
            m.put("max_us", maxUs);
            return m;
        }
    }

    /** One connection's frames in both directions, whatever the transport. */
    private interface Link extends AutoCloseable
    {
        /** Reads the next frame of channel stream {@code index} (over TCP every channel shares stream 0). */
        int readFrame(int index) throws IOException;

        DirectBuffer frameBuffer(int index);

        /** Writes and flushes one frame on channel {@code index}'s stream (over TCP, the one stream, serialized). */
        void write(int index, DirectBuffer b, int offset, int length) throws IOException;

        /** Adds a stream for one more channel (QUIC); TCP has one stream for all. */
        void addChannelStream() throws IOException;

        @Override
        void close();
    }

    private static final class TcpLink implements Link
    {
        final Socket socket;
        final NoiseChannel channel;

        TcpLink(final InetSocketAddress pool, final NoiseConfig nc) throws IOException
        {
            socket = new Socket();
            socket.connect(pool, 10_000);
            socket.setTcpNoDelay(true);
            channel = NoiseChannel.connect(new BufferedInputStream(socket.getInputStream(), 4096),
                socket.getOutputStream(), socket, nc);
        }

        @Override
        public int readFrame(final int index) throws IOException
        {
            return channel.readFrame();
        }

        @Override
        public DirectBuffer frameBuffer(final int index)
        {
            return channel.frameBuffer();
        }

        @Override
        public void write(final int index, final DirectBuffer b, final int offset, final int length) throws IOException
        {
            synchronized (this)
            {
                channel.queueFrame(b, offset, length);
                channel.flush();
            }
        }

        @Override
        public void addChannelStream()
        {
            // one stream for every channel
        }

        @Override
        public void close()
        {
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

    private static final class QuicLink implements Link
    {
        final QuicClient quic;
        final List<FrameStream> streams = new ArrayList<>();
        final int maxPayload;

        QuicLink(final InetSocketAddress pool, final NoiseConfig nc) throws IOException
        {
            quic = QuicClient.connect(pool, ALPN, Duration.ofSeconds(10), Duration.ofSeconds(60), null);
            final var control = quic.openStream();
            NoiseChannel.connect(control, nc, quic.serverCertificateFingerprint());
            maxPayload = nc.maxPayloadLength();
            streams.add(new FrameStream(control, maxPayload));
        }

        @Override
        public int readFrame(final int index) throws IOException
        {
            return streams.get(index).readFrame();
        }

        @Override
        public DirectBuffer frameBuffer(final int index)
        {
            return streams.get(index).frameBuffer();
        }

        @Override
        public void write(final int index, final DirectBuffer b, final int offset, final int length) throws IOException
        {
            final FrameStream s = streams.get(index);
            synchronized (s)
            {
                s.write(b, offset, length);
                s.flush();
            }
        }

        @Override
        public void addChannelStream() throws IOException
        {
            streams.add(new FrameStream(quic.openStream(), maxPayload));
        }

        @Override
        public void close()
        {
            quic.close();
        }
    }

    private static Link connect(final InetSocketAddress pool, final boolean quic, final byte[] authority)
        throws IOException
    {
        final NoiseConfig nc = new NoiseConfig().handshakeTimeoutMs(10_000);
        if (authority != null)
        {
            nc.authorityPublicKey(authority);
        }
        return quic ? new QuicLink(pool, nc) : new TcpLink(pool, nc);
    }

    private static void send(final Link link, final int index, final Message m) throws IOException
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[1024]);
        final int n = m.encodeFrame(b, 0);
        link.write(index, b, 0, n);
    }

    private static void setup(final Link link, final InetSocketAddress pool) throws IOException
    {
        send(link, 0, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
            CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING, "127.0.0.1",
            pool.getPort(), "bench", "", "", "bench"));
        link.readFrame(0);
        if (FrameHeaderFlyweight.msgType(link.frameBuffer(0), 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
        {
            throw new IOException("SetupConnection refused");
        }
    }

    /** Handshake times: the whole (connect, authenticate, SetupConnection) and its transport connect part alone. */
    public record Handshakes(Percentiles total, Percentiles connect)
    {
        public Map<String, Object> toMap()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total.toMap());
            m.put("transport_connect", connect.toMap());
            return m;
        }
    }

    /**
     * {@code n} handshakes one after another (after {@code warmup} unmeasured ones): connect, authenticate the pool,
     * SetupConnection round trip; each connection is closed before the next. The transport's own part (TCP connect;
     * QUIC connect with TLS 1.3) is timed apart.
     */
    public static Handshakes handshakes(final InetSocketAddress pool, final boolean quic, final byte[] authority,
        final int warmup, final int n) throws IOException
    {
        final Histogram total = new Histogram(3);
        final Histogram connect = new Histogram(3);
        for (int i = 0; i < warmup + n; i++)
        {
            final long t0 = System.nanoTime();
            final long connected;
            if (quic)
            {
                final QuicClient q = QuicClient.connect(pool, ALPN, Duration.ofSeconds(10), Duration.ofSeconds(60), null);
                connected = System.nanoTime();
                q.close();
            }
            else
            {
                try (Socket s = new Socket())
                {
                    s.connect(pool, 10_000);
                    connected = System.nanoTime();
                }
            }
            final long t1 = System.nanoTime();
            try (Link link = connect(pool, quic, authority))
            {
                setup(link, pool);
                if (i >= warmup)
                {
                    total.recordValue(System.nanoTime() - t1);
                    connect.recordValue(connected - t0);
                }
            }
        }
        return new Handshakes(Percentiles.of(total), Percentiles.of(connect));
    }

    /** What {@link #headOfLine} measured. */
    public record HeadOfLine(String transport, int channels, double sharesPerSecondPerChannel, long stallMs,
        Percentiles othersBaseline, Percentiles othersDuringStall, long stalledChannelAcksBefore)
    {
        public Map<String, Object> toMap()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("transport", transport);
            m.put("channels", channels);
            m.put("shares_per_second_per_channel", sharesPerSecondPerChannel);
            m.put("stall_ms", stallMs);
            m.put("other_channels_ack_baseline", othersBaseline.toMap());
            m.put("other_channels_ack_during_stall", othersDuringStall.toMap());
            m.put("stalled_channel_acks_before_stall", stalledChannelAcksBefore);
            return m;
        }
    }

    /** Per-channel state of the head-of-line run. */
    private static final class Chan
    {
        final int index;
        int channelId;
        int jobId;
        int version;
        int ntime;
        int seq;
        final long[] sentAt = new long[1 << 16];
        volatile long acks;
        volatile int sent;

        Chan(final int index)
        {
            this.index = index;
        }
    }

    /**
     * One connection, {@code channels} standard channels each submitting {@code rate} shares/s; after
     * {@code baselineMs}, channel 0's reader stops for {@code stallMs}. Returns the other channels' ack latency for
     * shares sent in the baseline and for shares sent during the stall.
     */
    public static HeadOfLine headOfLine(final InetSocketAddress pool, final boolean quic, final byte[] authority,
        final int channels, final double rate, final long baselineMs, final long stallMs)
        throws IOException, InterruptedException
    {
        final Histogram baseline = new org.HdrHistogram.ConcurrentHistogram(3);
        final Histogram during = new org.HdrHistogram.ConcurrentHistogram(3);
        try (Link link = connect(pool, quic, authority))
        {
            setup(link, pool);
            final Chan[] chans = new Chan[channels];
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            for (int c = 0; c < channels; c++)
            {
                chans[c] = new Chan(c);
                link.addChannelStream();
                final int stream = quic ? c + 1 : 0;
                send(link, stream, new OpenStandardMiningChannel(c + 1, "hol." + c, 0.0f, max));
                boolean job = false;
                boolean prev = false;
                while (!(job && prev))
                {
                    final int n = link.readFrame(stream);
                    final DirectBuffer b = link.frameBuffer(stream);
                    final int type = FrameHeaderFlyweight.msgType(b, 0);
                    if (type == MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS)
                    {
                        chans[c].channelId = (int)OpenStandardMiningChannelSuccess.decode(b, HEADER, n - HEADER).channelId();
                    }
                    else if (type == MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB)
                    {
                        final NewMiningJob j = new NewMiningJob().wrap(b, HEADER, n - HEADER);
                        chans[c].jobId = (int)j.jobId();
                        chans[c].version = (int)j.version();
                        job = true;
                    }
                    else if (type == MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH)
                    {
                        final SetNewPrevHash p = new SetNewPrevHash().wrap(b, HEADER, n - HEADER);
                        chans[c].jobId = (int)p.jobId();
                        chans[c].ntime = (int)p.minNtime();
                        prev = true;
                    }
                }
            }
            final long start = System.nanoTime();
            final long stallStart = start + baselineMs * 1_000_000L;
            final long stallEnd = stallStart + stallMs * 1_000_000L;
            final long sendEnd = stallEnd + 500_000_000L;
            final long[] stalledAcksBefore = new long[1];
            final List<Thread> threads = new ArrayList<>();
            final Map<Integer, Chan> byId = new java.util.HashMap<>();
            for (final Chan ch : chans)
            {
                byId.put(ch.channelId, ch);
            }
            // Readers: over QUIC one per channel stream; over TCP the connection's one reader.
            final int readers = quic ? channels : 1;
            for (int r = 0; r < readers; r++)
            {
                final int stream = quic ? r + 1 : 0;
                threads.add(Thread.ofPlatform().daemon().name("hol-read-" + r).start(() ->
                {
                    final SubmitSharesSuccess ok = new SubmitSharesSuccess();
                    try
                    {
                        while (true)
                        {
                            final int n = link.readFrame(stream);
                            final DirectBuffer b = link.frameBuffer(stream);
                            if (FrameHeaderFlyweight.msgType(b, 0) != MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS)
                            {
                                continue;
                            }
                            ok.wrap(b, HEADER, n - HEADER);
                            final Chan ch = byId.get((int)ok.channelId());
                            final long now = System.nanoTime();
                            final int last = (int)ok.lastSequenceNumber();
                            final int count = (int)ok.newSubmitsAcceptedCount();
                            ch.acks += count;
                            if (ch.index == 0)
                            {
                                if (now < stallStart)
                                {
                                    stalledAcksBefore[0] = ch.acks;
                                }
                                else if (now < stallEnd)
                                {
                                    // The application stops consuming this channel: over QUIC its stream alone stops
                                    // being read; over TCP the connection's reader is this thread.
                                    LockSupport.parkNanos(stallEnd - now);
                                }
                                continue;
                            }
                            for (int s = last - count + 1; s <= last; s++)
                            {
                                final long sent = ch.sentAt[s & 0xffff];
                                if (sent >= start && sent < stallStart)
                                {
                                    baseline.recordValue(Math.max(1, now - sent));
                                }
                                else if (sent >= stallStart && sent < stallEnd)
                                {
                                    during.recordValue(Math.max(1, now - sent));
                                }
                            }
                        }
                    }
                    catch (final IOException ignored)
                    {
                        // closed at the end
                    }
                }));
            }
            // Writers: one per channel at the given rate (channel 0's writer goes on through the stall).
            final long intervalNs = (long)(1e9 / rate);
            final List<Thread> writers = new ArrayList<>();
            for (final Chan ch : chans)
            {
                writers.add(Thread.ofPlatform().daemon().name("hol-write-" + ch.index).start(() ->
                {
                    final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
                    final SubmitSharesStandard submit = new SubmitSharesStandard();
                    final int frame = HEADER + SubmitSharesStandard.BLOCK_LENGTH;
                    long next = System.nanoTime();
                    try
                    {
                        while (next < sendEnd)
                        {
                            final long wait = next - System.nanoTime();
                            if (wait > 0)
                            {
                                LockSupport.parkNanos(wait);
                            }
                            ch.seq++;
                            submit.wrapForEncode(out, HEADER).channelId(ch.channelId & 0xffffffffL)
                                .sequenceNumber(ch.seq & 0xffffffffL).jobId(ch.jobId & 0xffffffffL)
                                .nonce(ch.seq & 0xffffffffL).ntime(ch.ntime & 0xffffffffL)
                                .version(ch.version & 0xffffffffL);
                            submit.writeHeader(out, 0);
                            ch.sentAt[ch.seq & 0xffff] = System.nanoTime();
                            link.write(quic ? ch.index + 1 : 0, out, 0, frame);
                            ch.sent = ch.seq;
                            next += intervalNs;
                        }
                    }
                    catch (final IOException ignored)
                    {
                        // the pool closed the connection (reported by the counts)
                    }
                }));
            }
            for (final Thread t : writers)
            {
                t.join();
            }
            // Every share of the other channels acknowledged (or 10 s), then closing the link ends the readers.
            final long drainDeadline = System.nanoTime() + 10_000_000_000L;
            for (int c = 1; c < channels; c++)
            {
                while (chans[c].acks < chans[c].sent && System.nanoTime() < drainDeadline)
                {
                    LockSupport.parkNanos(10_000_000L);
                }
            }
            return new HeadOfLine(quic ? "quic" : "tcp", channels, rate, stallMs, Percentiles.of(baseline),
                Percentiles.of(during), stalledAcksBefore[0]);
        }
    }
}
