package org.bitcoincommons.sv2.codec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The generic decoder and encoder: any message, driven by its {@link MessageSchema}. Cold path (it allocates the
 * values); used by the CLI dissector and the property tests, and as an independent second implementation against
 * which the hand-written flyweights and records are checked.
 */
public final class SchemaCodec
{
    private SchemaCodec()
    {
    }

    /**
     * Decodes a payload of exactly {@code length} bytes; bytes after the last field must be well-formed TLVs.
     */
    public static DecodedMessage decode(
        final MessageSchema schema, final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader reader = new WireReader(buffer, offset, length, schema.name());
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final FieldSpec f : schema.fields())
        {
            values.put(f.name(), reader.field(f.type(), f.name()));
        }
        final List<Tlv> tlvs = reader.finish();
        return new DecodedMessage(schema, values, tlvs);
    }

    /**
     * Encodes the payload from field values by name (every schema field must be present) followed by {@code tlvs}.
     *
     * @return the payload length in bytes
     */
    public static int encode(
        final MessageSchema schema,
        final Map<String, ?> values,
        final List<Tlv> tlvs,
        final MutableDirectBuffer buffer,
        final int offset)
    {
        final WireWriter writer = new WireWriter(buffer, offset, schema.name());
        for (final FieldSpec f : schema.fields())
        {
            if (!values.containsKey(f.name()))
            {
                throw new CodecException(CodecException.Category.INVALID_VALUE, schema.name(), f.name(), "missing");
            }
            writer.field(f.type(), f.name(), values.get(f.name()));
        }
        int position = writer.position();
        for (final Tlv tlv : tlvs)
        {
            position += tlv.encode(buffer, position);
        }
        return position - offset;
    }
}
