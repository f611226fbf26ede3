package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * UpdateChannel (0x16, channel message, spec 5.3.7). nominal_hash_rate in h/s; maximum_target U256 LE.
 */
public record UpdateChannel(long channelId, float nominalHashRate, byte[] maximumTarget) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.UPDATE_CHANNEL;

    public static UpdateChannel decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final UpdateChannel m = new UpdateChannel(
            r.u32("channel_id"), r.f32("nominal_hash_rate"), r.u256("maximum_target"));
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
        w.u32("channel_id", channelId).f32("nominal_hash_rate", nominalHashRate).u256("maximum_target", maximumTarget);
    }
}
