package org.bitcoincommons.sv2.codec;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.Hex.buffer;
import static org.bitcoincommons.sv2.codec.Hex.clean;
import static org.bitcoincommons.sv2.codec.Hex.hex;
import static org.bitcoincommons.sv2.codec.Hex.rep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every primitive of the spec's type table, through one synthetic schema, against bytes written by hand from
 * PROTOCOL.md section 1 (all little-endian; B0_xx prefixes are byte counts, SEQ prefixes element counts).
 */
class WireTest
{
    /** One field of every type and shape; not a real SV2 message. */
    static final MessageSchema ALL_TYPES = MessageSchema.of("AllTypes", 0x4000, 0x00, false,
        field("a_bool", FieldType.BOOL),
        field("a_u8", FieldType.U8),
        field("a_u16", FieldType.U16),
        field("a_u24", FieldType.U24),
        field("a_u32", FieldType.U32),
        field("a_u64", FieldType.U64),
        field("a_u256", FieldType.U256),
        field("a_f32", FieldType.F32),
        field("a_pubkey", FieldType.PUBKEY),
        field("a_signature", FieldType.SIGNATURE),
        field("a_str", FieldType.STR0_255),
        field("a_b0_32", FieldType.B0_32),
        field("a_b0_255", FieldType.B0_255),
        field("a_b0_64k", FieldType.B0_64K),
        field("a_b0_16m", FieldType.B0_16M),
        field("a_seq255", FieldType.seq0_255(Primitive.U16)),
        field("a_seq64k", FieldType.seq0_64K(Primitive.B0_16M)),
        field("a_some", FieldType.option(Primitive.U64)),
        field("a_none", FieldType.option(Primitive.U256)),
        field("a_bytes", FieldType.BYTES));

    private static final String U256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String ALL_TYPES_HEX = String.join(" ",
        "01",                           // BOOL true
        "ab",                           // U8 0xab
        "3412",                         // U16 0x1234
        "563412",                       // U24 0x123456
        "78563412",                     // U32 0x12345678
        "0807060504030201",             // U64 0x0102030405060708
        U256,                           // U256, wire order
        "000000c0",                     // F32 -2.0 = 0xc0000000
        rep("02", 32),                  // PUBKEY
        rep("03", 64),                  // SIGNATURE
        "03 68c3a9",                    // STR0_255 "hé" (3 UTF-8 bytes)
        "01 aa",                        // B0_32
        "00",                           // B0_255 empty
        "0200 bbcc",                    // B0_64K
        "010000 dd",                    // B0_16M, U24 LE length 1
        "02 0100 0302",                 // SEQ0_255[U16] = [1, 0x0203]
        "0100 010000 ee",               // SEQ0_64K[B0_16M] = [[ee]]
        "01 0500000000000000",          // OPTION[U64] = 5
        "00",                           // OPTION[U256] = none
        "ffee");                        // BYTES: the rest

    @Test
    void decodesEveryPrimitiveFromHandWrittenBytes()
    {
        final UnsafeBuffer b = buffer(ALL_TYPES_HEX);
        final DecodedMessage d = SchemaCodec.decode(ALL_TYPES, b, 0, b.capacity());
        final Map<String, Object> v = d.fields();
        assertEquals(true, v.get("a_bool"));
        assertEquals(0xab, v.get("a_u8"));
        assertEquals(0x1234, v.get("a_u16"));
        assertEquals(0x123456, v.get("a_u24"));
        assertEquals(0x12345678L, v.get("a_u32"));
        assertEquals(0x0102030405060708L, v.get("a_u64"));
        assertEquals(U256, hex((byte[])v.get("a_u256")));
        assertEquals(-2.0f, v.get("a_f32"));
        assertEquals(rep("02", 32), hex((byte[])v.get("a_pubkey")));
        assertEquals(rep("03", 64), hex((byte[])v.get("a_signature")));
        assertEquals("hé", v.get("a_str"));
        assertEquals("aa", hex((byte[])v.get("a_b0_32")));
        assertEquals("", hex((byte[])v.get("a_b0_255")));
        assertEquals("bbcc", hex((byte[])v.get("a_b0_64k")));
        assertEquals("dd", hex((byte[])v.get("a_b0_16m")));
        assertEquals(List.of(1, 0x0203), v.get("a_seq255"));
        assertEquals(1, ((List<?>)v.get("a_seq64k")).size());
        assertArrayEquals(new byte[] {(byte)0xee}, (byte[])((List<?>)v.get("a_seq64k")).get(0));
        assertEquals(5L, v.get("a_some"));
        assertNull(v.get("a_none"));
        assertEquals("ffee", hex((byte[])v.get("a_bytes")));
    }

    @Test
    void encodesTheSameBytes()
    {
        final UnsafeBuffer b = buffer(ALL_TYPES_HEX);
        final DecodedMessage d = SchemaCodec.decode(ALL_TYPES, b, 0, b.capacity());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final int n = SchemaCodec.encode(ALL_TYPES, d.fields(), List.of(), out, 0);
        assertEquals(clean(ALL_TYPES_HEX), hex(out, 0, n));
    }

    @Test
    void u24AndU64AtTheirLimits()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        Wire.u24(b, 0, Wire.U24_MAX);
        assertEquals("ffffff", hex(b, 0, 3));
        assertEquals(Wire.U24_MAX, Wire.u24(b, 0));
        Wire.u64(b, 0, -1L);
        assertEquals("18446744073709551615", Long.toUnsignedString(Wire.u64(b, 0)));
        Wire.u32(b, 0, Wire.U32_MAX);
        assertEquals(Wire.U32_MAX, Wire.u32(b, 0));
    }

    @Test
    void writerChecksRangesAndLengths()
    {
        final WireWriter w = new WireWriter(new UnsafeBuffer(new byte[64]), 0, "M");
        assertEquals("f", assertThrows(CodecException.class, () -> w.u8("f", 256)).fieldName());
        assertThrows(CodecException.class, () -> w.u16("f", -1));
        assertThrows(CodecException.class, () -> w.u24("f", 1 << 24));
        assertThrows(CodecException.class, () -> w.u32("f", 1L << 32));
        assertThrows(CodecException.class, () -> w.b0_32("f", new byte[33]));
        assertThrows(CodecException.class, () -> w.u256("f", new byte[31]));
        final CodecException small = assertThrows(CodecException.class, () -> w.b0_64K("f", new byte[100]));
        assertEquals(CodecException.Category.BUFFER_TOO_SMALL, small.category());
    }

    @Test
    void readerRejectsB0_16MLengthBeyondThePayloadWithoutAllocating()
    {
        final WireReader r = new WireReader(buffer("ffffff 00"), 0, 4, "M");
        final CodecException ex = assertThrows(CodecException.class, () -> r.b0_16M("f"));
        assertEquals(CodecException.Category.TRUNCATED, ex.category());
        assertEquals("M", ex.messageName());
        assertEquals("f", ex.fieldName());
    }

    @Test
    void str0_255AcceptsAsciiAndUtf8AndRejectsWhatIsNotUtf8()
    {
        assertEquals("", new WireReader(buffer("00"), 0, 1, "M").str0_255("s"));
        assertEquals("Bitmain S19 ~!", new WireReader(buffer("0e 4269746d61696e20533139207e21"), 0, 15, "M").str0_255("s"));
        assertEquals("h\u00e9", new WireReader(buffer("03 68c3a9"), 0, 4, "M").str0_255("s"));
        assertEquals("\u20ac1", new WireReader(buffer("04 e282ac31"), 0, 5, "M").str0_255("s"));
        for (final String bad : new String[] {"01 c3", "02 68ff", "02 c0af", "03 eda080", "02 41 80"})
        {
            final int n = clean(bad).length() / 2;
            final CodecException ex = assertThrows(CodecException.class,
                () -> new WireReader(buffer(bad), 0, n, "M").str0_255("s"), bad);
            assertEquals(CodecException.Category.INVALID_VALUE, ex.category(), bad);
            assertEquals("s", ex.fieldName());
        }
    }
}
