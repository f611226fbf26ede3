package org.bitcoincommons.sv2.template.tdp;

import org.bitcoincommons.sv2.transport.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import org.bitcoincommons.sv2.codec.catalog.MessageRecords;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseException;

/**
 * A bare Template Distribution client for tests of the provider: real socket, real Noise NX (verifying the
 * provider's certificate), whole frames in and out, no logic of its own.
 */
final class TdpTestClient implements AutoCloseable
{
    private final Socket socket;
    private final NoiseChannel channel;

    TdpTestClient(final InetSocketAddress address, final byte[] authorityKey) throws IOException
    {
        socket = new Socket(address.getAddress(), address.getPort());
        channel = NoiseChannel.connect(new TcpStream(socket), new NoiseConfig().authorityPublicKey(authorityKey));
    }

    static SetupConnection setup(final int protocol, final int min, final int max)
    {
        return new SetupConnection(protocol, min, max, 0, "127.0.0.1", 8442, "test", "", "", "");
    }

    static SetupConnection setup()
    {
        return setup(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, 2, 2);
    }

    void send(final Message m) throws IOException
    {
        TdpFrames.queue(channel, m);
        channel.flush();
    }

    /** A frame with any header and payload bytes (for malformed or old-format messages). */
    void sendRaw(final int msgType, final byte[] payload) throws IOException
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[6 + payload.length]);
        FrameHeaderFlyweight.write(b, 0, 0, false, msgType, payload.length);
        b.putBytes(6, payload);
        channel.writeFrame(b, 0, b.capacity());
    }

    /** The next message, decoded to its record; fails the test after {@code timeoutMs}. */
    Message read(final long timeoutMs) throws IOException
    {
        socket.setSoTimeout((int)timeoutMs);
        final int n = channel.readFrame();
        final DirectBuffer b = channel.frameBuffer();
        final MessageSchema schema = MessageCatalog.find(FrameHeaderFlyweight.extensionType(b, 0) & 0x7fff,
            FrameHeaderFlyweight.msgType(b, 0));
        return MessageRecords.decode(schema, b, 6, n - 6);
    }

    @SuppressWarnings("unchecked")
    <T extends Message> T read(final Class<T> type, final long timeoutMs) throws IOException
    {
        final Message m = read(timeoutMs);
        if (!type.isInstance(m))
        {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
        }
        return (T)m;
    }

    /** True when the provider closes the connection within {@code timeoutMs} without sending anything else. */
    boolean closedByPeer(final long timeoutMs) throws IOException
    {
        try
        {
            final Message m = read(timeoutMs);
            throw new AssertionError("expected the connection to close, got " + m);
        }
        catch (final NoiseException ex)
        {
            return ex.reason() == NoiseException.Reason.EOF;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final java.net.SocketException ex)
        {
            return true;    // reset by the peer
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
