package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetCustomMiningJob.Success (0x23, channel message, spec 5.3.19).
 */
public record SetCustomMiningJobSuccess(long channelId, long requestId, long jobId) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_CUSTOM_MINING_JOB_SUCCESS;

    public static SetCustomMiningJobSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetCustomMiningJobSuccess m = new SetCustomMiningJobSuccess(
            r.u32("channel_id"), r.u32("request_id"), r.u32("job_id"));
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
        w.u32("channel_id", channelId).u32("request_id", requestId).u32("job_id", jobId);
    }
}
