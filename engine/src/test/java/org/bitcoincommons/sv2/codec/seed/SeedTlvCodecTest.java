package org.bitcoincommons.sv2.codec.seed;

import static org.bitcoincommons.sv2.codec.Hex.buffer;
import static org.bitcoincommons.sv2.codec.Hex.clean;
import static org.bitcoincommons.sv2.codec.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.junit.jupiter.api.Test;

/** The seed's length-doubled TLV, bytes written by hand from MERGE-MINING.md section 5. */
class SeedTlvCodecTest
{
    /** NewMiningJob (0x0020) with the 7-byte JSON payload {"a":1}: total = 6 + 7 = 13. */
    private static final String NEW_MINING_JOB = "0d000000 2000 07000000 7b2261223a317d";

    @Test
    void decodesHandWrittenFrame()
    {
        final SeedTlvCodec c = new SeedTlvCodec().wrap(buffer(NEW_MINING_JOB), 0, 17);
        assertEquals(SeedTag.NEW_MINING_JOB, c.tag());
        assertEquals(7, c.payloadLength());
        assertEquals(17, c.frameLength());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), c.payload());
    }

    @Test
    void encodesTheSameBytes()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[32]);
        final UnsafeBuffer payload = new UnsafeBuffer("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
        final int n = new SeedTlvCodec().encode(out, 0, SeedTag.NEW_MINING_JOB, payload, 0, 7);
        assertEquals(clean(NEW_MINING_JOB), hex(out, 0, n));
    }

    @Test
    void tagsAreTheSeeds()
    {
        assertEquals(0x0001, SeedTag.SETUP_CONNECTION.code());
        assertEquals(0x0003, SeedTag.SETUP_CONNECTION_ERROR.code());
        assertEquals(0x0012, SeedTag.OPEN_MINING_CHANNEL_ERROR.code());
        assertEquals(0x0021, SeedTag.SET_NEW_PREV_HASH.code());
        assertEquals(0x0032, SeedTag.SUBMIT_SHARES_ERROR.code());
        assertEquals(SeedTag.SUBMIT_SHARES, SeedTag.of(0x30));
        assertEquals(null, SeedTag.of(0x13));
    }

    @Test
    void rejectsInconsistentTotal()
    {
        final CodecException ex = assertThrows(CodecException.class,
            () -> new SeedTlvCodec().wrap(buffer("0c000000 2000 07000000 7b2261223a317d"), 0, 17));
        assertEquals(CodecException.Category.INVALID_VALUE, ex.category());
        assertEquals("total", ex.fieldName());
    }

    @Test
    void rejectsTruncatedTrailingUnknownAndOversize()
    {
        assertEquals(CodecException.Category.TRUNCATED, assertThrows(CodecException.class,
            () -> new SeedTlvCodec().wrap(buffer(NEW_MINING_JOB), 0, 16)).category());
        assertEquals(CodecException.Category.TRAILING_BYTES, assertThrows(CodecException.class,
            () -> new SeedTlvCodec().wrap(buffer(NEW_MINING_JOB + "00"), 0, 18)).category());
        assertEquals(CodecException.Category.UNKNOWN_MESSAGE, assertThrows(CodecException.class,
            () -> new SeedTlvCodec().wrap(buffer("06000000 9999 00000000"), 0, 10)).category());
        assertEquals(CodecException.Category.LENGTH_TOO_LARGE, assertThrows(CodecException.class,
            () -> new SeedTlvCodec(6).wrap(buffer(NEW_MINING_JOB), 0, 17)).category());
        // 4 GiB claimed: rejected by the maximum before anything is read or allocated.
        assertEquals(CodecException.Category.LENGTH_TOO_LARGE, assertThrows(CodecException.class,
            () -> new SeedTlvCodec().frameLength(buffer("05000000 2000 ffffffff"), 0, 10)).category());
    }

    @Test
    void frameLengthForStreamReaders()
    {
        final SeedTlvCodec c = new SeedTlvCodec();
        assertEquals(-1, c.frameLength(buffer(NEW_MINING_JOB), 0, 9));
        assertEquals(17, c.frameLength(buffer(NEW_MINING_JOB), 0, 10));
    }
}
