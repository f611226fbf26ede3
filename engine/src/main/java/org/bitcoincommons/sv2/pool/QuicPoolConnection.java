package org.bitcoincommons.sv2.pool;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
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
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.bitcoincommons.sv2.transport.QuicByteStream;
import org.bitcoincommons.sv2.transport.QuicServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SV2 connection over QUIC (the mapping is in the README, "SV2 over QUIC"): the first client stream is the control
 * stream (Noise NX handshake bound to the TLS certificate, then SetupConnection and connection-wide messages); every
 * further stream carries exactly one channel, from its Open*MiningChannel to its end. To the pool logic it is one
 * {@link MiningDownstream}, exactly like a TCP connection; only the routing of outgoing frames differs: by channel id
 * to that channel's stream, by request id for the Open* replies, everything else to the control stream.
 * <p>
 * Faults on a channel stream (garbage, a message for another channel, a truncated frame) reset that stream and close
 * its channel only; faults on the control stream end the connection.
 */
public final class QuicPoolConnection implements MiningDownstream
{
    private static final Logger LOG = LoggerFactory.getLogger(QuicPoolConnection.class);
    /** QUIC application error code for a connection closed by the pool after a fault. */
    static final long ERROR_PROTOCOL = 1;

    private final long id;
    private final QuicServer.Peer peer;
    private final SharePipeline<MiningDownstream, Job> pipeline;
    private final NoiseConfig noise;
    private final byte[] prologue;
    private final int outboundBytes;
    private final int maxPayloadBytes;
    private final PoolMetrics metrics;
    private final MiningFrames logicFrames;
    private final PreAuthLog preAuthLog;
    private final CountDownLatch setUp = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean opened = new AtomicBoolean();
    /** Channel streams waiting for their Open* reply, by request id (reader threads put, the logic thread takes). */
    private final Map<Integer, ChannelStream> pendingOpens = new ConcurrentHashMap<>();
    /** Open channels' streams by channel id: owned by the logic thread. */
    private final Int2ObjectHashMap<ChannelStream> channels = new Int2ObjectHashMap<>();
    private volatile OutboundQueue control;
    private volatile String closeReason;

    private PoolLogic accounts;
    /** RequestExtensions on the control stream asked for the account extension and it is offered. */
    private volatile boolean accountNegotiated;

    /** How long a refused connection waits for its peer to read the SetupConnection.Error and close. */
    static final long REFUSAL_LINGER_MS = 2_000;

    /** Accepts REQUIRES_WORK_SELECTION, custom jobs checked by this logic (the pool runs a JDS); null refuses it. */
    private PoolLogic customJobs;
    /** SetupConnection asked for REQUIRES_WORK_SELECTION and it was accepted: SetCustomMiningJob is taken. */
    private volatile boolean workSelected;

    /**
     * Accepts REQUIRES_WORK_SELECTION (as a TCP connection does): SetCustomMiningJob on a channel's stream is checked
     * by {@code logic}; null (no JDS) refuses the flag. Before start.
     */
    QuicPoolConnection workSelection(final PoolLogic logic)
    {
        this.customJobs = logic;
        return this;
    }

    /** Offers the merged-mining account extension (0x4D4D), subscriptions handled by {@code logic}; before start. */
    QuicPoolConnection mergeMiningAccounts(final PoolLogic logic)
    {
        this.accounts = logic;
        return this;
    }

    QuicPoolConnection(final QuicServer.Peer peer, final SharePipeline<MiningDownstream, Job> pipeline, final NoiseConfig noise,
        final byte[] prologue, final int outboundBytes, final int maxPayloadBytes, final PoolMetrics metrics,
        final MiningFrames logicFrames, final PreAuthLog preAuthLog)
    {
        this.id = peer.id() | (1L << 62);   // distinct from TCP connection ids in logs
        this.peer = peer;
        this.pipeline = pipeline;
        this.noise = noise;
        this.prologue = prologue;
        this.outboundBytes = outboundBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.metrics = metrics;
        this.logicFrames = logicFrames;
        this.preAuthLog = preAuthLog;
    }

    @Override
    public long connectionId()
    {
        return id;
    }

    /** Serves one stream of this connection (the server's handler, on the stream's own virtual thread). */
    static void serve(final QuicServer.Peer peer, final QuicByteStream stream, final boolean first,
        final java.util.function.Supplier<QuicPoolConnection> create) throws IOException
    {
        if (first)
        {
            final QuicPoolConnection c = create.get();
            peer.attach(c);
            peer.onClose(() -> c.connectionEnded());
            c.serveControl(stream);
            return;
        }
        final Object a = peer.attachment();
        if (!(a instanceof QuicPoolConnection c))
        {
            stream.reset(QuicByteStream.ERROR_PROTOCOL);
            return;
        }
        c.serveChannel(stream);
    }

    private void serveControl(final QuicByteStream stream)
    {
        metrics.connectionsAccepted.increment();
        final Thread watchdogTarget = Thread.currentThread();
        try
        {
            try
            {
                NoiseChannel.accept(stream, noise, prologue);
            }
            catch (final NoiseException ex)
            {
                metrics.handshakeFailures.increment();
                preAuthLog.handshakeFailed(id, peer.remoteAddress(), "QUIC control stream: " + ex.getMessage());
                disconnect("handshake failed");
                return;
            }
            final FrameStream frames = new FrameStream(stream, Math.min(SetupConnection.MAX_LENGTH, noise.maxPayloadLength()));
            final OutboundQueue q = new OutboundQueue(PoolConnection.INITIAL_QUEUE_BYTES, outboundBytes, frames)
                .writerStartLatency(metrics.ackQueuedToWriter);
            control = q;
            // No read timeout on QUIC streams: a deadline closes the connection if SetupConnection does not come.
            final Thread deadline = Thread.ofVirtual().start(() ->
            {
                try
                {
                    if (!setUp.await(Math.max(1, noise.handshakeTimeoutMs()), TimeUnit.MILLISECONDS) && !closed.get())
                    {
                        metrics.setupFailures.increment();
                        preAuthLog.setupFailed(id, peer.remoteAddress(), "no SetupConnection within "
                            + noise.handshakeTimeoutMs() + " ms");
                        disconnect(null);
                    }
                }
                catch (final InterruptedException ignored)
                {
                    // connection ended
                }
            });
            final int length = frames.readFrame();
            final DirectBuffer b = frames.frameBuffer();
            if (FrameHeaderFlyweight.extensionType(b, 0) != 0
                || FrameHeaderFlyweight.msgType(b, 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION)
            {
                throw new PoolConnection.ProtocolViolation("the first message on the control stream must be "
                    + "SetupConnection, got type 0x" + Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)));
            }
            final SetupConnection s = SetupConnection.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
                length - FrameHeaderFlyweight.HEADER_LENGTH);
            final String refusal = s.protocol() != CommonProtocol.PROTOCOL_MINING ? "unsupported-protocol"
                : s.minVersion() > PoolConnection.PROTOCOL_VERSION || s.maxVersion() < PoolConnection.PROTOCOL_VERSION
                    ? "protocol-version-mismatch"
                    : (s.flags() & PoolConnection.FLAG_REQUIRES_WORK_SELECTION) != 0 && customJobs == null
                        ? "unsupported-feature-flags" : null;
            if (refusal != null)
            {
                metrics.setupFailures.increment();
                MiningFrames.messageOnce(q, new SetupConnectionError(
                    "unsupported-feature-flags".equals(refusal) ? PoolConnection.FLAG_REQUIRES_WORK_SELECTION : 0, refusal));
                preAuthLog.setupFailed(id, peer.remoteAddress(), "SetupConnection refused: " + refusal);
                q.close(1000);
                deadline.interrupt();
                lingerThenDisconnect(stream, frames);
                return;
            }
            frames.maxPayload(Math.min(maxPayloadBytes, noise.maxPayloadLength()));
            workSelected = (s.flags() & PoolConnection.FLAG_REQUIRES_WORK_SELECTION) != 0;
            MiningFrames.messageOnce(q, new SetupConnectionSuccess(PoolConnection.PROTOCOL_VERSION, 0));
            pipeline.publish(RingTranslators.OPENED, this,
                (s.flags() & PoolConnection.FLAG_REQUIRES_STANDARD_JOBS) != 0);
            opened.set(true);
            setUp.countDown();
            deadline.interrupt();
            controlLoop(frames);
        }
        catch (final EOFException ex)
        {
            disconnect(null);
        }
        catch (final CodecException | PoolConnection.ProtocolViolation | FrameStream.FrameTooLargeException ex)
        {
            metrics.protocolErrors.increment();
            LOG.info("quic connection {}: control stream: {}", peer.id(), ex.getMessage());
            disconnect("control stream: " + ex.getMessage());
        }
        catch (final IOException ex)
        {
            disconnect(null);
        }
        finally
        {
            setUp.countDown();
            if (watchdogTarget.isInterrupted())
            {
                Thread.interrupted();
            }
        }
    }

    private void controlLoop(final FrameStream frames) throws IOException
    {
        while (true)
        {
            final int length = frames.readFrame();
            metrics.framesIn.increment();
            final DirectBuffer b = frames.frameBuffer();
            final int extension = FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK;
            final int type = FrameHeaderFlyweight.msgType(b, 0);
            final int msgLength = length - FrameHeaderFlyweight.HEADER_LENGTH;
            if (extension == ExtensionNegotiationProtocol.EXTENSION_TYPE
                && type == ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS)
            {
                final RequestExtensions r = RequestExtensions.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength);
                // Recorded before the answer leaves: the client opens the account stream as soon as it reads the
                // answer, and that stream's reader (another thread) checks this flag.
                if (accounts != null && InboundDispatch.offers(r))
                {
                    accountNegotiated = true;
                }
                sendFromReader(control, InboundDispatch.answer(r, accounts != null));
                continue;
            }
            if (extension != 0)
            {
                continue;
            }
            throw new PoolConnection.ProtocolViolation("message type 0x" + Integer.toHexString(type)
                + " is not allowed on the QUIC control stream (channels are opened on their own streams)");
        }
    }

    /** One channel's stream: its reader runs here until the stream or the connection ends. */
    private void serveChannel(final QuicByteStream stream)
    {
        try
        {
            if (!setUp.await(Math.max(1, noise.handshakeTimeoutMs()), TimeUnit.MILLISECONDS) || !opened.get())
            {
                metrics.protocolErrors.increment();
                LOG.info("quic connection {}: stream {} opened before SetupConnection succeeded: reset",
                    peer.id(), stream.streamId());
                stream.reset(QuicByteStream.ERROR_PROTOCOL);
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            return;
        }
        final FrameStream frames = new FrameStream(stream, Math.min(maxPayloadBytes, noise.maxPayloadLength()));
        final ChannelStream cs = new ChannelStream(stream,
            new OutboundQueue(PoolConnection.INITIAL_QUEUE_BYTES, outboundBytes, frames)
                .writerStartLatency(metrics.ackQueuedToWriter));
        final SubmitSharesStandard standard = new SubmitSharesStandard();
        final SubmitSharesExtended extended = new SubmitSharesExtended();
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        String fault = null;
        try
        {
            final int firstLength = frames.readFrame();
            final DirectBuffer first = frames.frameBuffer();
            final int firstType = FrameHeaderFlyweight.msgType(first, 0);
            if ((FrameHeaderFlyweight.extensionType(first, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK)
                == MergeMiningAccountProtocol.EXTENSION_TYPE && accounts != null)
            {
                serveAccount(cs, frames, firstType, firstLength - payload);
                return;
            }
            if (FrameHeaderFlyweight.extensionType(first, 0) != 0)
            {
                throw new PoolConnection.ProtocolViolation("a channel stream must start with Open*MiningChannel");
            }
            if (firstType == MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL)
            {
                final OpenStandardMiningChannel m = OpenStandardMiningChannel.decode(first, payload, firstLength - payload);
                pendingOpens.put((int)m.requestId(), cs);
                pipeline.publish(RingTranslators.OPEN_STANDARD, this, m);
            }
            else if (firstType == MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL)
            {
                final OpenExtendedMiningChannel m = OpenExtendedMiningChannel.decode(first, payload, firstLength - payload);
                pendingOpens.put((int)m.requestId(), cs);
                pipeline.publish(RingTranslators.OPEN_EXTENDED, this, m);
            }
            else
            {
                throw new PoolConnection.ProtocolViolation("a channel stream must start with Open*MiningChannel, got 0x"
                    + Integer.toHexString(firstType));
            }
            while (true)
            {
                final int length = frames.readFrame();
                metrics.framesIn.increment();
                final DirectBuffer b = frames.frameBuffer();
                final int type = FrameHeaderFlyweight.msgType(b, 0);
                final int msgLength = length - payload;
                if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) != 0)
                {
                    continue;
                }
                switch (type)
                {
                    case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD ->
                    {
                        standard.wrap(b, payload, msgLength);
                        own(cs, (int)standard.channelId());
                        pipeline.publish(RingTranslators.SUBMIT_STANDARD, this, standard);
                    }
                    case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED ->
                    {
                        extended.wrap(b, payload, msgLength);
                        own(cs, (int)extended.channelId());
                        pipeline.publish(RingTranslators.SUBMIT_EXTENDED, this, extended);
                    }
                    case MiningProtocol.MESSAGE_TYPE_UPDATE_CHANNEL ->
                    {
                        final UpdateChannel m = UpdateChannel.decode(b, payload, msgLength);
                        own(cs, (int)m.channelId());
                        pipeline.publish(RingTranslators.UPDATE, this, m);
                    }
                    case MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB ->
                    {
                        final SetCustomMiningJob m = SetCustomMiningJob.decode(b, payload, msgLength);
                        own(cs, (int)m.channelId());
                        final PoolLogic logic = customJobs;
                        if (logic != null && workSelected)
                        {
                            // rare (once per declared job): a task of its own on the ring, in ring order
                            pipeline.execute(this, () -> logic.setCustomMiningJob(this, m));
                        }
                        else
                        {
                            sendFromReader(cs.queue, new SetCustomMiningJobError(m.channelId(), m.requestId(),
                                "jd-not-supported"));
                        }
                    }
                    case MiningProtocol.MESSAGE_TYPE_CLOSE_CHANNEL ->
                    {
                        final CloseChannel m = CloseChannel.decode(b, payload, msgLength);
                        own(cs, (int)m.channelId());
                        return;   // finally closes the channel and the stream
                    }
                    default -> throw new PoolConnection.ProtocolViolation("message type 0x" + Integer.toHexString(type)
                        + " is not allowed on a channel stream");
                }
            }
        }
        catch (final EOFException ex)
        {
            if (ex.getMessage() != null && ex.getMessage().contains("truncated"))
            {
                fault = ex.getMessage();
            }
        }
        catch (final CodecException | PoolConnection.ProtocolViolation | FrameStream.FrameTooLargeException ex)
        {
            fault = ex.getMessage();
        }
        catch (final IOException ex)
        {
            LOG.debug("quic connection {} stream {}: {}", peer.id(), stream.streamId(), ex.toString());
        }
        finally
        {
            if (fault != null)
            {
                metrics.protocolErrors.increment();
                LOG.info("quic connection {}: stream {} (channel {}) reset: {}", peer.id(), stream.streamId(),
                    cs.channelId, fault);
                stream.reset(QuicByteStream.ERROR_PROTOCOL);
            }
            endChannelStream(cs);
        }
    }

    /**
     * The merged-mining account stream: its first frame subscribes, the pool pushes the accounts on it, and it carries
     * nothing else from the client; when it ends the subscription ends. Runs inside serveChannel's handling, so a
     * fault resets this stream only.
     */
    private void serveAccount(final ChannelStream cs, final FrameStream frames, final int type, final int msgLength)
        throws IOException
    {
        if (type != MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE)
        {
            throw new PoolConnection.ProtocolViolation("an account stream must start with SubscribeMergeMiningAccount, "
                + "got 0x" + Integer.toHexString(type));
        }
        final SubscribeMergeMiningAccount m =
            SubscribeMergeMiningAccount.decode(frames.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH, msgLength);
        if (!accountNegotiated)
        {
            LOG.info("quic connection {}: account stream {} refused: the extension was not negotiated", peer.id(),
                cs.stream.streamId());
            sendFromReader(cs.queue, new SubscribeMergeMiningAccountError(m.requestId(), "extension-not-negotiated"));
            frames.readFrame();   // the client closes the stream, or sends what is refused below
            throw new PoolConnection.ProtocolViolation("the account stream carries nothing after its subscription");
        }
        final PoolLogic logic = accounts;
        pipeline.execute(this, () -> logic.subscribeAccount(this, msg ->
        {
            final boolean ok = logicFrames.message(cs.queue, msg);
            sentOn(cs, ok);
            return ok;
        }, m));
        try
        {
            frames.readFrame();
            throw new PoolConnection.ProtocolViolation("the account stream carries nothing after its subscription");
        }
        finally
        {
            pipeline.execute(this, () -> logic.unsubscribeAccount(this));
        }
    }

    private static void own(final ChannelStream cs, final int channelId)
    {
        if (cs.channelId != channelId)
        {
            throw new PoolConnection.ProtocolViolation("message for channel " + channelId + " on the stream of channel "
                + (cs.channelId == ChannelStream.NONE ? "(not yet open)" : String.valueOf(cs.channelId)));
        }
    }

    /** The reader of a channel stream ended: the pool closes that channel (on the logic thread). */
    private void endChannelStream(final ChannelStream cs)
    {
        pipeline.execute(this, () ->
        {
            pendingOpens.values().remove(cs);
            if (cs.channelId != ChannelStream.NONE && channels.get(cs.channelId) == cs)
            {
                channels.remove(cs.channelId);
            }
            cs.queue.close();
        });
        if (cs.channelId != ChannelStream.NONE)
        {
            pipeline.publish(RingTranslators.CLOSE, this, new CloseChannel(cs.channelId & 0xffffffffL, "stream-closed"));
        }
    }

    private void connectionEnded()
    {
        closed.set(true);
        setUp.countDown();
        if (opened.compareAndSet(true, false))
        {
            pipeline.publish(RingTranslators.CLOSED, this, null);
        }
        if (closeReason != null)
        {
            LOG.info("quic connection {} closed by the pool: {}", peer.id(), closeReason);
        }
        final OutboundQueue q = control;
        if (q != null)
        {
            q.close(0);
        }
        metrics.connectionsClosed.increment();
    }

    private void sendFromReader(final OutboundQueue q, final Message m)
    {
        pipeline.execute(() -> sent(logicFrames.message(q, m)));
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

    /** A channel stream's queue; a full one closes that channel's stream only (head-of-line isolation). */
    private void sentOn(final ChannelStream cs, final boolean ok)
    {
        if (!ok && !closed.get())
        {
            metrics.slowReaders.increment();
            LOG.info("quic connection {}: channel {} stream not reading: reset", peer.id(), cs.channelId);
            cs.stream.reset(QuicByteStream.ERROR_PROTOCOL);
        }
    }

    @Override
    public void openStandardMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final byte[] extranoncePrefix, final int groupChannelId)
    {
        final ChannelStream cs = pendingOpens.remove(requestId);
        if (cs == null)
        {
            return;
        }
        cs.channelId = channelId;
        channels.put(channelId, cs);
        sentOn(cs, logicFrames.message(cs.queue, new OpenStandardMiningChannelSuccess(requestId & 0xffffffffL,
            channelId & 0xffffffffL, target, extranoncePrefix, groupChannelId & 0xffffffffL)));
    }

    @Override
    public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
    {
        final ChannelStream cs = pendingOpens.remove(requestId);
        if (cs == null)
        {
            return;
        }
        cs.channelId = channelId;
        channels.put(channelId, cs);
        sentOn(cs, logicFrames.message(cs.queue, new OpenExtendedMiningChannelSuccess(requestId & 0xffffffffL,
            channelId & 0xffffffffL, target, extranonceSize, extranoncePrefix, groupChannelId & 0xffffffffL)));
    }

    @Override
    public void openMiningChannelError(final int requestId, final String errorCode)
    {
        final ChannelStream cs = pendingOpens.remove(requestId);
        if (cs != null)
        {
            logicFrames.message(cs.queue, new OpenMiningChannelError(requestId & 0xffffffffL, errorCode));
            finishOutput(cs);
        }
    }

    @Override
    public void updateChannelError(final int channelId, final String errorCode)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.message(cs.queue, new UpdateChannelError(channelId & 0xffffffffL, errorCode)));
        }
    }

    @Override
    public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final byte[] merkleRoot, final int merkleRootOffset)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.newMiningJob(cs.queue, channelId, jobId, minNtime, version, merkleRoot,
                merkleRootOffset));
        }
    }

    @Override
    public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount, final byte[] coinbaseTxPrefix,
        final byte[] coinbaseTxSuffix)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.newExtendedMiningJob(cs.queue, channelId, jobId, minNtime, version,
                versionRollingAllowed, merklePath, pathCount, coinbaseTxPrefix, coinbaseTxSuffix));
        }
    }

    @Override
    public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
        final int nbits)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.setNewPrevHash(cs.queue, channelId, jobId, prevHash, minNtime, nbits));
        }
    }

    @Override
    public void setCustomMiningJobSuccess(final int channelId, final int requestId, final int jobId)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.message(cs.queue, new SetCustomMiningJobSuccess(channelId & 0xffffffffL,
                requestId & 0xffffffffL, jobId & 0xffffffffL)));
        }
    }

    @Override
    public void setCustomMiningJobError(final int channelId, final int requestId, final String errorCode)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.message(cs.queue, new SetCustomMiningJobError(channelId & 0xffffffffL,
                requestId & 0xffffffffL, errorCode)));
        }
    }

    @Override
    public void setTarget(final int channelId, final byte[] maximumTarget)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.setTarget(cs.queue, channelId, maximumTarget));
        }
    }

    @Override
    public void setExtranoncePrefix(final int channelId, final byte[] extranoncePrefix)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.message(cs.queue, new SetExtranoncePrefix(channelId & 0xffffffffL, extranoncePrefix)));
        }
    }

    @Override
    public void setGroupChannel(final int groupChannelId, final int[] channelIds, final int count)
    {
        final long[] ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = channelIds[i] & 0xffffffffL;
        }
        final OutboundQueue q = control;
        if (q != null)
        {
            sent(logicFrames.message(q, new SetGroupChannel(groupChannelId & 0xffffffffL, ids)));
        }
    }

    @Override
    public void submitSharesSuccess(final int channelId, final int lastSequenceNumber, final int newSubmitsAcceptedCount,
        final long newSharesSum)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.submitSharesSuccess(cs.queue, channelId, lastSequenceNumber, newSubmitsAcceptedCount,
                newSharesSum));
        }
    }

    @Override
    public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
    {
        final ChannelStream cs = channels.get(channelId);
        if (cs != null)
        {
            sentOn(cs, logicFrames.submitSharesError(cs.queue, channelId, sequenceNumber, error.ascii()));
        }
    }

    @Override
    public void closeChannel(final int channelId, final String reasonCode)
    {
        final ChannelStream cs = channels.remove(channelId);
        if (cs != null)
        {
            logicFrames.message(cs.queue, new CloseChannel(channelId & 0xffffffffL, reasonCode));
            finishOutput(cs);
        }
    }

    /** Off the logic thread: lets the queue drain (at most 1 s), then sends FIN: CloseChannel closes the stream. */
    private static void finishOutput(final ChannelStream cs)
    {
        Thread.startVirtualThread(() ->
        {
            cs.queue.close(1000);
            try
            {
                cs.stream.closeOutput();
            }
            catch (final IOException | RuntimeException ignored)
            {
                // reset by the peer
            }
        });
    }

    /**
     * After a refused SetupConnection: ends the control stream (FIN after the error) and waits for the peer to read it
     * and close, at most {@link #REFUSAL_LINGER_MS}, before closing the connection. Closing at once lets QUIC's
     * CONNECTION_CLOSE overtake the error's stream data when it still needs a retransmission, and the client then sees
     * a closed connection instead of the reason. Anything the peer still sends is read and dropped.
     */
    private void lingerThenDisconnect(final QuicByteStream stream, final FrameStream frames)
    {
        final Thread timer = Thread.ofVirtual().start(() ->
        {
            try
            {
                Thread.sleep(REFUSAL_LINGER_MS);
                disconnect(null);
            }
            catch (final InterruptedException ignored)
            {
                // the peer closed first
            }
        });
        try
        {
            stream.closeOutput();
            while (!closed.get())
            {
                frames.readFrame();
            }
        }
        catch (final IOException | RuntimeException ended)
        {
            // the peer closed its side, or the timer closed the connection
        }
        finally
        {
            timer.interrupt();
            disconnect(null);
        }
    }

    @Override
    public void disconnect(final String reason)
    {
        if (closed.compareAndSet(false, true))
        {
            closeReason = reason;
            peer.close(reason == null ? 0 : ERROR_PROTOCOL, reason == null ? "" : reason);
        }
    }

    @Override
    public String protocol()
    {
        return "sv2";
    }

    /** The transport, for per-transport views. */
    public String transport()
    {
        return "quic";
    }

    /** One channel's stream and its outbound queue. */
    private static final class ChannelStream
    {
        static final int NONE = -1;
        final QuicByteStream stream;
        final OutboundQueue queue;
        /** Set by the logic thread when the channel opens, before its Success is queued; read by the reader. */
        volatile int channelId = NONE;

        ChannelStream(final QuicByteStream stream, final OutboundQueue queue)
        {
            this.stream = stream;
            this.queue = queue;
        }
    }
}
