package org.bitcoincommons.sv2.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 6-byte plaintext SV2 frame header (spec 3.2 "Framing"), little-endian.
 * <pre>
 *   0                   1                   2                   3                   4
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7
 *  +-----------------------------+-+---------------+-----------------------------------------------+
 *  |   extension id (15 bits)    |C|   msg_type    |             msg_length U24 LE                 |
 *  +-----------------------------+-+---------------+-----------------------------------------------+
 *  |<-- extension_type U16 LE -->|                 |
 *   C = channel_msg, bit 15 of extension_type (mask 0x8000): on the wire it is bit 7 of byte 1, so a core
 *   channel message starts 00 80. msg_length counts the payload bytes after this header (max 2^24-1).
 * </pre>
 * SRI's framing test: {@code [0, 128, 30, 46, 0, 0]} is extension 0 with channel_msg, msg_type 0x1e, length 46.
 * <p>
 * Reusable: wrap a buffer, read or write, rewrap. Not thread-safe.
 */
public final class FrameHeaderFlyweight
{
    public static final int EXTENSION_TYPE_FIELD_OFFSET = 0;
    public static final int MSG_TYPE_FIELD_OFFSET = 2;
    public static final int MSG_LENGTH_FIELD_OFFSET = 3;
    public static final int HEADER_LENGTH = 6;

    /** The channel_msg bit within the U16 extension_type. */
    public static final int CHANNEL_MSG_MASK = 0x8000;
    /** The extension id bits within the U16 extension_type. */
    public static final int EXTENSION_ID_MASK = 0x7fff;
    /** Largest msg_length the U24 can carry: 16 MiB - 1. */
    public static final int MAX_MSG_LENGTH = Wire.U24_MAX;

    private static final String FRAME = "frame";

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /** Wraps a header for reading. The caller has checked that {@link #HEADER_LENGTH} bytes are there. */
    public FrameHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /** Wraps a header for reading and writing. */
    public FrameHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    /** The raw U16 extension_type, channel_msg bit included. */
    public int extensionType()
    {
        return extensionType(buffer, offset);
    }

    public FrameHeaderFlyweight extensionType(final int extensionType)
    {
        Wire.u16(mutableBuffer, offset + EXTENSION_TYPE_FIELD_OFFSET, extensionType);
        return this;
    }

    /** The extension id: extension_type without the channel_msg bit. */
    public int extensionId()
    {
        return extensionType() & EXTENSION_ID_MASK;
    }

    public boolean channelMsg()
    {
        return (extensionType() & CHANNEL_MSG_MASK) != 0;
    }

    public int msgType()
    {
        return msgType(buffer, offset);
    }

    public FrameHeaderFlyweight msgType(final int msgType)
    {
        Wire.u8(mutableBuffer, offset + MSG_TYPE_FIELD_OFFSET, msgType);
        return this;
    }

    /** Payload length in bytes, after the header. */
    public int msgLength()
    {
        return msgLength(buffer, offset);
    }

    public FrameHeaderFlyweight msgLength(final int msgLength)
    {
        Wire.u24(mutableBuffer, offset + MSG_LENGTH_FIELD_OFFSET, msgLength);
        return this;
    }

    /** Absolute offset of the payload's first byte. */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /** Header plus payload. */
    public int frameLength()
    {
        return HEADER_LENGTH + msgLength();
    }

    /**
     * Checks the header against a configured maximum payload length and, given how many bytes of the frame are
     * at hand from {@link #offset()}, that the whole frame is there.
     *
     * @throws CodecException LENGTH_TOO_LARGE if msg_length &gt; {@code maxMsgLength}, TRUNCATED if
     *                        {@code available} is short of the header or the frame
     */
    public FrameHeaderFlyweight check(final int available, final int maxMsgLength)
    {
        Wire.checkAvailable(0, HEADER_LENGTH, available, FRAME, "header");
        final int msgLength = msgLength();
        if (msgLength > maxMsgLength)
        {
            throw new CodecException(CodecException.Category.LENGTH_TOO_LARGE, FRAME, "msg_length",
                "msg_length " + msgLength + " > max " + maxMsgLength);
        }
        Wire.checkAvailable(HEADER_LENGTH, msgLength, available, FRAME, "payload");
        return this;
    }

    /** Writes a whole header; returns {@link #HEADER_LENGTH}. */
    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int extensionId,
        final boolean channelMsg,
        final int msgType,
        final int msgLength)
    {
        Wire.checkCapacity(buffer, offset, HEADER_LENGTH, FRAME, "header");
        Wire.checkUnsigned(msgLength, MAX_MSG_LENGTH, FRAME, "msg_length");
        Wire.u16(buffer, offset + EXTENSION_TYPE_FIELD_OFFSET,
            (extensionId & EXTENSION_ID_MASK) | (channelMsg ? CHANNEL_MSG_MASK : 0));
        Wire.u8(buffer, offset + MSG_TYPE_FIELD_OFFSET, msgType);
        Wire.u24(buffer, offset + MSG_LENGTH_FIELD_OFFSET, msgLength);
        return HEADER_LENGTH;
    }

    /** Peeks the raw extension_type of a header at {@code offset} without wrapping. */
    public static int extensionType(final DirectBuffer buffer, final int offset)
    {
        return Wire.u16(buffer, offset + EXTENSION_TYPE_FIELD_OFFSET);
    }

    public static int msgType(final DirectBuffer buffer, final int offset)
    {
        return Wire.u8(buffer, offset + MSG_TYPE_FIELD_OFFSET);
    }

    public static int msgLength(final DirectBuffer buffer, final int offset)
    {
        return Wire.u24(buffer, offset + MSG_LENGTH_FIELD_OFFSET);
    }
}
