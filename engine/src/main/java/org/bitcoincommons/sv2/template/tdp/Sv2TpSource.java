package org.bitcoincommons.sv2.template.tdp;

import org.bitcoincommons.sv2.transport.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.RequestTransactionData;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataError;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.Sv2TpConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.template.SourceHealth;
import org.bitcoincommons.sv2.template.SourceState;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.template.TemplateListener;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates from an SV2 Template Provider (Bitcoin Core's sv2-tp, this engine's own, or any other) over Template
 * Distribution: a Noise NX initiator that refuses a provider whose certificate the configured authority did not sign,
 * SetupConnection for protocol 2, CoinbaseOutputConstraints sized for the pool's outputs, then NewTemplate (future and
 * not), SetNewPrevHash, RequestTransactionData for every template (the block and the aux proofs need its
 * transactions) and SubmitSolution for found blocks.
 * <p>
 * A template reaches the pool when a SetNewPrevHash has activated it (or, not future, it improves the active tip) and
 * its transactions have arrived and passed the checks of {@link ReceivedTemplate} ({@link TemplateTracker}). Received templates are kept by
 * template_id ({@value #KEPT_RECEIVED} at most), delivered ones for block submission ({@value #KEPT_DELIVERED}).
 * <p>
 * Health: {@link #phase()} says where the connection stands; {@link #state()} is what the pool's failover sees
 * ({@link SourceHealth#HEALTHY} in phase READY only, NOT_READY while waiting for a valid template, DOWN after a
 * fault, STARTING until the first attempt ends), and each change of it reaches the listener's
 * {@link TemplateListener#onStateChange} once. READY while connected with a valid active template; any fault (connection refused, bad certificate, SetupConnection.Error, a malformed or truncated frame,
 * EOF) closes the connection, moves to FAILED and reconnects with exponential backoff (100 ms to 5 s); invalid
 * template data moves to WAITING_FOR_TEMPLATE. Each such change is logged once; the same fault repeating is not
 * logged again. The pool keeps mining its last template meanwhile: this source only ever hands it valid ones.
 * <p>
 * Threads: one virtual thread reads the connection and calls the listener; {@link #submitBlock} runs on the caller's
 * thread; sends are serialized by a lock.
 */
public final class Sv2TpSource implements TemplateSource
{
    private static final Logger LOG = LoggerFactory.getLogger(Sv2TpSource.class);
    public static final int PROTOCOL_VERSION = 2;
    /** How long {@link #submitBlock} waits for the provider to announce the block as its new tip, by default. */
    public static final long DEFAULT_SUBMIT_CONFIRM_MS = 10_000;
    static final int KEPT_RECEIVED = 8;
    static final int KEPT_DELIVERED = 8;
    static final long BACKOFF_MIN_MS = 100;
    static final long BACKOFF_MAX_MS = 5_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final String VENDOR = "sv2-java";

    /** Where the connection stands. Only READY is healthy. */
    public enum State
    {
        /** Opening TCP and running the Noise handshake. */
        CONNECTING,
        /** Handshake done; SetupConnection sent, its answer awaited. */
        SETTING_UP,
        /** Set up, but no valid active template yet (or the last one announced was invalid). */
        WAITING_FOR_TEMPLATE,
        /** Connected, with a valid template on the provider's tip delivered to the pool. */
        READY,
        /** The last connection failed; reconnecting after a backoff. */
        FAILED,
        /** Closed by {@link #close()}. */
        CLOSED
    }

    private final InetSocketAddress address;
    private final NoiseConfig noise;
    private final CoinbaseBudget budget;
    private final long submitConfirmMs;
    private final Object sendLock = new Object();

    private volatile TemplateListener listener;
    private volatile LongConsumer tipAnnounced = ns -> { };
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile NoiseChannel channel;

    private final TdpHealth health;
    private final TemplateTracker tracker;
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private volatile long tipHeight = -1;
    private volatile byte[] bestHash;
    private volatile long setupLatencyUs = -1;
    /** What the failover sees; replaced (never mutated) under {@link #health}'s transitions, read lock-free. */
    private volatile SourceState sourceState = SourceState.starting("sv2-tp", System.currentTimeMillis());
    private final Map<String, Long> rejected = new TreeMap<>();

    /**
     * @param address            the provider's host:port
     * @param authorityPublicKey the provider's authority x-only key (32 bytes): its certificate must be signed by it
     * @param budget             the pool's coinbase outputs, sent as CoinbaseOutputConstraints
     * @param handshakeTimeoutMs Noise handshake deadline, and the wait for SetupConnection's answer
     * @param submitConfirmMs    how long {@link #submitBlock} waits for the provider to announce the block as its tip
     */
    public Sv2TpSource(final InetSocketAddress address, final byte[] authorityPublicKey, final CoinbaseBudget budget,
        final long handshakeTimeoutMs, final long submitConfirmMs)
    {
        if (authorityPublicKey == null || authorityPublicKey.length != 32)
        {
            throw new IllegalArgumentException("the Template Provider's 32-byte authority key is required");
        }
        this.address = address;
        this.budget = budget;
        this.submitConfirmMs = submitConfirmMs;
        this.health = new TdpHealth(address);
        this.tracker = new TemplateTracker(KEPT_RECEIVED, KEPT_DELIVERED, new TemplateTracker.Events()
        {
            @Override
            public void requestTransactions(final long templateId) throws IOException
            {
                send(new RequestTransactionData(templateId));
            }

            @Override
            public void deliver(final Template template, final boolean newTip)
            {
                Sv2TpSource.this.deliver(template, newTip);
            }

            @Override
            public void problem(final String reason)
            {
                transition(State.WAITING_FOR_TEMPLATE, reason);
            }
        });
        this.noise = new NoiseConfig()
            .authorityPublicKey(authorityPublicKey)
            .handshakeTimeoutMs(handshakeTimeoutMs)
            .conclude();
    }

    /**
     * The source {@code [template.sv2_tp]} describes.
     *
     * @throws ConfigException naming {@code template.sv2_tp.authority_public_key} when the key does not decode
     */
    public static Sv2TpSource create(final Sv2TpConfig config, final CoinbaseBudget budget, final long handshakeTimeoutMs)
    {
        final byte[] key;
        try
        {
            key = AuthorityKeys.decodePublic(config.authorityPublicKey());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("template.sv2_tp.authority_public_key: " + ex.getMessage(), ex);
        }
        return new Sv2TpSource(config.address(), key, budget, handshakeTimeoutMs, DEFAULT_SUBMIT_CONFIRM_MS);
    }

    @Override
    public synchronized void start(final TemplateListener listener)
    {
        if (thread != null)
        {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        thread = Thread.ofVirtual().name("sv2-tp-client").start(this::run);
    }

    /**
     * Called with {@link System#nanoTime()} on the reader thread as soon as a SetNewPrevHash frame has been read and
     * decrypted, before anything else is done with it: the start of the tip-to-miner latency. Must be quick.
     */
    public void tipAnnouncedHook(final LongConsumer hook)
    {
        tipAnnounced = hook == null ? ns -> { } : hook;
    }

    @Override
    public String name()
    {
        return "sv2-tp";
    }

    public InetSocketAddress address()
    {
        return address;
    }

    @Override
    public long tipHeight()
    {
        return tipHeight;
    }

    /** Where the connection stands (finer than {@link #state()}'s health). */
    public State phase()
    {
        return health.state();
    }

    /** True while connected with a valid template on the provider's tip. */
    public boolean healthy()
    {
        return health.state() == State.READY;
    }

    /**
     * Height and best hash of the newest delivered template, the setup round trip of the current or last connection
     * ({@code latencyUs}: TCP connect, Noise handshake and SetupConnection), the last fault while not healthy, and the
     * blocks the provider did not take by reason.
     */
    @Override
    public SourceState state()
    {
        final SourceState s = sourceState;
        final byte[] best = bestHash;
        final Map<String, Long> refused;
        synchronized (rejected)
        {
            refused = Map.copyOf(rejected);
        }
        return new SourceState(s.name(), s.health(), best == null ? -1 : tipHeight + 1,
            best == null ? "" : HashOrder.toDisplayHex(best), setupLatencyUs, s.error(), s.sinceMs(), refused);
    }

    /**
     * A fresh connection to the same provider until its first valid template (or a fault, or {@code timeoutMs}), then
     * closed; nothing is delivered to this source's listener.
     */
    @Override
    public SourceState probe(final long timeoutMs)
    {
        final Sv2TpSource probe = new Sv2TpSource(address, noise.authorityPublicKey(), budget, noise.handshakeTimeoutMs(),
            submitConfirmMs);
        final CountDownLatch settled = new CountDownLatch(1);
        try
        {
            probe.start(new TemplateListener()
            {
                @Override
                public void onTemplate(final Template template, final boolean newTip)
                {
                    settled.countDown();
                }

                @Override
                public void onStateChange(final SourceState state)
                {
                    if (state.health() == SourceHealth.DOWN)
                    {
                        settled.countDown();
                    }
                }
            });
            if (!settled.await(timeoutMs, TimeUnit.MILLISECONDS))
            {
                final SourceState s = probe.state();
                return s.health().usable() ? s : s.withHealth(SourceHealth.DOWN,
                    "no template within " + timeoutMs + " ms" + (s.error().isEmpty() ? "" : " (" + s.error() + ")"),
                    System.currentTimeMillis());
            }
            return probe.state();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return probe.state().withHealth(SourceHealth.DOWN, "interrupted", System.currentTimeMillis());
        }
        finally
        {
            probe.close();
        }
    }

    // ------------------------------------------------------------------------------------------ connection loop

    private void run()
    {
        long backoffMs = BACKOFF_MIN_MS;
        while (!closed)
        {
            final boolean[] setUp = {false};
            try
            {
                connection(setUp);
            }
            catch (final NoiseException ex)
            {
                failed(ex.reason() == NoiseException.Reason.EOF ? "the provider closed the connection (" +
                    ex.getMessage() + ")" : ex.getMessage());
            }
            catch (final CodecException ex)
            {
                failed("malformed frame: " + ex.getMessage());
            }
            catch (final ProtocolFault ex)
            {
                failed(ex.getMessage());
            }
            catch (final SocketTimeoutException ex)
            {
                failed("no answer to SetupConnection within " + noise.handshakeTimeoutMs() + " ms");
            }
            catch (final IOException ex)
            {
                failed(ex.getMessage() == null ? ex.toString() : ex.getMessage());
            }
            catch (final RuntimeException ex)
            {
                failed("unexpected: " + ex);
                LOG.error("sv2-tp {}: unexpected failure", address, ex);
            }
            finally
            {
                disconnect();
            }
            if (closed)
            {
                break;
            }
            if (setUp[0])
            {
                backoffMs = BACKOFF_MIN_MS;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
            backoffMs = Math.min(2 * backoffMs, BACKOFF_MAX_MS);
        }
        transition(State.CLOSED, null);
    }

    private void connection(final boolean[] setUp) throws IOException
    {
        transition(State.CONNECTING, null);
        final Socket s = new Socket();
        socket = s;
        if (closed)
        {
            return;
        }
        final long startNs = System.nanoTime();
        s.connect(address, CONNECT_TIMEOUT_MS);
        s.setKeepAlive(true);
        final NoiseChannel ch = NoiseChannel.connect(new TcpStream(s), noise);
        channel = ch;
        transition(State.SETTING_UP, null);
        send(new SetupConnection(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, PROTOCOL_VERSION, PROTOCOL_VERSION, 0,
            address.getHostString(), address.getPort(), VENDOR, "", "", ""));
        s.setSoTimeout((int)Math.max(1, noise.handshakeTimeoutMs()));
        final int length = ch.readFrame();
        s.setSoTimeout(0);
        expectSetupSuccess(ch.frameBuffer(), length);
        setupLatencyUs = (System.nanoTime() - startNs) / 1000;
        setUp[0] = true;
        send(new CoinbaseOutputConstraints(budget.maxAdditionalSize(), budget.maxAdditionalSigops()));
        tracker.reset();
        transition(State.WAITING_FOR_TEMPLATE, null);
        while (!closed)
        {
            final int n = ch.readFrame();
            dispatch(ch.frameBuffer(), n);
        }
    }

    private void expectSetupSuccess(final DirectBuffer b, final int length)
    {
        final int type = FrameHeaderFlyweight.msgType(b, 0);
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        if (FrameHeaderFlyweight.extensionType(b, 0) == 0 &&
            type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
        {
            final SetupConnectionSuccess ok = SetupConnectionSuccess.decode(b, payload, length - payload);
            if (ok.usedVersion() != PROTOCOL_VERSION)
            {
                throw new ProtocolFault("SetupConnection.Success chose version " + ok.usedVersion() + ", not " +
                    PROTOCOL_VERSION);
            }
            return;
        }
        if (FrameHeaderFlyweight.extensionType(b, 0) == 0 && type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR)
        {
            final SetupConnectionError error = SetupConnectionError.decode(b, payload, length - payload);
            throw new ProtocolFault("SetupConnection refused: " + error.errorCode());
        }
        throw new ProtocolFault("expected SetupConnection.Success, got message type 0x" + Integer.toHexString(type));
    }

    private void dispatch(final DirectBuffer b, final int length)
    {
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        final int msgLength = length - payload;
        if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) !=
            TemplateDistributionProtocol.EXTENSION_TYPE)
        {
            return;   // unknown extensions are dropped (spec 3.4)
        }
        switch (FrameHeaderFlyweight.msgType(b, 0))
        {
            case TemplateDistributionProtocol.MESSAGE_TYPE_NEW_TEMPLATE ->
            {
                try
                {
                    tracker.newTemplate(NewTemplate.decode(b, payload, msgLength));
                }
                catch (final IOException ex)
                {
                    throw new ProtocolFault("RequestTransactionData could not be sent: " + ex.getMessage());
                }
            }
            case TemplateDistributionProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH ->
            {
                tipAnnounced.accept(System.nanoTime());
                onSetNewPrevHash(SetNewPrevHash.decode(b, payload, msgLength));
            }
            case TemplateDistributionProtocol.MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_SUCCESS ->
            {
                final RequestTransactionDataSuccess m = RequestTransactionDataSuccess.decode(b, payload, msgLength);
                if (!tracker.transactionData(m))
                {
                    LOG.debug("sv2-tp {}: transaction data for template {}, no longer kept", address, m.templateId());
                }
            }
            case TemplateDistributionProtocol.MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_ERROR ->
            {
                final RequestTransactionDataError m = RequestTransactionDataError.decode(b, payload, msgLength);
                if (!tracker.transactionDataError(m))
                {
                    LOG.debug("sv2-tp {}: RequestTransactionData {}: {}", address, m.templateId(), m.errorCode());
                }
            }
            default -> LOG.debug("sv2-tp {}: ignored message type 0x{}", address,
                Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)));
        }
    }

    private void onSetNewPrevHash(final SetNewPrevHash m)
    {
        final CompletableFuture<Void> confirmation = confirmations.remove(HashOrder.toDisplayHex(m.prevHash()));
        if (confirmation != null)
        {
            confirmation.complete(null);
        }
        tracker.setNewPrevHash(m);
    }

    /** A valid template for the pool (on the reader thread). */
    private void deliver(final Template t, final boolean newTip)
    {
        tipHeight = t.height() - 1L;
        bestHash = t.prevHash();
        transition(State.READY, null);
        try
        {
            listener.onTemplate(t, newTip);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("sv2-tp {}: the pool failed on template {}", address, t.id(), ex);
        }
    }

    private void send(final Message m) throws IOException
    {
        final NoiseChannel ch = channel;
        if (ch == null)
        {
            throw new IOException("not connected to the Template Provider");
        }
        synchronized (sendLock)
        {
            TdpFrames.queue(ch, m);
            ch.flush();
        }
    }

    private void disconnect()
    {
        channel = null;
        final Socket s = socket;
        if (s != null)
        {
            try
            {
                s.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------- block submission

    /**
     * Sends the block's solution to the provider as SubmitSolution (template_id, version, time, nonce and the full
     * coinbase), then waits up to {@code submitConfirmMs} for the provider to announce the block as its new tip.
     *
     * @return null when the provider announced it; {@code "inconclusive"} when it did not in time (the provider
     *         never answers SubmitSolution; a rejected block just is not announced); {@code "unknown-template"} when
     *         no kept template has the block's previous hash and merkle root; {@code "not-connected"} when the
     *         solution could not be sent; {@code "bad-block: ..."} when the block does not parse
     */
    @Override
    public String submitBlock(final byte[] block)
    {
        final String answer = submit(block);
        if (answer != null)
        {
            synchronized (rejected)
            {
                rejected.merge(answer.startsWith("bad-block") ? "bad-block" : answer, 1L, Long::sum);
            }
        }
        return answer;
    }

    private String submit(final byte[] block)
    {
        final Block b;
        try
        {
            b = Block.parse(block);
        }
        catch (final MalformedDataException ex)
        {
            return "bad-block: " + ex.getMessage();
        }
        final byte[] header = b.header();
        final Transaction coinbase = b.transactions().get(0);
        final Template t = tracker.templateOf(header, coinbase.txid());
        if (t == null)
        {
            return "unknown-template";
        }
        final String hash = HashOrder.toDisplayHex(Sha256d.hash(header));
        final CompletableFuture<Void> confirmation = new CompletableFuture<>();
        confirmations.put(hash, confirmation);
        try
        {
            send(new SubmitSolution(t.id(), readU32(header, 0), readU32(header, 68), readU32(header, 76),
                coinbase.serialize(TxSerialization.WITNESS)));
        }
        catch (final IOException ex)
        {
            confirmations.remove(hash);
            return "not-connected";
        }
        try
        {
            confirmation.get(submitConfirmMs, TimeUnit.MILLISECONDS);
            return null;
        }
        catch (final TimeoutException | ExecutionException | java.util.concurrent.CancellationException ex)
        {
            return "inconclusive";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "inconclusive";
        }
        finally
        {
            confirmations.remove(hash);
        }
    }

    private static long readU32(final byte[] b, final int offset)
    {
        return (b[offset] & 0xffL) | (b[offset + 1] & 0xffL) << 8 | (b[offset + 2] & 0xffL) << 16 |
            (b[offset + 3] & 0xffL) << 24;
    }

    // --------------------------------------------------------------------------------------------------- health

    private void failed(final String error)
    {
        if (!closed)
        {
            transition(State.FAILED, error);
        }
    }

    private void transition(final State next, final String error)
    {
        final SourceHealth h = switch (next)
        {
            case READY -> SourceHealth.HEALTHY;
            case WAITING_FOR_TEMPLATE -> sourceState.health() == SourceHealth.STARTING && error == null
                ? SourceHealth.STARTING : SourceHealth.NOT_READY;
            case FAILED -> SourceHealth.DOWN;
            case CLOSED -> SourceHealth.STOPPED;
            case CONNECTING, SETTING_UP -> sourceState.health();   // an attempt: the health of the last outcome holds
        };
        final String why = h.usable() || h == SourceHealth.STARTING ? "" : error != null ? error
            : next == State.CLOSED ? "closed" : health.lastError() == null ? "" : health.lastError();
        // (health.lastError() is the same before and after health.transition when error is null and next is not READY,
        // the only case that reads it.)
        final SourceState before = sourceState;
        final boolean changed = before.health() != h || !before.error().equals(why);
        if (changed)
        {
            sourceState = before.withHealth(h, why, System.currentTimeMillis());
        }
        // The phase last: whoever sees it (phase()) then finds the health and error that go with it in state(); the
        // phase's own transition may log first, which once left FAILED visible with the error not yet published.
        health.transition(next, error, tipHeight + 1);
        if (!changed)
        {
            return;
        }
        final TemplateListener l = listener;
        if (l != null && before.health() != h)
        {
            try
            {
                l.onStateChange(state());
            }
            catch (final RuntimeException ex)
            {
                LOG.error("sv2-tp {}: the pool failed on a state change", address, ex);
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        disconnect();
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
            try
            {
                t.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (final CompletableFuture<Void> f : confirmations.values())
        {
            f.cancel(false);
        }
    }

    /** The provider broke the protocol; the connection is closed and reopened. */
    private static final class ProtocolFault extends RuntimeException
    {
        ProtocolFault(final String message)
        {
            super(message, null, false, false);
        }
    }
}
