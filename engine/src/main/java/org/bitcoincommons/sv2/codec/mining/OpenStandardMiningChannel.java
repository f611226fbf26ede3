package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * OpenStandardMiningChannel (0x10, spec 5.3.2). nominal_hash_rate is in h/s; max_target is a U256 LE (32 bytes).
 */
public record OpenStandardMiningChannel(
    long requestId, String userIdentity, float nominalHashRate, byte[] maxTarget) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.OPEN_STANDARD_MINING_CHANNEL;

    public static OpenStandardMiningChannel decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final OpenStandardMiningChannel m = new OpenStandardMiningChannel(
            r.u32("request_id"), r.str0_255("user_identity"), r.f32("nominal_hash_rate"), r.u256("max_target"));
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
        w.u32("request_id", requestId).str0_255("user_identity", userIdentity).f32("nominal_hash_rate", nominalHashRate)
            .u256("max_target", maxTarget);
    }
}
