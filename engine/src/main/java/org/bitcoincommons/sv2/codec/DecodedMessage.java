package org.bitcoincommons.sv2.codec;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A message dissected by {@link SchemaCodec}: field values by spec name in wire order (Java types as
 * {@link WireReader#field} returns them), and the TLV extension fields that followed, if any.
 */
public record DecodedMessage(MessageSchema schema, Map<String, Object> fields, List<Tlv> tlvs)
{
    public DecodedMessage
    {
        fields = Collections.unmodifiableMap(fields);
        tlvs = List.copyOf(tlvs);
    }

    public Object field(final String name)
    {
        if (!fields.containsKey(name))
        {
            throw new IllegalArgumentException(schema.name() + " has no field " + name);
        }
        return fields.get(name);
    }
}
