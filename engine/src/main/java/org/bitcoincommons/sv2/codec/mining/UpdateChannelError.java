package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * UpdateChannel.Error (0x17, channel message, spec 5.3.8).
 */
public record UpdateChannelError(long channelId, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.UPDATE_CHANNEL_ERROR;

    public static UpdateChannelError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final UpdateChannelError m = new UpdateChannelError(r.u32("channel_id"), r.str0_255("error_code"));
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
        w.u32("channel_id", channelId).str0_255("error_code", errorCode);
    }
}
