package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.transport.CountingStreams;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.NewMiningJob;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.TransportCipher;

/**
 * Bytes on the wire per accepted share and per job, Stratum V1 against SV2, measured in one run against one pool
 * that serves both: W workers of each kind (SV1; SV2 on standard channels; SV2 on extended channels, the kind an SV1
 * worker becomes inside the pool), all at the same share target, each submitting at the same pace, all receiving the
 * same jobs (every block found makes a new job for everyone). Each message is attributed to a category by what it
 * is: share up (mining.submit, SubmitShares*), share down (their results, SubmitShares.Success/.Error), job down
 * (mining.notify; NewMiningJob, NewExtendedMiningJob and SetNewPrevHash) and other (set_difficulty, SetTarget, ...).
 * SV2 is counted twice over the same connections: "plain" is the frame bytes before encryption, "encrypted" is what
 * the Noise transport writes for that frame (22-byte encrypted header, payload plus a 16-byte MAC per chunk). The
 * socket's own byte counts in the window are reported beside them as a check. TCP/IP headers are not counted.
 */
public final class WireBytes
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    /**
     * @param sv2            the pool's SV2 address
     * @param authority      its authority public key
     * @param sv1            its SV1 address
     * @param workers        workers of each kind
     * @param sharesPerSecond shares each worker submits per second
     */
    public record Options(InetSocketAddress sv2, byte[] authority, InetSocketAddress sv1, int workers,
        double sharesPerSecond, long warmupMs, long durationMs, long connectTimeoutMs)
    {
    }

    /** Counters of one kind of worker; "enc" are the SV2 encrypted sizes of the same frames. */
    public static final class Tally
    {
        final LongAdder shareUp = new LongAdder();
        final LongAdder shareDown = new LongAdder();
        final LongAdder jobDown = new LongAdder();
        final LongAdder otherUp = new LongAdder();
        final LongAdder otherDown = new LongAdder();
        final LongAdder encShareUp = new LongAdder();
        final LongAdder encShareDown = new LongAdder();
        final LongAdder encJobDown = new LongAdder();
        final LongAdder encOtherUp = new LongAdder();
        final LongAdder encOtherDown = new LongAdder();
        final LongAdder jobs = new LongAdder();
        final LongAdder newBlocks = new LongAdder();
        final LongAdder submitted = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder socketIn = new LongAdder();
        final LongAdder socketOut = new LongAdder();
        final LongAdder setupIn = new LongAdder();
        final LongAdder setupOut = new LongAdder();
    }

    private final Options options;
    private final Tally sv1 = new Tally();
    private final Tally standard = new Tally();
    private final Tally extended = new Tally();
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean measuring;
    private volatile boolean stop;

    public WireBytes(final Options options)
    {
        this.options = options;
    }

    /**
     * Connects every worker, lets them submit through the warm-up and the measured window, and returns one map per
     * kind of worker ("sv1", "sv2_standard", "sv2_extended").
     */
    public Map<String, Object> run() throws InterruptedException, IOException
    {
        final CountDownLatch ready = new CountDownLatch(3 * options.workers());
        for (int i = 0; i < options.workers(); i++)
        {
            workers.add(new Sv1Worker(i, ready));
            workers.add(new Sv2Worker(i, ready, false));
            workers.add(new Sv2Worker(i, ready, true));
        }
        for (final Worker w : workers)
        {
            Thread.ofVirtual().name("wire-" + w.name()).start(w::run);
        }
        if (!ready.await(options.connectTimeoutMs() + 10_000, TimeUnit.MILLISECONDS))
        {
            throw new IOException("not every worker connected within " + options.connectTimeoutMs() + " ms");
        }
        for (final Worker w : workers)
        {
            if (w.failure != null)
            {
                throw new IOException(w.name() + " could not connect: " + w.failure.getMessage(), w.failure);
            }
        }
        Thread.sleep(options.warmupMs());
        measuring = true;
        final long t0 = System.nanoTime();
        Thread.sleep(options.durationMs());
        measuring = false;
        final double seconds = (System.nanoTime() - t0) / 1e9;
        stop = true;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("sv1", report(sv1, false, seconds));
        m.put("sv2_standard", report(standard, true, seconds));
        m.put("sv2_extended", report(extended, true, seconds));
        return m;
    }

    /** Closes every connection. */
    public void close()
    {
        stop = true;
        for (final Worker w : workers)
        {
            w.close();
        }
    }

    private static Map<String, Object> report(final Tally t, final boolean sv2, final double seconds)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        final long accepted = t.accepted.sum();
        final long jobs = t.jobs.sum();
        m.put("shares_submitted", t.submitted.sum());
        m.put("shares_accepted", accepted);
        m.put("shares_rejected", t.rejected.sum());
        m.put("jobs", jobs);
        m.put("new_prev_hashes", t.newBlocks.sum());
        m.put("accepted_shares_per_job", jobs == 0 ? 0 : (double)accepted / jobs);
        if (sv2)
        {
            m.put("plain", bytes(t.shareUp, t.shareDown, t.jobDown, t.otherUp, t.otherDown, accepted, jobs));
            m.put("encrypted", bytes(t.encShareUp, t.encShareDown, t.encJobDown, t.encOtherUp, t.encOtherDown,
                accepted, jobs));
        }
        else
        {
            m.put("plain", bytes(t.shareUp, t.shareDown, t.jobDown, t.otherUp, t.otherDown, accepted, jobs));
        }
        m.put("socket_bytes_up", t.socketOut.sum());
        m.put("socket_bytes_down", t.socketIn.sum());
        m.put("setup_bytes_per_connection_up_down", List.of(t.setupOut.sum(), t.setupIn.sum()));
        return m;
    }

    private static Map<String, Object> bytes(final LongAdder shareUp, final LongAdder shareDown, final LongAdder jobDown,
        final LongAdder otherUp, final LongAdder otherDown, final long accepted, final long jobs)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        final long up = shareUp.sum() + otherUp.sum();
        final long down = shareDown.sum() + jobDown.sum() + otherDown.sum();
        m.put("share_up_bytes_per_accepted_share", accepted == 0 ? 0 : (double)shareUp.sum() / accepted);
        m.put("share_down_bytes_per_accepted_share", accepted == 0 ? 0 : (double)shareDown.sum() / accepted);
        m.put("job_down_bytes_per_job", jobs == 0 ? 0 : (double)jobDown.sum() / jobs);
        m.put("other_bytes_up_down", List.of(otherUp.sum(), otherDown.sum()));
        m.put("total_bytes_up", up);
        m.put("total_bytes_down", down);
        m.put("total_bytes_per_accepted_share", accepted == 0 ? 0 : (double)(up + down) / accepted);
        return m;
    }

    private abstract class Worker
    {
        final int index;
        final CountDownLatch ready;
        final Tally tally;
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        Socket socket;
        volatile Exception failure;

        Worker(final int index, final CountDownLatch ready, final Tally tally)
        {
            this.index = index;
            this.ready = ready;
            this.tally = tally;
        }

        abstract String name();

        abstract void connect() throws IOException;

        abstract void submit() throws IOException;

        abstract void readLoop();

        void run()
        {
            try
            {
                socket = new Socket();
                socket.connect(name().startsWith("sv1") ? options.sv1() : options.sv2(), (int)options.connectTimeoutMs());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int)options.connectTimeoutMs());
                connect();
                socket.setSoTimeout(0);
                tally.setupIn.add(in.sum());
                tally.setupOut.add(out.sum());
            }
            catch (final Exception ex)
            {
                failure = ex;
                ready.countDown();
                close();
                return;
            }
            ready.countDown();
            Thread.ofVirtual().name("wire-read-" + name()).start(this::readLoop);
            final long intervalNs = (long)(1e9 / options.sharesPerSecond());
            long next = System.nanoTime() + (long)(Math.random() * intervalNs);
            try
            {
                while (!stop)
                {
                    final long wait = next - System.nanoTime();
                    if (wait > 0)
                    {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next += intervalNs;
                    submit();
                }
            }
            catch (final IOException ex)
            {
                // the pool closed the connection; the reader reports nothing more
            }
        }

        /** Counts the socket's bytes in the window (a check on the per-message accounting). */
        InputStream countedIn(final InputStream s)
        {
            return CountingStreams.in(s, new LongAdder()
            {
                @Override
                public void add(final long x)
                {
                    in.add(x);
                    if (measuring)
                    {
                        tally.socketIn.add(x);
                    }
                }
            });
        }

        OutputStream countedOut(final OutputStream s)
        {
            return CountingStreams.out(s, new LongAdder()
            {
                @Override
                public void add(final long x)
                {
                    out.add(x);
                    if (measuring)
                    {
                        tally.socketOut.add(x);
                    }
                }
            });
        }

        void close()
        {
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
        }
    }

    /** An SV1 worker as Bitaxe runs one: version rolling negotiated, submits with the 6th (version bits) param. */
    private final class Sv1Worker extends Worker
    {
        private InputStream is;
        private OutputStream os;
        private volatile String job;
        private volatile String ntime;
        private String prevHash = "";
        private String extranonce2 = "00000000";
        private long id = 100;
        private byte[] line = new byte[8192];

        Sv1Worker(final int index, final CountDownLatch ready)
        {
            super(index, ready, sv1);
        }

        @Override
        String name()
        {
            return "sv1-" + index;
        }

        @Override
        void connect() throws IOException
        {
            is = new BufferedInputStream(countedIn(socket.getInputStream()), 8192);
            os = countedOut(socket.getOutputStream());
            os.write(("{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"]," +
                "{\"version-rolling.mask\":\"ffffffff\",\"version-rolling.min-bit-count\":16}]}\n" +
                "{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"bitaxe/BM1366/v2.4.0\"]}\n" +
                "{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"wire." + index + "\",\"x\"]}\n")
                .getBytes(StandardCharsets.US_ASCII));
            os.flush();
            boolean authorized = false;
            while (!authorized || job == null)
            {
                final int n = readLine();
                final JsonNode m = MAPPER.readTree(line, 0, n);
                if (m.hasNonNull("method"))
                {
                    handle(m, n);
                }
                else if (m.path("id").asInt() == 2)
                {
                    extranonce2 = "00".repeat(m.path("result").path(2).asInt(4));
                }
                else if (m.path("id").asInt() == 3)
                {
                    if (!m.path("result").asBoolean(false))
                    {
                        throw new IOException("worker refused: " + m);
                    }
                    authorized = true;
                }
            }
        }

        private int readLine() throws IOException
        {
            int n = 0;
            while (true)
            {
                final int b = is.read();
                if (b < 0)
                {
                    throw new IOException("the pool closed the connection");
                }
                if (b == '\n')
                {
                    return n;
                }
                if (n == line.length)
                {
                    line = java.util.Arrays.copyOf(line, n * 2);
                }
                line[n++] = (byte)b;
            }
        }

        /** A notification; {@code n} its length without the newline. */
        private void handle(final JsonNode m, final int n)
        {
            final String method = m.get("method").asText();
            if (method.equals("mining.notify"))
            {
                job = m.path("params").path(0).asText();
                ntime = m.path("params").path(7).asText();
                if (measuring && !m.path("params").path(1).asText().equals(prevHash))
                {
                    tally.newBlocks.increment();
                }
                prevHash = m.path("params").path(1).asText();
                if (measuring)
                {
                    tally.jobDown.add(n + 1);
                    tally.jobs.increment();
                }
            }
            else if (measuring)
            {
                tally.otherDown.add(n + 1);
            }
        }

        @Override
        void submit() throws IOException
        {
            final long i = id++;
            final byte[] b = ("{\"id\":" + i + ",\"method\":\"mining.submit\",\"params\":[\"wire." + index + "\",\"" +
                job + "\",\"" + extranonce2 + "\",\"" + ntime + "\",\"" + String.format("%08x", (int)i) +
                "\",\"" + String.format("%08x", (int)(i << 13) & 0x1fffe000) + "\"]}\n")
                .getBytes(StandardCharsets.US_ASCII);
            os.write(b);
            if (measuring)
            {
                tally.shareUp.add(b.length);
                tally.submitted.increment();
            }
        }

        @Override
        void readLoop()
        {
            try
            {
                while (!stop)
                {
                    final int n = readLine();
                    final JsonNode m = MAPPER.readTree(line, 0, n);
                    if (m.hasNonNull("method"))
                    {
                        handle(m, n);
                    }
                    else if (measuring && m.path("id").asLong() >= 100)
                    {
                        tally.shareDown.add(n + 1);
                        if (m.path("result").asBoolean(false))
                        {
                            tally.accepted.increment();
                        }
                        else
                        {
                            tally.rejected.increment();
                        }
                    }
                    else if (measuring)
                    {
                        tally.otherDown.add(n + 1);
                    }
                }
            }
            catch (final IOException ex)
            {
                // closed
            }
        }
    }

    /** An SV2 worker over Noise: a standard channel (header-only mining) or an extended one (its own extranonce). */
    private final class Sv2Worker extends Worker
    {
        private final boolean ext;
        private final UnsafeBuffer buf = new UnsafeBuffer(new byte[1024]);
        private NoiseChannel channel;
        private int channelId;
        private int extranonceSize;
        private volatile int jobId;
        private volatile int version;
        private volatile int ntime;
        private int seq;

        Sv2Worker(final int index, final CountDownLatch ready, final boolean ext)
        {
            super(index, ready, ext ? extended : standard);
            this.ext = ext;
        }

        @Override
        String name()
        {
            return (ext ? "sv2x-" : "sv2s-") + index;
        }

        @Override
        void connect() throws IOException
        {
            final InputStream is = new BufferedInputStream(countedIn(socket.getInputStream()), 8192);
            final NoiseConfig nc = new NoiseConfig().handshakeTimeoutMs(options.connectTimeoutMs());
            if (options.authority() != null)
            {
                nc.authorityPublicKey(options.authority());
            }
            channel = NoiseChannel.connect(is, countedOut(socket.getOutputStream()), socket, nc);
            send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
                (ext ? 0 : CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS) | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING,
                "127.0.0.1", options.sv2().getPort(), "wirebench", "", "", name()));
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            send(ext ? new OpenExtendedMiningChannel(1, "wire." + index, 0.0f, max, 4)
                : new OpenStandardMiningChannel(1, "wire." + index, 0.0f, max));
            boolean open = false;
            boolean prev = false;
            while (!(open && prev))
            {
                final int n = channel.readFrame();
                final DirectBuffer b = channel.frameBuffer();
                final int type = FrameHeaderFlyweight.msgType(b, 0);
                if (type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR ||
                    type == MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR)
                {
                    throw new IOException("refused by the pool (message type 0x" + Integer.toHexString(type) + ")");
                }
                if (type == MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS)
                {
                    channelId = (int)OpenStandardMiningChannelSuccess.decode(b, HEADER, n - HEADER).channelId();
                    open = true;
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS)
                {
                    final OpenExtendedMiningChannelSuccess s = OpenExtendedMiningChannelSuccess.decode(b, HEADER,
                        n - HEADER);
                    channelId = (int)s.channelId();
                    extranonceSize = s.extranonceSize();
                    open = true;
                }
                else if (type == MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH)
                {
                    handle(b, n, type);
                    prev = true;
                }
                else
                {
                    handle(b, n, type);
                }
            }
        }

        private void send(final Message m) throws IOException
        {
            final int len = m.encodeFrame(buf, 0);
            channel.writeFrame(buf, 0, len);
        }

        private static long encrypted(final int frameLength)
        {
            return TransportCipher.ENCRYPTED_HEADER_LENGTH + TransportCipher.encryptedPayloadLength(frameLength - HEADER);
        }

        private void handle(final DirectBuffer b, final int n, final int type)
        {
            switch (type)
            {
                case MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB ->
                {
                    final NewMiningJob j = new NewMiningJob().wrap(b, HEADER, n - HEADER);
                    jobId = (int)j.jobId();
                    version = (int)j.version();
                    job(n);
                }
                case MiningProtocol.MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB ->
                {
                    final NewExtendedMiningJob j = new NewExtendedMiningJob().wrap(b, HEADER, n - HEADER);
                    jobId = (int)j.jobId();
                    version = (int)j.version();
                    job(n);
                }
                case MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH ->
                {
                    final SetNewPrevHash p = new SetNewPrevHash().wrap(b, HEADER, n - HEADER);
                    jobId = (int)p.jobId();
                    ntime = (int)p.minNtime();
                    if (measuring)
                    {
                        tally.jobDown.add(n);
                        tally.encJobDown.add(encrypted(n));
                        tally.newBlocks.increment();
                    }
                }
                case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS ->
                {
                    if (measuring)
                    {
                        tally.accepted.add(new SubmitSharesSuccess().wrap(b, HEADER, n - HEADER).newSubmitsAcceptedCount());
                        tally.shareDown.add(n);
                        tally.encShareDown.add(encrypted(n));
                    }
                }
                case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR ->
                {
                    if (measuring)
                    {
                        tally.rejected.increment();
                        tally.shareDown.add(n);
                        tally.encShareDown.add(encrypted(n));
                    }
                }
                default ->
                {
                    if (measuring)
                    {
                        tally.otherDown.add(n);
                        tally.encOtherDown.add(encrypted(n));
                    }
                }
            }
        }

        private void job(final int n)
        {
            if (measuring)
            {
                tally.jobDown.add(n);
                tally.encJobDown.add(encrypted(n));
                tally.jobs.increment();
            }
        }

        @Override
        void submit() throws IOException
        {
            seq++;
            final int len;
            final int rolled = (version & ~0x1fffe000) | ((seq << 13) & 0x1fffe000);
            if (ext)
            {
                final SubmitSharesExtended s = new SubmitSharesExtended().wrapForEncode(buf, HEADER);
                s.channelId(channelId & 0xffffffffL).sequenceNumber(seq & 0xffffffffL).jobId(jobId & 0xffffffffL)
                    .nonce(seq & 0xffffffffL).ntime(ntime & 0xffffffffL).version(rolled & 0xffffffffL)
                    .extranonce(new UnsafeBuffer(new byte[extranonceSize]), 0, extranonceSize);
                s.writeHeader(buf, 0);
                len = HEADER + SubmitSharesExtended.BLOCK_LENGTH + extranonceSize;
            }
            else
            {
                final SubmitSharesStandard s = new SubmitSharesStandard().wrapForEncode(buf, HEADER);
                s.channelId(channelId & 0xffffffffL).sequenceNumber(seq & 0xffffffffL).jobId(jobId & 0xffffffffL)
                    .nonce(seq & 0xffffffffL).ntime(ntime & 0xffffffffL).version(rolled & 0xffffffffL);
                s.writeHeader(buf, 0);
                len = HEADER + SubmitSharesStandard.BLOCK_LENGTH;
            }
            channel.writeFrame(buf, 0, len);
            if (measuring)
            {
                tally.shareUp.add(len);
                tally.encShareUp.add(encrypted(len));
                tally.submitted.increment();
            }
        }

        @Override
        void readLoop()
        {
            try
            {
                while (!stop)
                {
                    final int n = channel.readFrame();
                    final DirectBuffer b = channel.frameBuffer();
                    handle(b, n, FrameHeaderFlyweight.msgType(b, 0));
                }
            }
            catch (final IOException ex)
            {
                // closed
            }
        }
    }
}
