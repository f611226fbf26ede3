package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SetTarget (0x21, channel message, spec 5.3.21): zero-allocation flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |             maximum_target U256 LE (32 bytes) ...             |  4
 *  +---------------------------------------------------------------+
 * </pre>
 * The target is little-endian: for 2^224-1 the last 4 bytes on the wire are 00.
 */
public final class SetTarget extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_TARGET;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int MAXIMUM_TARGET_FIELD_OFFSET = 4;
    public static final int BLOCK_LENGTH = 36;

    private static final String NAME = "SetTarget";

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public SetTarget wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < BLOCK_LENGTH)
        {
            throw truncated(length);
        }
        endFields(offset + BLOCK_LENGTH);
        return this;
    }

    public SetTarget wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SetTarget channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    /** Absolute offset of the 32 target bytes (little-endian). */
    public int maximumTargetOffset()
    {
        return offset + MAXIMUM_TARGET_FIELD_OFFSET;
    }

    public void getMaximumTarget(final MutableDirectBuffer destination, final int destinationOffset)
    {
        copy(maximumTargetOffset(), Wire.U256_SIZE, destination, destinationOffset);
    }

    /** Copies 32 target bytes (little-endian) from {@code source}. */
    public SetTarget maximumTarget(final DirectBuffer source, final int sourceOffset)
    {
        mutableBuffer.putBytes(maximumTargetOffset(), source, sourceOffset, Wire.U256_SIZE);
        return this;
    }
}
