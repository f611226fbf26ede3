package org.bitcoincommons.sv2.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * A cursor that reads one message payload field by field into Java values. Cold path: it allocates the values it
 * returns (never more bytes than the payload holds, since every length and count is checked against the payload
 * first). Hot-path messages use their flyweights instead.
 * <p>
 * Single-threaded; reusable through {@link #wrap}.
 */
public final class WireReader
{
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private String messageName = "";

    public WireReader()
    {
    }

    public WireReader(final DirectBuffer buffer, final int offset, final int length, final String messageName)
    {
        wrap(buffer, offset, length, messageName);
    }

    /** Reads the payload of {@code length} bytes at {@code offset}; {@code messageName} goes into errors. */
    public WireReader wrap(final DirectBuffer buffer, final int offset, final int length, final String messageName)
    {
        if (offset < 0 || length < 0 || length > buffer.capacity() - offset)
        {
            throw new CodecException(CodecException.Category.TRUNCATED, messageName, "-",
                "payload of " + length + " bytes at " + offset + " exceeds buffer capacity " + buffer.capacity());
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.messageName = messageName;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Absolute offset of the next unread byte. */
    public int position()
    {
        return position;
    }

    public int limit()
    {
        return limit;
    }

    public int remaining()
    {
        return limit - position;
    }

    public String messageName()
    {
        return messageName;
    }

    private int take(final int size, final String field)
    {
        Wire.checkAvailable(position, size, limit, messageName, field);
        final int at = position;
        position += size;
        return at;
    }

    public boolean bool(final String field)
    {
        return Wire.bool(buffer, take(Wire.BOOL_SIZE, field));
    }

    public int u8(final String field)
    {
        return Wire.u8(buffer, take(Wire.U8_SIZE, field));
    }

    public int u16(final String field)
    {
        return Wire.u16(buffer, take(Wire.U16_SIZE, field));
    }

    public int u24(final String field)
    {
        return Wire.u24(buffer, take(Wire.U24_SIZE, field));
    }

    public long u32(final String field)
    {
        return Wire.u32(buffer, take(Wire.U32_SIZE, field));
    }

    public long u64(final String field)
    {
        return Wire.u64(buffer, take(Wire.U64_SIZE, field));
    }

    public float f32(final String field)
    {
        return Wire.f32(buffer, take(Wire.F32_SIZE, field));
    }

    /** U256 as its 32 wire bytes (little-endian, i.e. hashes in internal byte order). */
    public byte[] u256(final String field)
    {
        return fixed(Wire.U256_SIZE, field);
    }

    public byte[] pubkey(final String field)
    {
        return fixed(Wire.PUBKEY_SIZE, field);
    }

    public byte[] signature(final String field)
    {
        return fixed(Wire.SIGNATURE_SIZE, field);
    }

    public String str0_255(final String field)
    {
        final byte[] bytes = prefixed(Primitive.STR0_255, field);
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0)
        {
            i++;
        }
        if (i == bytes.length)
        {
            // All ASCII (a vendor, a firmware, a host name, a user identity: almost always): the same characters in
            // Latin-1, one copy, no decoder and char buffer per string (each SetupConnection decodes five)
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new CodecException(CodecException.Category.INVALID_VALUE, messageName, field, "STR0_255 is not UTF-8");
        }
    }

    public byte[] b0_32(final String field)
    {
        return prefixed(Primitive.B0_32, field);
    }

    public byte[] b0_255(final String field)
    {
        return prefixed(Primitive.B0_255, field);
    }

    public byte[] b0_64K(final String field)
    {
        return prefixed(Primitive.B0_64K, field);
    }

    public byte[] b0_16M(final String field)
    {
        return prefixed(Primitive.B0_16M, field);
    }

    /** BYTES: everything up to the end of the payload. */
    public byte[] bytes(final String field)
    {
        return fixed(remaining(), field);
    }

    /** OPTION count byte: true if a value follows. */
    public boolean optionPresent(final String field)
    {
        final boolean present = Wire.optionPresent(buffer, position, limit, messageName, field);
        position += Wire.U8_SIZE;
        return present;
    }

    /** SEQ count, checked against the bytes left for elements of at least {@code element}'s minimum size. */
    public int sequenceCount(final FieldType.Shape shape, final Primitive element, final String field)
    {
        final int count = Wire.sequenceCount(
            buffer, position, limit, shape.prefixSize(), element.minEncodedSize(), messageName, field);
        position += shape.prefixSize();
        return count;
    }

    /**
     * One primitive as a Java value: Boolean (BOOL), Integer (U8, U16, U24), Long (U32, U64 with the same 64 bits),
     * Float (F32), String (STR0_255), byte[] (everything else).
     */
    public Object value(final Primitive primitive, final String field)
    {
        return switch (primitive)
        {
            case BOOL -> bool(field);
            case U8 -> u8(field);
            case U16 -> u16(field);
            case U24 -> u24(field);
            case U32 -> u32(field);
            case U64 -> u64(field);
            case F32 -> f32(field);
            case U256, PUBKEY, SIGNATURE -> fixed(primitive.fixedSize(), field);
            case STR0_255 -> str0_255(field);
            case B0_32, B0_255, B0_64K, B0_16M -> prefixed(primitive, field);
            case BYTES -> bytes(field);
        };
    }

    /**
     * One field of any type: a {@link #value single value}, a List for SEQ0_xx, or the value or null for OPTION.
     */
    public Object field(final FieldType type, final String field)
    {
        switch (type.shape())
        {
            case SINGLE:
                return value(type.element(), field);
            case OPTION:
                return optionPresent(field) ? value(type.element(), field) : null;
            default:
                final int count = sequenceCount(type.shape(), type.element(), field);
                final List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    list.add(value(type.element(), field));
                }
                return list;
        }
    }

    /** SEQ0_255[U256] or SEQ0_64K[U256] / [B0_16M]: a list of byte arrays. */
    public List<byte[]> byteArraySequence(final FieldType type, final String field)
    {
        final int count = sequenceCount(type.shape(), type.element(), field);
        final List<byte[]> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            list.add((byte[])value(type.element(), field));
        }
        return List.copyOf(list);
    }

    /** SEQ0_64K[U16]. */
    public int[] u16Sequence(final String field)
    {
        final int count = sequenceCount(FieldType.Shape.SEQ0_64K, Primitive.U16, field);
        final int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = u16(field);
        }
        return values;
    }

    /** SEQ0_64K[U32]. */
    public long[] u32Sequence(final String field)
    {
        final int count = sequenceCount(FieldType.Shape.SEQ0_64K, Primitive.U32, field);
        final long[] values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = u32(field);
        }
        return values;
    }

    /**
     * Ends the message: the bytes left, if any, must be well-formed TLV extension fields (spec 3.4.3), else
     * {@link CodecException.Category#TRAILING_BYTES}.
     *
     * @return the TLV fields found (empty if none)
     */
    public List<Tlv> finish()
    {
        final List<Tlv> tlvs = Tlv.decodeAll(buffer, position, limit - position, messageName);
        position = limit;
        return tlvs;
    }

    private byte[] fixed(final int size, final String field)
    {
        final int at = take(size, field);
        final byte[] bytes = new byte[size];
        buffer.getBytes(at, bytes);
        return bytes;
    }

    private byte[] prefixed(final Primitive primitive, final String field)
    {
        final int length = Wire.prefixedLength(
            buffer, position, limit, primitive.prefixSize(), primitive.maxLength(), messageName, field);
        position += primitive.prefixSize();
        return fixed(length, field);
    }
}
