package org.bitcoincommons.sv2.codec.common;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetupConnection.Error (0x02, spec 3.6.3).
 *
 * @param flags     the full set of unsupported flags; 0 if the error is about something else
 * @param errorCode e.g. {@code unsupported-feature-flags}, {@code unsupported-protocol}
 */
public record SetupConnectionError(long flags, String errorCode) implements Message
{
    public static final MessageSchema SCHEMA = CommonProtocol.SETUP_CONNECTION_ERROR;

    public static SetupConnectionError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetupConnectionError m = new SetupConnectionError(r.u32("flags"), r.str0_255("error_code"));
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
        w.u32("flags", flags).str0_255("error_code", errorCode);
    }
}
