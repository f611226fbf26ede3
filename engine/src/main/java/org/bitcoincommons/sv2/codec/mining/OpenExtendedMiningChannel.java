package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * OpenExtendedMiningChannel (0x13, spec 5.3.4): the OpenStandardMiningChannel fields plus min_extranonce_size (bytes).
 */
public record OpenExtendedMiningChannel(
    long requestId, String userIdentity, float nominalHashRate, byte[] maxTarget, int minExtranonceSize) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.OPEN_EXTENDED_MINING_CHANNEL;

    public static OpenExtendedMiningChannel decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final OpenExtendedMiningChannel m = new OpenExtendedMiningChannel(
            r.u32("request_id"), r.str0_255("user_identity"), r.f32("nominal_hash_rate"), r.u256("max_target"),
            r.u16("min_extranonce_size"));
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
            .u256("max_target", maxTarget).u16("min_extranonce_size", minExtranonceSize);
    }
}
