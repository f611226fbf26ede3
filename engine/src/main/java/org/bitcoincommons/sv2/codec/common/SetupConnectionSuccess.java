package org.bitcoincommons.sv2.codec.common;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetupConnection.Success (0x01, spec 3.6.2).
 *
 * @param usedVersion the protocol version both sides will use
 * @param flags       the server's feature flags (e.g. {@link CommonProtocol#FLAG_REQUIRES_FIXED_VERSION})
 */
public record SetupConnectionSuccess(int usedVersion, long flags) implements Message
{
    public static final MessageSchema SCHEMA = CommonProtocol.SETUP_CONNECTION_SUCCESS;

    public static SetupConnectionSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetupConnectionSuccess m = new SetupConnectionSuccess(r.u16("used_version"), r.u32("flags"));
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
        w.u16("used_version", usedVersion).u32("flags", flags);
    }
}
