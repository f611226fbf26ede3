package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * ProvideMissingTransactions (0x55, JDS to JDC, spec 6.4.7): positions in the declared wtxid_list.
 */
public record ProvideMissingTransactions(long requestId, int[] unknownTxPositionList) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.PROVIDE_MISSING_TRANSACTIONS;

    public static ProvideMissingTransactions decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final ProvideMissingTransactions m = new ProvideMissingTransactions(
            r.u32("request_id"), r.u16Sequence("unknown_tx_position_list"));
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
        w.u32("request_id", requestId).u16Sequence("unknown_tx_position_list", unknownTxPositionList);
    }
}
