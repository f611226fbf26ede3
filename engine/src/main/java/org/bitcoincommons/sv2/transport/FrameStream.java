package org.bitcoincommons.sv2.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;

/**
 * Plaintext SV2 frames (the codec's 6-byte header, then msg_length bytes) over a {@link ByteStream} whose transport
 * already encrypts (a QUIC stream after the control stream's Noise binding). One reader thread and one writer thread.
 * The receive buffer grows with what arrives, never to a size a header merely declares.
 */
public final class FrameStream implements FrameSink
{
    private static final int INITIAL = 512;

    private final ByteStream stream;
    private final InputStream in;
    private final OutputStream out;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] buffer = new byte[INITIAL];
    private int maxPayload;

    public FrameStream(final ByteStream stream, final int maxPayload)
    {
        this.stream = stream;
        this.in = stream.input();
        this.out = stream.output();
        this.maxPayload = maxPayload;
        view.wrap(buffer);
    }

    public ByteStream stream()
    {
        return stream;
    }

    public void maxPayload(final int bytes)
    {
        maxPayload = bytes;
    }

    /**
     * Reads one whole frame into {@link #frameBuffer()} at offset 0.
     *
     * @return the frame length (6 + msg_length)
     * @throws EOFException at the end of the stream between frames (clean) or inside one (truncated: the message says so)
     * @throws FrameTooLargeException when msg_length exceeds the limit
     */
    public int readFrame() throws IOException
    {
        readFully(0, FrameHeaderFlyweight.HEADER_LENGTH, true);
        final int length = FrameHeaderFlyweight.msgLength(view, 0);
        if (length > maxPayload)
        {
            throw new FrameTooLargeException("msg_length " + length + " exceeds the maximum " + maxPayload);
        }
        int done = 0;
        while (done < length)
        {
            final int want = Math.min(length - done, Math.max(INITIAL, done));
            ensure(FrameHeaderFlyweight.HEADER_LENGTH + done + want);
            readFully(FrameHeaderFlyweight.HEADER_LENGTH + done, want, false);
            done += want;
        }
        return FrameHeaderFlyweight.HEADER_LENGTH + length;
    }

    public DirectBuffer frameBuffer()
    {
        return view;
    }

    private void readFully(final int offset, final int length, final boolean frameStart) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            final int n = in.read(buffer, offset + done, length - done);
            if (n < 0)
            {
                throw new EOFException(frameStart && done == 0 && offset == 0 ? "stream ended between frames"
                    : "stream ended inside a frame (truncated frame)");
            }
            done += n;
        }
    }

    private void ensure(final int size)
    {
        if (buffer.length < size)
        {
            final byte[] bigger = new byte[Math.max(size, 2 * buffer.length)];
            System.arraycopy(buffer, 0, bigger, 0, buffer.length);
            buffer = bigger;
            view.wrap(buffer);
        }
    }

    private byte[] sendScratch = new byte[INITIAL];

    @Override
    public void write(final DirectBuffer src, final int offset, final int length) throws IOException
    {
        if (sendScratch.length < length)
        {
            sendScratch = new byte[Math.max(length, 2 * sendScratch.length)];
        }
        src.getBytes(offset, sendScratch, 0, length);
        out.write(sendScratch, 0, length);
    }

    @Override
    public void flush() throws IOException
    {
        out.flush();
    }

    /** A frame header declared more than the stream's limit. */
    public static final class FrameTooLargeException extends IOException
    {
        public FrameTooLargeException(final String message)
        {
            super(message);
        }
    }
}
