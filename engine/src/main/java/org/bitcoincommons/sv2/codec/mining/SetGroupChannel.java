package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetGroupChannel (0x25, spec 5.3.22). Not a channel message: no channel_msg bit and no leading channel_id.
 */
public record SetGroupChannel(long groupChannelId, long[] channelIds) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_GROUP_CHANNEL;

    public static SetGroupChannel decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetGroupChannel m = new SetGroupChannel(r.u32("group_channel_id"), r.u32Sequence("channel_ids"));
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
        w.u32("group_channel_id", groupChannelId).u32Sequence("channel_ids", channelIds);
    }
}
