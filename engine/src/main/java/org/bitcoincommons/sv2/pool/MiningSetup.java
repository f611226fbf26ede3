package org.bitcoincommons.sv2.pool;

import java.io.IOException;
import java.net.SocketTimeoutException;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.ByteStream;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection's SetupConnection, after the Noise handshake and before any mining message: what this pool
 * accepts (the Mining protocol, version 2, no work selection) and how it refuses the rest.
 */
final class MiningSetup
{
    private static final Logger LOG = LoggerFactory.getLogger(PoolConnection.class);

    private MiningSetup()
    {
    }

    /**
     * Reads SetupConnection within the handshake timeout and answers it; returns its flags, or -1 after refusing it
     * (the refusal is queued, counted and logged, and the queue drained for at most a second).
     */
    static int accept(final long id, final ByteStream stream, final NoiseChannel channel, final NoiseConfig noise,
        final OutboundQueue queue, final int maxPayloadBytes, final PoolMetrics metrics, final PreAuthLog preAuthLog,
        final Runnable onSetUp, final boolean workSelectionOffered) throws IOException
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
        final int flags = answer(id, stream.remoteAddress(), channel, noise, queue, maxPayloadBytes, metrics,
            preAuthLog, onSetUp, workSelectionOffered, length);
        if (flags < 0)
        {
            queue.close(1000);
        }
        return flags;
    }

    /**
     * Answers the first frame of a connection (in {@code channel.frameBuffer()}, {@code length} bytes with its header),
     * which must be SetupConnection: returns its flags once SetupConnectionSuccess is queued, or -1 once the refusal
     * is queued, counted and logged (the caller closes the connection after it has gone out).
     *
     * @throws PoolConnection.ProtocolViolation when the frame is not SetupConnection
     */
    static int answer(final long id, final java.net.SocketAddress remote, final NoiseChannel channel,
        final NoiseConfig noise, final OutboundQueue queue, final int maxPayloadBytes, final PoolMetrics metrics,
        final PreAuthLog preAuthLog, final Runnable onSetUp, final boolean workSelectionOffered, final int length)
    {
        final DirectBuffer b = channel.frameBuffer();
        if (FrameHeaderFlyweight.extensionType(b, 0) != 0 ||
            FrameHeaderFlyweight.msgType(b, 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION)
        {
            throw new PoolConnection.ProtocolViolation("the first message must be SetupConnection, got type 0x" +
                Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)));
        }
        final SetupConnection s = SetupConnection.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, length - FrameHeaderFlyweight.HEADER_LENGTH);
        final String refusal;
        long badFlags = 0;
        if (s.protocol() != CommonProtocol.PROTOCOL_MINING)
        {
            refusal = "unsupported-protocol";
        }
        else if (s.minVersion() > PoolConnection.PROTOCOL_VERSION || s.maxVersion() < PoolConnection.PROTOCOL_VERSION)
        {
            refusal = "protocol-version-mismatch";
        }
        else if ((s.flags() & PoolConnection.FLAG_REQUIRES_WORK_SELECTION) != 0 && !workSelectionOffered)
        {
            // Custom jobs need Job Declaration; this pool builds its own templates.
            refusal = "unsupported-feature-flags";
            badFlags = PoolConnection.FLAG_REQUIRES_WORK_SELECTION;
        }
        else
        {
            refusal = null;
        }
        if (refusal != null)
        {
            metrics.setupFailures.increment();
            MiningFrames.messageOnce(queue, new SetupConnectionError(badFlags, refusal));
            preAuthLog.setupFailed(id, remote, "SetupConnection refused: " + refusal +
                " (protocol " + s.protocol() + ", versions " + s.minVersion() + ".." + s.maxVersion() + ", flags 0x" +
                Long.toHexString(s.flags()) + ")");
            return -1;
        }
        channel.maxReceivePayload(Math.min(maxPayloadBytes, noise.maxPayloadLength()));
        MiningFrames.messageOnce(queue, new SetupConnectionSuccess(PoolConnection.PROTOCOL_VERSION, 0));
        onSetUp.run();
        LOG.debug("connection {}: mining setup from {} {} {} (flags 0x{})", id, s.vendor(), s.hardwareVersion(),
            s.firmware(), Long.toHexString(s.flags()));
        return (int)s.flags();
    }
}
