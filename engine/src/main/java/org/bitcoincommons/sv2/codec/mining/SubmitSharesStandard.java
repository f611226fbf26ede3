package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SubmitSharesStandard (0x1a, channel message, spec 5.3.11): zero-allocation flyweight over the payload.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |                    sequence_number U32 LE                     |  4
 *  +---------------------------------------------------------------+
 *  |                        job_id U32 LE                          |  8
 *  +---------------------------------------------------------------+
 *  |                        nonce U32 LE                           | 12
 *  +---------------------------------------------------------------+
 *  |                        ntime U32 LE                           | 16
 *  +---------------------------------------------------------------+
 *  |                       version U32 LE                          | 20
 *  +---------------------------------------------------------------+
 *  |                  TLV extension fields ...                     | 24
 * </pre>
 */
public final class SubmitSharesStandard extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SUBMIT_SHARES_STANDARD;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int SEQUENCE_NUMBER_FIELD_OFFSET = 4;
    public static final int JOB_ID_FIELD_OFFSET = 8;
    public static final int NONCE_FIELD_OFFSET = 12;
    public static final int NTIME_FIELD_OFFSET = 16;
    public static final int VERSION_FIELD_OFFSET = 20;
    public static final int BLOCK_LENGTH = 24;

    private static final String NAME = "SubmitSharesStandard";

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    /** Wraps a received payload of {@code length} bytes; checks the fixed fields fit and the rest is TLVs. */
    public SubmitSharesStandard wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < BLOCK_LENGTH)
        {
            throw truncated(length);
        }
        endFields(offset + BLOCK_LENGTH);
        return this;
    }

    /** Wraps {@link #BLOCK_LENGTH} bytes at {@code offset} for writing with the setters. */
    public SubmitSharesStandard wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SubmitSharesStandard channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    public long sequenceNumber()
    {
        return Wire.u32(buffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET);
    }

    public SubmitSharesStandard sequenceNumber(final long sequenceNumber)
    {
        Wire.checkUnsigned(sequenceNumber, Wire.U32_MAX, NAME, "sequence_number");
        Wire.u32(mutableBuffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET, sequenceNumber);
        return this;
    }

    public long jobId()
    {
        return Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET);
    }

    public SubmitSharesStandard jobId(final long jobId)
    {
        Wire.checkUnsigned(jobId, Wire.U32_MAX, NAME, "job_id");
        Wire.u32(mutableBuffer, offset + JOB_ID_FIELD_OFFSET, jobId);
        return this;
    }

    public long nonce()
    {
        return Wire.u32(buffer, offset + NONCE_FIELD_OFFSET);
    }

    public SubmitSharesStandard nonce(final long nonce)
    {
        Wire.checkUnsigned(nonce, Wire.U32_MAX, NAME, "nonce");
        Wire.u32(mutableBuffer, offset + NONCE_FIELD_OFFSET, nonce);
        return this;
    }

    /** Block header nTime, seconds since the Unix epoch. */
    public long ntime()
    {
        return Wire.u32(buffer, offset + NTIME_FIELD_OFFSET);
    }

    public SubmitSharesStandard ntime(final long ntime)
    {
        Wire.checkUnsigned(ntime, Wire.U32_MAX, NAME, "ntime");
        Wire.u32(mutableBuffer, offset + NTIME_FIELD_OFFSET, ntime);
        return this;
    }

    public long version()
    {
        return Wire.u32(buffer, offset + VERSION_FIELD_OFFSET);
    }

    public SubmitSharesStandard version(final long version)
    {
        Wire.checkUnsigned(version, Wire.U32_MAX, NAME, "version");
        Wire.u32(mutableBuffer, offset + VERSION_FIELD_OFFSET, version);
        return this;
    }
}
