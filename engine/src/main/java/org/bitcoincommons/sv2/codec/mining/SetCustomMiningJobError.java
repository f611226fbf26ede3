package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetCustomMiningJob.Error (0x24, channel message, spec 5.3.20).
 */
public record SetCustomMiningJobError(long channelId, long requestId, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_CUSTOM_MINING_JOB_ERROR;

    public static SetCustomMiningJobError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetCustomMiningJobError m = new SetCustomMiningJobError(
            r.u32("channel_id"), r.u32("request_id"), r.str0_255("error_code"));
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
        w.u32("channel_id", channelId).u32("request_id", requestId).str0_255("error_code", errorCode);
    }
}
