package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.bitcoincommons.sv2.transport.CountingStreams;
import org.HdrHistogram.Recorder;

/**
 * The load generator for the Stratum V1 endpoint: N simulated SV1 miners, each a plain TCP connection that opens as
 * ESP-Miner does (configure with version rolling, subscribe and authorize pipelined) and then submits mining.submit
 * lines, flat out or at a total rate. Like the SV2 {@link LoadGenerator} it does not hash: the pool must be set to a
 * start difficulty so small that its share target is 2^256 - 1, so every submitted header is a valid share that the
 * pool still parses, hashes, checks for duplicates, journals and acknowledges. Each share has its own nonce, so none
 * is a duplicate. It measures accepted shares/s, the time from writing a submit to reading its result
 * (HdrHistogram), and bytes on the wire (both ways) per accepted share.
 */
public final class Sv1LoadGenerator implements ShareLoad
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_KEY = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULT_TRUE = "\"result\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METHOD_KEY = "\"method\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 1 << 20;

    private final LoadGenerator.Options options;
    private final Recorder latency = new Recorder(3_600_000_000_000L, 3);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> rejectReasons =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Miner> miners = new ArrayList<>();
    private volatile boolean measuring;
    private volatile boolean paused;
    private volatile boolean stop;
    private Runnable onMeasureStart = () -> { };

    /** {@code options.authority()} is not used: SV1 has no encryption. */
    public Sv1LoadGenerator(final LoadGenerator.Options options)
    {
        this.options = options;
    }

    @Override
    public Sv1LoadGenerator onMeasureStart(final Runnable action)
    {
        this.onMeasureStart = action;
        return this;
    }

    /** Rejections seen so far by the pool's reason string. */
    public java.util.Map<String, Long> rejectReasons()
    {
        final java.util.Map<String, Long> m = new java.util.TreeMap<>();
        rejectReasons.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public LoadGenerator.Result run() throws InterruptedException
    {
        final CountDownLatch ready = new CountDownLatch(options.connections());
        final long t0 = System.nanoTime();
        final Semaphore connecting = new Semaphore(64);
        for (int i = 0; i < options.connections(); i++)
        {
            final Miner m = new Miner(i, ready, connecting);
            miners.add(m);
            m.thread = Thread.ofVirtual().name("sv1-load-" + i).start(m::run);
        }
        ready.await(options.connectTimeoutMs() + 60_000, TimeUnit.MILLISECONDS);
        final double connectSeconds = (System.nanoTime() - t0) / 1e9;
        for (final Miner m : miners)
        {
            m.go = true;
            LockSupport.unpark(m.thread);
        }
        if (options.rate() > 0)
        {
            Thread.ofPlatform().daemon().name("sv1-load-pacer").start(this::paceLoop);
        }
        Thread.sleep(options.warmupMs());
        onMeasureStart.run();
        latency.reset();
        final long a0 = accepted.sum();
        final long r0 = rejected.sum();
        final long b0 = bytesIn.sum() + bytesOut.sum();
        measuring = true;
        final long m0 = System.nanoTime();
        Thread.sleep(options.durationMs());
        final long a1 = accepted.sum();
        final long r1 = rejected.sum();
        final long b1 = bytesIn.sum() + bytesOut.sum();
        final double seconds = (System.nanoTime() - m0) / 1e9;
        measuring = false;
        final Histogram h = latency.getIntervalHistogram();
        paused = true;
        final long acceptedShares = a1 - a0;
        return new LoadGenerator.Result(options.connections() - connectFailures.get(), connectFailures.get(),
            connectSeconds, acceptedShares, r1 - r0, acceptedShares / seconds,
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
            acceptedShares == 0 ? 0 : (double)(b1 - b0) / acceptedShares, seconds);
    }

    /** One timer thread sends for every miner on its {@link Pacer} schedule, as {@link LoadGenerator} does. */
    private void paceLoop()
    {
        Pacer.run(miners, options.batch(), options.rate(), () -> !stop && !paused);
    }

    @Override
    public long acceptedTotal()
    {
        return accepted.sum();
    }

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

    @Override
    public void close()
    {
        stop = true;
        for (final Miner m : miners)
        {
            m.close();
        }
    }

    /** Index of {@code key} in {@code b[from, to)}, or -1. */
    static int indexOf(final byte[] b, final int from, final int to, final byte[] key)
    {
        outer:
        for (int i = from; i <= to - key.length; i++)
        {
            for (int k = 0; k < key.length; k++)
            {
                if (b[i + k] != key[k])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One simulated SV1 miner: its socket, a reader virtual thread, and a sender (its own thread or the pacer). */
    private final class Miner extends Pacer.Paced
    {
        private final int index;
        private final CountDownLatch ready;
        private final Semaphore connecting;
        private final long[] sentAtNs;
        private final int mask;
        private final byte[] out = new byte[64 * 1024];
        private Socket socket;
        private InputStream in;
        private OutputStream os;
        private byte[] line = new byte[4096];
        private volatile Thread thread;
        private volatile boolean go;
        /** The bytes of a submit after its id up to the nonce, for the newest job (set by the reader). */
        private volatile byte[] middle;
        /** The bytes after the nonce: the version bits and the line end. */
        private final byte[] tail = "\",\"00000000\"]}\n".getBytes(StandardCharsets.US_ASCII);
        private String extranonce2 = "00000000";
        private boolean authorized;
        private long seq;

        Miner(final int index, final CountDownLatch ready, final Semaphore connecting)
        {
            super(options.batch(), options.inflight());
            this.index = index;
            this.ready = ready;
            this.connecting = connecting;
            final int size = Integer.highestOneBit(Math.max(2, options.inflight()) * 2 - 1) << 1;
            this.sentAtNs = new long[size];
            this.mask = size - 1;
        }

        void run()
        {
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
            Thread.ofVirtual().name("sv1-load-read-" + index).start(this::readLoop);
            if (options.rate() > 0)
            {
                return;
            }
            try
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
            catch (final IOException ex)
            {
                open = false;
            }
        }

        private void connect() throws IOException
        {
            socket = new Socket();
            socket.connect(options.pool(), (int)options.connectTimeoutMs());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int)options.connectTimeoutMs());
            in = new BufferedInputStream(CountingStreams.in(socket.getInputStream(), bytesIn), 2048);
            os = CountingStreams.out(socket.getOutputStream(), bytesOut);
            os.write(("{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"]," +
                "{\"version-rolling.mask\":\"ffffffff\",\"version-rolling.min-bit-count\":16}]}\n" +
                "{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"sv2-java-loadgen/1\"]}\n" +
                "{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"load." + index + "\",\"x\"]}\n")
                .getBytes(StandardCharsets.US_ASCII));
            os.flush();
            while (!(authorized && middle != null))
            {
                final int n = readLine();
                if (n < 0)
                {
                    throw new IOException("the pool closed the connection during setup");
                }
                final JsonNode m = MAPPER.readTree(line, 0, n);
                final JsonNode id = m.get("id");
                if (m.hasNonNull("method"))
                {
                    notification(m);
                }
                else if (id != null && id.asInt() == 2)
                {
                    final int size = m.path("result").path(2).asInt(4);
                    extranonce2 = "00".repeat(size);
                }
                else if (id != null && id.asInt() == 3)
                {
                    if (!m.path("result").asBoolean(false))
                    {
                        throw new IOException("worker refused: " + m);
                    }
                    authorized = true;
                }
            }
            socket.setSoTimeout(0);
        }

        private void notification(final JsonNode m)
        {
            if ("mining.notify".equals(m.get("method").asText()))
            {
                final JsonNode p = m.path("params");
                middle = (",\"method\":\"mining.submit\",\"params\":[\"load." + index + "\",\"" + p.path(0).asText() +
                    "\",\"" + extranonce2 + "\",\"" + p.path(7).asText() + "\",\"").getBytes(StandardCharsets.US_ASCII);
            }
        }

        /** Reads one line (without its end) into {@link #line}; returns its length, or -1 at the end of the stream. */
        private int readLine() throws IOException
        {
            int n = 0;
            while (true)
            {
                final int b = in.read();
                if (b < 0)
                {
                    return -1;
                }
                if (b == '\n')
                {
                    return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                }
                if (n == line.length)
                {
                    if (n >= MAX_LINE)
                    {
                        throw new IOException("line over " + MAX_LINE + " bytes");
                    }
                    line = java.util.Arrays.copyOf(line, n * 2);
                }
                line[n++] = (byte)b;
            }
        }

        /** Writes {@code batch} submits in one write, each with its own id and nonce (both the sequence number). */
        @Override
        void sendBatch() throws IOException
        {
            final byte[] mid = middle;
            int p = 0;
            final long now = System.nanoTime();
            for (int i = 0; i < options.batch(); i++)
            {
                seq++;
                p = put(out, p, "{\"id\":");
                p = putDecimal(out, p, seq);
                System.arraycopy(mid, 0, out, p, mid.length);
                p += mid.length;
                for (int s = 28; s >= 0; s -= 4)
                {
                    out[p++] = HEX[(int)(seq >>> s) & 0xf];
                }
                System.arraycopy(tail, 0, out, p, tail.length);
                p += tail.length;
                sentAtNs[(int)seq & mask] = now;
                if (p > out.length - 1024)
                {
                    os.write(out, 0, p);
                    p = 0;
                }
            }
            inflight.addAndGet(options.batch());
            os.write(out, 0, p);
        }

        private static int put(final byte[] b, final int at, final String ascii)
        {
            for (int i = 0; i < ascii.length(); i++)
            {
                b[at + i] = (byte)ascii.charAt(i);
            }
            return at + ascii.length();
        }

        private static int putDecimal(final byte[] b, final int at, final long v)
        {
            int digits = 1;
            for (long x = v; x >= 10; x /= 10)
            {
                digits++;
            }
            long x = v;
            for (int i = digits - 1; i >= 0; i--)
            {
                b[at + i] = (byte)('0' + x % 10);
                x /= 10;
            }
            return at + digits;
        }

        private void readLoop()
        {
            try
            {
                while (!stop)
                {
                    final int n = readLine();
                    if (n < 0)
                    {
                        break;
                    }
                    if (indexOf(line, 0, n, METHOD_KEY) >= 0)
                    {
                        notification(MAPPER.readTree(line, 0, n));
                        continue;
                    }
                    final int id = indexOf(line, 0, n, ID_KEY);
                    if (id < 0)
                    {
                        continue;
                    }
                    long s = 0;
                    int i = id + ID_KEY.length;
                    while (i < n && line[i] == ' ')
                    {
                        i++;
                    }
                    final int digits = i;
                    while (i < n && line[i] >= '0' && line[i] <= '9')
                    {
                        s = s * 10 + (line[i++] - '0');
                    }
                    if (i == digits || s <= 3)
                    {
                        continue;   // an answer to the setup requests, or to nothing of ours
                    }
                    if (indexOf(line, 0, n, RESULT_TRUE) >= 0)
                    {
                        if (measuring)
                        {
                            latency.recordValue(Math.max(1, System.nanoTime() - sentAtNs[(int)s & mask]));
                        }
                        accepted.increment();
                    }
                    else
                    {
                        rejected.increment();
                        rejectReasons.computeIfAbsent(reason(line, n), k -> new LongAdder()).increment();
                    }
                    inflight.decrementAndGet();
                    LockSupport.unpark(thread);
                }
            }
            catch (final IOException ex)
            {
                // the connection ended
            }
            open = false;
            LockSupport.unpark(thread);
        }

        private String reason(final byte[] b, final int n)
        {
            try
            {
                final JsonNode e = MAPPER.readTree(b, 0, n).path("error");
                return e.isArray() ? e.path(1).asText() : e.toString();
            }
            catch (final IOException ex)
            {
                return "unreadable";
            }
        }

        void close()
        {
            open = false;
            if (socket != null)
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
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }
}
