package org.bitcoincommons.sv2.codec.common;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * ChannelEndpointChanged (0x03, channel message, spec 3.6.4).
 */
public record ChannelEndpointChanged(long channelId) implements Message
{
    public static final MessageSchema SCHEMA = CommonProtocol.CHANNEL_ENDPOINT_CHANGED;

    public static ChannelEndpointChanged decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final ChannelEndpointChanged m = new ChannelEndpointChanged(r.u32("channel_id"));
        r.finish();
        return m;
    }

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    @Override
    public void encodeFields(final WireWriter w)
    {
        w.u32("channel_id", channelId);
    }
}
