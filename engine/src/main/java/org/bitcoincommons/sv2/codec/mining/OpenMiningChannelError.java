package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * OpenMiningChannel.Error (0x12, spec 5.3.6), for both standard and extended channel requests.
 */
public record OpenMiningChannelError(long requestId, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.OPEN_MINING_CHANNEL_ERROR;

    public static OpenMiningChannelError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final OpenMiningChannelError m = new OpenMiningChannelError(r.u32("request_id"), r.str0_255("error_code"));
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
        w.u32("request_id", requestId).str0_255("error_code", errorCode);
    }
}
