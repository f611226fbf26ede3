package org.bitcoincommons.sv2.codec;

import java.util.List;

/**
 * The descriptor of one SV2 message: its spec name, numbers and ordered fields. One generic decoder and encoder
 * ({@link SchemaCodec}) work from it, so the CLI can dissect any frame and tests can iterate over every message.
 *
 * @param name          the spec's name, with the dot where the spec has one (e.g. {@code SubmitShares.Success})
 * @param extensionType the extension id, without the channel_msg bit (0 for the core sub-protocols)
 * @param msgType       the U8 message type
 * @param channelMsg    whether the frame header carries the channel_msg bit (0x8000)
 * @param fields        fields in wire order
 */
public record MessageSchema(String name, int extensionType, int msgType, boolean channelMsg, List<FieldSpec> fields)
{
    public MessageSchema
    {
        fields = List.copyOf(fields);
    }

    public static MessageSchema of(
        final String name, final int extensionType, final int msgType, final boolean channelMsg, final FieldSpec... fields)
    {
        return new MessageSchema(name, extensionType, msgType, channelMsg, List.of(fields));
    }

    /** The schema's field with this name, or throws {@link IllegalArgumentException}. */
    public FieldSpec field(final String fieldName)
    {
        for (final FieldSpec f : fields)
        {
            if (f.name().equals(fieldName))
            {
                return f;
            }
        }
        throw new IllegalArgumentException(name + " has no field " + fieldName);
    }
}
