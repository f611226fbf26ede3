package org.bitcoincommons.sv2.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TlvTest
{
    /** SRI sv2/parsers-sv2/src/tlv/codec.rs: (0x0002, 0x01, "test") is 02 00 01 04 00 74 65 73 74 (little-endian). */
    private static final String SRI_TEST_TLV = "0200 01 0400 74657374";
    /** The spec's 3.4.3 example, written big-endian: 00 02 01 00 0A "Worker_001". */
    private static final String SPEC_BIG_ENDIAN_EXAMPLE = "0002 01 000a 576f726b65725f303031";

    @Test
    void encodesLittleEndianAsSriDoes()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        final int n = new Tlv(0x0002, 0x01, "test".getBytes(US_ASCII)).encode(b, 0);
        assertEquals(9, n);
        assertEquals(Hex.clean(SRI_TEST_TLV), Hex.hex(b, 0, n));
    }

    @Test
    void decodesSriVector()
    {
        final List<Tlv> tlvs = Tlv.decodeAll(Hex.buffer(SRI_TEST_TLV), 0, 9, "m");
        assertEquals(1, tlvs.size());
        assertEquals(2, tlvs.get(0).extensionType());
        assertEquals(1, tlvs.get(0).fieldType());
        assertArrayEquals("test".getBytes(US_ASCII), tlvs.get(0).value());
    }

    @Test
    void theSpecsBigEndianExampleIsNotWhatWeAccept()
    {
        // Read little-endian, the spec's example claims a length of 0x0a00 = 2560 bytes: not well formed.
        final UnsafeBuffer b = Hex.buffer(SPEC_BIG_ENDIAN_EXAMPLE);
        final CodecException ex = assertThrows(CodecException.class, () -> Tlv.decodeAll(b, 0, b.capacity(), "m"));
        assertEquals(CodecException.Category.TRAILING_BYTES, ex.category());
        // The same field in the byte order we (and SRI) use.
        final List<Tlv> le = Tlv.decodeAll(Hex.buffer("0200 01 0a00 576f726b65725f303031"), 0, 15, "m");
        assertArrayEquals("Worker_001".getBytes(US_ASCII), le.get(0).value());
    }

    @Test
    void rejectsExtensionZeroAndShortHeaders()
    {
        assertThrows(CodecException.class, () -> Tlv.validate(Hex.buffer("0000 01 0000"), 0, 5, "m"));
        assertThrows(CodecException.class, () -> Tlv.validate(Hex.buffer("0200 01 00"), 0, 4, "m"));
        assertEquals(2, Tlv.validate(Hex.buffer("0200 01 0000 0300 07 0100 ff"), 0, 11, "m"));
    }

    @Test
    void findLocatesAFieldWithoutAllocating()
    {
        final UnsafeBuffer b = Hex.buffer("0300 07 0100 ff " + SRI_TEST_TLV);
        assertEquals(6, Tlv.find(b, 0, b.capacity(), 2, 1));
        assertEquals(4, Tlv.valueLength(b, 6));
        assertEquals(-1, Tlv.find(b, 0, b.capacity(), 2, 2));
    }
}
