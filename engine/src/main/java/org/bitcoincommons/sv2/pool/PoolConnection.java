package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.transport.ByteStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.common.Reconnect;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SetExtranoncePrefix;
import org.bitcoincommons.sv2.codec.mining.SetGroupChannel;
import org.bitcoincommons.sv2.codec.mining.UpdateChannelError;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.transport.FrameSink;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream SV2 mining connection over TCP on the pool side: its lifecycle, and the last stage of a share's path.
 * <p>
 * The path of a share, stage by stage, and where each lives:
 * <ol>
 * <li>transport: the socket ({@link ByteStream}), read by this connection's virtual thread ({@link #serve});</li>
 * <li>noise: {@link NoiseChannel} decrypts one frame;</li>
 * <li>codec: {@link InboundDispatch} decodes it in place and</li>
 * <li>pipeline: publishes it to the share ring through a {@link RingTranslators static translator};</li>
 * <li>pool logic: {@link PoolEventProcessor} on the logic thread stages it in {@link ShareProcessor}, which checks it,</li>
 * <li>hash: hashes the batch in one kernel call,</li>
 * <li>journal: credits it through {@link JournalAccounting}, and</li>
 * <li>transport: queues the batch's SubmitShares.Success here ({@link #submitSharesSuccess}, the
 * {@link MiningDownstream} side of this class) into the bounded {@link OutboundQueue}, whose writer thread encrypts
 * and sends it.</li>
 * </ol>
 * Before that, {@link MiningSetup} answers SetupConnection. Faults (a bad handshake, a malformed frame, a message
 * that is not valid in this state, a peer that stops reading) end this connection only, with a logged reason.
 */
public final class PoolConnection implements MiningDownstream
{
    private static final Logger LOG = LoggerFactory.getLogger(PoolConnection.class);
    /** The protocol version this pool speaks (SetupConnection min/max). */
    public static final int PROTOCOL_VERSION = 2;
    static final int FLAG_REQUIRES_STANDARD_JOBS = 1;
    static final int FLAG_REQUIRES_WORK_SELECTION = 1 << 1;
    static final int FLAG_REQUIRES_VERSION_ROLLING = 1 << 2;
    /** Outbound queue to start with; it grows up to the configured limit during bursts. */
    static final int INITIAL_QUEUE_BYTES = 4096;

    private final long id;
    private final ByteStream stream;
    private final SharePipeline<MiningDownstream, Job> pipeline;
    private final NoiseConfig noise;
    private final int outboundBytes;
    private final int maxPayloadBytes;
    private final PoolMetrics metrics;
    private final PreAuthLog preAuthLog;
    /** Encoders used by the logic thread (shared by every connection, confined to that thread). */
    private final MiningFrames logicFrames;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile NoiseChannel channel;
    private OutboundQueue queue;
    private volatile String closeReason;
    /** Deadline sweeper's view of the frame in progress: owned by the sweeping thread. */
    private long sweptFrame;
    private long sweptSinceNs;
    private Runnable onSetUp = () -> { };
    private Runnable onFirstChannel = () -> { };
    /** Logic thread only: a channel has been opened on this connection (onFirstChannel has run). */
    private boolean channelOpened;
    /** The pool logic that checks custom jobs when the pool runs a JDS (REQUIRES_WORK_SELECTION accepted); else null. */
    private PoolLogic customJobs;
    private PoolLogic accounts;
    /** The reader's stage once the connection is set up; null before. */
    private volatile InboundDispatch inbound;

    /**
     * @param maxPayloadBytes largest msg_length accepted from the client once it has set up the Mining protocol
     *                        (before that, nothing longer than a SetupConnection)
     * @param preAuthLog      where handshake and setup failures are counted and logged once per state change
     */
    public PoolConnection(final long id, final ByteStream stream, final SharePipeline<MiningDownstream, Job> pipeline,
        final NoiseConfig noise,
        final int outboundBytes, final int maxPayloadBytes, final PoolMetrics metrics, final MiningFrames logicFrames,
        final PreAuthLog preAuthLog)
    {
        this.id = id;
        this.stream = stream;
        this.pipeline = pipeline;
        this.noise = noise;
        this.outboundBytes = outboundBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.metrics = metrics;
        this.logicFrames = logicFrames;
        this.preAuthLog = preAuthLog;
    }

    /** Accept REQUIRES_WORK_SELECTION, custom jobs checked by {@code logic} (the pool runs a JDS; null: refuse it). */
    public PoolConnection workSelection(final PoolLogic logic)
    {
        this.customJobs = logic;
        return this;
    }

    /** Offers the merged-mining account extension (0x4D4D), subscriptions handled by {@code logic}; set before serve. */
    public PoolConnection mergeMiningAccounts(final PoolLogic logic)
    {
        this.accounts = logic;
        return this;
    }

    /** The logic that handles merged-mining account subscriptions, or null when the extension is not offered. */
    PoolLogic accounts()
    {
        return accounts;
    }

    /** Queues {@code m} on the logic thread (the extension's sink); a full queue closes the connection. */
    boolean sendOnLogic(final org.bitcoincommons.sv2.codec.Message m)
    {
        final boolean ok = logicFrames.message(queue, m);
        sent(ok);
        return ok;
    }

    /** Called once SetupConnection succeeded (the connection is no longer unauthenticated); set before serve. */
    public void onSetUp(final Runnable r)
    {
        this.onSetUp = r;
    }

    /**
     * Called once, on the pool logic thread, when the first channel of this connection is opened (its admission is
     * over); must be short and never block. Set before serve.
     */
    public void onFirstChannel(final Runnable r)
    {
        this.onFirstChannel = r;
    }

    private void channelOpened()
    {
        if (!channelOpened)
        {
            channelOpened = true;
            onFirstChannel.run();
        }
    }

    /** Frames read so far (0 once the connection has ended and added them to PoolMetrics#framesIn). */
    long framesIn()
    {
        final InboundDispatch d = inbound;
        return d == null ? 0 : d.framesIn();
    }

    @Override
    public long connectionId()
    {
        return id;
    }

    /** Runs the connection until it ends; called on its own virtual thread. */
    public void serve() throws IOException
    {
        metrics.connectionsAccepted.increment();
        boolean opened = false;
        try
        {
            try
            {
                channel = NoiseChannel.accept(stream, noise);
            }
            catch (final NoiseException ex)
            {
                metrics.handshakeFailures.increment();
                preAuthLog.handshakeFailed(id, stream.remoteAddress(), ex.getMessage());
                return;
            }
            // Nothing longer than a SetupConnection until the client has named its sub-protocol.
            channel.maxReceivePayload(Math.min(SetupConnection.MAX_LENGTH, noise.maxPayloadLength()));
            queue = new OutboundQueue(INITIAL_QUEUE_BYTES, outboundBytes, new FrameSink()
            {
                @Override
                public void write(final DirectBuffer buffer, final int offset, final int length) throws IOException
                {
                    channel.queueFrame(buffer, offset, length);
                }

                @Override
                public void flush() throws IOException
                {
                    channel.flush();
                }
            }).writerStartLatency(metrics.ackQueuedToWriter::recordNs);
            final int flags = MiningSetup.accept(id, stream, channel, noise, queue, maxPayloadBytes, metrics, preAuthLog,
                onSetUp, customJobs != null);
            if (flags < 0)
            {
                return;
            }
            pipeline.publish(RingTranslators.OPENED, this, (flags & FLAG_REQUIRES_STANDARD_JOBS) != 0);
            opened = true;
            final InboundDispatch d = new InboundDispatch(this, channel, pipeline,
                (flags & FLAG_REQUIRES_WORK_SELECTION) != 0 ? customJobs : null);
            inbound = d;
            d.run();
        }
        catch (final NoiseException ex)
        {
            if (ex.reason() != NoiseException.Reason.EOF && !closed.get())
            {
                metrics.protocolErrors.increment();
                LOG.info("connection {}: {}", id, ex.getMessage());
            }
        }
        catch (final CodecException ex)
        {
            metrics.protocolErrors.increment();
            LOG.info("connection {}: malformed frame: {}", id, ex.getMessage());
        }
        catch (final ProtocolViolation ex)
        {
            metrics.protocolErrors.increment();
            LOG.info("connection {}: protocol violation: {}", id, ex.getMessage());
        }
        catch (final IOException ex)
        {
            if (!closed.get())
            {
                LOG.debug("connection {}: {}", id, ex.toString());
            }
        }
        finally
        {
            if (opened)
            {
                pipeline.publish(RingTranslators.CLOSED, this, null);
            }
            if (closeReason != null)
            {
                LOG.info("connection {} closed by the pool: {}", id, closeReason);
            }
            closeTransport();
            final InboundDispatch d = inbound;
            if (d != null)
            {
                inbound = null;
                metrics.framesIn.add(d.framesIn());
            }
            metrics.connectionsClosed.increment();
        }
    }

    // ---- MiningDownstream: called on the pool logic thread ----

    private void sent(final boolean ok)
    {
        if (!ok && !closed.get())
        {
            metrics.slowReaders.increment();
            disconnect("outbound queue full (" + outboundBytes + " bytes): the peer is not reading");
        }
    }

    @Override
    public void openStandardMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final byte[] extranoncePrefix, final int groupChannelId)
    {
        sent(logicFrames.message(queue, new OpenStandardMiningChannelSuccess(requestId & 0xffffffffL,
            channelId & 0xffffffffL, target, extranoncePrefix, groupChannelId & 0xffffffffL)));
        channelOpened();
    }

    @Override
    public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
    {
        sent(logicFrames.message(queue, new OpenExtendedMiningChannelSuccess(requestId & 0xffffffffL,
            channelId & 0xffffffffL, target, extranonceSize, extranoncePrefix, groupChannelId & 0xffffffffL)));
        channelOpened();
    }

    @Override
    public void openMiningChannelError(final int requestId, final String errorCode)
    {
        sent(logicFrames.message(queue, new OpenMiningChannelError(requestId & 0xffffffffL, errorCode)));
    }

    @Override
    public void updateChannelError(final int channelId, final String errorCode)
    {
        sent(logicFrames.message(queue, new UpdateChannelError(channelId & 0xffffffffL, errorCode)));
    }

    @Override
    public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final byte[] merkleRoot)
    {
        sent(logicFrames.newMiningJob(queue, channelId, jobId, minNtime, version, merkleRoot));
    }

    @Override
    public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount, final byte[] coinbaseTxPrefix,
        final byte[] coinbaseTxSuffix)
    {
        sent(logicFrames.newExtendedMiningJob(queue, channelId, jobId, minNtime, version, versionRollingAllowed,
            merklePath, pathCount, coinbaseTxPrefix, coinbaseTxSuffix));
    }

    @Override
    public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
        final int nbits)
    {
        sent(logicFrames.setNewPrevHash(queue, channelId, jobId, prevHash, minNtime, nbits));
    }

    @Override
    public void setTarget(final int channelId, final byte[] maximumTarget)
    {
        sent(logicFrames.setTarget(queue, channelId, maximumTarget));
    }

    @Override
    public void setExtranoncePrefix(final int channelId, final byte[] extranoncePrefix)
    {
        sent(logicFrames.message(queue, new SetExtranoncePrefix(channelId & 0xffffffffL, extranoncePrefix)));
    }

    @Override
    public void setGroupChannel(final int groupChannelId, final int[] channelIds, final int count)
    {
        final long[] ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = channelIds[i] & 0xffffffffL;
        }
        sent(logicFrames.message(queue, new SetGroupChannel(groupChannelId & 0xffffffffL, ids)));
    }

    @Override
    public void submitSharesSuccess(final int channelId, final int lastSequenceNumber, final int newSubmitsAcceptedCount,
        final long newSharesSum)
    {
        sent(logicFrames.submitSharesSuccess(queue, channelId, lastSequenceNumber, newSubmitsAcceptedCount, newSharesSum));
    }

    @Override
    public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
    {
        sent(logicFrames.submitSharesError(queue, channelId, sequenceNumber, error.ascii()));
    }

    @Override
    public void closeChannel(final int channelId, final String reasonCode)
    {
        sent(logicFrames.message(queue, new CloseChannel(channelId & 0xffffffffL, reasonCode)));
    }

    @Override
    public void setCustomMiningJobSuccess(final int channelId, final int requestId, final int jobId)
    {
        sent(logicFrames.message(queue, new SetCustomMiningJobSuccess(channelId & 0xffffffffL, requestId & 0xffffffffL,
            jobId & 0xffffffffL)));
    }

    @Override
    public void setCustomMiningJobError(final int channelId, final int requestId, final String errorCode)
    {
        sent(logicFrames.message(queue, new SetCustomMiningJobError(channelId & 0xffffffffL, requestId & 0xffffffffL,
            errorCode)));
    }

    /** Asks the miner to reconnect elsewhere (or to the same place with an empty host and port 0). Any thread. */
    public void reconnect(final String host, final int port)
    {
        sendFromReader(new Reconnect(host, port));
    }

    /**
     * Once the connection is open the logic thread is the queue's only producer: the reader's rare replies go
     * through the ring as tasks.
     */
    void sendFromReader(final org.bitcoincommons.sv2.codec.Message m)
    {
        pipeline.execute(() -> sent(logicFrames.message(queue, m)));
    }

    /**
     * The frame deadline: closes this connection when the same frame has been in progress (header read, payload not)
     * since an earlier call at least {@code deadlineNs} ago. Called by one sweeping thread, about once a second, so the
     * connection is closed between the deadline and the deadline plus one sweep interval.
     *
     * @return true when it closed the connection
     */
    public boolean closeIfFrameOverdue(final long nowNs, final long deadlineNs)
    {
        final NoiseChannel c = channel;
        final long frame = c == null ? 0 : c.partialFrame();
        if (frame == 0 || closed.get())
        {
            sweptFrame = 0;
            return false;
        }
        if (frame != sweptFrame)
        {
            sweptFrame = frame;
            sweptSinceNs = nowNs;
            return false;
        }
        if (nowNs - sweptSinceNs < deadlineNs)
        {
            return false;
        }
        metrics.frameTimeouts.increment();
        disconnect("a frame's payload did not arrive within " + deadlineNs / 1_000_000 + " ms of its header");
        return true;
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

    /** Closes the queue (letting queued frames drain briefly) and the socket; unblocks the reader. */
    private void closeTransport()
    {
        closed.set(true);
        if (queue != null)
        {
            queue.close(closeReason == null ? 200 : 0);
        }
        try
        {
            stream.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    /** A message that is well-formed but not allowed here: ends the connection. */
    static final class ProtocolViolation extends RuntimeException
    {
        ProtocolViolation(final String message)
        {
            super(message, null, false, false);
        }
    }
}
