package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestTransactionData.Error (0x75, spec 7.6).
 */
public record RequestTransactionDataError(long templateId, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.REQUEST_TRANSACTION_DATA_ERROR;

    public static RequestTransactionDataError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestTransactionDataError m = new RequestTransactionDataError(
            r.u64("template_id"), r.str0_255("error_code"));
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
        w.u64("template_id", templateId).str0_255("error_code", errorCode);
    }
}
