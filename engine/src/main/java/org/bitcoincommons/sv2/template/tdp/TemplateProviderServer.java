package org.bitcoincommons.sv2.template.tdp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.transport.TcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded chain as an SV2 Template Provider: Template Distribution over Noise NX (the pool's responder code and
 * authority key), with Bitcoin Core's sv2-tp behaviours, so that any SV2 pool can take its templates from it:
 * <ul>
 * <li>SetupConnection must ask for protocol 2 ({@code unsupported-protocol}) with version 2 in [min, max]
 * ({@code protocol-version-mismatch}); both errors are followed by a disconnect;</li>
 * <li>CoinbaseOutputConstraints before SetupConnection.Success, undecodable, or asking more than 4,000,000 bytes
 * (MAX_BLOCK_WEIGHT) is a disconnect; the sigops U16 is optional; each one received makes a fresh template at
 * once;</li>
 * <li>templates go to a client once it has sent its constraints: NewTemplate (future) immediately followed by
 * SetNewPrevHash on a new tip or a rebuild, NewTemplate (not future) alone for a better template on the same tip;</li>
 * <li>RequestTransactionData answers {@code template-id-not-found} or {@code stale-template-id} (10 s after a new
 * tip), else the transactions and the witness reserved value ({@link ProvidedTemplates});</li>
 * <li>SubmitSolution rebuilds the block from the cached template and submits it to the chain; there is no reply (a
 * new tip follows when the chain accepts it).</li>
 * </ul>
 * Each client has its own reader (a virtual thread from {@link TcpServer}) and writer; a client that stops reading is
 * disconnected when its queue fills, without holding up the chain or other clients.
 */
public final class TemplateProviderServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TemplateProviderServer.class);
    /** The Template Distribution protocol version served. */
    public static final int PROTOCOL_VERSION = 2;
    /** The largest coinbase_output_max_additional_size accepted: Bitcoin Core's MAX_BLOCK_WEIGHT. */
    public static final long MAX_ADDITIONAL_SIZE = 4_000_000;
    /** Largest message a client may send once set up, by default ({@code max_template_distribution_payload_bytes}). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 << 20;
    /** How long a frame's payload may take to follow its header, by default ({@code frame_deadline_ms}). */
    public static final long DEFAULT_FRAME_DEADLINE_MS = 10_000;

    private final EmbeddedChain chain;
    private final NoiseConfig noise;
    private final EpochClock clock;
    private final ProvidedTemplates templates = new ProvidedTemplates();
    private final Set<TemplateProviderSession> sessions = ConcurrentHashMap.newKeySet();
    private final TcpServer tcp;
    private long lastChainTemplateId = -1;
    private volatile boolean closed;
    private volatile int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private volatile long frameDeadlineMs = DEFAULT_FRAME_DEADLINE_MS;
    private Thread sweeper;

    /**
     * @param chain          the chain whose templates are served and which judges submitted blocks
     * @param listenAddr     where to listen (port 0: any free port, see {@link #localAddress()})
     * @param noise          responder settings with the authority secret key that signs certificates
     * @param clock          wall clock, ms (the stale-template grace period)
     * @param maxConnections clients beyond this are closed at once
     */
    public TemplateProviderServer(final EmbeddedChain chain, final InetSocketAddress listenAddr, final NoiseConfig noise,
        final EpochClock clock, final int maxConnections) throws IOException
    {
        if (noise.authoritySecretKey() == null)
        {
            throw new IllegalArgumentException("the Template Provider needs an authority secret key");
        }
        this.chain = chain;
        this.noise = noise.conclude();
        this.clock = clock;
        this.tcp = new TcpServer("sv2-tp", listenAddr, maxConnections, this::serve);
    }

    /**
     * Bounds what a client's frames may cost, as the pool's listener does: before SetupConnection only a
     * SetupConnection fits; after it, {@code maxPayloadBytes}; a frame whose payload has not followed its header within
     * {@code frameDeadlineMs} closes the connection. Before {@link #start()}.
     */
    public TemplateProviderServer limits(final int maxPayloadBytes, final long frameDeadlineMs)
    {
        if (maxPayloadBytes < SetupConnection.MAX_LENGTH || frameDeadlineMs <= 0)
        {
            throw new IllegalArgumentException("maxPayloadBytes must be >= " + SetupConnection.MAX_LENGTH +
                " and frameDeadlineMs > 0, got " + maxPayloadBytes + ", " + frameDeadlineMs);
        }
        this.maxPayloadBytes = Math.min(maxPayloadBytes, noise.maxPayloadLength());
        this.frameDeadlineMs = frameDeadlineMs;
        return this;
    }

    /** Starts accepting clients and following the chain. */
    public void start()
    {
        tcp.start();
        chain.addListener((t, newTip) -> onChainTemplate());
        sweeper = Thread.ofVirtual().name("sv2-tp-frame-deadline").start(this::sweepLoop);
    }

    int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /** Once a second: closes clients whose frame has waited for its payload longer than the deadline. */
    private void sweepLoop()
    {
        while (!closed)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
            final long nowNs = System.nanoTime();
            for (final TemplateProviderSession s : sessions)
            {
                s.closeIfFrameOverdue(nowNs, frameDeadlineMs * 1_000_000L);
            }
        }
    }

    public InetSocketAddress localAddress()
    {
        return tcp.localAddress();
    }

    /** Clients connected now (including those still in the handshake). */
    public int openConnections()
    {
        return tcp.openConnections();
    }

    /** Templates cached for RequestTransactionData and SubmitSolution. */
    public int cachedTemplates()
    {
        return templates.size();
    }

    EmbeddedChain chain()
    {
        return chain;
    }

    NoiseConfig noise()
    {
        return noise;
    }

    ProvidedTemplates templates()
    {
        return templates;
    }

    long nowMs()
    {
        return clock.time();
    }

    private void serve(final Socket socket, final long connectionId) throws IOException
    {
        final TemplateProviderSession s = new TemplateProviderSession(this, socket, connectionId);
        sessions.add(s);
        try
        {
            s.serve();
        }
        finally
        {
            sessions.remove(s);
        }
    }

    /**
     * The chain made a new template: every client that has sent its constraints gets it. Notifications may arrive
     * out of order from concurrent block submissions, so the chain's current template is what is sent, once.
     */
    private void onChainTemplate()
    {
        final Template t;
        synchronized (this)
        {
            t = chain.currentTemplate();
            if (closed || t.id() == lastChainTemplateId)
            {
                return;
            }
            lastChainTemplateId = t.id();
        }
        for (final TemplateProviderSession s : sessions)
        {
            s.sendTemplate(t, false);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        if (sweeper != null)
        {
            java.util.concurrent.locks.LockSupport.unpark(sweeper);
        }
        tcp.close();
        for (final TemplateProviderSession s : sessions)
        {
            s.close();
        }
        LOG.info("Template Provider stopped");
    }
}
