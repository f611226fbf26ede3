package org.bitcoincommons.sv2.codec.mining;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Tlv;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SubmitSharesExtended (0x1b, channel message, spec 5.3.12): zero-allocation flyweight over the payload, with the
 * worker-identity TLV of extension 0x0002 (field 0x01 user_identity, at most 32 bytes).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  | channel_id | sequence_number | job_id | nonce | ntime | version |  0..23, six U32 LE as SubmitSharesStandard
 *  +---------------+-----------------------------------------------+
 *  | extranonce len| extranonce (B0_32, len &lt;= 32) ...             | 24
 *  +---------------+-----------------------------------------------+
 *  | TLVs: 02 00 | 01 | len U16 LE | user_identity (&lt;= 32) ...     | 25 + len
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SubmitSharesExtended extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SUBMIT_SHARES_EXTENDED;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int SEQUENCE_NUMBER_FIELD_OFFSET = 4;
    public static final int JOB_ID_FIELD_OFFSET = 8;
    public static final int NONCE_FIELD_OFFSET = 12;
    public static final int NTIME_FIELD_OFFSET = 16;
    public static final int VERSION_FIELD_OFFSET = 20;
    public static final int EXTRANONCE_FIELD_OFFSET = 24;
    /** Fixed fields plus the extranonce's length byte. */
    public static final int BLOCK_LENGTH = 25;

    private static final String NAME = "SubmitSharesExtended";
    private static final String USER_IDENTITY = "user_identity";

    private int userIdentityTlvOffset = -1;

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    /**
     * Wraps a received payload: checks the fixed fields, the extranonce's length (at most 32, inside the payload),
     * that the rest is TLVs, and that a worker user_identity TLV, if any, is at most 32 bytes.
     */
    public SubmitSharesExtended wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < EXTRANONCE_FIELD_OFFSET)
        {
            throw truncated(length);
        }
        final int extranonceLength = Wire.prefixedLength(buffer, offset + EXTRANONCE_FIELD_OFFSET, limit,
            Wire.U8_SIZE, Wire.B0_32_MAX_LENGTH, NAME, "extranonce");
        endFields(offset + BLOCK_LENGTH + extranonceLength);
        userIdentityTlvOffset = Tlv.find(buffer, fieldsLimit, limit - fieldsLimit,
            Tlv.WORKER_IDENTITY_EXTENSION_TYPE, Tlv.WORKER_IDENTITY_USER_IDENTITY_FIELD_TYPE);
        if (userIdentityTlvOffset >= 0 &&
            Tlv.valueLength(buffer, userIdentityTlvOffset) > Tlv.WORKER_IDENTITY_USER_IDENTITY_MAX_LENGTH)
        {
            throw new CodecException(CodecException.Category.LENGTH_TOO_LARGE, NAME, USER_IDENTITY,
                "TLV length " + Tlv.valueLength(buffer, userIdentityTlvOffset) + " > max " +
                Tlv.WORKER_IDENTITY_USER_IDENTITY_MAX_LENGTH);
        }
        return this;
    }

    /**
     * Wraps for writing: set the six U32 fields, then {@link #extranonce}, then optionally {@link #userIdentity}.
     * Until {@link #extranonce} is called the extranonce is empty.
     */
    public SubmitSharesExtended wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        Wire.u8(buffer, offset + EXTRANONCE_FIELD_OFFSET, 0);
        userIdentityTlvOffset = -1;
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SubmitSharesExtended channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    public long sequenceNumber()
    {
        return Wire.u32(buffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET);
    }

    public SubmitSharesExtended sequenceNumber(final long sequenceNumber)
    {
        Wire.checkUnsigned(sequenceNumber, Wire.U32_MAX, NAME, "sequence_number");
        Wire.u32(mutableBuffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET, sequenceNumber);
        return this;
    }

    public long jobId()
    {
        return Wire.u32(buffer, offset + JOB_ID_FIELD_OFFSET);
    }

    public SubmitSharesExtended jobId(final long jobId)
    {
        Wire.checkUnsigned(jobId, Wire.U32_MAX, NAME, "job_id");
        Wire.u32(mutableBuffer, offset + JOB_ID_FIELD_OFFSET, jobId);
        return this;
    }

    public long nonce()
    {
        return Wire.u32(buffer, offset + NONCE_FIELD_OFFSET);
    }

    public SubmitSharesExtended nonce(final long nonce)
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

    public SubmitSharesExtended ntime(final long ntime)
    {
        Wire.checkUnsigned(ntime, Wire.U32_MAX, NAME, "ntime");
        Wire.u32(mutableBuffer, offset + NTIME_FIELD_OFFSET, ntime);
        return this;
    }

    public long version()
    {
        return Wire.u32(buffer, offset + VERSION_FIELD_OFFSET);
    }

    public SubmitSharesExtended version(final long version)
    {
        Wire.checkUnsigned(version, Wire.U32_MAX, NAME, "version");
        Wire.u32(mutableBuffer, offset + VERSION_FIELD_OFFSET, version);
        return this;
    }

    public int extranonceLength()
    {
        return Wire.u8(buffer, offset + EXTRANONCE_FIELD_OFFSET);
    }

    /** Absolute offset of the extranonce's first byte (after its length byte). */
    public int extranonceOffset()
    {
        return offset + BLOCK_LENGTH;
    }

    /** Copies the extranonce into {@code destination}; returns its length. */
    public int getExtranonce(final MutableDirectBuffer destination, final int destinationOffset)
    {
        return copy(extranonceOffset(), extranonceLength(), destination, destinationOffset);
    }

    /**
     * Writes the extranonce (at most 32 bytes) from {@code source}; drops any TLVs written before.
     */
    public SubmitSharesExtended extranonce(final DirectBuffer source, final int sourceOffset, final int length)
    {
        Wire.checkMaxLength(length, Wire.B0_32_MAX_LENGTH, NAME, "extranonce");
        Wire.checkCapacity(mutableBuffer, offset + BLOCK_LENGTH, length, NAME, "extranonce");
        Wire.u8(mutableBuffer, offset + EXTRANONCE_FIELD_OFFSET, length);
        mutableBuffer.putBytes(offset + BLOCK_LENGTH, source, sourceOffset, length);
        fieldsLimit = offset + BLOCK_LENGTH + length;
        limit = fieldsLimit;
        userIdentityTlvOffset = -1;
        return this;
    }

    /** True if the payload carries the worker-identity TLV (extension 0x0002, field 0x01). */
    public boolean hasUserIdentity()
    {
        return userIdentityTlvOffset >= 0;
    }

    /** Length of the worker user_identity, or -1 if absent. */
    public int userIdentityLength()
    {
        return userIdentityTlvOffset < 0 ? -1 : Tlv.valueLength(buffer, userIdentityTlvOffset);
    }

    /** Absolute offset of the worker user_identity's bytes, or -1 if absent. */
    public int userIdentityOffset()
    {
        return userIdentityTlvOffset < 0 ? -1 : userIdentityTlvOffset + Tlv.VALUE_FIELD_OFFSET;
    }

    /** Copies the worker user_identity into {@code destination}; returns its length, or -1 if absent. */
    public int getUserIdentity(final MutableDirectBuffer destination, final int destinationOffset)
    {
        return userIdentityTlvOffset < 0 ? -1 : copy(userIdentityOffset(), userIdentityLength(), destination, destinationOffset);
    }

    /**
     * Appends the worker-identity TLV (UTF-8 bytes, at most 32) after the extranonce. Call after {@link #extranonce}.
     */
    public SubmitSharesExtended userIdentity(final DirectBuffer source, final int sourceOffset, final int length)
    {
        Wire.checkMaxLength(length, Tlv.WORKER_IDENTITY_USER_IDENTITY_MAX_LENGTH, NAME, USER_IDENTITY);
        userIdentityTlvOffset = limit;
        limit += Tlv.encode(mutableBuffer, limit, Tlv.WORKER_IDENTITY_EXTENSION_TYPE,
            Tlv.WORKER_IDENTITY_USER_IDENTITY_FIELD_TYPE, source, sourceOffset, length);
        return this;
    }
}
