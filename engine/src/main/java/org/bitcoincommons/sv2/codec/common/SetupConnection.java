package org.bitcoincommons.sv2.codec.common;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetupConnection (0x00, spec 3.6.1): the first message on every connection, after the Noise handshake.
 *
 * @param protocol 0 Mining, 1 Job Declaration, 2 Template Distribution ({@link CommonProtocol#PROTOCOL_MINING} ...)
 * @param flags    protocol-specific feature flags (e.g. {@link CommonProtocol#FLAG_REQUIRES_VERSION_ROLLING})
 */
public record SetupConnection(
    int protocol,
    int minVersion,
    int maxVersion,
    long flags,
    String endpointHost,
    int endpointPort,
    String vendor,
    String hardwareVersion,
    String firmware,
    String deviceId) implements Message
{
    public static final MessageSchema SCHEMA = CommonProtocol.SETUP_CONNECTION;
    /**
     * The largest encoded SetupConnection, bytes: protocol U8, two U16 versions, flags U32, endpoint_port U16 and five
     * STR0_255 fields of at most 1 + 255 bytes each. A longer first frame cannot be a SetupConnection.
     */
    public static final int MAX_LENGTH = 1 + 2 + 2 + 4 + 2 + 5 * (1 + 255);

    public static SetupConnection decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetupConnection m = new SetupConnection(
            r.u8("protocol"),
            r.u16("min_version"),
            r.u16("max_version"),
            r.u32("flags"),
            r.str0_255("endpoint_host"),
            r.u16("endpoint_port"),
            r.str0_255("vendor"),
            r.str0_255("hardware_version"),
            r.str0_255("firmware"),
            r.str0_255("device_id"));
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
        w.u8("protocol", protocol)
            .u16("min_version", minVersion)
            .u16("max_version", maxVersion)
            .u32("flags", flags)
            .str0_255("endpoint_host", endpointHost)
            .u16("endpoint_port", endpointPort)
            .str0_255("vendor", vendor)
            .str0_255("hardware_version", hardwareVersion)
            .str0_255("firmware", firmware)
            .str0_255("device_id", deviceId);
    }
}
