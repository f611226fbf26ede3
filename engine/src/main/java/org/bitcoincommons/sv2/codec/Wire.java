package org.bitcoincommons.sv2.codec;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The SV2 primitive types of spec section 3 (our PROTOCOL.md section 1), each read and written exactly once here.
 * Every multi-byte integer is {@link #BYTE_ORDER little-endian}, including the U24 length of B0_16M and U256.
 * <p>
 * Readers take an absolute offset and return the value; writers take the offset and the value. The checking helpers
 * ({@link #checkAvailable}, {@link #prefixedLength}, {@link #sequenceCount}) throw {@link CodecException} naming the
 * message and field; callers pass string constants, so the success path allocates nothing.
 */
public final class Wire
{
    public static final ByteOrder BYTE_ORDER = LITTLE_ENDIAN;

    public static final int BOOL_SIZE = 1;
    public static final int U8_SIZE = 1;
    public static final int U16_SIZE = 2;
    public static final int U24_SIZE = 3;
    public static final int U32_SIZE = 4;
    public static final int U64_SIZE = 8;
    public static final int F32_SIZE = 4;
    public static final int U256_SIZE = 32;
    public static final int PUBKEY_SIZE = 32;
    public static final int SIGNATURE_SIZE = 64;

    public static final int U8_MAX = 0xff;
    public static final int U16_MAX = 0xffff;
    public static final int U24_MAX = 0xff_ffff;
    public static final long U32_MAX = 0xffff_ffffL;

    /** Byte-length bounds of the length-prefixed types. */
    public static final int B0_32_MAX_LENGTH = 32;
    public static final int B0_255_MAX_LENGTH = U8_MAX;
    public static final int STR0_255_MAX_LENGTH = U8_MAX;
    public static final int B0_64K_MAX_LENGTH = U16_MAX;
    public static final int B0_16M_MAX_LENGTH = U24_MAX;
    /** Element-count bounds of the sequences. */
    public static final int SEQ0_255_MAX_COUNT = U8_MAX;
    public static final int SEQ0_64K_MAX_COUNT = U16_MAX;

    private Wire()
    {
    }

    /** BOOL: only bit 0 carries the value; receivers ignore bits 1-7 (spec). */
    public static boolean bool(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 1) != 0;
    }

    public static void bool(final MutableDirectBuffer buffer, final int offset, final boolean value)
    {
        buffer.putByte(offset, (byte)(value ? 1 : 0));
    }

    public static int u8(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset) & 0xff;
    }

    public static void u8(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset, (byte)value);
    }

    public static int u16(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset, BYTE_ORDER) & 0xffff;
    }

    public static void u16(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putShort(offset, (short)value, BYTE_ORDER);
    }

    /** U24: three bytes, low byte first. */
    public static int u24(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getShort(offset, BYTE_ORDER) & 0xffff) | ((buffer.getByte(offset + 2) & 0xff) << 16);
    }

    public static void u24(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putShort(offset, (short)value, BYTE_ORDER);
        buffer.putByte(offset + 2, (byte)(value >>> 16));
    }

    /** U32 as an unsigned value in a long (0 .. 2^32-1). */
    public static long u32(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, BYTE_ORDER) & U32_MAX;
    }

    public static void u32(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        buffer.putInt(offset, (int)value, BYTE_ORDER);
    }

    /** U64 as the long with the same 64 bits; use {@link Long#toUnsignedString(long)} to print it. */
    public static long u64(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, BYTE_ORDER);
    }

    public static void u64(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        buffer.putLong(offset, value, BYTE_ORDER);
    }

    /** F32: IEEE-754 binary32, little-endian. */
    public static float f32(final DirectBuffer buffer, final int offset)
    {
        return buffer.getFloat(offset, BYTE_ORDER);
    }

    public static void f32(final MutableDirectBuffer buffer, final int offset, final float value)
    {
        buffer.putFloat(offset, value, BYTE_ORDER);
    }

    /**
     * Reads a length prefix of {@code prefixSize} bytes (1 = U8, 2 = U16, 3 = U24).
     */
    public static int lengthPrefix(final DirectBuffer buffer, final int offset, final int prefixSize)
    {
        switch (prefixSize)
        {
            case 1:
                return u8(buffer, offset);
            case 2:
                return u16(buffer, offset);
            default:
                return u24(buffer, offset);
        }
    }

    public static void lengthPrefix(final MutableDirectBuffer buffer, final int offset, final int prefixSize, final int length)
    {
        switch (prefixSize)
        {
            case 1:
                u8(buffer, offset, length);
                break;
            case 2:
                u16(buffer, offset, length);
                break;
            default:
                u24(buffer, offset, length);
                break;
        }
    }

    /**
     * Throws {@link CodecException.Category#TRUNCATED} unless {@code length} bytes start at {@code offset} before
     * {@code limit}.
     */
    public static void checkAvailable(
        final int offset, final int length, final int limit, final String messageName, final String fieldName)
    {
        if (length < 0 || offset > limit || length > limit - offset)
        {
            throw truncated(offset, length, limit, messageName, fieldName);
        }
    }

    /**
     * Checks that {@code length} bytes at {@code offset} are well-formed UTF-8 (RFC 3629: no overlong forms, no
     * surrogates, nothing above U+10FFFF), as the JDK's strict decoder judges them; no allocation. The flyweights
     * call it for their STR0_255 fields, so that they refuse exactly what {@link WireReader#str0_255} refuses.
     *
     * @throws CodecException {@link CodecException.Category#INVALID_VALUE} otherwise
     */
    public static void checkUtf8(
        final DirectBuffer buffer, final int offset, final int length, final String messageName, final String field)
    {
        final int limit = offset + length;
        int i = offset;
        while (i < limit)
        {
            final int b0 = buffer.getByte(i) & 0xff;
            if (b0 < 0x80)
            {
                i++;
                continue;
            }
            final int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (b0 >= 0xc2 && b0 <= 0xdf)
            {
                n = 1;
            }
            else if (b0 >= 0xe0 && b0 <= 0xef)
            {
                n = 2;
                lo = b0 == 0xe0 ? 0xa0 : 0x80;
                hi = b0 == 0xed ? 0x9f : 0xbf;
            }
            else if (b0 >= 0xf0 && b0 <= 0xf4)
            {
                n = 3;
                lo = b0 == 0xf0 ? 0x90 : 0x80;
                hi = b0 == 0xf4 ? 0x8f : 0xbf;
            }
            else
            {
                throw notUtf8(messageName, field);
            }
            if (limit - i - 1 < n)
            {
                throw notUtf8(messageName, field);
            }
            final int b1 = buffer.getByte(i + 1) & 0xff;
            if (b1 < lo || b1 > hi)
            {
                throw notUtf8(messageName, field);
            }
            for (int k = 2; k <= n; k++)
            {
                final int bk = buffer.getByte(i + k) & 0xff;
                if (bk < 0x80 || bk > 0xbf)
                {
                    throw notUtf8(messageName, field);
                }
            }
            i += n + 1;
        }
    }

    private static CodecException notUtf8(final String messageName, final String field)
    {
        return new CodecException(CodecException.Category.INVALID_VALUE, messageName, field, "STR0_255 is not UTF-8");
    }

    /**
     * Reads and checks the length prefix of a B0_xx / STR0_255 field at {@code offset}: the prefix itself and the
     * declared bytes must lie before {@code limit}, and the length must not exceed {@code maxLength}.
     *
     * @return the byte length of the value, which starts at {@code offset + prefixSize}
     */
    public static int prefixedLength(
        final DirectBuffer buffer,
        final int offset,
        final int limit,
        final int prefixSize,
        final int maxLength,
        final String messageName,
        final String fieldName)
    {
        checkAvailable(offset, prefixSize, limit, messageName, fieldName);
        final int length = lengthPrefix(buffer, offset, prefixSize);
        if (length > maxLength)
        {
            throw new CodecException(CodecException.Category.LENGTH_TOO_LARGE, messageName, fieldName,
                "length " + length + " > max " + maxLength);
        }
        checkAvailable(offset + prefixSize, length, limit, messageName, fieldName);
        return length;
    }

    /**
     * Reads and checks the element count of a SEQ0_xx field at {@code offset}: {@code count * minElementSize} bytes
     * must fit before {@code limit}, so a caller may loop {@code count} times without running away.
     */
    public static int sequenceCount(
        final DirectBuffer buffer,
        final int offset,
        final int limit,
        final int prefixSize,
        final int minElementSize,
        final String messageName,
        final String fieldName)
    {
        checkAvailable(offset, prefixSize, limit, messageName, fieldName);
        final int count = lengthPrefix(buffer, offset, prefixSize);
        final long needed = (long)count * minElementSize;
        if (needed > limit - offset - prefixSize)
        {
            throw new CodecException(CodecException.Category.TRUNCATED, messageName, fieldName,
                "sequence of " + count + " elements needs at least " + needed + " bytes, " +
                (limit - offset - prefixSize) + " left");
        }
        return count;
    }

    /** Reads an OPTION count byte at {@code offset}; only 0 and 1 are valid. */
    public static boolean optionPresent(
        final DirectBuffer buffer, final int offset, final int limit, final String messageName, final String fieldName)
    {
        checkAvailable(offset, U8_SIZE, limit, messageName, fieldName);
        final int count = u8(buffer, offset);
        if (count > 1)
        {
            throw new CodecException(CodecException.Category.INVALID_OPTION, messageName, fieldName,
                "OPTION count " + count + " (must be 0 or 1)");
        }
        return count == 1;
    }

    /** Encoder-side bound check of a variable-length value. */
    public static void checkMaxLength(
        final int length, final int maxLength, final String messageName, final String fieldName)
    {
        if (length < 0 || length > maxLength)
        {
            throw new CodecException(CodecException.Category.VALUE_TOO_LARGE, messageName, fieldName,
                "length " + length + " > max " + maxLength);
        }
    }

    /** Encoder-side range check of an unsigned integer value against {@code max}. */
    public static void checkUnsigned(final long value, final long max, final String messageName, final String fieldName)
    {
        if (value < 0 || value > max)
        {
            throw new CodecException(CodecException.Category.VALUE_TOO_LARGE, messageName, fieldName,
                "value " + value + " outside 0.." + max);
        }
    }

    /** Encoder-side capacity check of the destination buffer. */
    public static void checkCapacity(
        final MutableDirectBuffer buffer, final int offset, final int length, final String messageName, final String fieldName)
    {
        if (offset < 0 || length > buffer.capacity() - offset)
        {
            throw new CodecException(CodecException.Category.BUFFER_TOO_SMALL, messageName, fieldName,
                "need " + length + " bytes at " + offset + ", capacity " + buffer.capacity());
        }
    }

    private static CodecException truncated(
        final int offset, final int length, final int limit, final String messageName, final String fieldName)
    {
        return new CodecException(CodecException.Category.TRUNCATED, messageName, fieldName,
            "need " + length + " bytes at offset " + offset + ", only " + Math.max(0, limit - offset) + " left");
    }
}
