package org.bitcoincommons.sv2.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.MutableDirectBuffer;

/**
 * A cursor that writes one message payload field by field from Java values (cold path). Every value is checked
 * against its type (range, maximum length) and the buffer's capacity; faults throw {@link CodecException} with
 * category {@code VALUE_TOO_LARGE} or {@code BUFFER_TOO_SMALL}, naming the message and field.
 * <p>
 * Single-threaded; reusable through {@link #wrap}.
 */
public final class WireWriter
{
    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private String messageName = "";

    public WireWriter()
    {
    }

    public WireWriter(final MutableDirectBuffer buffer, final int offset, final String messageName)
    {
        wrap(buffer, offset, messageName);
    }

    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset, final String messageName)
    {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.messageName = messageName;
        return this;
    }

    /** Absolute offset of the next byte to write. */
    public int position()
    {
        return position;
    }

    /** Bytes written since {@link #wrap}. */
    public int length()
    {
        return position - start;
    }

    private int take(final int size, final String field)
    {
        Wire.checkCapacity(buffer, position, size, messageName, field);
        final int at = position;
        position += size;
        return at;
    }

    public WireWriter bool(final String field, final boolean value)
    {
        Wire.bool(buffer, take(Wire.BOOL_SIZE, field), value);
        return this;
    }

    public WireWriter u8(final String field, final int value)
    {
        Wire.checkUnsigned(value, Wire.U8_MAX, messageName, field);
        Wire.u8(buffer, take(Wire.U8_SIZE, field), value);
        return this;
    }

    public WireWriter u16(final String field, final int value)
    {
        Wire.checkUnsigned(value, Wire.U16_MAX, messageName, field);
        Wire.u16(buffer, take(Wire.U16_SIZE, field), value);
        return this;
    }

    public WireWriter u24(final String field, final int value)
    {
        Wire.checkUnsigned(value, Wire.U24_MAX, messageName, field);
        Wire.u24(buffer, take(Wire.U24_SIZE, field), value);
        return this;
    }

    public WireWriter u32(final String field, final long value)
    {
        Wire.checkUnsigned(value, Wire.U32_MAX, messageName, field);
        Wire.u32(buffer, take(Wire.U32_SIZE, field), value);
        return this;
    }

    /** U64: the long's 64 bits, so negative longs stand for values of 2^63 and above. */
    public WireWriter u64(final String field, final long value)
    {
        Wire.u64(buffer, take(Wire.U64_SIZE, field), value);
        return this;
    }

    public WireWriter f32(final String field, final float value)
    {
        Wire.f32(buffer, take(Wire.F32_SIZE, field), value);
        return this;
    }

    public WireWriter u256(final String field, final byte[] value)
    {
        return fixed(Wire.U256_SIZE, field, value);
    }

    public WireWriter pubkey(final String field, final byte[] value)
    {
        return fixed(Wire.PUBKEY_SIZE, field, value);
    }

    public WireWriter signature(final String field, final byte[] value)
    {
        return fixed(Wire.SIGNATURE_SIZE, field, value);
    }

    public WireWriter str0_255(final String field, final String value)
    {
        return prefixed(Primitive.STR0_255, field, value.getBytes(StandardCharsets.UTF_8));
    }

    public WireWriter b0_32(final String field, final byte[] value)
    {
        return prefixed(Primitive.B0_32, field, value);
    }

    public WireWriter b0_255(final String field, final byte[] value)
    {
        return prefixed(Primitive.B0_255, field, value);
    }

    public WireWriter b0_64K(final String field, final byte[] value)
    {
        return prefixed(Primitive.B0_64K, field, value);
    }

    public WireWriter b0_16M(final String field, final byte[] value)
    {
        return prefixed(Primitive.B0_16M, field, value);
    }

    /** BYTES: raw, no prefix. */
    public WireWriter bytes(final String field, final byte[] value)
    {
        Wire.checkMaxLength(value.length, Primitive.BYTES.maxLength(), messageName, field);
        buffer.putBytes(take(value.length, field), value);
        return this;
    }

    /** OPTION count byte. */
    public WireWriter optionPresent(final String field, final boolean present)
    {
        Wire.u8(buffer, take(Wire.U8_SIZE, field), present ? 1 : 0);
        return this;
    }

    /** SEQ0_xx element count, checked against the shape's maximum. */
    public WireWriter sequenceCount(final FieldType.Shape shape, final String field, final int count)
    {
        Wire.checkMaxLength(count, shape.maxCount(), messageName, field);
        Wire.lengthPrefix(buffer, take(shape.prefixSize(), field), shape.prefixSize(), count);
        return this;
    }

    /** One primitive from the Java value {@link WireReader#value} would return for it. */
    public WireWriter value(final Primitive primitive, final String field, final Object value)
    {
        try
        {
            switch (primitive)
            {
                case BOOL -> bool(field, (Boolean)value);
                case U8 -> u8(field, ((Number)value).intValue());
                case U16 -> u16(field, ((Number)value).intValue());
                case U24 -> u24(field, ((Number)value).intValue());
                case U32 -> u32(field, ((Number)value).longValue());
                case U64 -> u64(field, ((Number)value).longValue());
                case F32 -> f32(field, ((Number)value).floatValue());
                case U256, PUBKEY, SIGNATURE -> fixed(primitive.fixedSize(), field, (byte[])value);
                case STR0_255 -> str0_255(field, (String)value);
                case B0_32, B0_255, B0_64K, B0_16M -> prefixed(primitive, field, (byte[])value);
                case BYTES -> bytes(field, (byte[])value);
            }
        }
        catch (final ClassCastException | NullPointerException ex)
        {
            throw new CodecException(CodecException.Category.INVALID_VALUE, messageName, field,
                "expected a Java value for " + primitive + ", got " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return this;
    }

    /** One field of any type, from the Java value {@link WireReader#field} would return for it. */
    public WireWriter field(final FieldType type, final String field, final Object value)
    {
        switch (type.shape())
        {
            case SINGLE -> value(type.element(), field, value);
            case OPTION ->
            {
                optionPresent(field, value != null);
                if (value != null)
                {
                    value(type.element(), field, value);
                }
            }
            default ->
            {
                if (!(value instanceof List<?> list))
                {
                    throw new CodecException(CodecException.Category.INVALID_VALUE, messageName, field,
                        "expected a List for " + type);
                }
                sequenceCount(type.shape(), field, list.size());
                for (final Object element : list)
                {
                    value(type.element(), field, element);
                }
            }
        }
        return this;
    }

    /** SEQ0_255 / SEQ0_64K of a byte-array element type (U256, B0_16M, ...). */
    public WireWriter byteArraySequence(final FieldType type, final String field, final List<byte[]> values)
    {
        sequenceCount(type.shape(), field, values.size());
        for (final byte[] value : values)
        {
            value(type.element(), field, value);
        }
        return this;
    }

    /** SEQ0_64K[U16]. */
    public WireWriter u16Sequence(final String field, final int[] values)
    {
        sequenceCount(FieldType.Shape.SEQ0_64K, field, values.length);
        for (final int value : values)
        {
            u16(field, value);
        }
        return this;
    }

    /** SEQ0_64K[U32]. */
    public WireWriter u32Sequence(final String field, final long[] values)
    {
        sequenceCount(FieldType.Shape.SEQ0_64K, field, values.length);
        for (final long value : values)
        {
            u32(field, value);
        }
        return this;
    }

    private WireWriter fixed(final int size, final String field, final byte[] value)
    {
        if (value.length != size)
        {
            throw new CodecException(CodecException.Category.VALUE_TOO_LARGE, messageName, field,
                "length " + value.length + " != " + size);
        }
        buffer.putBytes(take(size, field), value);
        return this;
    }

    private WireWriter prefixed(final Primitive primitive, final String field, final byte[] value)
    {
        Wire.checkMaxLength(value.length, primitive.maxLength(), messageName, field);
        Wire.checkCapacity(buffer, position, primitive.prefixSize() + value.length, messageName, field);
        Wire.lengthPrefix(buffer, take(primitive.prefixSize(), field), primitive.prefixSize(), value.length);
        buffer.putBytes(take(value.length, field), value);
        return this;
    }
}
