package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestTransactionData (0x73, spec 7.4).
 */
public record RequestTransactionData(long templateId) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.REQUEST_TRANSACTION_DATA;

    public static RequestTransactionData decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestTransactionData m = new RequestTransactionData(r.u64("template_id"));
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
        w.u64("template_id", templateId);
    }
}
