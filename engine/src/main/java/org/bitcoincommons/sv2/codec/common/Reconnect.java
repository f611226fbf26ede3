package org.bitcoincommons.sv2.codec.common;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * Reconnect (0x04, spec 3.6.5).
 *
 * @param newHost empty means the same host
 * @param newPort 0 means the same port
 */
public record Reconnect(String newHost, int newPort) implements Message
{
    public static final MessageSchema SCHEMA = CommonProtocol.RECONNECT;

    public static Reconnect decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final Reconnect m = new Reconnect(r.str0_255("new_host"), r.u16("new_port"));
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
        w.str0_255("new_host", newHost).u16("new_port", newPort);
    }
}
