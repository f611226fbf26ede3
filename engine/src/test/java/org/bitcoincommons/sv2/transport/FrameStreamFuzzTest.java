package org.bitcoincommons.sv2.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;

/**
 * Fuzz target (Jazzer) for the plaintext SV2 framing of QUIC streams ({@link FrameStream}), which reads a peer's
 * bytes with no Noise layer in front. Input: byte 0 sets the receive limit (1 KiB steps), byte 1 the largest read the
 * stream hands over at once (1..256 bytes, so frames arrive split), the rest is the stream. What must hold: the only
 * exceptions are {@link EOFException} and {@link FrameStream.FrameTooLargeException}; a frame read is the next
 * 6 + msg_length bytes of the stream, unchanged, with msg_length within the limit; a frame over the limit is refused
 * from its header alone; the receive buffer grows with the bytes that arrived, never to the length a header declares;
 * frames written back through the same FrameStream come out byte for byte.
 */
class FrameStreamFuzzTest
{
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    @FuzzTest
    void frames(final byte[] data) throws IOException
    {
        if (data.length < 2)
        {
            return;
        }
        final int maxPayload = 1024 * ((data[0] & 0xff) % 64 + 1);
        final int chunk = (data[1] & 0xff) + 1;
        final byte[] stream = Arrays.copyOfRange(data, 2, data.length);
        final ChunkedStream bytes = new ChunkedStream(stream, chunk);
        final FrameStream frames = new FrameStream(bytes, maxPayload);
        int consumed = 0;
        while (true)
        {
            final int n;
            try
            {
                n = frames.readFrame();
            }
            catch (final FrameStream.FrameTooLargeException ex)
            {
                assertTrue(stream.length - consumed >= HEADER, "refused a frame without a whole header");
                final int declared = FrameHeaderFlyweight.msgLength(new org.agrona.concurrent.UnsafeBuffer(stream),
                    consumed);
                assertTrue(declared > maxPayload, "refused msg_length " + declared + " within " + maxPayload);
                assertEquals(consumed + HEADER, bytes.position, "read past the header of a frame it refused");
                break;
            }
            catch (final EOFException ex)
            {
                assertTrue(stream.length - consumed < HEADER ||
                    stream.length - consumed < HEADER + FrameHeaderFlyweight.msgLength(
                        new org.agrona.concurrent.UnsafeBuffer(stream), consumed), "EOF before the stream's end");
                break;
            }
            assertTrue(n >= HEADER && n - HEADER <= maxPayload, "frame of " + n + " bytes, limit " + maxPayload);
            final byte[] got = new byte[n];
            frames.frameBuffer().getBytes(0, got);
            assertArrayEquals(Arrays.copyOfRange(stream, consumed, consumed + n), got, "the frame changed");
            assertTrue(frames.frameBuffer().capacity() <= 2 * (stream.length + 1024),
                "receive buffer of " + frames.frameBuffer().capacity() + " bytes for a stream of " + stream.length);
            frames.write(frames.frameBuffer(), 0, n);
            consumed += n;
        }
        frames.flush();
        assertArrayEquals(Arrays.copyOf(stream, consumed), bytes.written.toByteArray(),
            "frames written back differ from the frames read");
    }

    /** A ByteStream over a byte array that hands over at most {@code chunk} bytes per read. */
    private static final class ChunkedStream implements ByteStream
    {
        private final byte[] bytes;
        private final int chunk;
        private int position;
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        ChunkedStream(final byte[] bytes, final int chunk)
        {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public InputStream input()
        {
            return new InputStream()
            {
                @Override
                public int read()
                {
                    return position < bytes.length ? bytes[position++] & 0xff : -1;
                }

                @Override
                public int read(final byte[] b, final int off, final int len)
                {
                    if (position >= bytes.length)
                    {
                        return -1;
                    }
                    final int n = Math.min(Math.min(len, chunk), bytes.length - position);
                    System.arraycopy(bytes, position, b, off, n);
                    position += n;
                    return n;
                }
            };
        }

        @Override
        public OutputStream output()
        {
            return written;
        }

        @Override
        public SocketAddress remoteAddress()
        {
            return null;
        }

        @Override
        public String transportName()
        {
            return "fuzz";
        }

        @Override
        public void closeOutput()
        {
        }

        @Override
        public void reset(final long errorCode)
        {
        }

        @Override
        public void close()
        {
        }
    }
}
