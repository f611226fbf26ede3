package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * CloseChannel (0x18, channel message, either direction, spec 5.3.9).
 */
public record CloseChannel(long channelId, String reasonCode) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.CLOSE_CHANNEL;

    public static CloseChannel decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final CloseChannel m = new CloseChannel(r.u32("channel_id"), r.str0_255("reason_code"));
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
        w.u32("channel_id", channelId).str0_255("reason_code", reasonCode);
    }
}
