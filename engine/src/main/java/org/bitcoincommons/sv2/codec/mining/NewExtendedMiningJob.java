package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * NewExtendedMiningJob (0x1f, channel message, extended or group channels, spec 5.3.16): zero-allocation flyweight.
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
 *  |                       version U32 LE                          |  T = 9 or 13
 *  +---------------+---------------+-------------------------------+
 *  | v.r. allowed  | path count N  | merkle_path: N x 32 bytes ... |  T + 4, T + 5, T + 6
 *  +---------------+---------------+-------------------------------+
 *  | coinbase_tx_prefix len U16 LE | coinbase_tx_prefix ...        |  P = T + 6 + 32 N
 *  +-------------------------------+-------------------------------+
 *  | coinbase_tx_suffix len U16 LE | coinbase_tx_suffix ...        |  P + 2 + prefix length
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The coinbase parts are stripped of BIP141 data (marker, flag, witness), so the coinbase hashes to its txid.
 */
public final class NewExtendedMiningJob extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.NEW_EXTENDED_MINING_JOB;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int JOB_ID_FIELD_OFFSET = 4;
    public static final int MIN_NTIME_FIELD_OFFSET = 8;
    /** Offsets of the fields after min_ntime, relative to the end of min_ntime (T in the diagram). */
    public static final int VERSION_FIELD_RELATIVE_OFFSET = 0;
    public static final int VERSION_ROLLING_ALLOWED_FIELD_RELATIVE_OFFSET = 4;
    public static final int MERKLE_PATH_FIELD_RELATIVE_OFFSET = 5;
    /** {@link #minNtime()} of a future job, and the argument of {@link #encode} that makes one. */
    public static final long NO_MIN_NTIME = -1L;

    private static final String NAME = "NewExtendedMiningJob";

    private int tailOffset;
    private int prefixFieldOffset;
    private int suffixFieldOffset;

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public NewExtendedMiningJob wrap(final DirectBuffer buffer, final int offset, final int length)
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
        Wire.checkAvailable(tailOffset + VERSION_ROLLING_ALLOWED_FIELD_RELATIVE_OFFSET, Wire.BOOL_SIZE, limit, NAME,
            "version_rolling_allowed");
        final int count = Wire.sequenceCount(buffer, tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET, limit,
            Wire.U8_SIZE, Wire.U256_SIZE, NAME, "merkle_path");
        prefixFieldOffset = tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET + Wire.U8_SIZE + count * Wire.U256_SIZE;
        final int prefixLength = Wire.prefixedLength(buffer, prefixFieldOffset, limit, Wire.U16_SIZE,
            Wire.B0_64K_MAX_LENGTH, NAME, "coinbase_tx_prefix");
        suffixFieldOffset = prefixFieldOffset + Wire.U16_SIZE + prefixLength;
        final int suffixLength = Wire.prefixedLength(buffer, suffixFieldOffset, limit, Wire.U16_SIZE,
            Wire.B0_64K_MAX_LENGTH, NAME, "coinbase_tx_suffix");
        endFields(suffixFieldOffset + Wire.U16_SIZE + suffixLength);
        return this;
    }

    /**
     * Writes the whole message at {@code offset}.
     *
     * @param minNtime        {@link #NO_MIN_NTIME} for a future job, else the U32 min_ntime
     * @param merklePath      {@code merklePathCount} (at most 255) consecutive 32-byte hashes at {@code merklePathOffset}
     * @param coinbaseTxPrefix at most 65535 bytes, BIP141-stripped
     * @param coinbaseTxSuffix at most 65535 bytes, BIP141-stripped
     */
    public NewExtendedMiningJob encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long channelId,
        final long jobId,
        final long minNtime,
        final long version,
        final boolean versionRollingAllowed,
        final DirectBuffer merklePath,
        final int merklePathOffset,
        final int merklePathCount,
        final DirectBuffer coinbaseTxPrefix,
        final int coinbaseTxPrefixOffset,
        final int coinbaseTxPrefixLength,
        final DirectBuffer coinbaseTxSuffix,
        final int coinbaseTxSuffixOffset,
        final int coinbaseTxSuffixLength)
    {
        final boolean present = minNtime != NO_MIN_NTIME;
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.checkUnsigned(jobId, Wire.U32_MAX, NAME, "job_id");
        Wire.checkUnsigned(version, Wire.U32_MAX, NAME, "version");
        if (present)
        {
            Wire.checkUnsigned(minNtime, Wire.U32_MAX, NAME, "min_ntime");
        }
        Wire.checkMaxLength(merklePathCount, Wire.SEQ0_255_MAX_COUNT, NAME, "merkle_path");
        Wire.checkMaxLength(coinbaseTxPrefixLength, Wire.B0_64K_MAX_LENGTH, NAME, "coinbase_tx_prefix");
        Wire.checkMaxLength(coinbaseTxSuffixLength, Wire.B0_64K_MAX_LENGTH, NAME, "coinbase_tx_suffix");
        final int head = MIN_NTIME_FIELD_OFFSET + 1 + (present ? Wire.U32_SIZE : 0);
        final int pathLength = merklePathCount * Wire.U256_SIZE;
        final int length = head + MERKLE_PATH_FIELD_RELATIVE_OFFSET + Wire.U8_SIZE + pathLength +
            Wire.U16_SIZE + coinbaseTxPrefixLength + Wire.U16_SIZE + coinbaseTxSuffixLength;
        wrapForEncode(buffer, offset, length);

        Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET, jobId);
        Wire.u8(buffer, offset + MIN_NTIME_FIELD_OFFSET, present ? 1 : 0);
        if (present)
        {
            Wire.u32(buffer, offset + MIN_NTIME_FIELD_OFFSET + 1, minNtime);
        }
        tailOffset = offset + head;
        Wire.u32(buffer, tailOffset + VERSION_FIELD_RELATIVE_OFFSET, version);
        Wire.bool(buffer, tailOffset + VERSION_ROLLING_ALLOWED_FIELD_RELATIVE_OFFSET, versionRollingAllowed);
        Wire.u8(buffer, tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET, merklePathCount);
        buffer.putBytes(tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET + Wire.U8_SIZE, merklePath, merklePathOffset,
            pathLength);
        prefixFieldOffset = tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET + Wire.U8_SIZE + pathLength;
        Wire.u16(buffer, prefixFieldOffset, coinbaseTxPrefixLength);
        buffer.putBytes(prefixFieldOffset + Wire.U16_SIZE, coinbaseTxPrefix, coinbaseTxPrefixOffset,
            coinbaseTxPrefixLength);
        suffixFieldOffset = prefixFieldOffset + Wire.U16_SIZE + coinbaseTxPrefixLength;
        Wire.u16(buffer, suffixFieldOffset, coinbaseTxSuffixLength);
        buffer.putBytes(suffixFieldOffset + Wire.U16_SIZE, coinbaseTxSuffix, coinbaseTxSuffixOffset,
            coinbaseTxSuffixLength);
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

    public boolean versionRollingAllowed()
    {
        return Wire.bool(buffer, tailOffset + VERSION_ROLLING_ALLOWED_FIELD_RELATIVE_OFFSET);
    }

    public int merklePathCount()
    {
        return Wire.u8(buffer, tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET);
    }

    /** Absolute offset of the first merkle_path hash; hash i is at {@code merklePathOffset() + 32 i}. */
    public int merklePathOffset()
    {
        return tailOffset + MERKLE_PATH_FIELD_RELATIVE_OFFSET + Wire.U8_SIZE;
    }

    /** Copies merkle_path hash {@code index} (0 = deepest) into {@code destination}. */
    public void getMerklePath(final int index, final MutableDirectBuffer destination, final int destinationOffset)
    {
        if (index < 0 || index >= merklePathCount())
        {
            throw new IndexOutOfBoundsException("merkle_path index " + index + " of " + merklePathCount());
        }
        copy(merklePathOffset() + index * Wire.U256_SIZE, Wire.U256_SIZE, destination, destinationOffset);
    }

    public int coinbaseTxPrefixLength()
    {
        return Wire.u16(buffer, prefixFieldOffset);
    }

    public int coinbaseTxPrefixOffset()
    {
        return prefixFieldOffset + Wire.U16_SIZE;
    }

    public int getCoinbaseTxPrefix(final MutableDirectBuffer destination, final int destinationOffset)
    {
        return copy(coinbaseTxPrefixOffset(), coinbaseTxPrefixLength(), destination, destinationOffset);
    }

    public int coinbaseTxSuffixLength()
    {
        return Wire.u16(buffer, suffixFieldOffset);
    }

    public int coinbaseTxSuffixOffset()
    {
        return suffixFieldOffset + Wire.U16_SIZE;
    }

    public int getCoinbaseTxSuffix(final MutableDirectBuffer destination, final int destinationOffset)
    {
        return copy(coinbaseTxSuffixOffset(), coinbaseTxSuffixLength(), destination, destinationOffset);
    }
}
