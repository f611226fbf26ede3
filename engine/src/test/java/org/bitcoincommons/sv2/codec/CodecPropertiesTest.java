package org.bitcoincommons.sv2.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import org.bitcoincommons.sv2.codec.catalog.MessageRecords;
import org.bitcoincommons.sv2.codec.seed.SeedTlvCodec;

/**
 * Properties over every catalogued message: round trips through the schema codec agree with the hand-written
 * records and flyweights, and no input whatsoever makes a decoder fail with anything but {@link CodecException}.
 */
class CodecPropertiesTest
{
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
    /**
     * Bytes the decoders may allocate for one 64-byte payload (maps, records, exception): far below what a length
     * prefix could claim (a B0_16M field claims 16 MiB, a SEQ0_64K of U256 2 MiB).
     */
    private static final long MAX_DECODE_ALLOCATION_BYTES = 64 * 1024;

    /** A message to encode: its schema, field values by spec name, and trailing TLVs. */
    record Sample(MessageSchema schema, Map<String, Object> values, List<Tlv> tlvs)
    {
        @Override
        public String toString()
        {
            return schema.name() + " " + values.keySet() + " tlvs=" + tlvs.size();
        }
    }

    // ---- generators ------------------------------------------------------------------------------------------

    private static Arbitrary<byte[]> bytes(final int min, final int max)
    {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<?> primitive(final Primitive p)
    {
        return switch (p)
        {
            case BOOL -> Arbitraries.of(true, false);
            case U8 -> Arbitraries.integers().between(0, Wire.U8_MAX);
            case U16 -> Arbitraries.integers().between(0, Wire.U16_MAX);
            case U24 -> Arbitraries.integers().between(0, Wire.U24_MAX);
            case U32 -> Arbitraries.longs().between(0, Wire.U32_MAX);
            case U64 -> Arbitraries.longs();
            case F32 -> Arbitraries.floats().between(-1e30f, 1e30f);
            case U256, PUBKEY -> bytes(32, 32);
            case SIGNATURE -> bytes(64, 64);
            // At most 3 UTF-8 bytes per char: 80 chars stay within 255 bytes.
            case STR0_255 -> Arbitraries.strings().withCharRange('a', 'z').withChars(" -.é€ß0123").ofMaxLength(80);
            case B0_32 -> bytes(0, 32);
            case B0_255 -> bytes(0, 255);
            case B0_64K, B0_16M -> bytes(0, 300);
            case BYTES -> bytes(0, 64);
        };
    }

    private static Arbitrary<?> field(final FieldType type)
    {
        final Arbitrary<?> element = primitive(type.element());
        return switch (type.shape())
        {
            case SINGLE -> element;
            case OPTION -> element.injectNull(0.5);
            default -> element.list().ofMaxSize(6).map(l -> (Object)new ArrayList<Object>(l));
        };
    }

    private static Arbitrary<Map<String, Object>> values(final MessageSchema schema)
    {
        Arbitrary<Map<String, Object>> acc = Arbitraries.just(new LinkedHashMap<>());
        for (final FieldSpec f : schema.fields())
        {
            acc = Combinators.combine(acc, field(f.type())).as((m, v) ->
            {
                final Map<String, Object> next = new LinkedHashMap<>(m);
                next.put(f.name(), v);
                return next;
            });
        }
        return acc;
    }

    /** TLVs from extensions 3.. (so never the worker-identity field, whose length the flyweight bounds). */
    private static Arbitrary<List<Tlv>> tlvs()
    {
        final Arbitrary<Tlv> tlv = Combinators.combine(
            Arbitraries.integers().between(3, Wire.U16_MAX), Arbitraries.integers().between(0, Wire.U8_MAX), bytes(0, 40))
            .as(Tlv::new);
        return Arbitraries.oneOf(Arbitraries.just(List.of()), tlv.list().ofMaxSize(3));
    }

    @Provide
    Arbitrary<Sample> samples()
    {
        return Arbitraries.of(MessageCatalog.all())
            .flatMap(s -> Combinators.combine(values(s), tlvs()).as((v, t) -> new Sample(s, v, t)));
    }

    @Provide
    Arbitrary<MessageSchema> schemas()
    {
        return Arbitraries.of(MessageCatalog.all());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static byte[] encodeFrame(final Sample s)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
        final int n = MessageCatalog.encodeFrame(s.schema(), s.values(), s.tlvs(), out, 0);
        return Arrays.copyOf(out.byteArray(), n);
    }

    private static void assertSameValue(final Object expected, final Object actual, final String field)
    {
        if (expected instanceof byte[] e)
        {
            assertArrayEquals(e, (byte[])actual, field);
        }
        else if (expected instanceof List<?> e)
        {
            final List<?> a = (List<?>)actual;
            assertEquals(e.size(), a.size(), field);
            for (int i = 0; i < e.size(); i++)
            {
                assertSameValue(e.get(i), a.get(i), field + "[" + i + "]");
            }
        }
        else
        {
            assertEquals(expected, actual, field);
        }
    }

    /** Runs every decoder we have over the payload; any failure must be a CodecException. */
    private static void decodeEverywhere(final MessageSchema schema, final UnsafeBuffer b, final int offset, final int length)
    {
        try
        {
            SchemaCodec.decode(schema, b, offset, length);
        }
        catch (final CodecException expected)
        {
            // fine
        }
        try
        {
            final MessageRecords.Decoder decoder = MessageRecords.decoder(schema);
            if (decoder != null)
            {
                decoder.decode(b, offset, length);
            }
            else
            {
                readAll(HotPathFlyweights.wrap(schema, b, offset, length));
            }
        }
        catch (final CodecException expected)
        {
            // fine
        }
    }

    private static void readAll(final MessageFlyweight m)
    {
        HotPathFlyweights.readAll(m);
    }

    // ---- properties --------------------------------------------------------------------------------------------

    @Property(tries = 2000)
    void everyMessageRoundTripsThroughTheSchemaCodec(@ForAll("samples") final Sample s)
    {
        final byte[] frame = encodeFrame(s);
        final DecodedMessage d = MessageCatalog.decodeFrame(new UnsafeBuffer(frame), 0, frame.length,
            FrameHeaderFlyweight.MAX_MSG_LENGTH);
        assertEquals(s.schema(), d.schema());
        assertEquals(new ArrayList<>(s.values().keySet()), new ArrayList<>(d.fields().keySet()));
        for (final FieldSpec f : s.schema().fields())
        {
            assertSameValue(s.values().get(f.name()), d.field(f.name()), f.name());
        }
        assertEquals(s.tlvs(), d.tlvs());
        final FrameHeaderFlyweight h = new FrameHeaderFlyweight().wrap(new UnsafeBuffer(frame), 0);
        assertEquals(s.schema().channelMsg(), h.channelMsg());
        assertEquals(frame.length - HEADER, h.msgLength());
    }

    @Property(tries = 2000)
    void recordsAndFlyweightsAgreeWithTheSchemaCodec(@ForAll("samples") final Sample s)
    {
        final byte[] frame = encodeFrame(s);
        final UnsafeBuffer in = new UnsafeBuffer(frame);
        final int tlvBytes = s.tlvs().stream().mapToInt(Tlv::encodedLength).sum();
        final int fieldsLength = frame.length - HEADER - tlvBytes;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
        final int n;
        if (HotPathFlyweights.isHot(s.schema()))
        {
            final MessageFlyweight m = HotPathFlyweights.assertDecodes(s.schema(), s.values(), in, HEADER,
                frame.length - HEADER);
            assertEquals(HEADER + fieldsLength, m.tlvOffset());
            assertEquals(tlvBytes, m.tlvLength());
            n = HotPathFlyweights.encode(s.schema(), s.values(), out, 0);
        }
        else
        {
            final Message m = MessageRecords.decode(s.schema(), in, HEADER, frame.length - HEADER);
            assertInstanceOf(Message.class, m);
            n = m.encode(out, 0);
        }
        assertEquals(fieldsLength, n);
        assertArrayEquals(Arrays.copyOfRange(frame, HEADER, HEADER + fieldsLength), Arrays.copyOf(out.byteArray(), n));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void everyPrimitiveAndShapeRoundTrips(@ForAll("allTypes") final Map<String, Object> values)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
        final int n = SchemaCodec.encode(WireTest.ALL_TYPES, values, List.of(), out, 0);
        final DecodedMessage d = SchemaCodec.decode(WireTest.ALL_TYPES, out, 0, n);
        for (final FieldSpec f : WireTest.ALL_TYPES.fields())
        {
            assertSameValue(values.get(f.name()), d.field(f.name()), f.name());
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> allTypes()
    {
        return values(WireTest.ALL_TYPES);
    }

    @Property(tries = 3000)
    void randomPayloadsOnlyEverFailWithCodecException(
        @ForAll("schemas") final MessageSchema schema, @ForAll @Size(max = 300) final byte[] payload)
    {
        decodeEverywhere(schema, new UnsafeBuffer(payload), 0, payload.length);
    }

    @Property(tries = 3000)
    void randomFramesOnlyEverFailWithCodecException(
        @ForAll @Size(min = 0, max = 300) final byte[] frame, @ForAll @IntRange(min = 0, max = 0x76) final int type)
    {
        if (frame.length >= HEADER)
        {
            // Bias towards known types, with the right channel bit half of the time.
            frame[2] = (byte)type;
        }
        try
        {
            MessageCatalog.decodeFrame(new UnsafeBuffer(frame), 0, frame.length, FrameHeaderFlyweight.MAX_MSG_LENGTH);
        }
        catch (final CodecException expected)
        {
            // fine
        }
        try
        {
            new SeedTlvCodec().wrap(new UnsafeBuffer(frame), 0, frame.length);
        }
        catch (final CodecException expected)
        {
            // fine
        }
    }

    @Property(tries = 2000)
    void everyTruncatedFrameIsRejected(@ForAll("samples") final Sample s, @ForAll final int cutSeed)
    {
        final byte[] frame = encodeFrame(s);
        final int cut = Math.floorMod(cutSeed, frame.length);
        final CodecException ex = assertThrows(CodecException.class, () -> MessageCatalog.decodeFrame(
            new UnsafeBuffer(frame), 0, cut, FrameHeaderFlyweight.MAX_MSG_LENGTH));
        assertEquals(CodecException.Category.TRUNCATED, ex.category());
        // The payload decoders may accept a cut at a TLV boundary; otherwise they throw CodecException only.
        if (cut >= HEADER)
        {
            decodeEverywhere(s.schema(), new UnsafeBuffer(frame), HEADER, cut - HEADER);
        }
    }

    @Property(tries = 3000)
    void mutatedFramesOnlyEverFailWithCodecException(
        @ForAll("samples") final Sample s,
        @ForAll @Size(min = 1, max = 4) final List<@IntRange(min = 0, max = 100_000) Integer> positions,
        @ForAll @Size(min = 4, max = 4) final byte[] values)
    {
        final byte[] frame = encodeFrame(s);
        for (int i = 0; i < positions.size(); i++)
        {
            frame[positions.get(i) % frame.length] = values[i];
        }
        try
        {
            MessageCatalog.decodeFrame(new UnsafeBuffer(frame), 0, frame.length, FrameHeaderFlyweight.MAX_MSG_LENGTH);
        }
        catch (final CodecException expected)
        {
            // fine
        }
        decodeEverywhere(s.schema(), new UnsafeBuffer(frame), HEADER, frame.length - HEADER);
    }

    @Property(tries = 200)
    void lengthPrefixesNeverAllocateBeyondThePayload(@ForAll("schemas") final MessageSchema schema)
    {
        // Every length/count byte at its maximum: a 16 MiB B0_16M or a 65535-element SEQ claimed in a few bytes.
        final byte[] payload = new byte[64];
        Arrays.fill(payload, (byte)0xff);
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);
        decodeEverywhere(schema, buffer, 0, payload.length);   // first call: class loading and lazy tables
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        decodeEverywhere(schema, buffer, 0, payload.length);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < MAX_DECODE_ALLOCATION_BYTES, schema.name() + " allocated " + allocated +
            " bytes decoding a 64-byte payload whose length prefixes claim up to 16 MiB");
    }
}
