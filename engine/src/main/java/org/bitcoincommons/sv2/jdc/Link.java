package org.bitcoincommons.sv2.jdc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.TcpStream;

/**
 * One upstream SV2 connection of the Job Declaration client (to the JDS or to the pool's mining endpoint): TCP, the
 * Noise NX handshake as initiator with the server's certificate checked against the pool's authority key, and
 * SetupConnection. Then one reader thread hands every frame to a handler; writers on any thread are serialized here.
 * Messages on this path are a few per job, not per share, so they are encoded through the codec's records.
 */
final class Link implements AutoCloseable
{
    /** Receives one frame: its type and the payload, valid only during the call (reader thread). */
    interface FrameHandler
    {
        void onFrame(int msgType, DirectBuffer buffer, int offset, int length);
    }

    private final Socket socket = new Socket();
    private final NoiseChannel channel;
    private final String name;
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);
    private volatile boolean closed;

    /**
     * Connects, handshakes and sets the connection up.
     *
     * @throws IOException on a connection, handshake or SetupConnection failure (the message names the connection, its
     *                     address and the failure)
     */
    Link(final String name, final InetSocketAddress address, final byte[] authorityKey, final int protocol,
        final long flags, final long timeoutMs) throws IOException
    {
        this.name = name;
        try
        {
            socket.connect(address, (int)timeoutMs);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int)timeoutMs);
            channel = NoiseChannel.connect(new TcpStream(socket),
                new NoiseConfig().authorityPublicKey(authorityKey).handshakeTimeoutMs(timeoutMs));
            send(new SetupConnection(protocol, 2, 2, flags, address.getHostString(), address.getPort(),
                "bitcoin-commons", "sv2-java-jdc", "", ""));
            channel.readFrame();
            final DirectBuffer b = channel.frameBuffer();
            final int type = FrameHeaderFlyweight.msgType(b, 0);
            if (type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR)
            {
                final SetupConnectionError e = SetupConnectionError.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
                    (int)FrameHeaderFlyweight.msgLength(b, 0));
                throw new IOException(name + ": SetupConnection refused: " + e.errorCode());
            }
            if (type != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
            {
                throw new IOException(name + ": expected SetupConnection.Success, got type 0x" +
                    Integer.toHexString(type));
            }
            // reads now block until a frame arrives; the reader thread ends at close
            socket.setSoTimeout(0);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            // "jds 127.0.0.1:3334: CERT_BAD_SIGNATURE: ...": which connection of which upstream failed, and why
            final String where = name + " " + address.getHostString() + ":" + address.getPort();
            final String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            throw new IOException(why.startsWith(name + ": ") ? where + why.substring(name.length()) :
                where + ": " + why, ex);
        }
    }

    /** Starts the reader thread; {@code onClosed} runs once with the reason when the connection ends. */
    void startReader(final FrameHandler handler, final Consumer<String> onClosed)
    {
        final Thread t = new Thread(() ->
        {
            String reason = "closed";
            try
            {
                while (!closed)
                {
                    channel.readFrame();
                    final DirectBuffer b = channel.frameBuffer();
                    handler.onFrame(FrameHeaderFlyweight.msgType(b, 0), b, FrameHeaderFlyweight.HEADER_LENGTH,
                        (int)FrameHeaderFlyweight.msgLength(b, 0));
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            }
            closeQuietly();
            onClosed.accept(reason);
        }, "jdc-" + name + "-reader");
        t.setDaemon(true);
        t.start();
    }

    /** Sends one message (any thread). */
    synchronized void send(final Message m) throws IOException
    {
        while (true)
        {
            try
            {
                final int n = m.encodeFrame(scratch, 0);
                channel.writeFrame(scratch, 0, n);
                return;
            }
            catch (final CodecException ex)
            {
                if (scratch.capacity() >= 1 << 26)
                {
                    throw new IOException(name + ": message too large", ex);
                }
                scratch = new UnsafeBuffer(new byte[scratch.capacity() * 4]);
            }
        }
    }

    /** Sends a frame already encoded into {@code frame} (any thread). */
    synchronized void sendFrame(final UnsafeBuffer frame, final int length) throws IOException
    {
        channel.writeFrame(frame, 0, length);
    }

    String name()
    {
        return name;
    }

    boolean closed()
    {
        return closed;
    }

    private void closeQuietly()
    {
        closed = true;
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // closing: nothing to do
        }
    }

    @Override
    public void close()
    {
        closeQuietly();
    }
}
