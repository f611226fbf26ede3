package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.transport.ByteStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.lmax.disruptor.EventTranslatorTwoArg;
import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.Reconnect;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsError;
import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SetExtranoncePrefix;
import org.bitcoincommons.sv2.codec.mining.SetGroupChannel;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.UpdateChannel;
import org.bitcoincommons.sv2.codec.mining.UpdateChannelError;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.transport.FrameSink;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream SV2 mining connection on the pool side: Noise NX responder, SetupConnection, then every client
 * message decoded on this connection's virtual thread and handed to the share ring; everything the pool sends goes
 * through the connection's bounded {@link OutboundQueue}. Faults (a bad handshake, a malformed frame, a message
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
    private final SharePipeline pipeline;
    private final NoiseConfig noise;
    private final int outboundBytes;
    private final int maxPayloadBytes;
    private final PoolMetrics metrics;
    private final PreAuthLog preAuthLog;
    /** Encoders used by the logic thread (shared by every connection, confined to that thread). */
    private final MiningFrames logicFrames;
    private final SubmitSharesStandard standard = new SubmitSharesStandard();
    private final SubmitSharesExtended extended = new SubmitSharesExtended();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile NoiseChannel channel;
    private OutboundQueue queue;
    private volatile String closeReason;
    /** Deadline sweeper's view of the frame in progress: owned by the sweeping thread. */
    private long sweptFrame;
    private long sweptSinceNs;
    private Runnable onSetUp = () -> { };
    /** Whether the pool runs a JDS, so that REQUIRES_WORK_SELECTION (custom jobs) is accepted. */
    private boolean workSelectionOffered;
    /** This client negotiated REQUIRES_WORK_SELECTION. */
    private boolean workSelection;

    /**
     * @param maxPayloadBytes largest msg_length accepted from the client once it has set up the Mining protocol
     *                        (before that, nothing longer than a SetupConnection)
     * @param preAuthLog      where handshake and setup failures are counted and logged once per state change
     */
    public PoolConnection(final long id, final ByteStream stream, final SharePipeline pipeline, final NoiseConfig noise,
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

    /** Accept REQUIRES_WORK_SELECTION (the pool runs a JDS); set before serve. */
    public PoolConnection workSelection(final boolean offered)
    {
        this.workSelectionOffered = offered;
        return this;
    }

    /** Called once SetupConnection succeeded (the connection is no longer unauthenticated); set before serve. */
    public void onSetUp(final Runnable r)
    {
        this.onSetUp = r;
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
            final int flags = setup();
            if (flags < 0)
            {
                return;
            }
            publishOpened((flags & FLAG_REQUIRES_STANDARD_JOBS) != 0);
            opened = true;
            readLoop();
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
                pipeline.publish(CLOSED, this, null);
            }
            if (closeReason != null)
            {
                LOG.info("connection {} closed by the pool: {}", id, closeReason);
            }
            closeTransport();
            metrics.connectionsClosed.increment();
        }
    }

    /** Reads SetupConnection within the handshake timeout; returns its flags, or -1 after refusing it. */
    private int setup() throws IOException
    {
        stream.readTimeout((int)Math.max(1, noise.handshakeTimeoutMs()));
        final int length;
        try
        {
            length = channel.readFrame();
        }
        catch (final SocketTimeoutException ex)
        {
            metrics.setupFailures.increment();
            preAuthLog.setupFailed(id, stream.remoteAddress(),
                "no SetupConnection within " + noise.handshakeTimeoutMs() + " ms");
            return -1;
        }
        stream.readTimeout(0);
        final DirectBuffer b = channel.frameBuffer();
        if (FrameHeaderFlyweight.extensionType(b, 0) != 0 ||
            FrameHeaderFlyweight.msgType(b, 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION)
        {
            throw new ProtocolViolation("the first message must be SetupConnection, got type 0x" +
                Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)));
        }
        final SetupConnection s = SetupConnection.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, length - FrameHeaderFlyweight.HEADER_LENGTH);
        final String refusal;
        long badFlags = 0;
        if (s.protocol() != CommonProtocol.PROTOCOL_MINING)
        {
            refusal = "unsupported-protocol";
        }
        else if (s.minVersion() > PROTOCOL_VERSION || s.maxVersion() < PROTOCOL_VERSION)
        {
            refusal = "protocol-version-mismatch";
        }
        else if ((s.flags() & FLAG_REQUIRES_WORK_SELECTION) != 0 && !workSelectionOffered)
        {
            // Custom jobs need Job Declaration; this pool builds its own templates.
            refusal = "unsupported-feature-flags";
            badFlags = FLAG_REQUIRES_WORK_SELECTION;
        }
        else
        {
            refusal = null;
        }
        if (refusal != null)
        {
            metrics.setupFailures.increment();
            new MiningFrames().message(queue, new SetupConnectionError(badFlags, refusal));
            preAuthLog.setupFailed(id, stream.remoteAddress(), "SetupConnection refused: " + refusal +
                " (protocol " + s.protocol() + ", versions " + s.minVersion() + ".." + s.maxVersion() + ", flags 0x" +
                Long.toHexString(s.flags()) + ")");
            queue.close(1000);
            return -1;
        }
        workSelection = (s.flags() & FLAG_REQUIRES_WORK_SELECTION) != 0;
        channel.maxReceivePayload(Math.min(maxPayloadBytes, noise.maxPayloadLength()));
        new MiningFrames().message(queue, new SetupConnectionSuccess(PROTOCOL_VERSION, 0));
        onSetUp.run();
        LOG.debug("connection {}: mining setup from {} {} {} (flags 0x{})", id, s.vendor(), s.hardwareVersion(),
            s.firmware(), Long.toHexString(s.flags()));
        return (int)s.flags();
    }

    private void readLoop() throws IOException
    {
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        final NoiseChannel channel = this.channel;
        while (true)
        {
            final int length = channel.readFrame();
            metrics.framesIn.increment();
            final DirectBuffer b = channel.frameBuffer();
            final int extension = FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK;
            final int type = FrameHeaderFlyweight.msgType(b, 0);
            final int msgLength = length - payload;
            if (extension == ExtensionNegotiationProtocol.EXTENSION_TYPE)
            {
                negotiate(type, b, msgLength);
                continue;
            }
            if (extension != 0)
            {
                continue;   // unknown extensions are ignored (spec 3.4): we are not a proxy
            }
            switch (type)
            {
                case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD -> submitStandard(b, msgLength);
                case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED -> submitExtended(b, msgLength);
                case MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL ->
                    openStandard(OpenStandardMiningChannel.decode(b, payload, msgLength));
                case MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL ->
                    openExtended(OpenExtendedMiningChannel.decode(b, payload, msgLength));
                case MiningProtocol.MESSAGE_TYPE_UPDATE_CHANNEL -> update(UpdateChannel.decode(b, payload, msgLength));
                case MiningProtocol.MESSAGE_TYPE_CLOSE_CHANNEL -> close(CloseChannel.decode(b, payload, msgLength));
                case MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB ->
                {
                    final SetCustomMiningJob m = SetCustomMiningJob.decode(b, payload, msgLength);
                    if (workSelection)
                    {
                        pipeline.publish(SET_CUSTOM_JOB, this, m);
                    }
                    else
                    {
                        sendFromReader(new SetCustomMiningJobError(m.channelId(), m.requestId(), "jd-not-supported"));
                    }
                }
                case CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION ->
                    throw new ProtocolViolation("SetupConnection sent twice");
                default -> throw new ProtocolViolation("message type 0x" + Integer.toHexString(type) +
                    " is not one a mining client may send");
            }
        }
    }

    private void negotiate(final int type, final DirectBuffer b, final int msgLength)
    {
        if (type != ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS)
        {
            throw new ProtocolViolation("extension negotiation message 0x" + Integer.toHexString(type) + " from a client");
        }
        final RequestExtensions r = RequestExtensions.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength);
        // No optional extension is offered yet: every requested one is unsupported, none is required.
        sendFromReader(new RequestExtensionsError(r.requestId(), r.requestedExtensions(), new int[0]));
    }

    private void submitStandard(final DirectBuffer b, final int msgLength)
    {
        pipeline.publish(SUBMIT_STANDARD, this, standard.wrap(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength));
    }

    private void submitExtended(final DirectBuffer b, final int msgLength)
    {
        pipeline.publish(SUBMIT_EXTENDED, this, extended.wrap(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength));
    }

    private void openStandard(final OpenStandardMiningChannel m)
    {
        pipeline.publish(OPEN_STANDARD, this, m);
    }

    private void openExtended(final OpenExtendedMiningChannel m)
    {
        pipeline.publish(OPEN_EXTENDED, this, m);
    }

    private void update(final UpdateChannel m)
    {
        pipeline.publish(UPDATE, this, m);
    }

    private void close(final CloseChannel m)
    {
        pipeline.publish(CLOSE, this, m);
    }

    private void publishOpened(final boolean requiresStandardJobs)
    {
        pipeline.publish(OPENED, this, requiresStandardJobs);
    }

    // Ring translators: static, so publishing captures nothing and allocates nothing.

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, SubmitSharesStandard> SUBMIT_STANDARD =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.SUBMIT_STANDARD;
            e.source = c;
            e.publishedNs = System.nanoTime();
            e.channelId = (int)m.channelId();
            e.sequenceNumber = (int)m.sequenceNumber();
            e.jobId = (int)m.jobId();
            e.nonce = (int)m.nonce();
            e.ntime = (int)m.ntime();
            e.version = (int)m.version();
        };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, SubmitSharesExtended> SUBMIT_EXTENDED =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.SUBMIT_EXTENDED;
            e.source = c;
            e.publishedNs = System.nanoTime();
            e.channelId = (int)m.channelId();
            e.sequenceNumber = (int)m.sequenceNumber();
            e.jobId = (int)m.jobId();
            e.nonce = (int)m.nonce();
            e.ntime = (int)m.ntime();
            e.version = (int)m.version();
            e.extranonceLength = m.extranonceLength();
            m.buffer().getBytes(m.extranonceOffset(), e.extranonce, 0, e.extranonceLength);
        };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, OpenStandardMiningChannel> OPEN_STANDARD =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.OPEN_STANDARD_CHANNEL;
            e.source = c;
            e.requestId = (int)m.requestId();
            e.userIdentity = m.userIdentity();
            e.nominalHashrate = m.nominalHashRate();
            System.arraycopy(m.maxTarget(), 0, e.maxTarget, 0, 32);
        };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, OpenExtendedMiningChannel> OPEN_EXTENDED =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.OPEN_EXTENDED_CHANNEL;
            e.source = c;
            e.requestId = (int)m.requestId();
            e.userIdentity = m.userIdentity();
            e.nominalHashrate = m.nominalHashRate();
            System.arraycopy(m.maxTarget(), 0, e.maxTarget, 0, 32);
            e.minExtranonceSize = m.minExtranonceSize();
        };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, UpdateChannel> UPDATE = (e, seq, c, m) ->
    {
        e.type = PipelineEvent.UPDATE_CHANNEL;
        e.source = c;
        e.channelId = (int)m.channelId();
        e.nominalHashrate = m.nominalHashRate();
        System.arraycopy(m.maximumTarget(), 0, e.maxTarget, 0, 32);
    };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, SetCustomMiningJob> SET_CUSTOM_JOB =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.SET_CUSTOM_JOB;
            e.source = c;
            e.job = m;
        };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, CloseChannel> CLOSE = (e, seq, c, m) ->
    {
        e.type = PipelineEvent.CLOSE_CHANNEL;
        e.source = c;
        e.channelId = (int)m.channelId();
    };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, Boolean> OPENED = (e, seq, c, standardJobs) ->
    {
        e.type = PipelineEvent.CONNECTION_OPENED;
        e.source = c;
        e.flag = standardJobs;
    };

    static final EventTranslatorTwoArg<PipelineEvent, MiningDownstream, Object> CLOSED = (e, seq, c, unused) ->
    {
        e.type = PipelineEvent.CONNECTION_CLOSED;
        e.source = c;
    };

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
    }

    @Override
    public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
    {
        sent(logicFrames.message(queue, new OpenExtendedMiningChannelSuccess(requestId & 0xffffffffL,
            channelId & 0xffffffffL, target, extranonceSize, extranoncePrefix, groupChannelId & 0xffffffffL)));
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
    private void sendFromReader(final org.bitcoincommons.sv2.codec.Message m)
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
