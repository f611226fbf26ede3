package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/** SubscribeMergeMiningAccount (extension 0x4D4D, type 0x00), client to pool; an interval of 0 asks for the default. */
public record SubscribeMergeMiningAccount(long requestId, long updateIntervalMs) implements Message
{
    public static final MessageSchema SCHEMA = MergeMiningAccountProtocol.SUBSCRIBE;

    public static SubscribeMergeMiningAccount decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SubscribeMergeMiningAccount m = new SubscribeMergeMiningAccount(r.u32("request_id"),
            r.u32("update_interval_ms"));
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
        w.u32("request_id", requestId).u32("update_interval_ms", updateIntervalMs);
    }
}
