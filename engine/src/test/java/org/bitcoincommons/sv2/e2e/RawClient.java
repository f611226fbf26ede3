package org.bitcoincommons.sv2.e2e;

import org.bitcoincommons.sv2.transport.TcpStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;

/**
 * A hand-driven SV2 client for misbehaviour tests: raw socket, optional Noise, frames encoded by the codec.
 */
final class RawClient implements AutoCloseable
{
    final Socket socket = new Socket();
    NoiseChannel channel;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);

    RawClient(final InetSocketAddress address) throws IOException
    {
        socket.connect(address, 2000);
        socket.setSoTimeout(10_000);
    }

    RawClient handshake() throws IOException
    {
        channel = NoiseChannel.connect(new TcpStream(socket), new NoiseConfig().handshakeTimeoutMs(5000));
        return this;
    }

    RawClient setup(final long flags) throws IOException
    {
        send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, flags, "127.0.0.1", 0, "test", "", "", ""));
        final int n = channel.readFrame();
        if (FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
        {
            throw new IOException("setup refused, frame of " + n + " bytes");
        }
        return this;
    }

    void send(final Message m) throws IOException
    {
        final int length = m.encodeFrame(scratch, 0);
        channel.writeFrame(scratch, 0, length);
    }

    /**
     * Reads frames until one of message type {@code msgType} (extension 0, channel bit ignored) arrives within 10 s; it
     * is then in {@code channel.frameBuffer()} [0, returned length). Skips every other frame.
     */
    int readUntil(final int msgType) throws IOException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline)
        {
            final int n = channel.readFrame();
            if ((FrameHeaderFlyweight.extensionType(channel.frameBuffer(), 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) == 0 &&
                FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0) == msgType)
            {
                return n;
            }
        }
        throw new IOException("no message of type 0x" + Integer.toHexString(msgType) + " within 10 s");
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads frames until the pool closes the connection; true when it did within the socket timeout. */
    boolean closedByPool()
    {
        try
        {
            if (channel != null)
            {
                while (true)
                {
                    channel.readFrame();
                }
            }
            final InputStream in = socket.getInputStream();
            final byte[] b = new byte[4096];
            while (in.read(b) >= 0)
            {
                // drain until EOF
            }
            return true;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
