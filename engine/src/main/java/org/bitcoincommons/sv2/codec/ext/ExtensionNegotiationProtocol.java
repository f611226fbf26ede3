package org.bitcoincommons.sv2.codec.ext;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.U16;

import java.util.List;

import org.bitcoincommons.sv2.codec.FieldType;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Primitive;

/**
 * Extensions negotiation (extension_type 0x0001, spec extensions/0x0001-extensions-negotiation.md); channel_msg = 0.
 * request_id is a U16 here, unlike the U32 request ids of the core protocols.
 */
public final class ExtensionNegotiationProtocol
{
    public static final int EXTENSION_TYPE = 0x0001;

    public static final int MESSAGE_TYPE_REQUEST_EXTENSIONS = 0x00;
    public static final int MESSAGE_TYPE_REQUEST_EXTENSIONS_SUCCESS = 0x01;
    public static final int MESSAGE_TYPE_REQUEST_EXTENSIONS_ERROR = 0x02;

    public static final boolean CHANNEL_BIT = false;

    /** Extension id of worker-specific hashrate tracking (TLV user_identity on SubmitSharesExtended). */
    public static final int EXTENSION_WORKER_SPECIFIC_HASHRATE_TRACKING = 0x0002;

    private static final FieldType U16_LIST = FieldType.seq0_64K(Primitive.U16);

    public static final MessageSchema REQUEST_EXTENSIONS = MessageSchema.of(
        "RequestExtensions", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_EXTENSIONS, CHANNEL_BIT,
        field("request_id", U16),
        field("requested_extensions", U16_LIST));

    public static final MessageSchema REQUEST_EXTENSIONS_SUCCESS = MessageSchema.of(
        "RequestExtensions.Success", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_EXTENSIONS_SUCCESS, CHANNEL_BIT,
        field("request_id", U16),
        field("supported_extensions", U16_LIST));

    public static final MessageSchema REQUEST_EXTENSIONS_ERROR = MessageSchema.of(
        "RequestExtensions.Error", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_EXTENSIONS_ERROR, CHANNEL_BIT,
        field("request_id", U16),
        field("unsupported_extensions", U16_LIST),
        field("required_extensions", U16_LIST));

    public static final List<MessageSchema> SCHEMAS = List.of(
        REQUEST_EXTENSIONS, REQUEST_EXTENSIONS_SUCCESS, REQUEST_EXTENSIONS_ERROR);

    private ExtensionNegotiationProtocol()
    {
    }
}
