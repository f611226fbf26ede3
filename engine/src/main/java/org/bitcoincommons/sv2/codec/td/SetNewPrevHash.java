package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetNewPrevHash of Template Distribution (0x72, spec 7.3); not the mining message of the same name (0x20).
 * prev_hash in internal byte order; target U256 LE; the spec spells the bits field nBits.
 */
public record SetNewPrevHash(
    long templateId, byte[] prevHash, long headerTimestamp, long nBits, byte[] target) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.SET_NEW_PREV_HASH;

    public static SetNewPrevHash decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetNewPrevHash m = new SetNewPrevHash(
            r.u64("template_id"), r.u256("prev_hash"), r.u32("header_timestamp"), r.u32("nBits"), r.u256("target"));
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
        w.u64("template_id", templateId).u256("prev_hash", prevHash).u32("header_timestamp", headerTimestamp)
            .u32("nBits", nBits).u256("target", target);
    }
}
