package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SubscribeMergeMiningAccount.Error (extension 0x4D4D, type 0x02). Codes: {@code extension-not-negotiated},
 * {@code already-subscribed}, {@code no-merged-mining}.
 */
public record SubscribeMergeMiningAccountError(long requestId, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = MergeMiningAccountProtocol.SUBSCRIBE_ERROR;

    public static SubscribeMergeMiningAccountError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SubscribeMergeMiningAccountError m = new SubscribeMergeMiningAccountError(r.u32("request_id"),
            r.str0_255("error_code"));
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
