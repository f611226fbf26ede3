package org.bitcoincommons.sv2.codec.common;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.STR0_255;
import static org.bitcoincommons.sv2.codec.FieldType.U16;
import static org.bitcoincommons.sv2.codec.FieldType.U32;
import static org.bitcoincommons.sv2.codec.FieldType.U8;

import java.util.List;

import org.bitcoincommons.sv2.codec.MessageSchema;

/**
 * Common messages (spec 3.6), extension 0: message types, channel bits, SetupConnection flags and schemas.
 */
public final class CommonProtocol
{
    public static final int EXTENSION_TYPE = 0x0000;

    public static final int MESSAGE_TYPE_SETUP_CONNECTION = 0x00;
    public static final int MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS = 0x01;
    public static final int MESSAGE_TYPE_SETUP_CONNECTION_ERROR = 0x02;
    public static final int MESSAGE_TYPE_CHANNEL_ENDPOINT_CHANGED = 0x03;
    public static final int MESSAGE_TYPE_RECONNECT = 0x04;

    public static final boolean CHANNEL_BIT_SETUP_CONNECTION = false;
    public static final boolean CHANNEL_BIT_SETUP_CONNECTION_SUCCESS = false;
    public static final boolean CHANNEL_BIT_SETUP_CONNECTION_ERROR = false;
    public static final boolean CHANNEL_BIT_CHANNEL_ENDPOINT_CHANGED = true;
    public static final boolean CHANNEL_BIT_RECONNECT = false;

    /** SetupConnection.protocol values. */
    public static final int PROTOCOL_MINING = 0;
    public static final int PROTOCOL_JOB_DECLARATION = 1;
    public static final int PROTOCOL_TEMPLATE_DISTRIBUTION = 2;

    /** Mining flags in SetupConnection / SetupConnection.Error (bit 0 = LSB). */
    public static final long FLAG_REQUIRES_STANDARD_JOBS = 1L;
    public static final long FLAG_REQUIRES_WORK_SELECTION = 1L << 1;
    public static final long FLAG_REQUIRES_VERSION_ROLLING = 1L << 2;
    /** Mining flags in SetupConnection.Success. */
    public static final long FLAG_REQUIRES_FIXED_VERSION = 1L;
    public static final long FLAG_REQUIRES_EXTENDED_CHANNELS = 1L << 1;
    /** Job Declaration flag in SetupConnection. */
    public static final long FLAG_DECLARE_TX_DATA = 1L;

    // The spec's table misspells endpoint_host's type as "STRO_255"; it is STR0_255.
    public static final MessageSchema SETUP_CONNECTION = MessageSchema.of(
        "SetupConnection", EXTENSION_TYPE, MESSAGE_TYPE_SETUP_CONNECTION, CHANNEL_BIT_SETUP_CONNECTION,
        field("protocol", U8),
        field("min_version", U16),
        field("max_version", U16),
        field("flags", U32),
        field("endpoint_host", STR0_255),
        field("endpoint_port", U16),
        field("vendor", STR0_255),
        field("hardware_version", STR0_255),
        field("firmware", STR0_255),
        field("device_id", STR0_255));

    public static final MessageSchema SETUP_CONNECTION_SUCCESS = MessageSchema.of(
        "SetupConnection.Success", EXTENSION_TYPE, MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS,
        CHANNEL_BIT_SETUP_CONNECTION_SUCCESS,
        field("used_version", U16),
        field("flags", U32));

    public static final MessageSchema SETUP_CONNECTION_ERROR = MessageSchema.of(
        "SetupConnection.Error", EXTENSION_TYPE, MESSAGE_TYPE_SETUP_CONNECTION_ERROR,
        CHANNEL_BIT_SETUP_CONNECTION_ERROR,
        field("flags", U32),
        field("error_code", STR0_255));

    public static final MessageSchema CHANNEL_ENDPOINT_CHANGED = MessageSchema.of(
        "ChannelEndpointChanged", EXTENSION_TYPE, MESSAGE_TYPE_CHANNEL_ENDPOINT_CHANGED,
        CHANNEL_BIT_CHANNEL_ENDPOINT_CHANGED,
        field("channel_id", U32));

    public static final MessageSchema RECONNECT = MessageSchema.of(
        "Reconnect", EXTENSION_TYPE, MESSAGE_TYPE_RECONNECT, CHANNEL_BIT_RECONNECT,
        field("new_host", STR0_255),
        field("new_port", U16));

    public static final List<MessageSchema> SCHEMAS = List.of(
        SETUP_CONNECTION, SETUP_CONNECTION_SUCCESS, SETUP_CONNECTION_ERROR, CHANNEL_ENDPOINT_CHANGED, RECONNECT);

    private CommonProtocol()
    {
    }
}
