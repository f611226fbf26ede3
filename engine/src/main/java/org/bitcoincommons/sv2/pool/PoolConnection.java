package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.transport.ByteStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;
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
import org.bitcoincommons.sv2.transport.IoLoop;
import org.bitcoincommons.sv2.transport.TcpServer;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream SV2 mining connection over TCP on the pool side: its lifecycle, and the last stage of a share's path.
 * <p>
 * The path of a share, stage by stage, and where each lives:
 * <ol>
 * <li>transport: the socket ({@link ByteStream}), read by the connection's event loop ({@link IoLoop}, once set up;
 * with {@code io_loops = 0}, by its own virtual thread in {@link #serve});</li>
 * <li>noise: {@link NoiseChannel} decrypts one frame ({@link NoiseChannel#receive} on the loop);</li>
 * <li>codec: {@link InboundDispatch} decodes it in place and</li>
 * <li>pipeline: publishes it to the share ring through a {@link RingTranslators static translator};</li>
 * <li>pool logic: {@link PoolEventProcessor} on the logic thread stages it in {@link ShareProcessor}, which checks it,</li>
 * <li>hash: hashes the batch in one kernel call,</li>
 * <li>journal: credits it through {@link JournalAccounting}, and</li>
 * <li>transport: queues the batch's SubmitShares.Success here ({@link #submitSharesSuccess}, the
 * {@link MiningDownstream} side of this class) into the bounded {@link OutboundQueue}, which the event loop drains,
 * encrypts and writes at the connection's next write turn (with {@code io_loops = 0}: the queue's writer thread).</li>
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
    /** How long the hand-over to an event loop waits for the writer thread to finish its last write. */
    static final long HAND_OVER_WAIT_MS = 2000;

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
    /** Where the connection moves once set up (null: its reader and writer threads stay); set before serve. */
    private IoLoop loop;
    /** Gives the socket's end to its new owner ({@link TcpServer#detach}); with {@code loop}. */
    private Supplier<Runnable> detach;
    /** The connection on its loop, once handed over; null before (and always without a loop). */
    private volatile IoLoop.Handle handle;
    /** Run once at the connection's true end (whichever thread ends it). */
    private Runnable onEnd = () -> { };

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

    /**
     * Once set up, the connection leaves its threads for {@code loop} (non-blocking reads and writes on the loop's
     * thread; see {@link IoLoop}); {@code detach} tells the TCP server the socket has a new owner and returns what to
     * run at its end. Only for TCP streams over a socket channel. Set before serve.
     */
    public PoolConnection ioLoop(final IoLoop loop, final Supplier<Runnable> detach)
    {
        this.loop = loop;
        this.detach = detach;
        return this;
    }

    /** Runs once when the connection has ended, on whichever thread ended it; set before serve. */
    public PoolConnection onEnd(final Runnable r)
    {
        this.onEnd = r;
        return this;
    }

    /** True once the connection runs on an event loop. */
    boolean onLoop()
    {
        return handle != null;
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

    /**
     * Runs the connection until it ends, or until it is set up and handed to its event loop; called on its own
     * virtual thread.
     */
    public void serve() throws IOException
    {
        metrics.connectionsAccepted.increment();
        boolean opened = false;
        boolean handedOver = false;
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
            final InboundDispatch d = new InboundDispatch(this, channel, pipeline,
                (flags & FLAG_REQUIRES_WORK_SELECTION) != 0 ? customJobs : null);
            final LoopEndpoint endpoint = loop != null ? handOver(d) : null;
            pipeline.publish(RingTranslators.OPENED, this, (flags & FLAG_REQUIRES_STANDARD_JOBS) != 0);
            opened = true;
            inbound = d;
            if (endpoint != null)
            {
                endpoint.start();
                handedOver = true;
                return;
            }
            d.run();
        }
        catch (final Exception ex)
        {
            failed(ex);
        }
        finally
        {
            if (!handedOver)
            {
                ended(opened);
            }
        }
    }

    /**
     * Moves the connection to its loop: the writer thread ends (its queue is drained by the loop from now on) and the
     * channel goes non-blocking. Returns the endpoint to start once OPENED is published, or null when the connection
     * cannot move (not a TCP socket channel: it keeps its threads).
     */
    private LoopEndpoint handOver(final InboundDispatch d) throws IOException
    {
        if (!(stream instanceof TcpStream t) || t.socket().getChannel() == null)
        {
            return null;
        }
        if (!queue.handOver(this::drainSoon, HAND_OVER_WAIT_MS))
        {
            throw new IOException("the writer did not finish within " + HAND_OVER_WAIT_MS + " ms of the set-up");
        }
        channel.nonBlocking();
        return new LoopEndpoint(d, t);
    }

    /** The outbound queue's drainer once on a loop: a commit (logic thread) asks the loop for a write turn. */
    private void drainSoon()
    {
        final IoLoop.Handle h = handle;
        if (h != null)
        {
            queue.drainRequested(System.nanoTime());
            h.schedule();
        }
    }

    /** Logs why the connection ended (a fault of its own; nothing when the peer or the pool closed it). */
    private void failed(final Exception ex)
    {
        if (ex instanceof NoiseException ne)
        {
            if (ne.reason() != NoiseException.Reason.EOF && !closed.get())
            {
                metrics.protocolErrors.increment();
                LOG.info("connection {}: {}", id, ne.getMessage());
            }
        }
        else if (ex instanceof CodecException)
        {
            metrics.protocolErrors.increment();
            LOG.info("connection {}: malformed frame: {}", id, ex.getMessage());
        }
        else if (ex instanceof ProtocolViolation)
        {
            metrics.protocolErrors.increment();
            LOG.info("connection {}: protocol violation: {}", id, ex.getMessage());
        }
        else if (ex instanceof IOException)
        {
            if (!closed.get())
            {
                LOG.debug("connection {}: {}", id, ex.toString());
            }
        }
        else
        {
            LOG.info("connection {} ended: {}", id, ex.toString());
        }
    }

    /** The connection's end, once, on the thread that ends it. */
    private void ended(final boolean opened)
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
        onEnd.run();
    }

    /** The connection on its event loop: reads, writes and its end, all on the loop's thread. */
    private final class LoopEndpoint implements IoLoop.Endpoint
    {
        /** Frames moved from the queue to the channel per pass; passes go on while the socket takes them. */
        private static final int DRAIN_BATCH = 256;
        /** Encrypted bytes waiting for the socket beyond which no more frames are taken from the queue. */
        private static final int UNSENT_LIMIT = 64 * 1024;

        private final InboundDispatch dispatch;
        private final TcpStream tcp;
        private final org.bitcoincommons.sv2.transport.TransportStats stats;
        private Runnable release;

        LoopEndpoint(final InboundDispatch dispatch, final TcpStream tcp)
        {
            this.dispatch = dispatch;
            this.tcp = tcp;
            this.stats = tcp.stats();
        }

        /**
         * On the connection's own thread, after OPENED: dispatches what its reader had read ahead, tells the server
         * the socket has a new owner, and registers it on the loop (whose first turn drains what was queued meanwhile).
         */
        void start() throws IOException
        {
            final byte[] early = tcp.takeReadAhead();
            onRead(early, 0, early.length);
            final IoLoop.Handle h = loop.attach(tcp.socket().getChannel(), this);
            release = detach.get();
            handle = h;
            h.schedule();
        }

        @Override
        public void onRead(final byte[] src, final int offset, final int length) throws IOException
        {
            if (stats != null && length > 0)
            {
                stats.bytesIn.add(length);
            }
            int at = offset;
            final int end = offset + length;
            while (at < end)
            {
                at += channel.receive(src, at, end - at);
                final int frame = channel.readyFrame();
                if (frame > 0)
                {
                    dispatch.dispatch(frame);
                }
            }
        }

        @Override
        public boolean onWritable(final SocketChannel socket) throws IOException
        {
            // Until the queue is empty and everything encrypted is written, or the socket is full. After a full
            // write the queue is always looked at again: frames may have waited there while the unsent bytes were
            // over the limit, and nothing else would call for them.
            while (true)
            {
                if (channel.unsentBytes() < UNSENT_LIMIT)
                {
                    queue.drainTo(DRAIN_BATCH);
                }
                if (channel.unsentBytes() == 0)
                {
                    return true;
                }
                final int written = channel.sendTo(socket);
                if (stats != null && written > 0)
                {
                    stats.bytesOut.add(written);
                }
                if (channel.unsentBytes() > 0)
                {
                    return false;   // the socket is full: the loop calls again when it can take more
                }
            }
        }

        @Override
        public boolean closing()
        {
            return closed.get();
        }

        @Override
        public void onEnd(final Exception cause)
        {
            if (cause != null)
            {
                failed(cause);
            }
            try
            {
                ended(true);
            }
            finally
            {
                if (release != null)
                {
                    release.run();
                }
            }
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
            final IoLoop.Handle h = handle;
            if (h != null)
            {
                h.schedule();   // the loop ends it
            }
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
