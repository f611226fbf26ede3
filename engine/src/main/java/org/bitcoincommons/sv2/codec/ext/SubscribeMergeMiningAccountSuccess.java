package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/** SubscribeMergeMiningAccount.Success (extension 0x4D4D, type 0x01): the interval in force and the chains reported. */
public record SubscribeMergeMiningAccountSuccess(long requestId, long updateIntervalMs, int chainCount) implements Message
{
    public static final MessageSchema SCHEMA = MergeMiningAccountProtocol.SUBSCRIBE_SUCCESS;

    public static SubscribeMergeMiningAccountSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SubscribeMergeMiningAccountSuccess m = new SubscribeMergeMiningAccountSuccess(r.u32("request_id"),
            r.u32("update_interval_ms"), r.u8("chain_count"));
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
        w.u32("request_id", requestId).u32("update_interval_ms", updateIntervalMs).u8("chain_count", chainCount);
    }
}
