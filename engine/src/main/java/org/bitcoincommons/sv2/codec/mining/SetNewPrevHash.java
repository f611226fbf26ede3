package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SetNewPrevHash of the mining protocol (0x20, channel message, spec 5.3.17): zero-allocation flyweight. Not to be
 * confused with the Template Distribution message of the same name (0x72).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |                        job_id U32 LE                          |  4
 *  +---------------------------------------------------------------+
 *  |        prev_hash U256 (32 bytes, internal byte order) ...     |  8
 *  +---------------------------------------------------------------+
 *  |                      min_ntime U32 LE                         | 40
 *  +---------------------------------------------------------------+
 *  |                        nbits U32 LE                           | 44
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SetNewPrevHash extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_NEW_PREV_HASH;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int JOB_ID_FIELD_OFFSET = 4;
    public static final int PREV_HASH_FIELD_OFFSET = 8;
    public static final int MIN_NTIME_FIELD_OFFSET = 40;
    public static final int NBITS_FIELD_OFFSET = 44;
    public static final int BLOCK_LENGTH = 48;

    private static final String NAME = "SetNewPrevHash";

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public SetNewPrevHash wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < BLOCK_LENGTH)
        {
            throw truncated(length);
        }
        endFields(offset + BLOCK_LENGTH);
        return this;
    }

    public SetNewPrevHash wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SetNewPrevHash channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    public long jobId()
    {
        return Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET);
    }

    public SetNewPrevHash jobId(final long jobId)
    {
        Wire.checkUnsigned(jobId, Wire.U32_MAX, NAME, "job_id");
        Wire.u32(mutableBuffer, offset + JOB_ID_FIELD_OFFSET, jobId);
        return this;
    }

    /** Absolute offset of the 32 prev_hash bytes (internal byte order, as in the block header). */
    public int prevHashOffset()
    {
        return offset + PREV_HASH_FIELD_OFFSET;
    }

    public void getPrevHash(final MutableDirectBuffer destination, final int destinationOffset)
    {
        copy(prevHashOffset(), Wire.U256_SIZE, destination, destinationOffset);
    }

    public SetNewPrevHash prevHash(final DirectBuffer source, final int sourceOffset)
    {
        mutableBuffer.putBytes(prevHashOffset(), source, sourceOffset, Wire.U256_SIZE);
        return this;
    }

    /** Smallest nTime allowed, seconds since the Unix epoch. */
    public long minNtime()
    {
        return Wire.u32(buffer, offset + MIN_NTIME_FIELD_OFFSET);
    }

    public SetNewPrevHash minNtime(final long minNtime)
    {
        Wire.checkUnsigned(minNtime, Wire.U32_MAX, NAME, "min_ntime");
        Wire.u32(mutableBuffer, offset + MIN_NTIME_FIELD_OFFSET, minNtime);
        return this;
    }

    public long nbits()
    {
        return Wire.u32(buffer, offset + NBITS_FIELD_OFFSET);
    }

    public SetNewPrevHash nbits(final long nbits)
    {
        Wire.checkUnsigned(nbits, Wire.U32_MAX, NAME, "nbits");
        Wire.u32(mutableBuffer, offset + NBITS_FIELD_OFFSET, nbits);
        return this;
    }
}
