package org.bitcoincommons.sv2.jd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.TcpStream;

/**
 * A test-side SV2 peer: real TCP on loopback, real Noise NX (the server's certificate checked against the authority
 * key), frames encoded by the codec; reads skip the frames the test is not waiting for.
 */
final class Peer implements AutoCloseable
{
    /** Decodes one payload. */
    interface Decoder<T>
    {
        T decode(DirectBuffer buffer, int offset, int length);
    }

    private final Socket socket = new Socket();
    final NoiseChannel channel;
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);

    Peer(final InetSocketAddress address, final byte[] authority) throws IOException
    {
        socket.connect(address, 2000);
        socket.setSoTimeout(20_000);
        channel = NoiseChannel.connect(new TcpStream(socket),
            new NoiseConfig().authorityPublicKey(authority).handshakeTimeoutMs(5000));
    }

    void send(final Message m) throws IOException
    {
        while (true)
        {
            try
            {
                final int n = m.encodeFrame(scratch, 0);
                channel.writeFrame(scratch, 0, n);
                return;
            }
            catch (final org.bitcoincommons.sv2.codec.CodecException ex)
            {
                scratch = new UnsafeBuffer(new byte[scratch.capacity() * 4]);
            }
        }
    }

    void sendFrame(final UnsafeBuffer b, final int length) throws IOException
    {
        channel.writeFrame(b, 0, length);
    }

    /** Reads until a frame of one of {@code types}; returns its type (the frame is in channel.frameBuffer()). */
    int readUntil(final int... types) throws IOException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            channel.readFrame();
            final int t = FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0);
            for (final int want : types)
            {
                if (t == want)
                {
                    return t;
                }
            }
        }
        throw new IOException("none of the awaited messages within 20 s");
    }

    /** Reads until a frame of {@code type} and decodes it; fails on any of {@code unexpected} first. */
    <T> T expect(final int type, final Decoder<T> decoder, final int... unexpected) throws IOException
    {
        final int[] all = new int[unexpected.length + 1];
        all[0] = type;
        System.arraycopy(unexpected, 0, all, 1, unexpected.length);
        final int got = readUntil(all);
        if (got != type)
        {
            throw new AssertionError("expected message type 0x" + Integer.toHexString(type) + ", got 0x" +
                Integer.toHexString(got) + ": " + describe());
        }
        return decode(decoder);
    }

    <T> T decode(final Decoder<T> decoder)
    {
        final DirectBuffer b = channel.frameBuffer();
        return decoder.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
            (int)FrameHeaderFlyweight.msgLength(b, 0));
    }

    private String describe()
    {
        final DirectBuffer b = channel.frameBuffer();
        final int t = FrameHeaderFlyweight.msgType(b, 0);
        return switch (t)
        {
            case 0x59 ->
            {
                final org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError e =
                    decode(org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError::decode);
                yield e.errorCode() + " (" + new String(e.errorDetails(), java.nio.charset.StandardCharsets.UTF_8) + ")";
            }
            case 0x24 -> decode(org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError::decode).errorCode();
            default -> "type 0x" + Integer.toHexString(t);
        };
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
