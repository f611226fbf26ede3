package org.bitcoincommons.sv2.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import org.bitcoincommons.sv2.codec.catalog.MessageRecords;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.jd.JobDeclarationProtocol;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.seed.SeedTlvCodec;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;

/**
 * Fuzz targets (Jazzer) for every SV2 decoder that reads a peer's bytes: the frame header, whole frames through the
 * catalog, each sub-protocol's messages (first byte picks the message, the rest is its payload), TLV fields and the
 * seed system's TLV framing. What must hold: the only exception is {@link CodecException}; what decodes re-encodes to
 * the same bytes and decodes again to the same values; the schema codec, the records and the hot-path flyweights
 * agree; a decode allocates at most a bound linear in the payload, whatever its length prefixes claim.
 * <p>
 * {@code make test} replays the committed corpus under {@code CodecFuzzTestInputs/}; {@code make fuzz} fuzzes.
 */
class CodecFuzzTest
{
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;
    /** A decode's allocation bound: a fixed allowance plus a multiple of the payload it was given. */
    private static final long ALLOCATION_FIXED = 64 * 1024;
    private static final long ALLOCATION_PER_BYTE = 64;
    /** CoinbaseOutputConstraints of a client from before the sigops field (spec change of March 2025). */
    private static final int LEGACY_CONSTRAINTS_LENGTH = 4;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @FuzzTest
    void frameHeader(final byte[] data)
    {
        if (data.length < 3)
        {
            return;
        }
        final int max = ((data[0] & 0xff) << 16 | (data[1] & 0xff) << 8 | (data[2] & 0xff));
        final byte[] frame = Arrays.copyOfRange(data, 3, data.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Math.max(frame.length, HEADER)]);
        buffer.putBytes(0, frame);
        final FrameHeaderFlyweight header = new FrameHeaderFlyweight().wrap(buffer, 0);
        try
        {
            header.check(frame.length, max);
        }
        catch (final CodecException ex)
        {
            return;
        }
        assertTrue(header.msgLength() <= max, "msg_length over the maximum passed the check");
        assertTrue(header.frameLength() <= frame.length, "a frame longer than the bytes at hand passed the check");
        final UnsafeBuffer again = new UnsafeBuffer(new byte[HEADER]);
        FrameHeaderFlyweight.write(again, 0, header.extensionId(), header.channelMsg(), header.msgType(),
            header.msgLength());
        assertArrayEquals(Arrays.copyOf(frame, HEADER), again.byteArray(), "header write(read(h)) != h");
    }

    @FuzzTest
    void frame(final byte[] data)
    {
        final DecodedMessage decoded;
        try
        {
            decoded = MessageCatalog.decodeFrame(new UnsafeBuffer(data), 0, data.length,
                FrameHeaderFlyweight.MAX_MSG_LENGTH);
        }
        catch (final CodecException ex)
        {
            return;
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[data.length + 64]);
        final int n = MessageCatalog.encodeFrame(decoded.schema(), decoded.fields(), decoded.tlvs(), out, 0);
        assertEquals(data.length, n, decoded.schema().name() + ": encode(decode(frame)) changed the length");
        assertArrayEquals(Arrays.copyOf(data, HEADER), Arrays.copyOf(out.byteArray(), HEADER),
            decoded.schema().name() + ": the header did not survive decode->encode");
        payload(decoded.schema(), data, HEADER, data.length - HEADER);
    }

    @FuzzTest
    void common(final byte[] data)
    {
        subProtocol(CommonProtocol.SCHEMAS, data);
    }

    @FuzzTest
    void mining(final byte[] data)
    {
        subProtocol(MiningProtocol.SCHEMAS, data);
    }

    @FuzzTest
    void jobDeclaration(final byte[] data)
    {
        subProtocol(JobDeclarationProtocol.SCHEMAS, data);
    }

    @FuzzTest
    void templateDistribution(final byte[] data)
    {
        subProtocol(TemplateDistributionProtocol.SCHEMAS, data);
    }

    @FuzzTest
    void extensions(final byte[] data)
    {
        subProtocol(ExtensionNegotiationProtocol.SCHEMAS, data);
    }

    @FuzzTest
    void tlv(final byte[] data)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        final int count;
        try
        {
            count = Tlv.validate(buffer, 0, data.length, "fuzz");
        }
        catch (final CodecException ex)
        {
            assertEquals(CodecException.Category.TRAILING_BYTES, ex.category(), ex.getMessage());
            return;
        }
        final List<Tlv> tlvs = Tlv.decodeAll(buffer, 0, data.length, "fuzz");
        assertEquals(count, tlvs.size());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[data.length]);
        int position = 0;
        for (final Tlv t : tlvs)
        {
            position += t.encode(out, position);
            final int found = Tlv.find(buffer, 0, data.length, t.extensionType(), t.fieldType());
            assertTrue(found >= 0 && found < data.length, "find lost a TLV that decodeAll returned");
        }
        assertEquals(data.length, position);
        assertArrayEquals(data, out.byteArray(), "encode(decodeAll(tlvs)) != tlvs");
    }

    @FuzzTest
    void seedTlv(final byte[] data)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        final SeedTlvCodec codec = new SeedTlvCodec(1 << 16);
        try
        {
            final int length = codec.frameLength(buffer, 0, data.length);
            assertTrue(length == -1 || length >= SeedTlvCodec.HEADER_LENGTH);
        }
        catch (final CodecException ex)
        {
            // the header is refused: fine
        }
        try
        {
            codec.wrap(buffer, 0, data.length);
        }
        catch (final CodecException ex)
        {
            return;
        }
        assertEquals(data.length, codec.frameLength());
        final byte[] payload = codec.payload();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[data.length]);
        final int n = codec.encode(out, 0, codec.tag(), new UnsafeBuffer(payload), 0, payload.length);
        assertEquals(data.length, n);
        assertArrayEquals(data, out.byteArray(), "seed encode(wrap(frame)) != frame");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void subProtocol(final List<MessageSchema> schemas, final byte[] data)
    {
        if (data.length == 0)
        {
            return;
        }
        payload(schemas.get((data[0] & 0xff) % schemas.size()), data, 1, data.length - 1);
    }

    /** The schema codec's decode, or null when it refuses the payload (with a CodecException, nothing else). */
    private static DecodedMessage schemaDecode(
        final MessageSchema schema, final UnsafeBuffer in, final int offset, final int length)
    {
        try
        {
            return SchemaCodec.decode(schema, in, offset, length);
        }
        catch (final CodecException ex)
        {
            return null;
        }
    }

    /** Every decoder of this schema over one payload, with the round trips and the allocation bound. */
    private static void payload(final MessageSchema schema, final byte[] data, final int offset, final int length)
    {
        final UnsafeBuffer in = new UnsafeBuffer(data);
        schemaDecode(schema, in, offset, length);   // the first time loads classes; the second one is measured
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final DecodedMessage decoded = schemaDecode(schema, in, offset, length);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= ALLOCATION_FIXED + ALLOCATION_PER_BYTE * length, schema.name() + " allocated " +
            allocated + " bytes decoding a payload of " + length);
        final boolean hot = HotPathFlyweights.isHot(schema);
        if (decoded == null)
        {
            try
            {
                if (hot)
                {
                    HotPathFlyweights.readAll(HotPathFlyweights.wrap(schema, in, offset, length));
                }
                else
                {
                    MessageRecords.decode(schema, in, offset, length);
                }
            }
            catch (final CodecException expected)
            {
                return;
            }
            if (schema == CoinbaseOutputConstraints.SCHEMA && length == LEGACY_CONSTRAINTS_LENGTH)
            {
                return;   // documented leniency: a pre-2025 client's U32 alone, sigops read as the default
            }
            throw new AssertionError(schema.name() + ": the schema codec refuses a payload that the " +
                (hot ? "flyweight" : "record") + " accepts");
        }
        // BOOL reads bit 0 only (spec), so the first re-encoding may differ there; from then on it must be stable.
        final UnsafeBuffer out = new UnsafeBuffer(new byte[length + 64]);
        final int n = SchemaCodec.encode(schema, decoded.fields(), decoded.tlvs(), out, 0);
        assertEquals(length, n, schema.name() + ": encode(decode(payload)) changed the length");
        final byte[] canonical = Arrays.copyOf(out.byteArray(), n);
        final DecodedMessage again = SchemaCodec.decode(schema, new UnsafeBuffer(canonical), 0, n);
        final int n2 = SchemaCodec.encode(schema, again.fields(), again.tlvs(), out, 0);
        assertArrayEquals(canonical, Arrays.copyOf(out.byteArray(), n2),
            schema.name() + ": decode->encode->decode->encode is not stable");
        final int tlvBytes = decoded.tlvs().stream().mapToInt(Tlv::encodedLength).sum();
        final int fieldsLength = length - tlvBytes;
        final int m;
        if (hot)
        {
            final MessageFlyweight flyweight;
            try
            {
                flyweight = HotPathFlyweights.assertDecodes(schema, decoded.fields(), in, offset, length);
            }
            catch (final CodecException ex)
            {
                // The flyweight is stricter in one place only: a worker user_identity TLV over 32 bytes.
                assertEquals(CodecException.Category.LENGTH_TOO_LARGE, ex.category(), ex.getMessage());
                return;
            }
            assertEquals(offset + fieldsLength, flyweight.tlvOffset());
            HotPathFlyweights.readAll(flyweight);
            HotPathFlyweights.rewrap(flyweight, in, offset, length);   // warm: the first one may load classes
            // The least of three measurements: an allocation of the wrap itself repeats every time, while a one-off
            // of the runtime (the fuzzer's coverage bookkeeping on a new edge, a deoptimization) does not.
            long flyAllocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && flyAllocated != 0; attempt++)
            {
                final long flyBefore = THREADS.getCurrentThreadAllocatedBytes();
                HotPathFlyweights.rewrap(flyweight, in, offset, length);
                flyAllocated = Math.min(flyAllocated, THREADS.getCurrentThreadAllocatedBytes() - flyBefore);
            }
            assertEquals(0, flyAllocated, schema.name() + ": the hot-path flyweight's wrap allocated");
            m = HotPathFlyweights.encode(schema, decoded.fields(), out, 0);
        }
        else
        {
            final Message record = MessageRecords.decode(schema, in, offset, length);
            m = record.encode(out, 0);
            final Message recordAgain = MessageRecords.decode(schema, out, 0, m);
            final UnsafeBuffer out2 = new UnsafeBuffer(new byte[m + 64]);
            assertEquals(m, recordAgain.encode(out2, 0), schema.name() + ": record decode->encode->decode unstable");
            assertArrayEquals(Arrays.copyOf(out.byteArray(), m), Arrays.copyOf(out2.byteArray(), m));
        }
        assertEquals(fieldsLength, m, schema.name() + ": re-encoded fields differ in length");
        assertArrayEquals(Arrays.copyOf(canonical, fieldsLength), Arrays.copyOf(out.byteArray(), m),
            schema.name() + ": the specific decoder's re-encoding differs from the schema codec's");
    }
}
