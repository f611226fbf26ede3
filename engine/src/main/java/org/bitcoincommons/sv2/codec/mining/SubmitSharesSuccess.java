package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SubmitShares.Success (0x1c, channel message, spec 5.3.13): zero-allocation flyweight. One success may acknowledge
 * a batch of shares.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |                  last_sequence_number U32 LE                  |  4
 *  +---------------------------------------------------------------+
 *  |               new_submits_accepted_count U32 LE               |  8
 *  +---------------------------------------------------------------+
 *  |                    new_shares_sum U64 LE                      | 12
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SubmitSharesSuccess extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SUBMIT_SHARES_SUCCESS;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int LAST_SEQUENCE_NUMBER_FIELD_OFFSET = 4;
    public static final int NEW_SUBMITS_ACCEPTED_COUNT_FIELD_OFFSET = 8;
    public static final int NEW_SHARES_SUM_FIELD_OFFSET = 12;
    public static final int BLOCK_LENGTH = 20;

    private static final String NAME = "SubmitShares.Success";

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public SubmitSharesSuccess wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < BLOCK_LENGTH)
        {
            throw truncated(length);
        }
        endFields(offset + BLOCK_LENGTH);
        return this;
    }

    public SubmitSharesSuccess wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SubmitSharesSuccess channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    public long lastSequenceNumber()
    {
        return Wire.u32(buffer, offset + LAST_SEQUENCE_NUMBER_FIELD_OFFSET);
    }

    public SubmitSharesSuccess lastSequenceNumber(final long lastSequenceNumber)
    {
        Wire.checkUnsigned(lastSequenceNumber, Wire.U32_MAX, NAME, "last_sequence_number");
        Wire.u32(mutableBuffer, offset + LAST_SEQUENCE_NUMBER_FIELD_OFFSET, lastSequenceNumber);
        return this;
    }

    public long newSubmitsAcceptedCount()
    {
        return Wire.u32(buffer, offset + NEW_SUBMITS_ACCEPTED_COUNT_FIELD_OFFSET);
    }

    public SubmitSharesSuccess newSubmitsAcceptedCount(final long newSubmitsAcceptedCount)
    {
        Wire.checkUnsigned(newSubmitsAcceptedCount, Wire.U32_MAX, NAME, "new_submits_accepted_count");
        Wire.u32(mutableBuffer, offset + NEW_SUBMITS_ACCEPTED_COUNT_FIELD_OFFSET, newSubmitsAcceptedCount);
        return this;
    }

    /** Sum of the difficulties of the acknowledged shares, unsigned 64-bit. */
    public long newSharesSum()
    {
        return Wire.u64(buffer, offset + NEW_SHARES_SUM_FIELD_OFFSET);
    }

    public SubmitSharesSuccess newSharesSum(final long newSharesSum)
    {
        Wire.u64(mutableBuffer, offset + NEW_SHARES_SUM_FIELD_OFFSET, newSharesSum);
        return this;
    }
}
