package org.bitcoincommons.sv2.codec.jd;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * PushSolution (0x60, JDC to JDS, spec 6.4.9). extranonce is the full extranonce (at most 32 bytes).
 */
public record PushSolution(
    byte[] extranonce, byte[] prevHash, long nonce, long ntime, long nbits, long version) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.PUSH_SOLUTION;

    public static PushSolution decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final PushSolution m = new PushSolution(
            r.b0_32("extranonce"), r.u256("prev_hash"), r.u32("nonce"), r.u32("ntime"), r.u32("nbits"),
            r.u32("version"));
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
        w.b0_32("extranonce", extranonce).u256("prev_hash", prevHash).u32("nonce", nonce).u32("ntime", ntime)
            .u32("nbits", nbits).u32("version", version);
    }
}
