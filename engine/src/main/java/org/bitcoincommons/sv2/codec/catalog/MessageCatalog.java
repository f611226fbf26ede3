package org.bitcoincommons.sv2.codec.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.DecodedMessage;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.SchemaCodec;
import org.bitcoincommons.sv2.codec.Tlv;
import org.bitcoincommons.sv2.codec.Wire;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.jd.JobDeclarationProtocol;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;

/**
 * Every message this codec knows, by (extension id, msg_type). At extension 0 the message types are unique across
 * the four sub-protocols, so e.g. 0x20 is the mining SetNewPrevHash and 0x72 the Template Distribution one.
 * Immutable; safe to share between threads.
 */
public final class MessageCatalog
{
    private static final String FRAME = "frame";
    private static final MessageSchema[] BY_KEY = new MessageSchema[3 * 256];
    private static final List<MessageSchema> ALL;

    static
    {
        final List<MessageSchema> all = new ArrayList<>();
        all.addAll(CommonProtocol.SCHEMAS);
        all.addAll(MiningProtocol.SCHEMAS);
        all.addAll(JobDeclarationProtocol.SCHEMAS);
        all.addAll(TemplateDistributionProtocol.SCHEMAS);
        all.addAll(ExtensionNegotiationProtocol.SCHEMAS);
        all.addAll(MergeMiningAccountProtocol.SCHEMAS);
        for (final MessageSchema s : all)
        {
            final int key = key(s.extensionType(), s.msgType());
            if (key < 0 || BY_KEY[key] != null)
            {
                throw new IllegalStateException("duplicate or out-of-range message " + s.name());
            }
            BY_KEY[key] = s;
        }
        ALL = List.copyOf(all);
    }

    private MessageCatalog()
    {
    }

    /**
     * Every catalogued message: Common, Mining, Job Declaration, Template Distribution, extension 0x0001, and our
     * merged-mining account extension 0x4D4D.
     */
    public static List<MessageSchema> all()
    {
        return ALL;
    }

    /** The message with this extension id (channel bit excluded) and type, or null. */
    public static MessageSchema find(final int extensionId, final int msgType)
    {
        final int key = key(extensionId, msgType);
        return key < 0 ? null : BY_KEY[key];
    }

    /**
     * The message a frame header names; its channel_msg bit must match the spec's table.
     *
     * @param extensionType the raw U16 extension_type, channel_msg bit included
     */
    public static MessageSchema require(final int extensionType, final int msgType)
    {
        final int extensionId = extensionType & FrameHeaderFlyweight.EXTENSION_ID_MASK;
        final MessageSchema schema = find(extensionId, msgType);
        if (schema == null)
        {
            throw new CodecException(CodecException.Category.UNKNOWN_MESSAGE, FRAME, "msg_type",
                String.format("no message with extension_type 0x%04x and msg_type 0x%02x", extensionId, msgType));
        }
        final boolean channelMsg = (extensionType & FrameHeaderFlyweight.CHANNEL_MSG_MASK) != 0;
        if (channelMsg != schema.channelMsg())
        {
            throw new CodecException(CodecException.Category.CHANNEL_BIT_MISMATCH, schema.name(), "channel_msg",
                "header says " + channelMsg + ", the spec says " + schema.channelMsg());
        }
        return schema;
    }

    /**
     * Decodes one whole plaintext frame that fills exactly {@code length} bytes at {@code offset}.
     *
     * @param maxMsgLength the largest msg_length accepted (at most {@link FrameHeaderFlyweight#MAX_MSG_LENGTH})
     */
    public static DecodedMessage decodeFrame(
        final DirectBuffer buffer, final int offset, final int length, final int maxMsgLength)
    {
        Wire.checkAvailable(offset, Math.max(0, length), buffer.capacity(), FRAME, "-");
        Wire.checkAvailable(0, FrameHeaderFlyweight.HEADER_LENGTH, length, FRAME, "header");
        final FrameHeaderFlyweight header = new FrameHeaderFlyweight().wrap(buffer, offset);
        if (header.msgLength() > maxMsgLength)
        {
            throw new CodecException(CodecException.Category.LENGTH_TOO_LARGE, FRAME, "msg_length",
                "msg_length " + header.msgLength() + " > max " + maxMsgLength);
        }
        final MessageSchema schema = require(header.extensionType(), header.msgType());
        if (length < header.frameLength())
        {
            // Decode what is there, so that the error names the first field that is cut off.
            try
            {
                SchemaCodec.decode(schema, buffer, header.payloadOffset(), length - FrameHeaderFlyweight.HEADER_LENGTH);
            }
            catch (final CodecException ex)
            {
                if (ex.category() == CodecException.Category.TRUNCATED)
                {
                    throw ex;
                }
            }
            throw new CodecException(CodecException.Category.TRUNCATED, schema.name(), "-",
                "frame of " + length + " bytes, msg_length says " + header.msgLength() + " after the header");
        }
        if (length > header.frameLength())
        {
            throw new CodecException(CodecException.Category.TRAILING_BYTES, schema.name(), "-",
                (length - header.frameLength()) + " bytes after the frame's msg_length " + header.msgLength());
        }
        return SchemaCodec.decode(schema, buffer, header.payloadOffset(), header.msgLength());
    }

    /** Writes a whole frame (header and payload); returns its length. */
    public static int encodeFrame(
        final MessageSchema schema,
        final Map<String, ?> values,
        final List<Tlv> tlvs,
        final MutableDirectBuffer buffer,
        final int offset)
    {
        Wire.checkCapacity(buffer, offset, FrameHeaderFlyweight.HEADER_LENGTH, schema.name(), "-");
        final int payloadLength = SchemaCodec.encode(
            schema, values, tlvs, buffer, offset + FrameHeaderFlyweight.HEADER_LENGTH);
        FrameHeaderFlyweight.write(
            buffer, offset, schema.extensionType(), schema.channelMsg(), schema.msgType(), payloadLength);
        return FrameHeaderFlyweight.HEADER_LENGTH + payloadLength;
    }

    private static int key(final int extensionId, final int msgType)
    {
        if (msgType < 0 || msgType > 0xff)
        {
            return -1;
        }
        if (extensionId == CommonProtocol.EXTENSION_TYPE)
        {
            return msgType;
        }
        if (extensionId == ExtensionNegotiationProtocol.EXTENSION_TYPE)
        {
            return 256 + msgType;
        }
        if (extensionId == MergeMiningAccountProtocol.EXTENSION_TYPE)
        {
            return 2 * 256 + msgType;
        }
        return -1;
    }
}
