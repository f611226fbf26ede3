package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * AllocateMiningJobToken.Success (0x51, spec 6.4.3). coinbase_tx_outputs is CompactSize-prefixed
 * (SRI calls it coinbase_outputs).
 */
public record AllocateMiningJobTokenSuccess(
    long requestId, byte[] miningJobToken, byte[] coinbaseTxOutputs) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.ALLOCATE_MINING_JOB_TOKEN_SUCCESS;

    public static AllocateMiningJobTokenSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final AllocateMiningJobTokenSuccess m = new AllocateMiningJobTokenSuccess(
            r.u32("request_id"), r.b0_255("mining_job_token"), r.b0_64K("coinbase_tx_outputs"));
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
        w.u32("request_id", requestId).b0_255("mining_job_token", miningJobToken)
            .b0_64K("coinbase_tx_outputs", coinbaseTxOutputs);
    }
}
