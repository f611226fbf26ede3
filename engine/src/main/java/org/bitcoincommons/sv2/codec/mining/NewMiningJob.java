package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * NewMiningJob (0x15, channel message, standard channels, spec 5.3.15): zero-allocation flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |                        job_id U32 LE                          |  4
 *  +---------------+-----------------------------------------------+
 *  | min_ntime 0/1 | [min_ntime U32 LE, only if the count is 1]    |  8
 *  +---------------+-----------------------------------------------+
 *  |                       version U32 LE                          |  9 or 13 (T)
 *  +---------------------------------------------------------------+
 *  |             merkle_root U256 (32 bytes) ...                   |  T + 4
 *  +---------------------------------------------------------------+
 * </pre>
 * A job without min_ntime is a future job, activated by a SetNewPrevHash naming its job_id.
 */
public final class NewMiningJob extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.NEW_MINING_JOB;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int JOB_ID_FIELD_OFFSET = 4;
    public static final int MIN_NTIME_FIELD_OFFSET = 8;
    /** Offsets of the fields after min_ntime, relative to the end of min_ntime (T in the diagram). */
    public static final int VERSION_FIELD_RELATIVE_OFFSET = 0;
    public static final int MERKLE_ROOT_FIELD_RELATIVE_OFFSET = 4;
    public static final int TAIL_LENGTH = 36;
    /** Payload length of a future job (min_ntime absent) and of an active one. */
    public static final int FUTURE_JOB_LENGTH = MIN_NTIME_FIELD_OFFSET + 1 + TAIL_LENGTH;
    public static final int ACTIVE_JOB_LENGTH = FUTURE_JOB_LENGTH + Wire.U32_SIZE;
    /** {@link #minNtime()} of a future job, and the argument of {@link #encode} that makes one. */
    public static final long NO_MIN_NTIME = -1L;

    private static final String NAME = "NewMiningJob";

    private int tailOffset;

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public NewMiningJob wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < MIN_NTIME_FIELD_OFFSET)
        {
            throw truncated(length);
        }
        final boolean present = Wire.optionPresent(buffer, offset + MIN_NTIME_FIELD_OFFSET, limit, NAME, "min_ntime");
        tailOffset = offset + MIN_NTIME_FIELD_OFFSET + 1;
        if (present)
        {
            Wire.checkAvailable(tailOffset, Wire.U32_SIZE, limit, NAME, "min_ntime");
            tailOffset += Wire.U32_SIZE;
        }
        Wire.checkAvailable(tailOffset + VERSION_FIELD_RELATIVE_OFFSET, Wire.U32_SIZE, limit, NAME, "version");
        Wire.checkAvailable(tailOffset + MERKLE_ROOT_FIELD_RELATIVE_OFFSET, Wire.U256_SIZE, limit, NAME, "merkle_root");
        endFields(tailOffset + TAIL_LENGTH);
        return this;
    }

    /**
     * Writes the whole message at {@code offset}.
     *
     * @param minNtime {@link #NO_MIN_NTIME} for a future job, else the U32 min_ntime
     * @param merkleRoot 32 bytes at {@code merkleRootOffset}
     */
    public NewMiningJob encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long channelId,
        final long jobId,
        final long minNtime,
        final long version,
        final DirectBuffer merkleRoot,
        final int merkleRootOffset)
    {
        final boolean present = minNtime != NO_MIN_NTIME;
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.checkUnsigned(jobId, Wire.U32_MAX, NAME, "job_id");
        Wire.checkUnsigned(version, Wire.U32_MAX, NAME, "version");
        if (present)
        {
            Wire.checkUnsigned(minNtime, Wire.U32_MAX, NAME, "min_ntime");
        }
        wrapForEncode(buffer, offset, present ? ACTIVE_JOB_LENGTH : FUTURE_JOB_LENGTH);
        Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET, jobId);
        Wire.u8(buffer, offset + MIN_NTIME_FIELD_OFFSET, present ? 1 : 0);
        tailOffset = offset + MIN_NTIME_FIELD_OFFSET + 1;
        if (present)
        {
            Wire.u32(buffer, tailOffset, minNtime);
            tailOffset += Wire.U32_SIZE;
        }
        Wire.u32(buffer, tailOffset + VERSION_FIELD_RELATIVE_OFFSET, version);
        buffer.putBytes(tailOffset + MERKLE_ROOT_FIELD_RELATIVE_OFFSET, merkleRoot, merkleRootOffset, Wire.U256_SIZE);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public long jobId()
    {
        return Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET);
    }

    /** False for a future job. */
    public boolean hasMinNtime()
    {
        return Wire.u8(buffer, offset + MIN_NTIME_FIELD_OFFSET) == 1;
    }

    /** min_ntime in seconds since the Unix epoch, or {@link #NO_MIN_NTIME} for a future job. */
    public long minNtime()
    {
        return hasMinNtime() ? Wire.u32(buffer, offset + MIN_NTIME_FIELD_OFFSET + 1) : NO_MIN_NTIME;
    }

    public long version()
    {
        return Wire.u32(buffer, tailOffset + VERSION_FIELD_RELATIVE_OFFSET);
    }

    /** Absolute offset of the 32 merkle_root bytes. */
    public int merkleRootOffset()
    {
        return tailOffset + MERKLE_ROOT_FIELD_RELATIVE_OFFSET;
    }

    public void getMerkleRoot(final MutableDirectBuffer destination, final int destinationOffset)
    {
        copy(merkleRootOffset(), Wire.U256_SIZE, destination, destinationOffset);
    }
}
