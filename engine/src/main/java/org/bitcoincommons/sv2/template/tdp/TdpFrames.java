package org.bitcoincommons.sv2.template.tdp;

import java.io.IOException;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.noise.NoiseChannel;

/**
 * Frames of Template Distribution connections, both sides: a cold-path record encoded into a plaintext frame and
 * queued on a Noise channel. Template Distribution is not the share path (a few messages per block, plus the
 * transaction data), so each frame is encoded into a buffer of its own.
 */
final class TdpFrames
{
    /** Most frames fit; larger ones (transaction data, a big coinbase) retry with room for the largest payload. */
    private static final int FIRST_BUFFER = 4096;

    private TdpFrames()
    {
    }

    /** Encodes {@code m} with its 6-byte header; returns the buffer, whose first {@code frameLength(...)} bytes count. */
    static UnsafeBuffer encode(final Message m)
    {
        int capacity = FIRST_BUFFER;
        while (true)
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[capacity]);
            try
            {
                final int n = m.encodeFrame(b, 0);
                return new UnsafeBuffer(b, 0, n);
            }
            catch (final CodecException ex)
            {
                final int largest = FrameHeaderFlyweight.HEADER_LENGTH + FrameHeaderFlyweight.MAX_MSG_LENGTH;
                if (ex.category() != CodecException.Category.BUFFER_TOO_SMALL || capacity >= largest)
                {
                    throw ex;
                }
                capacity = largest;
            }
        }
    }

    /** Encrypts {@code m} into the channel's send buffer; {@link NoiseChannel#flush()} writes it. */
    static void queue(final NoiseChannel channel, final Message m) throws IOException
    {
        final UnsafeBuffer frame = encode(m);
        channel.queueFrame(frame, 0, frame.capacity());
    }
}
