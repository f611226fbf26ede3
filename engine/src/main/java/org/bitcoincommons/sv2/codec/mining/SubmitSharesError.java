package org.bitcoincommons.sv2.codec.mining;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.codec.MessageFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Wire;

/**
 * SubmitShares.Error (0x1d, channel message, spec 5.3.14): zero-allocation flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      channel_id U32 LE                        |  0
 *  +---------------------------------------------------------------+
 *  |                    sequence_number U32 LE                     |  4
 *  +---------------+-----------------------------------------------+
 *  | error_code len| error_code (STR0_255) ...                     |  8
 *  +---------------+-----------------------------------------------+
 * </pre>
 * The hot path compares or copies the error code's bytes; {@link #errorCode()} builds a String (cold path).
 */
public final class SubmitSharesError extends MessageFlyweight
{
    public static final MessageSchema SCHEMA = MiningProtocol.SUBMIT_SHARES_ERROR;
    public static final int CHANNEL_ID_FIELD_OFFSET = 0;
    public static final int SEQUENCE_NUMBER_FIELD_OFFSET = 4;
    public static final int ERROR_CODE_FIELD_OFFSET = 8;
    /** Fixed fields plus the error code's length byte. */
    public static final int BLOCK_LENGTH = 9;

    private static final String NAME = "SubmitShares.Error";

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    public SubmitSharesError wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        wrapForDecode(buffer, offset, length);
        if (length < ERROR_CODE_FIELD_OFFSET)
        {
            throw truncated(length);
        }
        final int errorCodeLength = Wire.prefixedLength(buffer, offset + ERROR_CODE_FIELD_OFFSET, limit,
            Wire.U8_SIZE, Wire.STR0_255_MAX_LENGTH, NAME, "error_code");
        Wire.checkUtf8(buffer, offset + ERROR_CODE_FIELD_OFFSET + Wire.U8_SIZE, errorCodeLength, NAME, "error_code");
        endFields(offset + BLOCK_LENGTH + errorCodeLength);
        return this;
    }

    /** Wraps for writing: set the two U32 fields, then {@link #errorCode(DirectBuffer, int, int)}. */
    public SubmitSharesError wrapForEncode(final MutableDirectBuffer buffer, final int offset)
    {
        wrapForEncode(buffer, offset, BLOCK_LENGTH);
        Wire.u8(buffer, offset + ERROR_CODE_FIELD_OFFSET, 0);
        return this;
    }

    public long channelId()
    {
        return Wire.u32(buffer, offset + CHANNEL_ID_FIELD_OFFSET);
    }

    public SubmitSharesError channelId(final long channelId)
    {
        Wire.checkUnsigned(channelId, Wire.U32_MAX, NAME, "channel_id");
        Wire.u32(mutableBuffer, offset + CHANNEL_ID_FIELD_OFFSET, channelId);
        return this;
    }

    public long sequenceNumber()
    {
        return Wire.u32(buffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET);
    }

    public SubmitSharesError sequenceNumber(final long sequenceNumber)
    {
        Wire.checkUnsigned(sequenceNumber, Wire.U32_MAX, NAME, "sequence_number");
        Wire.u32(mutableBuffer, offset + SEQUENCE_NUMBER_FIELD_OFFSET, sequenceNumber);
        return this;
    }

    public int errorCodeLength()
    {
        return Wire.u8(buffer, offset + ERROR_CODE_FIELD_OFFSET);
    }

    /** Absolute offset of the error code's first byte. */
    public int errorCodeOffset()
    {
        return offset + BLOCK_LENGTH;
    }

    public int getErrorCode(final MutableDirectBuffer destination, final int destinationOffset)
    {
        return copy(errorCodeOffset(), errorCodeLength(), destination, destinationOffset);
    }

    /** True if the error code's bytes equal {@code expected} (e.g. a pre-encoded SRI code); no allocation. */
    public boolean errorCodeEquals(final byte[] expected)
    {
        final int length = errorCodeLength();
        if (length != expected.length)
        {
            return false;
        }
        final int from = errorCodeOffset();
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(from + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The error code as a String (allocates; for logs and the cold path). */
    public String errorCode()
    {
        final byte[] bytes = new byte[errorCodeLength()];
        buffer.getBytes(errorCodeOffset(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes the error code (at most 255 bytes). Call after the U32 fields' offsets are set up by wrapForEncode. */
    public SubmitSharesError errorCode(final DirectBuffer source, final int sourceOffset, final int length)
    {
        Wire.checkMaxLength(length, Wire.STR0_255_MAX_LENGTH, NAME, "error_code");
        Wire.checkCapacity(mutableBuffer, offset + BLOCK_LENGTH, length, NAME, "error_code");
        Wire.u8(mutableBuffer, offset + ERROR_CODE_FIELD_OFFSET, length);
        mutableBuffer.putBytes(offset + BLOCK_LENGTH, source, sourceOffset, length);
        fieldsLimit = offset + BLOCK_LENGTH + length;
        limit = fieldsLimit;
        return this;
    }

    /** Writes the error code from pre-encoded bytes (e.g. a constant); no allocation. */
    public SubmitSharesError errorCode(final byte[] code)
    {
        Wire.checkMaxLength(code.length, Wire.STR0_255_MAX_LENGTH, NAME, "error_code");
        Wire.checkCapacity(mutableBuffer, offset + BLOCK_LENGTH, code.length, NAME, "error_code");
        Wire.u8(mutableBuffer, offset + ERROR_CODE_FIELD_OFFSET, code.length);
        mutableBuffer.putBytes(offset + BLOCK_LENGTH, code);
        fieldsLimit = offset + BLOCK_LENGTH + code.length;
        limit = fieldsLimit;
        return this;
    }
}
