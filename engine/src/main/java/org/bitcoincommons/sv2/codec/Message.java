package org.bitcoincommons.sv2.codec;

import org.agrona.MutableDirectBuffer;

/**
 * A cold-path message held as an immutable record (everything but the hot-path flyweights). Each implementation
 * also has a static {@code decode(DirectBuffer buffer, int offset, int length)} reading exactly one payload.
 * <p>
 * Records holding {@code byte[]} share the arrays they were given; treat them as read-only.
 */
public interface Message
{
    MessageSchema schema();

    /** Writes the fields in spec order. */
    void encodeFields(WireWriter writer);

    /** Writes the payload at {@code offset}; returns its length. */
    default int encode(final MutableDirectBuffer buffer, final int offset)
    {
        final WireWriter writer = new WireWriter(buffer, offset, schema().name());
        encodeFields(writer);
        return writer.length();
    }

    /** Writes header and payload at {@code offset}; returns the frame's length. */
    default int encodeFrame(final MutableDirectBuffer buffer, final int offset)
    {
        Wire.checkCapacity(buffer, offset, FrameHeaderFlyweight.HEADER_LENGTH, schema().name(), "-");
        final int length = encode(buffer, offset + FrameHeaderFlyweight.HEADER_LENGTH);
        final MessageSchema s = schema();
        FrameHeaderFlyweight.write(buffer, offset, s.extensionType(), s.channelMsg(), s.msgType(), length);
        return FrameHeaderFlyweight.HEADER_LENGTH + length;
    }
}
