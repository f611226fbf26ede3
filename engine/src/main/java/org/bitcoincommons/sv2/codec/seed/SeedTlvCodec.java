package org.bitcoincommons.sv2.codec.seed;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * Compatibility codec for the seed system's framing (blvm-node {@code stratum_v2/protocol.rs} {@code TlvEncoder},
 * see MERGE-MINING.md section 5). It is <b>not</b> SV2: no 6-byte SV2 header, u16 tags of its own ({@link SeedTag}),
 * opaque payloads (JSON in blvm-node, bincode in blvm-stratum-v2), and the length written twice. All little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 total U32 LE  (= 6 + len)                     |  0
 *  +-------------------------------+-------------------------------+
 *  |          tag U16 LE           |     len U32 LE (low half)     |  4
 *  +-------------------------------+-------------------------------+
 *  |     len U32 LE (high half)    |  payload (len bytes) ...      |  8
 *  +-------------------------------+-------------------------------+
 * </pre>
 * A frame is {@code 10 + len} bytes. Decoding checks {@code total == 6 + len}, the tag, the configured maximum
 * payload length and that the payload is present. A flyweight: wrap, read, rewrap; not thread-safe.
 */
public final class SeedTlvCodec
{
    public static final int TOTAL_FIELD_OFFSET = 0;
    public static final int TAG_FIELD_OFFSET = 4;
    public static final int LENGTH_FIELD_OFFSET = 6;
    public static final int PAYLOAD_OFFSET = 10;
    public static final int HEADER_LENGTH = PAYLOAD_OFFSET;
    /** What {@code total} counts besides the payload: the tag and len fields. */
    public static final int TOTAL_OVERHEAD = HEADER_LENGTH - TOTAL_FIELD_OFFSET - Wire.U32_SIZE;
    /** Default largest payload accepted, the same bound as SV2's msg_length: 2^24 - 1. */
    public static final int DEFAULT_MAX_PAYLOAD_LENGTH = Wire.U24_MAX;

    private static final String NAME = "SeedTlv";

    private final int maxPayloadLength;
    private DirectBuffer buffer;
    private int offset;

    public SeedTlvCodec()
    {
        this(DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    public SeedTlvCodec(final int maxPayloadLength)
    {
        if (maxPayloadLength < 0 || maxPayloadLength > Integer.MAX_VALUE - HEADER_LENGTH)
        {
            throw new IllegalArgumentException("maxPayloadLength " + maxPayloadLength);
        }
        this.maxPayloadLength = maxPayloadLength;
    }

    /**
     * The length of the frame starting at {@code offset} once its header is in, or -1 if fewer than
     * {@link #HEADER_LENGTH} bytes are available; for a stream reader deciding how much to read.
     *
     * @throws CodecException if the header is inconsistent or the payload is longer than the maximum
     */
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        if (available < HEADER_LENGTH)
        {
            return -1;
        }
        return HEADER_LENGTH + checkedPayloadLength(buffer, offset);
    }

    /** Wraps exactly one whole frame of {@code length} bytes. */
    public SeedTlvCodec wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        Wire.checkAvailable(offset, length, buffer.capacity(), NAME, "-");
        Wire.checkAvailable(0, HEADER_LENGTH, length, NAME, "header");
        final int payloadLength = checkedPayloadLength(buffer, offset);
        Wire.checkAvailable(HEADER_LENGTH, payloadLength, length, NAME, "payload");
        if (length != HEADER_LENGTH + payloadLength)
        {
            throw new CodecException(CodecException.Category.TRAILING_BYTES, NAME, "payload",
                (length - HEADER_LENGTH - payloadLength) + " bytes after the frame");
        }
        final int code = Wire.u16(buffer, offset + TAG_FIELD_OFFSET);
        if (SeedTag.of(code) == null)
        {
            throw new CodecException(CodecException.Category.UNKNOWN_MESSAGE, NAME, "tag",
                String.format("unknown seed tag 0x%04x", code));
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public SeedTag tag()
    {
        return SeedTag.of(Wire.u16(buffer, offset + TAG_FIELD_OFFSET));
    }

    public int payloadOffset()
    {
        return offset + PAYLOAD_OFFSET;
    }

    public int payloadLength()
    {
        return (int)Wire.u32(buffer, offset + LENGTH_FIELD_OFFSET);
    }

    public int frameLength()
    {
        return HEADER_LENGTH + payloadLength();
    }

    /** Copies the payload into {@code destination}; returns its length. */
    public int getPayload(final MutableDirectBuffer destination, final int destinationOffset)
    {
        destination.putBytes(destinationOffset, buffer, payloadOffset(), payloadLength());
        return payloadLength();
    }

    /** The payload as a new array (cold path). */
    public byte[] payload()
    {
        final byte[] bytes = new byte[payloadLength()];
        buffer.getBytes(payloadOffset(), bytes);
        return bytes;
    }

    /** Writes one frame with the payload copied from {@code source}; returns the frame's length. */
    public int encode(
        final MutableDirectBuffer destination,
        final int destinationOffset,
        final SeedTag tag,
        final DirectBuffer source,
        final int sourceOffset,
        final int length)
    {
        Wire.checkMaxLength(length, maxPayloadLength, NAME, "payload");
        Wire.checkCapacity(destination, destinationOffset, HEADER_LENGTH + length, NAME, "payload");
        Wire.u32(destination, destinationOffset + TOTAL_FIELD_OFFSET, TOTAL_OVERHEAD + length);
        Wire.u16(destination, destinationOffset + TAG_FIELD_OFFSET, tag.code());
        Wire.u32(destination, destinationOffset + LENGTH_FIELD_OFFSET, length);
        destination.putBytes(destinationOffset + PAYLOAD_OFFSET, source, sourceOffset, length);
        return HEADER_LENGTH + length;
    }

    private int checkedPayloadLength(final DirectBuffer buffer, final int offset)
    {
        final long total = Wire.u32(buffer, offset + TOTAL_FIELD_OFFSET);
        final long length = Wire.u32(buffer, offset + LENGTH_FIELD_OFFSET);
        if (length > maxPayloadLength)
        {
            throw new CodecException(CodecException.Category.LENGTH_TOO_LARGE, NAME, "len",
                "len " + length + " > max " + maxPayloadLength);
        }
        if (total != TOTAL_OVERHEAD + length)
        {
            throw new CodecException(CodecException.Category.INVALID_VALUE, NAME, "total",
                "total " + total + " != 6 + len " + length);
        }
        return (int)length;
    }
}
