package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetExtranoncePrefix (0x19, channel message, spec 5.3.10). The prefix is at most 32 bytes.
 */
public record SetExtranoncePrefix(long channelId, byte[] extranoncePrefix) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_EXTRANONCE_PREFIX;

    public static SetExtranoncePrefix decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetExtranoncePrefix m = new SetExtranoncePrefix(r.u32("channel_id"), r.b0_32("extranonce_prefix"));
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
        w.u32("channel_id", channelId).b0_32("extranonce_prefix", extranoncePrefix);
    }
}
