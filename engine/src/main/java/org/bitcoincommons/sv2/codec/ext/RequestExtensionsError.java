package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * RequestExtensions.Error (extension 0x0001, type 0x02).
 */
public record RequestExtensionsError(
    int requestId, int[] unsupportedExtensions, int[] requiredExtensions) implements Message
{
    public static final MessageSchema SCHEMA = ExtensionNegotiationProtocol.REQUEST_EXTENSIONS_ERROR;

    public static RequestExtensionsError decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final RequestExtensionsError m = new RequestExtensionsError(
            r.u16("request_id"), r.u16Sequence("unsupported_extensions"), r.u16Sequence("required_extensions"));
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
        w.u16("request_id", requestId).u16Sequence("unsupported_extensions", unsupportedExtensions)
            .u16Sequence("required_extensions", requiredExtensions);
    }
}
