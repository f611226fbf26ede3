package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestExtensions.Success (extension 0x0001, type 0x01).
 */
public record RequestExtensionsSuccess(int requestId, int[] supportedExtensions) implements Message
{
    public static final MessageSchema SCHEMA = ExtensionNegotiationProtocol.REQUEST_EXTENSIONS_SUCCESS;

    public static RequestExtensionsSuccess decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestExtensionsSuccess m = new RequestExtensionsSuccess(
            r.u16("request_id"), r.u16Sequence("supported_extensions"));
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
        w.u16("request_id", requestId).u16Sequence("supported_extensions", supportedExtensions);
    }
}
