package org.bitcoincommons.sv2.codec.td;

import java.util.List;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestTransactionData.Success (0x74, spec 7.5): serialized transactions of the template.
 */
public record RequestTransactionDataSuccess(
    long templateId, byte[] excessData, List<byte[]> transactionList) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.REQUEST_TRANSACTION_DATA_SUCCESS;

    public static RequestTransactionDataSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestTransactionDataSuccess m = new RequestTransactionDataSuccess(
            r.u64("template_id"), r.b0_64K("excess_data"),
            r.byteArraySequence(SCHEMA.field("transaction_list").type(), "transaction_list"));
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
        w.u64("template_id", templateId).b0_64K("excess_data", excessData)
            .byteArraySequence(SCHEMA.field("transaction_list").type(), "transaction_list", transactionList);
    }
}
