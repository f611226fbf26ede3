package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * AllocateMiningJobToken (0x50, JDC to JDS, spec 6.4.2).
 */
public record AllocateMiningJobToken(String userIdentifier, long requestId) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.ALLOCATE_MINING_JOB_TOKEN;

    public static AllocateMiningJobToken decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final AllocateMiningJobToken m = new AllocateMiningJobToken(r.str0_255("user_identifier"), r.u32("request_id"));
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
        w.str0_255("user_identifier", userIdentifier).u32("request_id", requestId);
    }
}
