package org.bitcoincommons.sv2.template.tdp;

import org.bitcoincommons.sv2.transport.TcpStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.RequestTransactionData;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataError;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.template.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Template Distribution client of the {@link TemplateProviderServer}: its messages are read and answered on the
 * connection's own virtual thread; everything sent goes through a bounded queue drained by a writer thread, so that
 * the chain's thread only enqueues. A message that ends the connection (an error then a disconnect) is written before
 * the socket closes.
 */
final class TemplateProviderSession
{
    private static final Logger LOG = LoggerFactory.getLogger(TemplateProviderSession.class);
    /** Frames waiting for a client; a client that lets this many pile up is not reading and is disconnected. */
    private static final int QUEUE_FRAMES = 256;
    /** How long the reader waits for the writer to send a last error before the socket closes, ms. */
    private static final long LINGER_MS = 2000;
    /** Queued after the last frame of a connection that ends: the writer flushes and stops (compared by identity). */
    private static final Message CLOSE = new RequestTransactionData(-1);

    private final TemplateProviderServer server;
    private final Socket socket;
    private final long id;
    private final BlockingQueue<Message> outbox = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private volatile NoiseChannel channel;
    private Thread writer;
    private volatile boolean setupConfirmed;
    private volatile boolean constraintsReceived;
    /** Guarded by this: the newest chain template sent and the previous hash the client last had. */
    private long lastChainTemplateId = -1;
    private byte[] lastPrevHash;

    TemplateProviderSession(final TemplateProviderServer server, final Socket socket, final long id)
    {
        this.server = server;
        this.socket = socket;
        this.id = id;
    }

    /** Runs the connection until it ends (on its own virtual thread). */
    void serve() throws IOException
    {
        try
        {
            channel = NoiseChannel.accept(new TcpStream(socket), server.noise());
            channel.maxReceivePayload(Math.min(SetupConnection.MAX_LENGTH, channel.maxReceivePayload()));
        }
        catch (final NoiseException ex)
        {
            LOG.info("template provider client {} from {}: handshake failed: {}", id, socket.getRemoteSocketAddress(),
                ex.getMessage());
            return;
        }
        writer = Thread.ofVirtual().name("sv2-tp-writer-" + id).start(this::writeLoop);
        try
        {
            readLoop();
        }
        catch (final NoiseException ex)
        {
            if (ex.reason() != NoiseException.Reason.EOF)
            {
                LOG.info("template provider client {}: {}", id, ex.getMessage());
            }
        }
        catch (final SocketTimeoutException ex)
        {
            LOG.info("template provider client {}: no SetupConnection within {} ms", id,
                server.noise().handshakeTimeoutMs());
        }
        catch (final Disconnect ex)
        {
            LOG.info("template provider client {}: disconnected: {}", id, ex.getMessage());
        }
        finally
        {
            finish();
        }
    }

    private void readLoop() throws IOException
    {
        socket.setSoTimeout((int)Math.max(1, server.noise().handshakeTimeoutMs()));
        while (true)
        {
            final int length = channel.readFrame();
            final DirectBuffer b = channel.frameBuffer();
            final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
            final int msgLength = length - payload;
            if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) != 0)
            {
                continue;   // no extension is spoken here; unknown extensions are ignored (spec 3.4)
            }
            final int type = FrameHeaderFlyweight.msgType(b, 0);
            switch (type)
            {
                case CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION ->
                {
                    if (!setup(b, payload, msgLength))
                    {
                        return;
                    }
                    socket.setSoTimeout(0);
                    channel.maxReceivePayload(server.maxPayloadBytes());
                }
                case TemplateDistributionProtocol.MESSAGE_TYPE_COINBASE_OUTPUT_CONSTRAINTS ->
                    constraints(b, payload, msgLength);
                case TemplateDistributionProtocol.MESSAGE_TYPE_REQUEST_TRANSACTION_DATA ->
                    transactionData(b, payload, msgLength);
                case TemplateDistributionProtocol.MESSAGE_TYPE_SUBMIT_SOLUTION -> solution(b, payload, msgLength);
                default -> LOG.warn("template provider client {}: ignored unknown message type 0x{}", id,
                    Integer.toHexString(type));
            }
        }
    }

    /** Returns false when the client was refused (the error is queued; the connection then ends). */
    private boolean setup(final DirectBuffer b, final int offset, final int length)
    {
        if (setupConfirmed)
        {
            LOG.info("template provider client {}: SetupConnection again, ignored", id);
            return true;
        }
        final SetupConnection s;
        try
        {
            s = SetupConnection.decode(b, offset, length);
        }
        catch (final CodecException ex)
        {
            throw new Disconnect("invalid SetupConnection: " + ex.getMessage());
        }
        final String refusal;
        if (s.protocol() != CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION)
        {
            refusal = "unsupported-protocol";
        }
        else if (TemplateProviderServer.PROTOCOL_VERSION < s.minVersion() ||
            TemplateProviderServer.PROTOCOL_VERSION > s.maxVersion())
        {
            refusal = "protocol-version-mismatch";
        }
        else
        {
            refusal = null;
        }
        if (refusal != null)
        {
            LOG.info("template provider client {}: SetupConnection refused: {} (protocol {}, versions {}..{})", id,
                refusal, s.protocol(), s.minVersion(), s.maxVersion());
            send(new SetupConnectionError(s.flags(), refusal));
            return false;
        }
        send(new SetupConnectionSuccess(TemplateProviderServer.PROTOCOL_VERSION, 0));
        setupConfirmed = true;
        LOG.debug("template provider client {}: set up by {} {} {}", id, s.vendor(), s.hardwareVersion(), s.firmware());
        return true;
    }

    private void constraints(final DirectBuffer b, final int offset, final int length)
    {
        if (!setupConfirmed)
        {
            throw new Disconnect("CoinbaseOutputConstraints before SetupConnection.Success");
        }
        final CoinbaseOutputConstraints c;
        try
        {
            c = CoinbaseOutputConstraints.decode(b, offset, length);
        }
        catch (final CodecException ex)
        {
            throw new Disconnect("invalid CoinbaseOutputConstraints: " + ex.getMessage());
        }
        if (c.coinbaseOutputMaxAdditionalSize() > TemplateProviderServer.MAX_ADDITIONAL_SIZE)
        {
            throw new Disconnect("impossible CoinbaseOutputConstraints: " + c.coinbaseOutputMaxAdditionalSize() +
                " bytes exceed the block weight limit " + TemplateProviderServer.MAX_ADDITIONAL_SIZE);
        }
        LOG.debug("template provider client {}: coinbase outputs up to {} bytes, {} sigops", id,
            c.coinbaseOutputMaxAdditionalSize(), c.coinbaseOutputMaxAdditionalSigops());
        constraintsReceived = true;
        // New constraints rebuild the template at once (sv2-tp interrupts its wait for the next one).
        sendTemplate(server.chain().currentTemplate(), true);
    }

    private void transactionData(final DirectBuffer b, final int offset, final int length)
    {
        final RequestTransactionData r;
        try
        {
            r = RequestTransactionData.decode(b, offset, length);
        }
        catch (final CodecException ex)
        {
            LOG.info("template provider client {}: invalid RequestTransactionData: {}", id, ex.getMessage());
            return;
        }
        final ProvidedTemplates.Lookup l = server.templates().forTransactionData(r.templateId(), server.nowMs());
        if (l.template() == null)
        {
            LOG.debug("template provider client {}: RequestTransactionData {}: {}", id, r.templateId(), l.errorCode());
            send(new RequestTransactionDataError(r.templateId(), l.errorCode()));
            return;
        }
        send(TemplateMessages.transactionData(r.templateId(), l.template()));
    }

    private void solution(final DirectBuffer b, final int offset, final int length)
    {
        if (!setupConfirmed && !constraintsReceived)
        {
            throw new Disconnect("SubmitSolution before SetupConnection");
        }
        final SubmitSolution s;
        try
        {
            s = SubmitSolution.decode(b, offset, length);
        }
        catch (final CodecException ex)
        {
            LOG.info("template provider client {}: invalid SubmitSolution: {}", id, ex.getMessage());
            return;
        }
        final Template t = server.templates().forSolution(s.templateId());
        if (t == null)
        {
            LOG.info("template provider client {}: SubmitSolution for template {}, which is no longer cached", id,
                s.templateId());
            return;
        }
        final byte[] block;
        try
        {
            block = TemplateMessages.block(t, s);
        }
        catch (final MalformedDataException ex)
        {
            LOG.info("template provider client {}: SubmitSolution for template {}: coinbase does not parse: {}", id,
                s.templateId(), ex.getMessage());
            return;
        }
        final String hash = HashOrder.toDisplayHex(Sha256d.hash(Arrays.copyOf(block, 80)));
        final String reason = server.chain().submitBlock(block);
        if (reason == null)
        {
            LOG.info("template provider client {}: block {} (template {}) accepted", id, hash, s.templateId());
        }
        else
        {
            LOG.info("template provider client {}: block {} (template {}) rejected: {}", id, hash, s.templateId(),
                reason);
        }
    }

    /**
     * Sends {@code t} if the client is ready for templates: NewTemplate (future) and SetNewPrevHash when its previous
     * hash is new to the client or on a rebuild, else NewTemplate (not future) alone. Older chain templates than one
     * already sent are skipped, so concurrent notifications cannot take the client back.
     */
    synchronized void sendTemplate(final Template t, final boolean rebuild)
    {
        if (!constraintsReceived || t.id() < lastChainTemplateId || (!rebuild && t.id() == lastChainTemplateId))
        {
            return;
        }
        lastChainTemplateId = t.id();
        final boolean newTip = rebuild || lastPrevHash == null || !Arrays.equals(lastPrevHash, t.prevHash());
        lastPrevHash = t.prevHash();
        final long templateId = server.templates().add(t, server.nowMs());
        send(TemplateMessages.newTemplate(templateId, newTip, t));
        if (newTip)
        {
            send(TemplateMessages.setNewPrevHash(templateId, t));
        }
    }

    private void send(final Message m)
    {
        if (!outbox.offer(m))
        {
            LOG.info("template provider client {}: {} frames queued unread, disconnecting", id, QUEUE_FRAMES);
            close();
        }
    }

    private void writeLoop()
    {
        try
        {
            while (true)
            {
                Message m = outbox.take();
                while (m != null)
                {
                    if (m == CLOSE)
                    {
                        channel.flush();
                        return;
                    }
                    TdpFrames.queue(channel, m);
                    m = outbox.poll();
                }
                channel.flush();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.debug("template provider client {}: write failed: {}", id, ex.toString());
            close();
        }
    }

    /** Lets the writer send what is queued (bounded by LINGER_MS), then closes. */
    private void finish()
    {
        if (writer != null)
        {
            try
            {
                if (outbox.offer(CLOSE, LINGER_MS, TimeUnit.MILLISECONDS))
                {
                    writer.join(LINGER_MS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            writer.interrupt();
        }
        close();
    }

    /** Frame deadline sweep state, touched by the sweeper thread only. */
    private long sweptFrame;
    private long sweptSinceNs;

    /** Called once a second by the sweeper: closes the connection when one frame has waited past the deadline. */
    void closeIfFrameOverdue(final long nowNs, final long deadlineNs)
    {
        final NoiseChannel c = channel;
        final long frame = c == null ? 0 : c.partialFrame();
        if (frame == 0)
        {
            sweptFrame = 0;
            return;
        }
        if (frame != sweptFrame)
        {
            sweptFrame = frame;
            sweptSinceNs = nowNs;
            return;
        }
        if (nowNs - sweptSinceNs >= deadlineNs)
        {
            LOG.info("template provider client {}: a frame's payload did not arrive within {} ms of its header", id,
                deadlineNs / 1_000_000);
            close();
        }
    }

    void close()
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

    /** A client fault that ends its connection (sv2-tp sets its disconnect flag for these). */
    private static final class Disconnect extends RuntimeException
    {
        Disconnect(final String message)
        {
            super(message, null, false, false);
        }
    }
}
