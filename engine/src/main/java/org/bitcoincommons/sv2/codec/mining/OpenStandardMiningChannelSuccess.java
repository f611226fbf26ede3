package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * OpenStandardMiningChannel.Success (0x11, spec 5.3.3). target is a U256 LE; extranonce_prefix is at most 32 bytes.
 */
public record OpenStandardMiningChannelSuccess(
    long requestId, long channelId, byte[] target, byte[] extranoncePrefix, long groupChannelId) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.OPEN_STANDARD_MINING_CHANNEL_SUCCESS;

    public static OpenStandardMiningChannelSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final OpenStandardMiningChannelSuccess m = new OpenStandardMiningChannelSuccess(
            r.u32("request_id"), r.u32("channel_id"), r.u256("target"), r.b0_32("extranonce_prefix"), r.u32("group_channel_id"));
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
        w.u32("request_id", requestId).u32("channel_id", channelId).u256("target", target)
            .b0_32("extranonce_prefix", extranoncePrefix).u32("group_channel_id", groupChannelId);
    }
}
