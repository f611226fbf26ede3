package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.transport.ByteStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
import org.bitcoincommons.sv2.noise.ResponderWorkers;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.work.Job;
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
 * <li>transport: the socket ({@link ByteStream}), read by the connection's event loop ({@link IoLoop}, from its
 * handshake on: {@link #serveOnLoop}; with {@code io_loops = 0}, by its own virtual thread in {@link #serve});</li>
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
 * Before that, the Noise NX handshake (on the loop: act 1 read there, the curve work on a {@link ResponderWorkers}
 * thread, act 2 written there) and {@link MiningSetup}'s answer to SetupConnection. Faults (a bad handshake, a
 * malformed frame, a message that is not valid in this state, a peer that stops reading) end this connection only,
 * with a logged reason.
 */
public final class PoolConnection implements MiningDownstream
{
    /**
     * What a server hears of its connections' lives: one instance for all of them, so that a connection holds no
     * callback objects of its own (each would be one more object a reconnect storm makes the GC copy).
     */
    public interface Owner
    {
        /** SetupConnection succeeded: the connection is no longer unauthenticated. On the connection's reader. */
        default void setUp(final PoolConnection c)
        {
        }

        /** The connection's first channel is open (its admission is over); on the pool logic thread: short, no block. */
        default void firstChannel(final PoolConnection c)
        {
        }

        /** The socket now belongs to the connection's event loop ({@link #ioLoop}); before the loop first runs it. */
        default void detached(final PoolConnection c)
        {
        }

        /** On the loop, after {@link #ended}: the socket of a {@link #detached} connection is the owner's to close. */
        default void released(final PoolConnection c)
        {
        }

        /** The connection has ended, once, on whichever thread ended it. */
        default void ended(final PoolConnection c)
        {
        }
    }

    private static final Owner NO_OWNER = new Owner()
    {
    };

    private static final Logger LOG = LoggerFactory.getLogger(PoolConnection.class);
    private static final VarHandle CLOSED;
    private static final VarHandle PRE_AUTH_FAILURE_COUNTED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(PoolConnection.class, "closed", boolean.class);
            PRE_AUTH_FAILURE_COUNTED = lookup.findVarHandle(PoolConnection.class, "preAuthFailureCounted",
                boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The protocol version this pool speaks (SetupConnection min/max). */
    public static final int PROTOCOL_VERSION = 2;
    static final int FLAG_REQUIRES_STANDARD_JOBS = 1;
    static final int FLAG_REQUIRES_WORK_SELECTION = 1 << 1;
    static final int FLAG_REQUIRES_VERSION_ROLLING = 1 << 2;
    /**
     * Outbound queue to start with (the smallest ring: frames up to 128 bytes, as a standard channel's); it grows up
     * to the configured limit when a larger frame (an extended job) or a burst comes.
     */
    static final int INITIAL_QUEUE_BYTES = 1024;

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
    /**
     * False until the connection is closed, never false again: {@link #markClosed} where one caller must win, a plain
     * write where the writer is alone. A field with a VarHandle, not an AtomicBoolean: one object less a connection.
     */
    private volatile boolean closed;
    private volatile NoiseChannel channel;
    private OutboundQueue queue;
    private volatile String closeReason;
    /** Deadline sweeper's view of the frame in progress: owned by the sweeping thread. */
    private long sweptFrame;
    private long sweptSinceNs;
    /** Told of this connection's set-up, first channel, hand-over to a loop and end; one for all of a server's. */
    private Owner owner = NO_OWNER;
    /** Logic thread only: a channel has been opened on this connection ({@link Owner#firstChannel} has run). */
    private boolean channelOpened;
    /** The pool logic that checks custom jobs when the pool runs a JDS (REQUIRES_WORK_SELECTION accepted); else null. */
    private PoolLogic customJobs;
    private PoolLogic accounts;
    /** The reader's stage once the connection is set up; null before. */
    private volatile InboundDispatch inbound;
    /** The event loop that serves the connection (null: its own reader and writer threads); set before serving. */
    private IoLoop loop;
    /** The connection on its loop, once attached; null before (and always without a loop). */
    private volatile IoLoop.Handle handle;
    /** Where the curve work of the handshake runs when the loop does the handshake ({@link #serveOnLoop}). */
    private ResponderWorkers workers;
    /** Where the loop-served connection's transport ciphers take their native contexts; null: their own. */
    private org.bitcoincommons.sv2.crypto.CipherContexts cipherContexts;
    /** {@link #serveOnLoop}'s phase: PHASE_*; written by the loop thread, read by the deadline sweeper. */
    private volatile int phase = PHASE_OPEN;
    /** The handshake's, then SetupConnection's deadline (System.nanoTime) while on the loop before set-up; 0 after. */
    private volatile long setupDeadlineNs;
    /** Set by whoever first counts a handshake or set-up failure of this connection (the loop or the sweeper). */
    private volatile boolean preAuthFailureCounted;

    /** True for the one caller that closes the connection. */
    private boolean markClosed()
    {
        return CLOSED.compareAndSet(this, false, true);
    }

    /** True for the one caller that counts the connection's pre-authentication failure. */
    private boolean markPreAuthFailureCounted()
    {
        return PRE_AUTH_FAILURE_COUNTED.compareAndSet(this, false, true);
    }

    /** Waiting for act 1's 64 bytes. */
    private static final int PHASE_ACT1 = 0;
    /** Act 1 is in; a worker computes act 2 and the keys. */
    private static final int PHASE_CURVE = 1;
    /** Act 2 is queued; waiting for SetupConnection (or its refusal is going out). */
    private static final int PHASE_SETUP = 2;
    /** Set up: OPENED is published, frames go to the ring. */
    private static final int PHASE_OPEN = 3;

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
     * The connection runs on {@code loop} ({@link #serveOnLoop}: non-blocking reads and writes on the loop's thread;
     * see {@link IoLoop}); its owner is told when the socket has moved to the loop ({@link Owner#detached}) and at
     * the socket's end ({@link Owner#released}). Only for TCP streams over a socket channel. Set before serving.
     */
    public PoolConnection ioLoop(final IoLoop loop)
    {
        this.loop = loop;
        return this;
    }

    /** Who hears of this connection's life ({@link Owner}); set before serving. */
    public PoolConnection owner(final Owner owner)
    {
        this.owner = java.util.Objects.requireNonNull(owner, "owner");
        return this;
    }

    /** The connection's id, as its TCP server numbered it. */
    public long id()
    {
        return id;
    }

    /** The connection's transport. */
    public ByteStream stream()
    {
        return stream;
    }

    /** True once the connection runs on an event loop. */
    boolean onLoop()
    {
        return handle != null;
    }

    private void channelOpened()
    {
        if (!channelOpened)
        {
            channelOpened = true;
            owner.firstChannel(this);
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

    /** Runs the connection on its own virtual thread (and its queue's writer thread) until it ends. */
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
            queue = newQueue();
            final int flags = MiningSetup.accept(id, stream, channel, noise, queue, maxPayloadBytes, metrics, preAuthLog,
                () -> owner.setUp(this), customJobs != null);
            if (flags < 0)
            {
                return;
            }
            final InboundDispatch d = new InboundDispatch(this, channel, pipeline,
                (flags & FLAG_REQUIRES_WORK_SELECTION) != 0 ? customJobs : null);
            pipeline.publish(RingTranslators.OPENED, this, (flags & FLAG_REQUIRES_STANDARD_JOBS) != 0);
            opened = true;
            inbound = d;
            d.run();
        }
        catch (final Exception ex)
        {
            failed(ex);
        }
        finally
        {
            ended(opened);
        }
    }

    /**
     * Hands the connection to its event loop from the start, without a thread of its own (called on the accept
     * thread, or on the thread that waited for an admission slot; returns at once): the loop reads act 1, a
     * {@code workers} thread does the curve work, the loop writes act 2, answers SetupConnection and then serves the
     * connection as any other. The handshake, then SetupConnection, each get the handshake timeout, checked by the
     * pool's sweep ({@link #closeIfSetupOverdue}) about once a second. Needs {@link #ioLoop} and a TCP socket channel.
     */
    public void serveOnLoop(final ResponderWorkers workers) throws IOException
    {
        serveOnLoop(workers, null);
    }

    /**
     * {@link #serveOnLoop(ResponderWorkers)} with the transport ciphers' native contexts taken from {@code contexts}
     * (null: contexts of their own) and given back at the connection's end.
     */
    public void serveOnLoop(final ResponderWorkers workers, final org.bitcoincommons.sv2.crypto.CipherContexts contexts)
        throws IOException
    {
        if (!(stream instanceof TcpStream t) || t.socket().getChannel() == null || loop == null)
        {
            throw new IllegalStateException("serveOnLoop needs an event loop and a TCP socket channel");
        }
        metrics.connectionsAccepted.increment();
        this.workers = workers;
        this.cipherContexts = contexts;
        try
        {
            final LoopEndpoint endpoint = new LoopEndpoint(t);
            phase = PHASE_ACT1;
            setupDeadlineNs = System.nanoTime() + noise.handshakeTimeoutMs() * 1_000_000L;
            final IoLoop.Handle h = loop.attach(t.socket().getChannel(), endpoint);
            owner.detached(this);
            endpoint.detached = true;
            handle = h;
            h.schedule();
        }
        catch (final IOException | RuntimeException ex)
        {
            ended(false);   // the TCP server still owns the socket and closes it
            throw ex;
        }
    }

    /**
     * The handshake or SetupConnection deadline of a connection set up on its loop: closes it, counted and logged as
     * a handshake or set-up failure, once {@code nowNs} is past it. Called by the pool's sweeping thread.
     *
     * @return true when it closed the connection
     */
    public boolean closeIfSetupOverdue(final long nowNs)
    {
        final long deadline = setupDeadlineNs;
        if (deadline == 0 || nowNs - deadline < 0 || closed || phase == PHASE_OPEN)
        {
            return false;
        }
        if (markPreAuthFailureCounted())
        {
            if (phase < PHASE_SETUP)
            {
                metrics.handshakeFailures.increment();
                preAuthLog.handshakeFailed(id, stream.remoteAddress(),
                    "handshake not finished within " + noise.handshakeTimeoutMs() + " ms");
            }
            else
            {
                metrics.setupFailures.increment();
                preAuthLog.setupFailed(id, stream.remoteAddress(),
                    "no SetupConnection within " + noise.handshakeTimeoutMs() + " ms");
            }
        }
        if (markClosed())
        {
            closeTransport();
            final IoLoop.Handle h = handle;
            if (h != null)
            {
                h.schedule();
            }
        }
        return true;
    }

    private OutboundQueue newQueue()
    {
        return new OutboundQueue(INITIAL_QUEUE_BYTES, outboundBytes, channel)
            .writerStartLatency(metrics.ackQueuedToWriter);
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
            if (ne.reason() != NoiseException.Reason.EOF && !closed)
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
            if (!closed)
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
        owner.ended(this);
    }

    /**
     * The connection on its event loop ({@link #serveOnLoop}): reads, writes and its end, all on the loop's thread.
     * It first reads act 1, has a worker compute act 2, writes it, answers SetupConnection, and from then on
     * dispatches frames to the ring and drains the outbound queue.
     */
    private final class LoopEndpoint implements IoLoop.Endpoint, Runnable
    {
        /** Frames moved from the queue to the channel per pass; passes go on while the socket takes them. */
        private static final int DRAIN_BATCH = 256;
        /** Encrypted bytes waiting for the socket beyond which no more frames are taken from the queue. */
        private static final int UNSENT_LIMIT = 64 * 1024;
        /** Bytes a client may send after act 1 and before act 2 has gone out (a client that follows NX sends none). */
        private static final int EARLY_LIMIT = 16 * 1024;

        private final org.bitcoincommons.sv2.transport.TransportStats stats;
        private InboundDispatch dispatch;
        /** The socket was handed to the loop ({@link Owner#detached}): its end is told at the connection's. */
        private boolean detached;
        // The handshake on the loop (serveOnLoop): act 1, what arrives before act 2 is out, the worker's result.
        private byte[] act1;
        private int act1Fill;
        private byte[] early;
        private int earlyFill;
        private byte[] act2;
        private org.bitcoincommons.sv2.noise.TransportCipher cipher;
        private Exception curveFailure;
        /** Set by the worker after act2/cipher/curveFailure (its write publishes them to the loop). */
        private volatile boolean curveDone;
        /** SetupConnection was refused: the refusal goes out, then the connection ends. */
        private boolean refused;
        /** The connection has ended (guarded by this endpoint: a worker's {@link #keep} reads it). */
        private boolean over;

        /** Starts with the handshake; counts the socket's bytes in the stream's stats. */
        LoopEndpoint(final TcpStream tcp)
        {
            this.stats = tcp.stats();
            this.act1 = new byte[org.bitcoincommons.sv2.noise.NoiseInitiator.ACT1_LENGTH];
        }

        @Override
        public void onRead(final byte[] src, final int offset, final int length) throws IOException
        {
            if (stats != null && length > 0)
            {
                stats.bytesIn.add(length);
            }
            consume(src, offset, offset + length);
        }

        private void consume(final byte[] src, final int offset, final int end) throws IOException
        {
            int at = offset;
            if (phase == PHASE_ACT1)
            {
                final int n = Math.min(end - at, act1.length - act1Fill);
                System.arraycopy(src, at, act1, act1Fill, n);
                act1Fill += n;
                at += n;
                if (act1Fill < act1.length)
                {
                    return;
                }
                phase = PHASE_CURVE;
                try
                {
                    workers.submit(this::curve);
                }
                catch (final java.util.concurrent.RejectedExecutionException ex)
                {
                    throw new IOException("the pool is closing", ex);
                }
            }
            if (phase == PHASE_CURVE)
            {
                keepEarly(src, at, end - at);
                return;
            }
            while (at < end && !refused)
            {
                at += channel.receive(src, at, end - at);
                final int frame = channel.readyFrame();
                if (frame > 0)
                {
                    if (dispatch != null)
                    {
                        dispatch.dispatch(frame);
                    }
                    else
                    {
                        setUp(frame);
                    }
                }
            }
        }

        private void keepEarly(final byte[] src, final int offset, final int length) throws IOException
        {
            if (length == 0)
            {
                return;
            }
            if (earlyFill + length > EARLY_LIMIT)
            {
                throw new NoiseException(NoiseException.Reason.BAD_ACT1, "more than " + EARLY_LIMIT +
                    " bytes after act 1 before act 2");
            }
            if (early == null || early.length < earlyFill + length)
            {
                early = java.util.Arrays.copyOf(early == null ? new byte[0] : early,
                    Math.min(EARLY_LIMIT, Math.max(256, 2 * (earlyFill + length))));
            }
            System.arraycopy(src, offset, early, earlyFill, length);
            earlyFill += length;
        }

        /** On a worker: act 2 and the transport keys from act 1, unless the handshake's deadline has passed. */
        private void curve()
        {
            if (closed)
            {
                return;   // closed while it waited (its deadline, the pool's close): the loop has ended it
            }
            try
            {
                if (System.nanoTime() - setupDeadlineNs > 0)
                {
                    throw new NoiseException(NoiseException.Reason.HANDSHAKE_TIMEOUT, "no handshake turn within "
                        + noise.handshakeTimeoutMs() + " ms (" + workers.threads() + " handshakes at a time)");
                }
                final byte[] out = new byte[org.bitcoincommons.sv2.noise.NoiseInitiator.ACT2_LENGTH];
                final org.bitcoincommons.sv2.noise.TransportCipher c =
                    noise.responder().readAct1WriteAct2(act1, 0, out, 0, cipherContexts);
                if (!keep(c))
                {
                    return;   // the connection ended while the curve ran: its contexts are given back already
                }
                act2 = out;
            }
            catch (final Exception ex)
            {
                curveFailure = ex;
            }
            curveDone = true;
            handle.schedule();
        }

        /** On the loop, once the worker is done: act 2 queued, the channel and queue made, what came early read. */
        private void established() throws IOException
        {
            if (curveFailure != null)
            {
                throw curveFailure instanceof IOException io ? io : new IOException(curveFailure);
            }
            final NoiseChannel c = NoiseChannel.nonBlocking(stream, cipher, noise.maxPayloadLength());
            c.maxReceivePayload(Math.min(SetupConnection.MAX_LENGTH, noise.maxPayloadLength()));
            c.queueRaw(act2, 0, act2.length);
            channel = c;
            act1 = null;
            act2 = null;
            cipher = null;
            queue = newQueue();
            queue.handOver(this, 0);   // the endpoint is the queue's drainer (run): no object of its own
            setupDeadlineNs = System.nanoTime() + noise.handshakeTimeoutMs() * 1_000_000L;
            phase = PHASE_SETUP;
            if (earlyFill > 0)
            {
                final byte[] e = early;
                early = null;
                consume(e, 0, earlyFill);
            }
        }

        /** The first frame after the handshake: SetupConnection, answered; then the connection is open (or refused). */
        private void setUp(final int frame) throws IOException
        {
            final int flags = MiningSetup.answer(id, stream.remoteAddress(), channel, noise, queue, maxPayloadBytes,
                metrics, preAuthLog, () -> owner.setUp(PoolConnection.this), customJobs != null, frame);
            if (flags < 0)
            {
                preAuthFailureCounted = true;   // counted and logged; the sweep still ends a peer that never reads
                refused = true;
                return;
            }
            final InboundDispatch d = new InboundDispatch(PoolConnection.this, channel, pipeline,
                (flags & FLAG_REQUIRES_WORK_SELECTION) != 0 ? customJobs : null);
            pipeline.publish(RingTranslators.OPENED, PoolConnection.this, (flags & FLAG_REQUIRES_STANDARD_JOBS) != 0);
            dispatch = d;
            inbound = d;
            phase = PHASE_OPEN;
            setupDeadlineNs = 0;
        }

        /** The outbound queue's drainer (a commit, on the logic thread, asks the loop for a write turn). */
        @Override
        public void run()
        {
            drainSoon();
        }

        @Override
        public boolean onWritable(final SocketChannel socket) throws IOException
        {
            if (phase == PHASE_ACT1 || phase == PHASE_CURVE && !curveDone)
            {
                return true;   // nothing to write before act 2
            }
            if (phase == PHASE_CURVE)
            {
                established();
            }
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
                    if (refused && !queue.pending())
                    {
                        closed = true;   // the refusal is out: the loop ends the connection at its next turn
                        handle.schedule();
                    }
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
            return closed;
        }

        @Override
        public void onEnd(final Exception cause)
        {
            final int p = phase;
            if (p < PHASE_SETUP)
            {
                // The handshake did not finish: counted once (the sweep may have counted its timeout), unless the
                // pool itself closed the connection.
                if (!closed && markPreAuthFailureCounted())
                {
                    metrics.handshakeFailures.increment();
                    preAuthLog.handshakeFailed(id, stream.remoteAddress(), cause != null ? cause.getMessage()
                        : "stream ended before the handshake (" + act1Fill + " of 64 bytes of act 1)");
                }
            }
            else if (cause != null && !(p == PHASE_SETUP && preAuthFailureCounted))
            {
                failed(cause);
            }
            try
            {
                ended(p == PHASE_OPEN);
            }
            finally
            {
                try
                {
                    if (detached)
                    {
                        owner.released(PoolConnection.this);
                    }
                }
                finally
                {
                    releaseCiphers();
                }
            }
        }

        /** On a worker: the handshake's ciphers, kept unless the connection has ended meanwhile (then released). */
        private boolean keep(final org.bitcoincommons.sv2.noise.TransportCipher c)
        {
            synchronized (this)
            {
                if (!over)
                {
                    cipher = c;
                    return true;
                }
            }
            c.release();
            return false;
        }

        /**
         * At the end, on the loop (after the last use of the ciphers): the transport ciphers' native contexts wiped
         * and given back, whether the channel got them or they still wait for {@link #established}.
         */
        private void releaseCiphers()
        {
            final org.bitcoincommons.sv2.noise.TransportCipher waiting;
            synchronized (this)
            {
                over = true;
                waiting = cipher;
                cipher = null;
            }
            if (waiting != null)
            {
                waiting.release();
            }
            final NoiseChannel c = channel;
            if (c != null)
            {
                c.releaseCipher();
            }
        }
    }

    // ---- MiningDownstream: called on the pool logic thread ----

    private void sent(final boolean ok)
    {
        if (!ok && !closed)
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
        final byte[] merkleRoot, final int merkleRootOffset)
    {
        sent(logicFrames.newMiningJob(queue, channelId, jobId, minNtime, version, merkleRoot, merkleRootOffset));
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
        if (frame == 0 || closed)
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
        if (markClosed())
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
        closed = true;
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
