package org.bitcoincommons.sv2.codec.jd;

import java.util.List;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * ProvideMissingTransactions.Success (0x56, spec 6.4.8): serialized transactions.
 */
public record ProvideMissingTransactionsSuccess(long requestId, List<byte[]> transactionList) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.PROVIDE_MISSING_TRANSACTIONS_SUCCESS;

    public static ProvideMissingTransactionsSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final ProvideMissingTransactionsSuccess m = new ProvideMissingTransactionsSuccess(
            r.u32("request_id"), r.byteArraySequence(SCHEMA.field("transaction_list").type(), "transaction_list"));
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
        w.u32("request_id", requestId)
            .byteArraySequence(SCHEMA.field("transaction_list").type(), "transaction_list", transactionList);
    }
}
