package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * DeclareMiningJob.Success (0x58, spec 6.4.5).
 */
public record DeclareMiningJobSuccess(long requestId, byte[] newMiningJobToken) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.DECLARE_MINING_JOB_SUCCESS;

    public static DeclareMiningJobSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final DeclareMiningJobSuccess m = new DeclareMiningJobSuccess(
            r.u32("request_id"), r.b0_255("new_mining_job_token"));
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
        w.u32("request_id", requestId).b0_255("new_mining_job_token", newMiningJobToken);
    }
}
