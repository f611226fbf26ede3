package org.bitcoincommons.sv2.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Plumbing shared by the zero-allocation message flyweights: the wrapped buffer, the payload's start
 * ({@link #offset()}), the end of the spec fields ({@link #tlvOffset()}) and the end of the payload
 * ({@link #limit()}). Bytes between the last field and the limit are TLV extension fields, validated on wrap.
 * <p>
 * A flyweight is made once per connection and rewrapped per message; it is not thread-safe.
 */
public abstract class MessageFlyweight
{
    protected DirectBuffer buffer;
    protected MutableDirectBuffer mutableBuffer;
    protected int offset;
    protected int fieldsLimit;
    protected int limit;

    /** The message's schema (name, numbers, fields), shared with the generic codec. */
    public abstract MessageSchema schema();

    public final DirectBuffer buffer()
    {
        return buffer;
    }

    /** Absolute offset of the payload's first byte. */
    public final int offset()
    {
        return offset;
    }

    /** Absolute offset just past the payload (fields and TLVs). */
    public final int limit()
    {
        return limit;
    }

    /** Payload length in bytes: the frame's msg_length. */
    public final int encodedLength()
    {
        return limit - offset;
    }

    /** Absolute offset of the first TLV extension field (equals {@link #limit()} if none). */
    public final int tlvOffset()
    {
        return fieldsLimit;
    }

    public final int tlvLength()
    {
        return limit - fieldsLimit;
    }

    /**
     * Writes the 6-byte frame header for this message's current {@link #encodedLength()} at {@code frameOffset},
     * normally {@code offset() - 6}. Returns the whole frame's length.
     */
    public final int writeHeader(final MutableDirectBuffer destination, final int frameOffset)
    {
        final MessageSchema schema = schema();
        FrameHeaderFlyweight.write(
            destination, frameOffset, schema.extensionType(), schema.channelMsg(), schema.msgType(), encodedLength());
        return FrameHeaderFlyweight.HEADER_LENGTH + encodedLength();
    }

    /** Sets up a read of {@code length} payload bytes at {@code offset}. */
    protected final void wrapForDecode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || length > buffer.capacity() - offset)
        {
            throw new CodecException(CodecException.Category.TRUNCATED, schema().name(), "-",
                "payload of " + length + " bytes at " + offset + " exceeds buffer capacity " + buffer.capacity());
        }
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer m ? m : null;
        this.offset = offset;
        this.limit = offset + length;
        this.fieldsLimit = this.limit;
    }

    /** Sets up a write at {@code offset} of a message whose fields take {@code fieldsLength} bytes. */
    protected final void wrapForEncode(final MutableDirectBuffer buffer, final int offset, final int fieldsLength)
    {
        Wire.checkCapacity(buffer, offset, fieldsLength, schema().name(), "-");
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        this.fieldsLimit = offset + fieldsLength;
        this.limit = fieldsLimit;
    }

    /** Ends a decode: fields end at {@code fieldsEnd}; the rest up to the limit must be TLVs. */
    protected final void endFields(final int fieldsEnd)
    {
        fieldsLimit = fieldsEnd;
        if (fieldsEnd < limit)
        {
            Tlv.validate(buffer, fieldsEnd, limit - fieldsEnd, schema().name());
        }
    }

    /**
     * The error for a payload shorter than the fixed fields: names the first fixed-size field that does not fit.
     * Error path only (it walks the schema).
     */
    protected final CodecException truncated(final int available)
    {
        int end = 0;
        for (final FieldSpec f : schema().fields())
        {
            end += f.type().shape() == FieldType.Shape.SINGLE ? f.type().element().minEncodedSize() : 1;
            if (end > available)
            {
                return new CodecException(CodecException.Category.TRUNCATED, schema().name(), f.name(),
                    "payload of " + available + " bytes ends inside this field");
            }
        }
        return new CodecException(CodecException.Category.TRUNCATED, schema().name(), "-",
            "payload of " + available + " bytes is too short");
    }

    /** Copies {@code length} bytes at {@code from} into {@code destination}; returns {@code length}. */
    protected final int copy(final int from, final int length, final MutableDirectBuffer destination, final int destinationOffset)
    {
        destination.putBytes(destinationOffset, buffer, from, length);
        return length;
    }
}
