package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestExtensions (extension 0x0001, type 0x00). request_id is a U16.
 */
public record RequestExtensions(int requestId, int[] requestedExtensions) implements Message
{
    public static final MessageSchema SCHEMA = ExtensionNegotiationProtocol.REQUEST_EXTENSIONS;

    public static RequestExtensions decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestExtensions m = new RequestExtensions(r.u16("request_id"), r.u16Sequence("requested_extensions"));
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
        w.u16("request_id", requestId).u16Sequence("requested_extensions", requestedExtensions);
    }
}
