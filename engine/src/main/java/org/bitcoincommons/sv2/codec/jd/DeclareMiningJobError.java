package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * DeclareMiningJob.Error (0x59, spec 6.4.6).
 */
public record DeclareMiningJobError(long requestId, String errorCode, byte[] errorDetails) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.DECLARE_MINING_JOB_ERROR;

    public static DeclareMiningJobError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final DeclareMiningJobError m = new DeclareMiningJobError(
            r.u32("request_id"), r.str0_255("error_code"), r.b0_64K("error_details"));
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
        w.u32("request_id", requestId).str0_255("error_code", errorCode).b0_64K("error_details", errorDetails);
    }
}
