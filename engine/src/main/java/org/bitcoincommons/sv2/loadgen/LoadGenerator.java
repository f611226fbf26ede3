package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.transport.CountingStreams;
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
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.nativelib.ThreadNice;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.IoLoop;
import org.bitcoincommons.sv2.transport.QuicByteStream;
import org.bitcoincommons.sv2.transport.QuicClient;
import org.bitcoincommons.sv2.transport.TransportStats;

/**
 * The end-to-end load generator: N simulated miners, each a real encrypted SV2 connection with a standard channel
 * (over TCP with Noise, or over QUIC with the channel on its own stream: {@link Options#quic()}),
 * submitting shares that meet the (maximum) target the pool gives a near-zero hashrate, flat out or at a total rate.
 * It measures accepted shares/s, acknowledgement latency (send to SubmitShares.Success, HdrHistogram), and bytes on
 * the wire per share. It does not hash: the pool does all the validation work.
 */
public final class LoadGenerator implements ShareLoad
{
    /**
     * @param connections  simulated miners
     * @param rate         total shares/s to offer; 0 = as fast as the pool acknowledges
     * @param warmupMs     load before measuring
     * @param durationMs   measured time
     * @param inflight     unacknowledged shares allowed per connection
     * @param batch        shares written per flush
     */
    public record Options(InetSocketAddress pool, byte[] authority, int connections, double rate, long warmupMs,
        long durationMs, int inflight, int batch, long connectTimeoutMs, boolean quic)
    {
        /** Over TCP (Noise-encrypted). */
        public Options(final InetSocketAddress pool, final byte[] authority, final int connections, final double rate,
            final long warmupMs, final long durationMs, final int inflight, final int batch, final long connectTimeoutMs)
        {
            this(pool, authority, connections, rate, warmupMs, durationMs, inflight, batch, connectTimeoutMs, false);
        }

        /** The same load over QUIC ({@code pool} is then the pool's QUIC address). */
        public Options quic(final InetSocketAddress quicPool)
        {
            return new Options(quicPool, authority, connections, rate, warmupMs, durationMs, inflight, batch,
                connectTimeoutMs, true);
        }
    }

    /**
     * One simulated miner's connection: a Noise channel over TCP, or over QUIC the channel's own stream (plaintext
     * frames inside TLS) after the control stream's bound handshake and SetupConnection.
     */
    private interface Link
    {
        int readFrame() throws IOException;

        DirectBuffer frameBuffer();

        void queueFrame(DirectBuffer src, int offset, int length) throws IOException;

        void flush() throws IOException;
    }

    /** What one run measured. Latencies in microseconds. */
    public record Result(int connections, int connectFailures, double connectSeconds, long sharesAccepted,
        long sharesRejected, double sharesPerSecond, double p50Us, double p99Us, double p999Us, double maxUs,
        double bytesPerShare, double seconds)
    {
    }

    private final Options options;
    private final Recorder latency = new Recorder(3_600_000_000_000L, 3);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private volatile boolean measuring;
    private Runnable onMeasureStart = () -> { };
    private volatile boolean paused;
    /** Connect, set up and open a channel, then only read (a reconnect storm's miners): see {@link #connectOnly}. */
    private boolean connectOnly;
    /** The nice value of the carriers the miners run on (0: unchanged): see {@link #nice}. */
    private int nice;
    private int connectConcurrency = 64;
    /** Readers on platform threads: see {@link #platformReaders()}. */
    private boolean platformReaders;
    /** Every miner's acknowledgements read by one event loop: see {@link #loopReaders()}. */
    private boolean loopReaders;
    private IoLoop readerLoop;
    /** Mine each new job the pool sends: see {@link #followJobs()}. */
    private boolean followJobs;
    /** Slow readers: see {@link #slowReaders}. */
    private long readPauseMs;
    private int receiveBufferBytes;
    /** Loopback source addresses the miners connect from, round robin (1: the kernel's choice, 127.0.0.1). */
    private int sourceAddresses = 1;
    private volatile boolean stop;
    private final List<Miner> miners = new ArrayList<>();
    /** Over QUIC: stream bytes (frames as the application writes them; QUIC and TLS overhead are not counted). */
    private final TransportStats quicStats = new TransportStats("quic");
    private static final String QUIC_ALPN = "sv2";

    /** Percent of miners on extended channels (the rest standard). */
    private int extendedPercent;
    /** Percent of shares with rolled version bits (on either kind of channel). */
    private int rolledPercent;

    /**
     * One initiator config for every simulated miner, concluded once: preparing the authority key's verification
     * table costs milliseconds, which a real miner pays once on its own machine but 15,000 simulated miners would pay
     * on the measuring machine's cores while the pool's connect capacity is being measured.
     */
    private final NoiseConfig noise;

    public LoadGenerator(final Options options)
    {
        this.options = options;
        this.noise = new NoiseConfig().handshakeTimeoutMs(options.connectTimeoutMs());
        if (options.authority() != null)
        {
            noise.authorityPublicKey(options.authority());
        }
        noise.conclude();
    }

    /**
     * The share mix: {@code extendedPercent} of the miners open extended channels (SubmitSharesExtended with an
     * 8-byte extranonce that changes with every share) instead of standard ones, and {@code rolledPercent} of every
     * miner's shares carry rolled version bits (BIP320). Set before {@link #run()}; 0/0 (the default) is all standard
     * shares at the job's version.
     */
    public LoadGenerator mix(final int extendedPercent, final int rolledPercent)
    {
        if (extendedPercent < 0 || extendedPercent > 100 || rolledPercent < 0 || rolledPercent > 100)
        {
            throw new IllegalArgumentException("percentages must be 0..100");
        }
        this.extendedPercent = extendedPercent;
        this.rolledPercent = rolledPercent;
        return this;
    }

    /**
     * Connects every miner, runs warm-up then the measured interval, and reports. The connections stay open (idle)
     * until {@link #close()}, so that the pool's memory per connection can be read.
     */
    /** Runs once, when the warm-up ends and the measured interval begins (e.g. resets the pool's own latency). */
    @Override
    public LoadGenerator onMeasureStart(final Runnable action)
    {
        this.onMeasureStart = action;
        return this;
    }

    @Override
    public Result run() throws InterruptedException
    {
        final double connectSeconds = start();
        return measure(connectSeconds);
    }

    /** Connects every miner and lets them submit; returns the seconds connecting took. */
    public double start() throws InterruptedException
    {
        if (loopReaders)
        {
            try
            {
                readerLoop = new IoLoop("load-read-loop", options.connections());
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot open the readers' selector: " + ex.getMessage(), ex);
            }
        }
        final CountDownLatch ready = new CountDownLatch(options.connections());
        final long t0 = System.nanoTime();
        final java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(connectConcurrency);
        for (int i = 0; i < options.connections(); i++)
        {
            final Miner m = new Miner(i, ready, connecting);
            miners.add(m);
            m.thread = Thread.ofVirtual().name("load-" + i).start(m::run);
        }
        ready.await(options.connectTimeoutMs() + 60_000, TimeUnit.MILLISECONDS);
        final double connectSeconds = (System.nanoTime() - t0) / 1e9;
        for (final Miner m : miners)
        {
            m.go = true;
            LockSupport.unpark(m.thread);
        }
        if (options.rate() > 0 && !connectOnly)
        {
            Thread.ofPlatform().daemon().name("load-pacer").start(this::paceLoop);
        }
        return connectSeconds;
    }

    /** At a given rate, one platform thread sends for every miner on its {@link Pacer} schedule. */
    private void paceLoop()
    {
        Pacer.run(miners, options.batch(), options.rate(), () -> !stop && !paused);
    }

    /** Every share the pool has acknowledged so far (SubmitShares.Success counts). */
    @Override
    public long acceptedTotal()
    {
        return accepted.sum();
    }

    /**
     * The miners connect, set up and open their channel, then only read what the pool sends (jobs): the miners of a
     * reconnect storm. {@code concurrency} connections are set up at a time (the default is 64). Set before start.
     */
    public LoadGenerator connectOnly(final int concurrency)
    {
        if (concurrency < 1)
        {
            throw new IllegalArgumentException("connect concurrency must be >= 1, got " + concurrency);
        }
        this.connectOnly = true;
        this.connectConcurrency = concurrency;
        return this;
    }

    /**
     * Each miner's thread sets the nice value of the carrier it runs on (Linux; {@link ThreadNice}) before it
     * connects: a reconnect storm's crowd stands for thousands of machines elsewhere, and niced it takes this
     * machine's CPU only after the pool and the measured miners (its carriers must serve only it: the measured
     * miners read and send on platform threads). 0: unchanged. Set before start.
     */
    public LoadGenerator nice(final int value)
    {
        if (value < 0 || value > 19)
        {
            throw new IllegalArgumentException("nice must be 0..19, got " + value);
        }
        this.nice = value;
        return this;
    }

    /**
     * Each miner reads its acknowledgements on a platform thread instead of a virtual one: when other work shares
     * this process (a reconnect storm's thousands of handshakes on the virtual-thread carriers), the measured miners'
     * receive path is then scheduled by the OS like separate machines' miners, and the figure is the pool's, not this
     * generator's queueing. Set before start.
     */
    public LoadGenerator platformReaders()
    {
        this.platformReaders = true;
        return this;
    }

    /**
     * One event loop (a platform thread and a selector) reads every miner's acknowledgements, instead of a parked
     * reader thread per miner; with the pacer, which sends for all, the generator runs on two threads whatever the
     * number of miners. A virtual reader costs a poller registration, a wake-up and a carrier hand-off per frame it
     * waits for; 15,000 miners' readers on the generator's side of the same cores take CPU from the pool being
     * measured (in the field the miners are other machines). The echo floor's clients have the same layout
     * ({@code EchoFloor}, client threads {@code loop}), so a run and its floor stay comparable. TCP miners at a given
     * rate only (the pacer sends; the loop cannot sleep for slow readers). Set before start.
     */
    public LoadGenerator loopReaders()
    {
        if (options.quic() || options.rate() <= 0)
        {
            throw new IllegalArgumentException("loop readers need TCP miners at a given rate (--rate > 0)");
        }
        this.loopReaders = true;
        return this;
    }

    /**
     * The miners connect from {@code n} loopback addresses, 127.0.0.2 onwards, round robin by index (a pool on
     * 127.0.0.1 only; Linux routes all of 127/8 to the loopback interface). Miners come from many addresses in the
     * field; from one, each of 15,000 connects searches the one address's ephemeral ports past those already taken
     * ({@code __inet_check_established}: ~10% of this generator's CPU in a storm). 1: the kernel's choice of source
     * (the default). TCP miners only. Set before start.
     */
    public LoadGenerator sourceAddresses(final int n)
    {
        if (n < 1 || n > 250)
        {
            throw new IllegalArgumentException("source addresses must be 1..250, got " + n);
        }
        if (n > 1 && !(options.pool().getAddress() instanceof java.net.Inet4Address a && a.isLoopbackAddress()))
        {
            throw new IllegalArgumentException("several source addresses need a pool on an IPv4 loopback address");
        }
        if (n > 1 && options.quic())
        {
            throw new IllegalArgumentException("source addresses apply to TCP miners (QUIC miners bind their own socket)");
        }
        this.sourceAddresses = n;
        return this;
    }

    /** True when a socket can be bound to 127.0.0.2 (Linux: all of 127/8 is on the loopback interface). */
    public static boolean loopbackAliasesWork()
    {
        try (java.net.Socket probe = new java.net.Socket(java.net.Proxy.NO_PROXY))
        {
            probe.bind(loopbackAlias(0));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** 127.0.0.(2 + k), port chosen by the kernel. */
    private static InetSocketAddress loopbackAlias(final int k) throws java.net.UnknownHostException
    {
        return new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, (byte)(2 + k)}), 0);
    }

    /**
     * Slow readers (a fault the soak injects): each miner reads one frame, then pauses {@code pauseMs}, with a
     * socket receive buffer of {@code receiveBufferBytes}, so that the pool's acknowledgements pile up unread. Set
     * before start; with a large in-flight window the miner keeps submitting at its rate regardless.
     */
    public LoadGenerator slowReaders(final long pauseMs, final int receiveBufferBytes)
    {
        if (pauseMs < 1 || receiveBufferBytes < 1)
        {
            throw new IllegalArgumentException("pause and receive buffer must be >= 1");
        }
        this.readPauseMs = pauseMs;
        this.receiveBufferBytes = receiveBufferBytes;
        return this;
    }

    /**
     * The miners switch to each new job the pool sends (a long run whose tip moves: the soak). Without it (the
     * default) a miner keeps its first job: on a chain where every share is a block (the embedded regtest chain of
     * the tests) following the pool's new work would make every share a block submission. Set before start.
     */
    public LoadGenerator followJobs()
    {
        this.followJobs = true;
        return this;
    }

    public Options options()
    {
        return options;
    }

    /** Shares the pool refused (SubmitShares.Error) so far. */
    public long rejectedTotal()
    {
        return rejected.sum();
    }

    /** Miners that failed to connect, set up or open their channel. */
    public int connectFailures()
    {
        return connectFailures.get();
    }

    /** Warm-up, then the measured interval; the miners stay connected but stop submitting. */
    public Result measure(final double connectSeconds) throws InterruptedException
    {
        Thread.sleep(options.warmupMs());
        final Result r = measureWhile(connectSeconds, deadline(options.durationMs()));
        paused = true;
        return r;
    }

    /** A condition that holds for the next {@code ms} milliseconds. */
    public static java.util.function.BooleanSupplier deadline(final long ms)
    {
        final long end = System.nanoTime() + ms * 1_000_000L;
        return () -> System.nanoTime() < end;
    }

    /**
     * Measures the acknowledgements while {@code running} holds (checked every 10 ms), without a warm-up and without
     * stopping the miners afterwards: several intervals of one run (before and during a storm) can be compared.
     */
    public Result measureWhile(final double connectSeconds, final java.util.function.BooleanSupplier running)
        throws InterruptedException
    {
        onMeasureStart.run();
        latency.reset();
        final long a0 = accepted.sum();
        final long r0 = rejected.sum();
        final long b0 = bytesIn.sum() + bytesOut.sum() + quicStats.bytesIn.sum() + quicStats.bytesOut.sum();
        measuring = true;
        final long m0 = System.nanoTime();
        while (running.getAsBoolean())
        {
            Thread.sleep(10);
        }
        final long a1 = accepted.sum();
        final long r1 = rejected.sum();
        final long b1 = bytesIn.sum() + bytesOut.sum() + quicStats.bytesIn.sum() + quicStats.bytesOut.sum();
        final double seconds = (System.nanoTime() - m0) / 1e9;
        measuring = false;
        final Histogram h = latency.getIntervalHistogram();
        final long acceptedShares = a1 - a0;
        return new Result(options.connections() - connectFailures.get(), connectFailures.get(), connectSeconds,
            acceptedShares, r1 - r0, acceptedShares / seconds,
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
            acceptedShares == 0 ? 0 : (double)(b1 - b0) / acceptedShares, seconds);
    }

    /** Miners whose connection is still up. */
    @Override
    public int openConnections()
    {
        int open = 0;
        for (final Miner m : miners)
        {
            open += m.open ? 1 : 0;
        }
        return open;
    }

    /** Closes every connection. */
    @Override
    public void close()
    {
        stop = true;
        for (final Miner m : miners)
        {
            m.close();
        }
        if (readerLoop != null)
        {
            readerLoop.close();
        }
    }

    private static Link noiseLink(final NoiseChannel c)
    {
        return new Link()
        {
            @Override
            public int readFrame() throws IOException
            {
                return c.readFrame();
            }

            @Override
            public DirectBuffer frameBuffer()
            {
                return c.frameBuffer();
            }

            @Override
            public void queueFrame(final DirectBuffer src, final int offset, final int length) throws IOException
            {
                c.queueFrame(src, offset, length);
            }

            @Override
            public void flush() throws IOException
            {
                c.flush();
            }
        };
    }

    private static Link streamLink(final FrameStream s)
    {
        return new Link()
        {
            @Override
            public int readFrame() throws IOException
            {
                return s.readFrame();
            }

            @Override
            public DirectBuffer frameBuffer()
            {
                return s.frameBuffer();
            }

            @Override
            public void queueFrame(final DirectBuffer src, final int offset, final int length) throws IOException
            {
                s.write(src, offset, length);
            }

            @Override
            public void flush() throws IOException
            {
                s.flush();
            }
        };
    }

    /**
     * One simulated miner: its own socket and Noise channel; a reader thread of its own (or the reader loop, with
     * {@link #loopReaders}); the pacer sends for it at a given rate, its own thread flat out.
     */
    private final class Miner extends Pacer.LoopRead
    {
        private final int index;
        private final CountDownLatch ready;
        private final java.util.concurrent.Semaphore connecting;
        private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        private final SubmitSharesStandard submit = new SubmitSharesStandard();
        private final SubmitSharesExtended submitExtended = new SubmitSharesExtended();
        private final UnsafeBuffer extranonce = new UnsafeBuffer(new byte[32]);
        private final boolean extendedChannel;
        private int extranonceSize;
        private final long[] sentAtNs;
        private final int mask;
        private Socket socket;
        /** With loop readers: the socket's channel, its Noise channel and what the handshake's reader had buffered. */
        private SocketChannel socketChannel;
        private NoiseChannel noiseChannel;
        private Buffered handshakeIn;
        private QuicClient quic;
        private Link channel;
        private volatile Thread thread;
        private volatile boolean go;
        private int channelId;
        /** The job shares go to: set while connecting, then followed by the reader as the pool sends new work. */
        private volatile int jobId;
        private volatile int version;
        private volatile int ntime;
        /** A future job (no min_ntime) waiting for its SetNewPrevHash, and its version. */
        private long futureJobId = -1;
        private int futureVersion;
        /** Sequence number of the last share sent (one sending thread at a time). */
        private int seq;
        // the reader's flyweights (one reader at a time)
        private final SubmitSharesSuccess ok = new SubmitSharesSuccess();
        private final NewMiningJob job = new NewMiningJob();
        private final NewExtendedMiningJob extendedJob = new NewExtendedMiningJob();
        private final SetNewPrevHash prev = new SetNewPrevHash();

        Miner(final int index, final CountDownLatch ready, final java.util.concurrent.Semaphore connecting)
        {
            super(options.batch(), options.inflight());
            this.index = index;
            this.ready = ready;
            this.connecting = connecting;
            final int size = Integer.highestOneBit(Math.max(2, options.inflight()) * 2 - 1) << 1;
            this.sentAtNs = new long[size];
            this.mask = size - 1;
            this.extendedChannel = index % 100 < extendedPercent;
        }

        void run()
        {
            if (nice > 0)
            {
                ThreadNice.set(nice);
            }
            try
            {
                connecting.acquire();
                try
                {
                    connect();
                }
                finally
                {
                    connecting.release();
                }
            }
            catch (final Exception ex)
            {
                connectFailures.incrementAndGet();
                ready.countDown();
                close();
                return;
            }
            open = true;
            ready.countDown();
            while (!go && !stop)
            {
                LockSupport.park();
            }
            if (loopReaders)
            {
                try
                {
                    toLoop();
                }
                catch (final IOException ex)
                {
                    open = false;
                    close();
                }
                return;
            }
            (platformReaders ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).name("load-read-" + index)
                .start(this::readLoop);
            if (options.rate() > 0 || connectOnly)
            {
                return;   // the pacer sends, or nobody does
            }
            try
            {
                sendLoop();
            }
            catch (final IOException ex)
            {
                open = false;
            }
        }

        private void connect() throws IOException
        {
            final NoiseConfig nc = noise;
            final SetupConnection setup = new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
                CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING,
                "127.0.0.1", options.pool().getPort(), "loadgen", "", "", "load-" + index);
            if (options.quic())
            {
                quic = QuicClient.connect(options.pool(), QUIC_ALPN, Duration.ofMillis(options.connectTimeoutMs()),
                    Duration.ofSeconds(60), quicStats);
                final QuicByteStream control = quic.openStream();
                NoiseChannel.connect(control, nc, quic.serverCertificateFingerprint());
                final FrameStream controlFrames = new FrameStream(control, nc.maxPayloadLength());
                final int len = setup.encodeFrame(out, 0);
                controlFrames.write(out, 0, len);
                controlFrames.flush();
                controlFrames.readFrame();
                if (FrameHeaderFlyweight.msgType(controlFrames.frameBuffer(), 0)
                    != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
                {
                    throw new IOException("refused by the pool");
                }
                channel = streamLink(new FrameStream(quic.openStream(), nc.maxPayloadLength()));
            }
            else
            {
                // a direct connection: the default Socket asks the proxy selector on every connect (a URI parsed
                // per connection, ~4% of this generator's CPU in a storm)
                if (loopReaders)
                {
                    socketChannel = SocketChannel.open();
                    socket = socketChannel.socket();
                }
                else
                {
                    socket = new Socket(java.net.Proxy.NO_PROXY);
                }
                if (receiveBufferBytes > 0)
                {
                    socket.setReceiveBufferSize(receiveBufferBytes);
                }
                if (sourceAddresses > 1)
                {
                    socket.bind(loopbackAlias(index % sourceAddresses));
                }
                socket.connect(options.pool(), (int)options.connectTimeoutMs());
                socket.setTcpNoDelay(true);
                final var in = new Buffered(CountingStreams.in(socket.getInputStream(), bytesIn));
                final var os = CountingStreams.out(socket.getOutputStream(), bytesOut);
                noiseChannel = NoiseChannel.connect(in, os, socket, nc);
                handshakeIn = in;
                channel = noiseLink(noiseChannel);
                send(setup);
            }
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            if (extendedChannel)
            {
                send(new OpenExtendedMiningChannel(1, "load." + index, 0.0f, max, 8));
            }
            else
            {
                send(new OpenStandardMiningChannel(1, "load." + index, 0.0f, max));
            }
            boolean haveJob = false;
            boolean havePrev = false;
            while (!(haveJob && havePrev))
            {
                final int n = channel.readFrame();
                final DirectBuffer b = channel.frameBuffer();
                final int type = FrameHeaderFlyweight.msgType(b, 0);
                if (type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR ||
                    type == MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR)
                {
                    throw new IOException("refused by the pool");
                }
                if (type == MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS)
                {
                    channelId = (int)OpenStandardMiningChannelSuccess.decode(b, 6, n - 6).channelId();
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS)
                {
                    final OpenExtendedMiningChannelSuccess ok = OpenExtendedMiningChannelSuccess.decode(b, 6, n - 6);
                    channelId = (int)ok.channelId();
                    extranonceSize = ok.extranonceSize();
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB)
                {
                    final NewExtendedMiningJob j = new NewExtendedMiningJob().wrap(b, 6, n - 6);
                    jobId = (int)j.jobId();
                    version = (int)j.version();
                    haveJob = true;
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB)
                {
                    final NewMiningJob j = new NewMiningJob().wrap(b, 6, n - 6);
                    jobId = (int)j.jobId();
                    version = (int)j.version();
                    haveJob = true;
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH)
                {
                    final SetNewPrevHash p = new SetNewPrevHash().wrap(b, 6, n - 6);
                    jobId = (int)p.jobId();
                    ntime = (int)p.minNtime();
                    havePrev = true;
                }
            }
        }

        private void send(final Message m) throws IOException
        {
            final int len = m.encodeFrame(out, 0);
            channel.queueFrame(out, 0, len);
            channel.flush();
        }

        /** Flat out: sends a batch whenever the in-flight window allows. */
        private void sendLoop() throws IOException
        {
            while (!stop && !paused)
            {
                while (inflight.get() + options.batch() > options.inflight() && !stop && !paused)
                {
                    LockSupport.park();
                }
                sendBatch();
            }
        }

        /** Encrypts {@code batch} shares into one write, stamping each with the send time. */
        @Override
        void sendBatch() throws IOException
        {
            final int frame = FrameHeaderFlyweight.HEADER_LENGTH + SubmitSharesStandard.BLOCK_LENGTH;
            final long now = System.nanoTime();
            for (int i = 0; i < options.batch(); i++)
            {
                seq++;
                // BIP320 bits 13..28: a rolled share flips one of them (the pool's mask allows all sixteen)
                final int v = (seq % 100) < rolledPercent ? version ^ (1 << (13 + (seq & 15))) : version;
                if (extendedChannel)
                {
                    extranonce.putInt(0, seq);
                    extranonce.putInt(4, index);
                    submitExtended.wrapForEncode(out, FrameHeaderFlyweight.HEADER_LENGTH)
                        .channelId(channelId & 0xffffffffL).sequenceNumber(seq & 0xffffffffL)
                        .jobId(jobId & 0xffffffffL).nonce(seq & 0xffffffffL).ntime(ntime & 0xffffffffL)
                        .version(v & 0xffffffffL).extranonce(extranonce, 0, extranonceSize);
                    final int len = submitExtended.writeHeader(out, 0);
                    sentAtNs[seq & mask] = now;
                    channel.queueFrame(out, 0, len);
                    continue;
                }
                submit.wrapForEncode(out, FrameHeaderFlyweight.HEADER_LENGTH)
                    .channelId(channelId & 0xffffffffL).sequenceNumber(seq & 0xffffffffL).jobId(jobId & 0xffffffffL)
                    .nonce(seq & 0xffffffffL).ntime(ntime & 0xffffffffL).version(v & 0xffffffffL);
                submit.writeHeader(out, 0);
                sentAtNs[seq & mask] = now;
                channel.queueFrame(out, 0, frame);
            }
            inflight.addAndGet(options.batch());
            if (socketChannel != null && loopReaders)
            {
                // non-blocking: what the socket does not take now goes out with the next batch
                bytesOut.add(noiseChannel.sendTo(socketChannel));
                return;
            }
            channel.flush();
        }

        /**
         * Hands the socket to the reader loop: what the set-up's reader had buffered past its last frame is read here
         * first, then the loop reads the rest (the pacer keeps sending on this thread's behalf).
         */
        private void toLoop() throws IOException
        {
            final int early = handshakeIn.buffered();
            final byte[] bytes = new byte[early];
            int got = 0;
            while (got < early)
            {
                got += handshakeIn.read(bytes, got, early - got);   // buffered already: does not block
            }
            handshakeIn = null;
            noiseChannel.nonBlocking();
            onRead(bytes, 0, early);
            readerLoop.attach(socketChannel, this).schedule();
        }

        @Override
        public void onRead(final byte[] src, final int offset, final int length) throws IOException
        {
            bytesIn.add(length);
            final int end = offset + length;
            int at = offset;
            while (at < end)
            {
                at += noiseChannel.receive(src, at, end - at);
                final int n = noiseChannel.readyFrame();
                if (n > 0)
                {
                    onFrame(noiseChannel.frameBuffer(), n);
                }
            }
        }

        @Override
        public boolean closing()
        {
            return stop;
        }

        private void readLoop()
        {
            try
            {
                while (!stop)
                {
                    final int n = channel.readFrame();
                    if (readPauseMs > 0)
                    {
                        Thread.sleep(readPauseMs);
                    }
                    onFrame(channel.frameBuffer(), n);
                }
            }
            catch (final IOException ex)
            {
                open = false;
                LockSupport.unpark(thread);
            }
            catch (final InterruptedException ex)
            {
                open = false;
                Thread.currentThread().interrupt();
            }
        }

        /** One frame from the pool (its reader's thread: a reader of its own, or the reader loop). */
        private void onFrame(final DirectBuffer b, final int n)
        {
            final int type = FrameHeaderFlyweight.msgType(b, 0);
            if (followJobs && type == MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB)
            {
                job.wrap(b, 6, n - 6);
                onJob(job.jobId(), job.hasMinNtime(), job.version());
            }
            else if (followJobs && type == MiningProtocol.MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB)
            {
                extendedJob.wrap(b, 6, n - 6);
                onJob(extendedJob.jobId(), extendedJob.hasMinNtime(), extendedJob.version());
            }
            else if (followJobs && type == MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH)
            {
                prev.wrap(b, 6, n - 6);
                if (prev.jobId() == futureJobId)
                {
                    version = futureVersion;
                }
                ntime = (int)prev.minNtime();
                jobId = (int)prev.jobId();
            }
            else if (type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS)
            {
                ok.wrap(b, 6, n - 6);
                final int count = (int)ok.newSubmitsAcceptedCount();
                final int last = (int)ok.lastSequenceNumber();
                final long now = System.nanoTime();
                if (measuring)
                {
                    for (int s = last - count + 1; s <= last; s++)
                    {
                        latency.recordValue(Math.max(1, now - sentAtNs[s & mask]));
                    }
                }
                accepted.add(count);
                inflight.addAndGet(-count);
                if (!loopReaders)
                {
                    LockSupport.unpark(thread);   // a flat-out sender may wait for room in its window
                }
            }
            else if (type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR)
            {
                rejected.increment();
                inflight.decrementAndGet();
                if (!loopReaders)
                {
                    LockSupport.unpark(thread);
                }
            }
        }

        /** New work from the pool: an active job is mined at once; a future one when its SetNewPrevHash comes. */
        private void onJob(final long id, final boolean active, final long jobVersion)
        {
            if (active)
            {
                version = (int)jobVersion;
                jobId = (int)id;
            }
            else
            {
                futureJobId = id;
                futureVersion = (int)jobVersion;
            }
        }

        void close()
        {
            open = false;
            if (quic != null)
            {
                quic.close();
            }
            if (socket != null)
            {
                try
                {
                    // A reset, not 60 s of TIME_WAIT holding one of this address's local ports: 15,000 of them after
                    // one storm's crowd made every connect of the next search the port range past them.
                    socket.setSoLinger(true, 0);
                }
                catch (final IOException ignored)
                {
                    // already closed
                }
                try
                {
                    socket.close();
                }
                catch (final IOException ignored)
                {
                    // closing anyway
                }
            }
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    /** The set-up's buffered reader, which can tell what it holds past the frames read (read before the hand-over). */
    private static final class Buffered extends BufferedInputStream
    {
        Buffered(final java.io.InputStream in)
        {
            super(in, 2048);
        }

        synchronized int buffered()
        {
            return count - pos;
        }
    }
}
