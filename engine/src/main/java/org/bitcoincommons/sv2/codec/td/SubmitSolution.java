package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SubmitSolution (0x76, spec 7.7). coinbase_tx is the full coinbase, with witness.
 */
public record SubmitSolution(
    long templateId, long version, long headerTimestamp, long headerNonce, byte[] coinbaseTx) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.SUBMIT_SOLUTION;

    public static SubmitSolution decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SubmitSolution m = new SubmitSolution(
            r.u64("template_id"), r.u32("version"), r.u32("header_timestamp"), r.u32("header_nonce"),
            r.b0_64K("coinbase_tx"));
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
        w.u64("template_id", templateId).u32("version", version).u32("header_timestamp", headerTimestamp)
            .u32("header_nonce", headerNonce).b0_64K("coinbase_tx", coinbaseTx);
    }
}
