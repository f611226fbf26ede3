package org.bitcoincommons.sv2.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One TLV extension field appended after a message's fields (spec 3.4.3, "Extension fields").
 * <pre>
 *   0                   1                   2
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 ...
 *  +-------------------------------+---------------+-------------------------------+---------
 *  | extension_type U16 LE         | field_type U8 | length U16 LE                 | value ...
 *  +-------------------------------+---------------+-------------------------------+---------
 * </pre>
 * <b>Byte order.</b> The spec's examples write type and length big-endian ({@code 00 02 01 00 0A "Worker_001"}).
 * SRI ({@code sv2/parsers-sv2/src/tlv/codec.rs}, with unit tests) writes them little-endian, like every other SV2
 * integer: {@code (0x0002, 0x01, "test")} is {@code 02 00 01 04 00 74 65 73 74}. We follow SRI for interop;
 * {@code TlvTest} pins both facts.
 * <p>
 * A TLV with extension_type 0 is rejected: extension 0 is the core protocol, which defines no TLV fields, so such
 * bytes are treated as trailing garbage.
 *
 * @param extensionType the extension that defines the field (U16, non-zero)
 * @param fieldType     the field within that extension (U8)
 * @param value         the value bytes (at most 65535)
 */
public record Tlv(int extensionType, int fieldType, byte[] value)
{
    public static final int EXTENSION_TYPE_FIELD_OFFSET = 0;
    public static final int FIELD_TYPE_FIELD_OFFSET = 2;
    public static final int LENGTH_FIELD_OFFSET = 3;
    public static final int VALUE_FIELD_OFFSET = 5;
    public static final int HEADER_LENGTH = VALUE_FIELD_OFFSET;
    public static final int MAX_VALUE_LENGTH = Wire.U16_MAX;

    /** Worker-specific hashrate tracking extension (0x0002): field 0x01 user_identity, at most 32 bytes UTF-8. */
    public static final int WORKER_IDENTITY_EXTENSION_TYPE = 0x0002;
    public static final int WORKER_IDENTITY_USER_IDENTITY_FIELD_TYPE = 0x01;
    public static final int WORKER_IDENTITY_USER_IDENTITY_MAX_LENGTH = 32;

    public Tlv
    {
        Wire.checkUnsigned(extensionType, Wire.U16_MAX, "TLV", "extension_type");
        Wire.checkUnsigned(fieldType, Wire.U8_MAX, "TLV", "field_type");
        Wire.checkMaxLength(value.length, MAX_VALUE_LENGTH, "TLV", "value");
        value = value.clone();
    }

    @Override
    public byte[] value()
    {
        return value.clone();
    }

    public int encodedLength()
    {
        return HEADER_LENGTH + value.length;
    }

    /** Writes this TLV at {@code offset}; returns the bytes written. */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        Wire.checkCapacity(buffer, offset, encodedLength(), "TLV", "value");
        Wire.u16(buffer, offset + EXTENSION_TYPE_FIELD_OFFSET, extensionType);
        Wire.u8(buffer, offset + FIELD_TYPE_FIELD_OFFSET, fieldType);
        Wire.u16(buffer, offset + LENGTH_FIELD_OFFSET, value.length);
        buffer.putBytes(offset + VALUE_FIELD_OFFSET, value);
        return encodedLength();
    }

    /**
     * Writes one TLV whose value is copied from {@code source}; no allocation. Returns the bytes written.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int extensionType,
        final int fieldType,
        final DirectBuffer source,
        final int sourceOffset,
        final int length)
    {
        Wire.checkMaxLength(length, MAX_VALUE_LENGTH, "TLV", "value");
        Wire.checkCapacity(buffer, offset, HEADER_LENGTH + length, "TLV", "value");
        Wire.u16(buffer, offset + EXTENSION_TYPE_FIELD_OFFSET, extensionType);
        Wire.u8(buffer, offset + FIELD_TYPE_FIELD_OFFSET, fieldType);
        Wire.u16(buffer, offset + LENGTH_FIELD_OFFSET, length);
        buffer.putBytes(offset + VALUE_FIELD_OFFSET, source, sourceOffset, length);
        return HEADER_LENGTH + length;
    }

    /**
     * Checks that {@code length} bytes at {@code offset} are a whole number of well-formed TLVs; no allocation.
     *
     * @return the number of TLVs
     * @throws CodecException {@link CodecException.Category#TRAILING_BYTES} otherwise, naming {@code messageName}
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length, final String messageName)
    {
        final int limit = offset + length;
        int position = offset;
        int count = 0;
        while (position < limit)
        {
            if (limit - position < HEADER_LENGTH)
            {
                throw trailing(messageName, limit - position, "too short for a TLV header");
            }
            if (Wire.u16(buffer, position + EXTENSION_TYPE_FIELD_OFFSET) == 0)
            {
                throw trailing(messageName, limit - position, "TLV extension_type 0");
            }
            final int valueLength = Wire.u16(buffer, position + LENGTH_FIELD_OFFSET);
            if (valueLength > limit - position - HEADER_LENGTH)
            {
                throw trailing(messageName, limit - position, "TLV length " + valueLength + " beyond the payload");
            }
            position += HEADER_LENGTH + valueLength;
            count++;
        }
        return count;
    }

    /** Decodes the TLVs filling {@code length} bytes at {@code offset} (cold path). */
    public static List<Tlv> decodeAll(final DirectBuffer buffer, final int offset, final int length, final String messageName)
    {
        final int count = validate(buffer, offset, length, messageName);
        final List<Tlv> tlvs = new ArrayList<>(count);
        int position = offset;
        for (int i = 0; i < count; i++)
        {
            final int valueLength = Wire.u16(buffer, position + LENGTH_FIELD_OFFSET);
            final byte[] value = new byte[valueLength];
            buffer.getBytes(position + VALUE_FIELD_OFFSET, value);
            tlvs.add(new Tlv(Wire.u16(buffer, position), Wire.u8(buffer, position + FIELD_TYPE_FIELD_OFFSET), value));
            position += HEADER_LENGTH + valueLength;
        }
        return List.copyOf(tlvs);
    }

    /**
     * Finds the first TLV with this extension and field type in a validated TLV region; no allocation.
     *
     * @return the absolute offset of that TLV's header, or -1
     */
    public static int find(
        final DirectBuffer buffer, final int offset, final int length, final int extensionType, final int fieldType)
    {
        final int limit = offset + length;
        int position = offset;
        while (limit - position >= HEADER_LENGTH)
        {
            if (Wire.u16(buffer, position + EXTENSION_TYPE_FIELD_OFFSET) == extensionType &&
                Wire.u8(buffer, position + FIELD_TYPE_FIELD_OFFSET) == fieldType)
            {
                return position;
            }
            position += HEADER_LENGTH + Wire.u16(buffer, position + LENGTH_FIELD_OFFSET);
        }
        return -1;
    }

    /** The value length of the TLV whose header starts at {@code tlvOffset}. */
    public static int valueLength(final DirectBuffer buffer, final int tlvOffset)
    {
        return Wire.u16(buffer, tlvOffset + LENGTH_FIELD_OFFSET);
    }

    private static CodecException trailing(final String messageName, final int bytes, final String why)
    {
        return new CodecException(CodecException.Category.TRAILING_BYTES, messageName, "-",
            bytes + " bytes after the last field: " + why);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Tlv t && t.extensionType == extensionType && t.fieldType == fieldType &&
            Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode()
    {
        return (extensionType * 31 + fieldType) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString()
    {
        return "Tlv[" + extensionType + ", " + fieldType + ", " + HexFormat.of().formatHex(value) + "]";
    }
}
