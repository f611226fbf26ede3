package org.bitcoincommons.sv2.sv1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.Sv1Config;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.pool.ChannelPolicy;
import org.bitcoincommons.sv2.pool.MiningDownstream;
import org.bitcoincommons.sv2.pool.RingTranslator;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.pool.ShareError;
import org.bitcoincommons.sv2.transport.FrameSink;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Stratum V1 connection, mapped onto one extended channel of the pool logic (the translator SRI runs as a separate
 * process, built in): mining.subscribe opens the channel, whose extranonce prefix (padded with zeros to the pool's
 * extranonce length less extranonce2_size) is the miner's extranonce1; mining.authorize names it; mining.submit becomes
 * a SubmitSharesExtended on the share ring, so SV1 shares get the same validation, duplicate window, vardiff, journal,
 * merged-mining proofs and block submission as SV2 shares. What the pool logic sends (jobs, prev hash, targets,
 * acknowledgements) is written back as SV1 lines.
 *
 * <p>Threads: the connection's virtual thread reads lines; everything written to the miner is written by the pool
 * logic thread (replies the reader makes are handed to it as tasks, in ring order), so replies, difficulties and
 * jobs leave in the order they were decided. Configure, subscribe and authorize may arrive pipelined before any reply.
 *
 * <p>Bad input: a line that is not one JSON object, a line over {@code max_line_bytes}, or a method other than
 * configure, subscribe, authorize, extranonce.subscribe and suggest_difficulty before subscribe closes the connection
 * (ckpool and public-pool do the same); a malformed submit, an unknown method after subscribe, and a share that fails
 * get an error reply {@code [code, message, null]} with the strings firmware knows (ckpool's messages, public-pool's
 * numeric codes). Nothing one connection sends touches another.
 */
public final class Sv1Connection implements MiningDownstream
{
    private static final Logger LOG = LoggerFactory.getLogger(Sv1Connection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Submits in flight (sent to the ring, not yet answered) per connection; the reader waits beyond this. */
    static final int MAX_IN_FLIGHT = 64;
    private static final int ID_BYTES = 16;
    private static final int JOB_SLOTS = 8;
    private static final int INITIAL_LINE_BYTES = 512;
    /** How long the reader waits for the miner to read its answers before closing it as not reading. */
    private static final long SLOW_READER_NS = 10_000_000_000L;

    private static final byte[] M_SUBMIT = ascii("mining.submit");
    private static final byte[] M_SUBSCRIBE = ascii("mining.subscribe");
    private static final byte[] M_AUTHORIZE = ascii("mining.authorize");
    private static final byte[] M_CONFIGURE = ascii("mining.configure");
    private static final byte[] M_SUGGEST_DIFFICULTY = ascii("mining.suggest_difficulty");
    private static final byte[] M_SUGGEST_TARGET = ascii("mining.suggest_target");
    private static final byte[] M_EXTRANONCE_SUBSCRIBE = ascii("mining.extranonce.subscribe");
    private static final byte[] M_PING = ascii("mining.ping");
    private static final String SUGGEST_PREFIX = "mining.suggest_difficulty(";

    private final long id;
    private final Socket socket;
    private final SharePipeline<MiningDownstream, Job> pipeline;
    private final PoolLogic logic;
    private final Sv1Config config;
    private final Sv1Server server;
    /** The pool's rollable extranonce length of an extended channel; extranonce2_size of it are the miner's. */
    private final int poolExtranonceSize;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String closeReason;
    private OutboundQueue queue;
    private Runnable onAuthorized = () -> { };
    /** The writer's copy of a line out of the queue (one writer at a time per connection). */
    private byte[] writeScratch = new byte[256];

    // ---- reader thread ----
    private final JsonLine line = new JsonLine();
    private byte[] in = new byte[INITIAL_LINE_BYTES];
    private int inStart;
    private int inEnd;
    private boolean subscribeSent;
    private String worker;
    private final List<String> authorized = new ArrayList<>(1);
    private boolean configured;
    private int versionMask;
    private boolean loggedUnnegotiatedBits;
    private double suggestedDifficulty = Double.NaN;
    private int nextSeq;
    private final byte[] extranonce = new byte[PipelineEvent.MAX_EXTRANONCE];
    private final byte[] en2 = new byte[8];
    private int submitJobId;
    private int submitNtime;
    private int submitNonce;
    private int submitVersion;

    // ---- written by the reader before publishing, read by the logic thread (ring order) ----
    private byte[] subscribeId;
    private volatile boolean extranonceSubscribed;
    /** Submits in flight: their JSON ids, by sequence number modulo MAX_IN_FLIGHT. */
    private byte[] pendingIds;
    private byte[] pendingIdLength;
    private byte[][] pendingLongIds;

    // ---- logic thread ----
    private final JsonOut out;
    private volatile int channelId = -1;
    private volatile long lastJobNs;
    /** When the last line arrived, and when this connection was accepted (System.nanoTime; reader and sweeper). */
    private volatile long lastLineNs = System.nanoTime();
    private final long acceptedNs = System.nanoTime();
    private volatile boolean subscribedFlag;
    private int pings;
    private boolean[] answered;
    /** Every submit up to this sequence number has been answered (read by the reader for back-pressure). */
    private volatile int doneUpTo = -1;
    private byte[] extranonce1;
    private final byte[] prevHash = new byte[32];
    private boolean havePrevHash;
    private int nbits;
    private boolean rollingAllowed = true;
    private int futureJobId = -1;
    private int futureVersion;
    private byte[] futurePath;
    private int futurePathCount;
    private byte[] futurePrefix;
    private byte[] futureSuffix;
    private double sentDifficulty = Double.NaN;
    /** Job id to version, for version_bits (written by the logic thread, read by the reader: a seqlock per slot). */
    private final int[] jobSlotId = new int[JOB_SLOTS];
    private final int[] jobSlotVersion = new int[JOB_SLOTS];
    private final boolean[] jobSlotRolling = new boolean[JOB_SLOTS];
    private volatile int jobSlotStamp;
    private int nextJobSlot;

    Sv1Connection(final long id, final Socket socket, final SharePipeline<MiningDownstream, Job> pipeline,
        final PoolLogic logic,
        final Sv1Config config, final Sv1Server server, final JsonOut logicOut)
    {
        this.id = id;
        this.socket = socket;
        this.pipeline = pipeline;
        this.logic = logic;
        this.config = config;
        this.server = server;
        this.out = logicOut;
        this.poolExtranonceSize = logic.extranonceLength() - PoolLogic.CHANNEL_PREFIX_LENGTH;
        java.util.Arrays.fill(jobSlotId, -1);
    }

    /** Called once the connection is subscribed and authorized (no longer unauthenticated); set before serve. */
    void onAuthorized(final Runnable r)
    {
        this.onAuthorized = r;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public long connectionId()
    {
        return id;
    }

    @Override
    public String protocol()
    {
        return "sv1";
    }

    /** The channel this connection's worker mines on, or -1 before mining.subscribe has been answered. */
    public int channelId()
    {
        return channelId;
    }

    /** Runs the connection until it ends; called on its own virtual thread. */
    void serve() throws IOException
    {
        final OutputStream os = socket.getOutputStream();
        queue = new OutboundQueue(1024, server.outboundBytes(), new FrameSink()
        {
            @Override
            public void write(final DirectBuffer buffer, final int offset, final int length) throws IOException
            {
                if (writeScratch.length < length)
                {
                    writeScratch = new byte[Math.max(length, 2 * writeScratch.length)];
                }
                buffer.getBytes(offset, writeScratch, 0, length);
                os.write(writeScratch, 0, length);
            }

            @Override
            public void flush() throws IOException
            {
                os.flush();
            }
        });
        pipeline.publish(OPENED, this, null);
        try
        {
            socket.setTcpNoDelay(true);
            readLoop(socket.getInputStream());
        }
        catch (final IOException ex)
        {
            if (!closed.get())
            {
                LOG.debug("sv1 connection {}: {}", id, ex.toString());
            }
        }
        finally
        {
            pipeline.publish(CLOSED, this, null);
            if (closeReason != null)
            {
                LOG.info("sv1 connection {} closed: {}", id, closeReason);
            }
            closeTransport();
        }
    }

    private void readLoop(final InputStream is) throws IOException
    {
        final int maxLine = config.maxLineBytes();
        while (!closed.get())
        {
            int nl = -1;
            for (int i = inStart; i < inEnd; i++)
            {
                if (in[i] == '\n')
                {
                    nl = i;
                    break;
                }
            }
            if (nl < 0)
            {
                if (inEnd - inStart > maxLine)
                {
                    server.metrics().lineTooLong.increment();
                    fail("a line longer than max_line_bytes (" + maxLine + ")");
                    return;
                }
                if (inStart > 0)
                {
                    System.arraycopy(in, inStart, in, 0, inEnd - inStart);
                    inEnd -= inStart;
                    inStart = 0;
                }
                if (inEnd == in.length)
                {
                    in = java.util.Arrays.copyOf(in, Math.min(in.length * 2, maxLine + 2));
                }
                final int n = is.read(in, inEnd, in.length - inEnd);
                if (n < 0)
                {
                    return;
                }
                inEnd += n;
                continue;
            }
            int lineEnd = nl;
            if (lineEnd > inStart && in[lineEnd - 1] == '\r')
            {
                lineEnd--;
            }
            final int lineStart = inStart;
            inStart = nl + 1;
            if (lineEnd - lineStart > maxLine)
            {
                server.metrics().lineTooLong.increment();
                fail("a line longer than max_line_bytes (" + maxLine + ")");
                return;
            }
            lastLineNs = System.nanoTime();
            if (lineEnd == lineStart)
            {
                continue;   // an empty line (some clients send a bare newline as keepalive)
            }
            try
            {
                line.parse(in, lineStart, lineEnd);
            }
            catch (final JsonLine.Malformed ex)
            {
                server.metrics().badJson.increment();
                fail("invalid JSON: " + ex.getMessage());
                return;
            }
            if (!handle())
            {
                return;
            }
        }
    }

    /** One request; false when the connection is to end. */
    private boolean handle()
    {
        if (line.methodIs(M_SUBMIT))
        {
            return submit();
        }
        if (line.methodIs(M_SUBSCRIBE))
        {
            subscribe();
            return true;
        }
        if (line.methodIs(M_AUTHORIZE))
        {
            authorize();
            return true;
        }
        if (line.methodIs(M_CONFIGURE))
        {
            return configure();
        }
        if (line.methodIs(M_SUGGEST_DIFFICULTY))
        {
            suggestDifficulty(line.numberParam(0));
            return true;
        }
        if (line.methodIs(M_EXTRANONCE_SUBSCRIBE))
        {
            extranonceSubscribed = true;
            replyTrue();
            return true;
        }
        final String method = line.method();
        if (method != null && method.startsWith(SUGGEST_PREFIX) && method.endsWith(")"))
        {
            // old firmware's form, the value in the name: mining.suggest_difficulty(1024)
            double d;
            try
            {
                d = Double.parseDouble(method.substring(SUGGEST_PREFIX.length(), method.length() - 1));
            }
            catch (final NumberFormatException ex)
            {
                d = Double.NaN;
            }
            suggestDifficulty(d);
            return true;
        }
        if (line.methodIs(M_SUGGEST_TARGET) || line.methodIs(M_PING))
        {
            replyTrue();
            return true;
        }
        if (method == null)
        {
            return true;   // no method: a reply to something we sent (ping, get_version), ignored
        }
        if (!subscribeSent)
        {
            fail("method " + quote(method) + " before mining.subscribe");
            return false;
        }
        server.metrics().unknownMethods.increment();
        replyError(Sv1Errors.UNHANDLED);
        return true;
    }

    private static String quote(final String s)
    {
        return "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"";
    }

    // ---- requests (reader thread) ----

    private boolean configure()
    {
        final JsonNode params;
        try
        {
            params = line.paramsStart < 0 ? null : JSON.readTree(line.text(line.paramsStart, line.paramsEnd));
        }
        catch (final IOException ex)
        {
            replyError(Sv1Errors.INVALID_PARAMS);
            return true;
        }
        if (params == null || !params.isArray() || !params.path(0).isArray())
        {
            replyError(Sv1Errors.INVALID_PARAMS);
            return true;
        }
        final JsonNode ext = params.path(1);
        final StringBuilder result = new StringBuilder("{");
        for (final JsonNode n : params.get(0))
        {
            final String name = n.asText();
            switch (name)
            {
                case "version-rolling" ->
                {
                    long requested = 0xffffffffL;
                    final String m = ext.path("version-rolling.mask").asText("ffffffff");
                    try
                    {
                        requested = Long.parseLong(m, 16) & 0xffffffffL;
                    }
                    catch (final NumberFormatException ex)
                    {
                        requested = 0;
                    }
                    versionMask = (int)(requested & config.versionRollingMask());
                    configured = true;
                    appendField(result, "\"version-rolling\":" + (versionMask != 0) +
                        ",\"version-rolling.mask\":\"" + String.format("%08x", versionMask) + "\"");
                }
                case "minimum-difficulty" ->
                {
                    final double v = ext.path("minimum-difficulty.value").asDouble(Double.NaN);
                    if (v > 0)
                    {
                        suggestedDifficulty = Double.isNaN(suggestedDifficulty) ? v : Math.max(v, suggestedDifficulty);
                    }
                    appendField(result, "\"minimum-difficulty\":true");
                }
                case "subscribe-extranonce" ->
                {
                    extranonceSubscribed = true;
                    appendField(result, "\"subscribe-extranonce\":true");
                }
                default ->
                {
                    // an extension we do not know: left out of the result (BIP310)
                }
            }
        }
        result.append('}');
        final byte[] idBytes = idBytes();
        final byte[] body = result.toString().getBytes(StandardCharsets.US_ASCII);
        pipeline.execute(this, () -> writeLine(out.reset().ascii("{\"id\":").raw(idBytes).ascii(",\"result\":")
            .raw(body).ascii(",\"error\":null}").newline()));
        return true;
    }

    private static void appendField(final StringBuilder sb, final String field)
    {
        if (sb.length() > 1)
        {
            sb.append(',');
        }
        sb.append(field);
    }

    private void subscribe()
    {
        if (subscribeSent)
        {
            // ckpool ignores a second subscribe; we answer it the same way as the first
            final byte[] idBytes = idBytes();
            pipeline.execute(this, () -> writeSubscribeResult(idBytes));
            return;
        }
        subscribeSent = true;
        subscribedFlag = true;
        subscribeId = idBytes();
        pendingIds = new byte[MAX_IN_FLIGHT * ID_BYTES];
        pendingIdLength = new byte[MAX_IN_FLIGHT];
        final double start = clampDifficulty(Double.isNaN(suggestedDifficulty) ? config.startDifficulty()
            : suggestedDifficulty);
        final byte[] maxTarget = Target.toLittleEndian(Target.fromDifficulty(config.minDifficulty()));
        final ChannelPolicy policy = server.policy();
        final float hashrate = (float)Target.hashrateFromTarget(Target.fromDifficulty(start), config.sharesPerMinute());
        final String name = worker == null ? "" : worker;
        pipeline.execute(this, () ->
        {
            answered = new boolean[MAX_IN_FLIGHT];
            logic.openExtendedChannel(this, 0, name, hashrate, maxTarget, config.extranonce2Size(), policy);
        });
    }

    private void authorize()
    {
        final String user = line.stringParam(0);
        if (user == null || user.isBlank() || user.length() > 256)
        {
            final byte[] idBytes = idBytes();
            pipeline.execute(this, () -> writeLine(out.reset().ascii("{\"id\":").raw(idBytes)
                .ascii(",\"result\":false,\"error\":").raw(Sv1Errors.UNAUTHORIZED.json()).ascii("}").newline()));
            return;
        }
        if (!authorized.contains(user) && authorized.size() < 64)
        {
            authorized.add(user);
        }
        final boolean first = worker == null;
        if (first)
        {
            worker = user;
            onAuthorized.run();
        }
        final byte[] idBytes = idBytes();
        final boolean nameChannel = first && subscribeSent;
        pipeline.execute(this, () ->
        {
            if (nameChannel && channelId >= 0)
            {
                logic.nameChannel(this, channelId, user);
            }
            writeLine(out.reset().ascii("{\"id\":").raw(idBytes).ascii(",\"result\":true,\"error\":null}").newline());
        });
    }

    private void suggestDifficulty(final double d)
    {
        if (!(d > 0) || Double.isInfinite(d))
        {
            replyError(Sv1Errors.INVALID_PARAMS);
            return;
        }
        final double clamped = clampDifficulty(d);
        replyTrue();
        if (!subscribeSent)
        {
            suggestedDifficulty = clamped;   // the channel opens at this difficulty
            return;
        }
        final byte[] maxTarget = Target.toLittleEndian(Target.fromDifficulty(config.minDifficulty()));
        final float hashrate = (float)Target.hashrateFromTarget(Target.fromDifficulty(clamped), config.sharesPerMinute());
        pipeline.execute(this, () ->
        {
            if (channelId >= 0)
            {
                logic.updateChannel(this, channelId, hashrate, maxTarget);
            }
        });
    }

    private double clampDifficulty(final double d)
    {
        double v = Math.max(d, config.minDifficulty());
        if (config.maxDifficulty() > 0)
        {
            v = Math.min(v, config.maxDifficulty());
        }
        return v;
    }

    /** mining.submit: the hot path; parsed in place, published on the ring without allocation. */
    private boolean submit()
    {
        if (!subscribeSent)
        {
            // ckpool drops a client that submits before subscribing: answer, then close
            replyError(Sv1Errors.NOT_SUBSCRIBED);
            fail("mining.submit before mining.subscribe");
            return false;
        }
        final int n = line.paramCount;
        if (line.paramsStart < 0 || n < 5 || n > 6)
        {
            replyError(Sv1Errors.INVALID_PARAMS);
            return true;
        }
        for (int i = 0; i < n; i++)
        {
            if (!line.plainString(i))
            {
                replyError(Sv1Errors.INVALID_PARAMS);
                return true;
            }
        }
        final byte[] b = in;
        if (worker == null || !authorizedName(b, line.paramStart[0] + 1, line.paramEnd[0] - 1))
        {
            replyError(Sv1Errors.UNAUTHORIZED);
            return true;
        }
        final int ch = channelId;
        if (ch < 0)
        {
            replyError(Sv1Errors.NOT_SUBSCRIBED);
            return true;
        }
        final int jobStart = line.paramStart[1] + 1;
        final int jobEnd = line.paramEnd[1] - 1;
        if (jobEnd <= jobStart || jobEnd - jobStart > 8)
        {
            replyError(Sv1Errors.INVALID_JOB_ID);
            return true;
        }
        long job = 0;
        for (int i = jobStart; i < jobEnd; i++)
        {
            final int d = Hex.nibble(b[i]);
            if (d < 0)
            {
                replyError(Sv1Errors.INVALID_JOB_ID);
                return true;
            }
            job = (job << 4) | d;
        }
        final int e2 = Hex.decode(b, line.paramStart[2] + 1, line.paramEnd[2] - 1, en2);
        if (e2 != config.extranonce2Size())
        {
            rejectLocally(ch, ShareError.BAD_EXTRANONCE_SIZE, Sv1Errors.NONCE2_LENGTH);
            return true;
        }
        final long ntime = Hex.u32(b, line.paramStart[3] + 1, line.paramEnd[3] - 1);
        final long nonce = Hex.u32(b, line.paramStart[4] + 1, line.paramEnd[4] - 1);
        if (ntime < 0 || nonce < 0)
        {
            replyError(Sv1Errors.INVALID_PARAMS);
            return true;
        }
        final int jobId = (int)job;
        int version = jobVersion(jobId);
        if (n == 6)
        {
            final long bits = Hex.u32(b, line.paramStart[5] + 1, line.paramEnd[5] - 1);
            if (bits < 0)
            {
                replyError(Sv1Errors.INVALID_PARAMS);
                return true;
            }
            final int mask = configured ? versionMask : config.versionRollingMask();
            if ((bits & ~mask & 0xffffffffL) != 0 || (bits != 0 && !jobRolling(jobId)))
            {
                rejectLocally(ch, ShareError.INVALID_NON_ROLLABLE_VERSION_BIT, Sv1Errors.VERSION_MASK);
                return true;
            }
            if (!configured && bits != 0)
            {
                server.metrics().unnegotiatedVersionBits.increment();
                if (!loggedUnnegotiatedBits)
                {
                    loggedUnnegotiatedBits = true;
                    LOG.info("sv1 connection {} ({}): version bits without mining.configure, applied within the " +
                        "default mask {}", id, worker, String.format("%08x", config.versionRollingMask()));
                }
            }
            version = (version & ~mask) | ((int)bits & mask);
        }
        // the SV2 extranonce: the zero padding of extranonce1, then extranonce2
        final int pad = poolExtranonceSize - e2;
        for (int i = 0; i < pad; i++)
        {
            extranonce[i] = 0;
        }
        System.arraycopy(en2, 0, extranonce, pad, e2);
        // back-pressure: at most MAX_IN_FLIGHT unanswered submits, and no more requests while half the outbound
        // limit waits unread (a client that floods and reads a little slower is slowed, not dropped; one that stops
        // reading altogether is closed after SLOW_READER_NS)
        final long since = System.nanoTime();
        while ((nextSeq - doneUpTo > MAX_IN_FLIGHT || queue.backlogBytes() > server.outboundBytes() / 2) &&
            !closed.get())
        {
            if (System.nanoTime() - since > SLOW_READER_NS)
            {
                server.metrics().slowReaders.increment();
                fail("the miner does not read its answers (" + queue.backlogBytes() + " bytes unread for " +
                    SLOW_READER_NS / 1_000_000_000L + " s)");
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        final int seq = nextSeq++;
        storePendingId(seq);
        submitJobId = jobId;
        submitNtime = (int)ntime;
        submitNonce = (int)nonce;
        submitVersion = version;
        server.metrics().submits.increment();
        pipeline.publish(SUBMIT, this, null);
        return true;
    }

    private boolean authorizedName(final byte[] b, final int from, final int to)
    {
        for (int k = 0; k < authorized.size(); k++)
        {
            final String a = authorized.get(k);
            if (a.length() == to - from)
            {
                boolean same = true;
                for (int i = 0; i < a.length() && same; i++)
                {
                    same = a.charAt(i) == (b[from + i] & 0xff);
                }
                if (same)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** The version of a job this connection was sent (the job's own when unknown: the pool then judges the job id). */
    private int jobVersion(final int jobId)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            final int stamp = jobSlotStamp;
            if ((stamp & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            for (int i = 0; i < JOB_SLOTS; i++)
            {
                if (jobSlotId[i] == jobId)
                {
                    final int v = jobSlotVersion[i];
                    if (stamp == jobSlotStamp)
                    {
                        return v;
                    }
                }
            }
            if (stamp == jobSlotStamp)
            {
                return 0x20000000;
            }
        }
        return 0x20000000;
    }

    private boolean jobRolling(final int jobId)
    {
        for (int i = 0; i < JOB_SLOTS; i++)
        {
            if (jobSlotId[i] == jobId)
            {
                return jobSlotRolling[i];
            }
        }
        return true;
    }

    private void storePendingId(final int seq)
    {
        final int slot = seq & (MAX_IN_FLIGHT - 1);
        final int len = line.idStart < 0 ? 0 : line.idEnd - line.idStart;
        if (len > ID_BYTES)
        {
            if (pendingLongIds == null)
            {
                pendingLongIds = new byte[MAX_IN_FLIGHT][];
            }
            pendingLongIds[slot] = java.util.Arrays.copyOfRange(in, line.idStart, line.idEnd);
            pendingIdLength[slot] = (byte)0xff;
            return;
        }
        if (len > 0)
        {
            System.arraycopy(in, line.idStart, pendingIds, slot * ID_BYTES, len);
        }
        pendingIdLength[slot] = (byte)len;
    }

    private void rejectLocally(final int ch, final ShareError counted, final Sv1Errors reply)
    {
        final byte[] idBytes = idBytes();
        pipeline.execute(this, () ->
        {
            logic.recordReject(this, ch, counted);
            writeError(idBytes, reply);
        });
    }

    private byte[] idBytes()
    {
        return line.idStart < 0 ? NULL : java.util.Arrays.copyOfRange(in, line.idStart, line.idEnd);
    }

    private static final byte[] NULL = ascii("null");

    private void replyTrue()
    {
        final byte[] idBytes = idBytes();
        pipeline.execute(this, () -> writeLine(out.reset().ascii("{\"id\":").raw(idBytes)
            .ascii(",\"result\":true,\"error\":null}").newline()));
    }

    private void replyError(final Sv1Errors e)
    {
        final byte[] idBytes = idBytes();
        pipeline.execute(this, () -> writeError(idBytes, e));
    }

    private void fail(final String reason)
    {
        LOG.info("sv1 connection {} from {}: {}", id, socket.getRemoteSocketAddress(), reason);
        disconnect(reason);
    }

    // ---- ring translators ----

    private static final RingTranslator<Sv1Connection, Object> SUBMIT = (e, seq, c, unused) ->
    {
        e.type = PipelineEvent.SUBMIT_EXTENDED;
        e.source = c;
        e.publishedNs = System.nanoTime();
        e.channelId = c.channelId;
        e.sequenceNumber = c.nextSeq - 1;
        e.jobId = c.submitJobId;
        e.nonce = c.submitNonce;
        e.ntime = c.submitNtime;
        e.version = c.submitVersion;
        e.extranonceLength = c.poolExtranonceSize;
        System.arraycopy(c.extranonce, 0, e.extranonce, 0, c.poolExtranonceSize);
    };

    private static final RingTranslator<Sv1Connection, Object> OPENED = (e, seq, c, unused) ->
    {
        e.type = PipelineEvent.CONNECTION_OPENED;
        e.source = c;
        e.flag = false;
    };

    private static final RingTranslator<Sv1Connection, Object> CLOSED = (e, seq, c, unused) ->
    {
        e.type = PipelineEvent.CONNECTION_CLOSED;
        e.source = c;
    };

    // ---- MiningDownstream: the pool logic thread ----

    private void writeLine(final JsonOut o)
    {
        if (closed.get() || queue == null)
        {
            return;
        }
        final int index = queue.claim(o.len);
        if (index < 0)
        {
            if (!closed.get())
            {
                server.metrics().slowReaders.increment();
                disconnect("outbound queue full: the miner is not reading");
            }
            return;
        }
        queue.buffer().putBytes(index, o.buf, 0, o.len);
        queue.commit(index);
    }

    private void writeError(final byte[] idBytes, final Sv1Errors e)
    {
        writeLine(out.reset().ascii("{\"id\":").raw(idBytes).ascii(",\"result\":null,\"error\":").raw(e.json())
            .ascii("}").newline());
    }

    private void writeSubscribeResult(final byte[] idBytes)
    {
        if (extranonce1 == null)
        {
            writeError(idBytes, Sv1Errors.NOT_SUBSCRIBED);
            return;
        }
        final String session = String.format("%08x", id);
        writeLine(out.reset().ascii("{\"id\":").raw(idBytes).ascii(",\"result\":[[[\"mining.set_difficulty\",\"")
            .ascii(session).ascii("\"],[\"mining.notify\",\"").ascii(session).ascii("\"]],")
            .hex(extranonce1, 0, extranonce1.length).ascii(",").integer(config.extranonce2Size())
            .ascii("],\"error\":null}").newline());
    }

    @Override
    public void openStandardMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final byte[] extranoncePrefix, final int groupChannelId)
    {
        throw new IllegalStateException("a Stratum V1 connection opens extended channels only");
    }

    @Override
    public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
    {
        this.channelId = channelId;
        extranonce1 = new byte[extranoncePrefix.length + extranonceSize - config.extranonce2Size()];
        System.arraycopy(extranoncePrefix, 0, extranonce1, 0, extranoncePrefix.length);
        writeSubscribeResult(subscribeId);
        sendDifficulty(target);
    }

    @Override
    public void openMiningChannelError(final int requestId, final String errorCode)
    {
        writeLine(out.reset().ascii("{\"id\":").raw(subscribeId).ascii(",\"result\":null,\"error\":[20,")
            .string(errorCode).ascii(",null]}").newline());
        disconnect("the pool refused the channel: " + errorCode);
    }

    @Override
    public void updateChannelError(final int channelId, final String errorCode)
    {
        LOG.debug("sv1 connection {}: difficulty change refused: {}", id, errorCode);
    }

    @Override
    public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final byte[] merkleRoot, final int merkleRootOffset)
    {
        throw new IllegalStateException("a Stratum V1 connection has no standard channel");
    }

    @Override
    public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount, final byte[] coinbaseTxPrefix,
        final byte[] coinbaseTxSuffix)
    {
        rememberJob(jobId, version, versionRollingAllowed);
        if (minNtime < 0 || !havePrevHash)
        {
            futureJobId = jobId;
            futureVersion = version;
            futurePath = merklePath;
            futurePathCount = pathCount;
            futurePrefix = coinbaseTxPrefix;
            futureSuffix = coinbaseTxSuffix;
            return;
        }
        notify(jobId, version, versionRollingAllowed, merklePath, pathCount, coinbaseTxPrefix, coinbaseTxSuffix,
            (int)minNtime, false);
    }

    @Override
    public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
        final int nbits)
    {
        System.arraycopy(prevHash, 0, this.prevHash, 0, 32);
        this.nbits = nbits;
        havePrevHash = true;
        if (jobId == futureJobId && futurePrefix != null)
        {
            notify(jobId, futureVersion, rollingAllowed, futurePath, futurePathCount, futurePrefix, futureSuffix,
                minNtime, true);
            futurePath = null;
            futurePrefix = null;
            futureSuffix = null;
            futureJobId = -1;
        }
    }

    private void rememberJob(final int jobId, final int version, final boolean rolling)
    {
        final int slot = nextJobSlot;
        nextJobSlot = (slot + 1) % JOB_SLOTS;
        jobSlotStamp = jobSlotStamp + 1;
        jobSlotId[slot] = -1;
        jobSlotVersion[slot] = version;
        jobSlotRolling[slot] = rolling;
        jobSlotId[slot] = jobId;
        jobSlotStamp = jobSlotStamp + 1;
        if (rolling != rollingAllowed)
        {
            rollingAllowed = rolling;
            if (configured)
            {
                // the pool stopped (or resumed) letting miners roll version bits: say so, never accept then drop
                writeLine(out.reset().ascii("{\"id\":null,\"method\":\"mining.set_version_mask\",\"params\":[")
                    .hexU32(rolling ? versionMask : 0).ascii("]}").newline());
            }
        }
    }

    private void notify(final int jobId, final int version, final boolean rolling, final byte[] path, final int pathCount,
        final byte[] prefix, final byte[] suffix, final int minNtime, final boolean clean)
    {
        final long nowSec = System.currentTimeMillis() / 1000;
        final int ntime = (int)Math.max(minNtime & 0xffffffffL, nowSec);
        final JsonOut o = out.reset().ascii("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"")
            .ascii(Integer.toHexString(jobId)).ascii("\",").prevHash(prevHash).ascii(",")
            .hex(prefix, 0, prefix.length).ascii(",").hex(suffix, 0, suffix.length).ascii(",[");
        for (int i = 0; i < pathCount; i++)
        {
            if (i > 0)
            {
                o.ascii(",");
            }
            o.hex(path, 32 * i, 32);
        }
        o.ascii("],").hexU32(version).ascii(",").hexU32(nbits).ascii(",").hexU32(ntime)
            .ascii(clean ? ",true]}" : ",false]}").newline();
        writeLine(o);
        lastJobNs = System.nanoTime();
        server.metrics().jobs.increment();
    }

    @Override
    public void setTarget(final int channelId, final byte[] maximumTarget)
    {
        sendDifficulty(maximumTarget);
    }

    private void sendDifficulty(final byte[] targetLe)
    {
        final double d = Target.difficultyFromLittleEndian(targetLe, 0);
        if (d == sentDifficulty)
        {
            return;
        }
        sentDifficulty = d;
        writeLine(out.reset().ascii("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[").number(d)
            .ascii("]}").newline());
    }

    @Override
    public void setExtranoncePrefix(final int channelId, final byte[] extranoncePrefix)
    {
        System.arraycopy(extranoncePrefix, 0, extranonce1, 0, extranoncePrefix.length);
        if (extranonceSubscribed)
        {
            writeLine(out.reset().ascii("{\"id\":null,\"method\":\"mining.set_extranonce\",\"params\":[")
                .hex(extranonce1, 0, extranonce1.length).ascii(",").integer(config.extranonce2Size()).ascii("]}")
                .newline());
        }
        else
        {
            // the miner cannot learn a new extranonce1 without reconnecting
            writeLine(out.reset().ascii("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[]}").newline());
            disconnect("extranonce changed; the miner did not subscribe to extranonce changes");
        }
    }

    @Override
    public void setGroupChannel(final int groupChannelId, final int[] channelIds, final int count)
    {
        // no group channels on Stratum V1
    }

    @Override
    public void submitSharesSuccess(final int channelId, final int lastSequenceNumber, final int newSubmitsAcceptedCount,
        final long newSharesSum)
    {
        for (int s = doneUpTo + 1; s - lastSequenceNumber <= 0; s++)
        {
            final int slot = s & (MAX_IN_FLIGHT - 1);
            if (answered[slot])
            {
                answered[slot] = false;
            }
            else
            {
                writeLine(writeId(out.reset().ascii("{\"id\":"), slot).ascii(",\"result\":true,\"error\":null}")
                    .newline());
            }
        }
        advance(lastSequenceNumber);
    }

    @Override
    public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
    {
        final int slot = sequenceNumber & (MAX_IN_FLIGHT - 1);
        writeLine(writeId(out.reset().ascii("{\"id\":"), slot).ascii(",\"result\":null,\"error\":")
            .raw(Sv1Errors.of(error).json()).ascii("}").newline());
        if (sequenceNumber == doneUpTo + 1)
        {
            advance(sequenceNumber);
        }
        else
        {
            answered[slot] = true;
        }
    }

    /** Everything up to {@code seq} is answered; moves past later submits already answered with an error. */
    private void advance(final int seq)
    {
        int s = seq;
        for (int i = 0; i < MAX_IN_FLIGHT && answered[(s + 1) & (MAX_IN_FLIGHT - 1)]; i++)
        {
            answered[(s + 1) & (MAX_IN_FLIGHT - 1)] = false;
            s++;
        }
        doneUpTo = s;
    }

    private JsonOut writeId(final JsonOut o, final int slot)
    {
        final int len = pendingIdLength[slot] & 0xff;
        if (len == 0xff)
        {
            o.raw(pendingLongIds[slot]);
            pendingLongIds[slot] = null;
        }
        else if (len == 0)
        {
            o.raw(NULL);
        }
        else
        {
            o.raw(pendingIds, slot * ID_BYTES, len);
        }
        return o;
    }

    @Override
    public void closeChannel(final int channelId, final String reasonCode)
    {
        disconnect("the pool closed the channel: " + reasonCode);
    }

    /** client.reconnect (from {@code POST /api/reconnect}): on the logic thread, in order with everything else. */
    void reconnect(final String host, final int port)
    {
        pipeline.execute(this, () ->
        {
            final JsonOut o = out.reset().ascii("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[");
            if (!host.isEmpty())
            {
                // the port as a string: cgminer and bmminer (Antminer) read it with json_string_value
                o.string(host).ascii(",\"").integer(port).ascii("\",0");
            }
            writeLine(o.ascii("]}").newline());
        });
    }

    /**
     * The sweeper's rounds (about once a second): a connection that has not sent mining.subscribe within
     * {@code subscribeTimeoutNs} is closed; one silent for {@code intervalNs} gets a mining.ping; one that got no job
     * for {@code intervalNs} gets a keepalive job.
     */
    void sweep(final long nowNs, final long intervalNs, final long subscribeTimeoutNs)
    {
        if (closed.get())
        {
            return;
        }
        if (!subscribedFlag && nowNs - acceptedNs > subscribeTimeoutNs)
        {
            server.metrics().subscribeTimeouts.increment();
            fail("no mining.subscribe within " + subscribeTimeoutNs / 1_000_000_000L + " s");
            return;
        }
        if (nowNs - lastLineNs > intervalNs)
        {
            lastLineNs = nowNs;   // one ping per silent interval
            pipeline.execute(this, () -> writeLine(out.reset().ascii("{\"id\":\"ping-").integer(++pings)
                .ascii("\",\"method\":\"mining.ping\",\"params\":[]}").newline()));
        }
        keepaliveIfDue(nowNs, intervalNs);
    }

    /** The keepalive: a fresh job id and ntime when no job went out for {@code intervalNs}. Sweeper thread. */
    private void keepaliveIfDue(final long nowNs, final long intervalNs)
    {
        final int ch = channelId;
        if (ch < 0 || closed.get() || nowNs - lastJobNs < intervalNs)
        {
            return;
        }
        lastJobNs = nowNs;   // one re-issue per interval, even while the ring is busy
        pipeline.execute(this, () ->
        {
            if (logic.reissueJob(ch))
            {
                server.metrics().keepaliveJobs.increment();
            }
        });
    }

    @Override
    public void disconnect(final String reason)
    {
        if (closed.compareAndSet(false, true))
        {
            closeReason = reason;
            closeTransport();
        }
    }

    boolean isClosed()
    {
        return closed.get();
    }

    private void closeTransport()
    {
        closed.set(true);
        if (queue != null)
        {
            queue.close(closeReason == null ? 200 : 100);
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
}
