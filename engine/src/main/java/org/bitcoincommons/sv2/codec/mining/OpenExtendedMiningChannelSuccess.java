package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * OpenExtendedMiningChannel.Success (0x14, spec 5.3.5). extranonce_size is the rollable part in bytes.
 */
public record OpenExtendedMiningChannelSuccess(
    long requestId, long channelId, byte[] target, int extranonceSize, byte[] extranoncePrefix, long groupChannelId) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.OPEN_EXTENDED_MINING_CHANNEL_SUCCESS;

    public static OpenExtendedMiningChannelSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final OpenExtendedMiningChannelSuccess m = new OpenExtendedMiningChannelSuccess(
            r.u32("request_id"), r.u32("channel_id"), r.u256("target"), r.u16("extranonce_size"),
            r.b0_32("extranonce_prefix"), r.u32("group_channel_id"));
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
            .u16("extranonce_size", extranonceSize).b0_32("extranonce_prefix", extranoncePrefix)
            .u32("group_channel_id", groupChannelId);
    }
}
