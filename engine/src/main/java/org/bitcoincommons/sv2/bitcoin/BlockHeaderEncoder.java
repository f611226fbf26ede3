package org.bitcoincommons.sv2.bitcoin;

import static org.bitcoincommons.sv2.bitcoin.BlockHeader.BITS_FIELD_OFFSET;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.BYTE_ORDER;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.ENCODED_LENGTH;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.HASH_LENGTH;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.MERKLE_ROOT_FIELD_OFFSET;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.NONCE_FIELD_OFFSET;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.PREV_HASH_FIELD_OFFSET;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.TIME_FIELD_OFFSET;
import static org.bitcoincommons.sv2.bitcoin.BlockHeader.VERSION_FIELD_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the 80-byte header laid out in {@link BlockHeader} into a {@link MutableDirectBuffer}. Setters share the
 * field's name and return {@code this}; hashes are taken in internal byte order.
 */
public final class BlockHeaderEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    public BlockHeaderEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, ENCODED_LENGTH);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public BlockHeaderEncoder version(final int version)
    {
        buffer.putInt(offset + VERSION_FIELD_OFFSET, version, BYTE_ORDER);
        return this;
    }

    public BlockHeaderEncoder prevHash(final byte[] src, final int srcOffset)
    {
        buffer.putBytes(offset + PREV_HASH_FIELD_OFFSET, src, srcOffset, HASH_LENGTH);
        return this;
    }

    public BlockHeaderEncoder prevHash(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + PREV_HASH_FIELD_OFFSET, src, srcOffset, HASH_LENGTH);
        return this;
    }

    public BlockHeaderEncoder merkleRoot(final byte[] src, final int srcOffset)
    {
        buffer.putBytes(offset + MERKLE_ROOT_FIELD_OFFSET, src, srcOffset, HASH_LENGTH);
        return this;
    }

    public BlockHeaderEncoder merkleRoot(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + MERKLE_ROOT_FIELD_OFFSET, src, srcOffset, HASH_LENGTH);
        return this;
    }

    /**
     * @param timeSeconds unix seconds, must fit in an unsigned 32-bit field.
     */
    public BlockHeaderEncoder timeSeconds(final long timeSeconds)
    {
        if ((timeSeconds >>> 32) != 0)
        {
            throw new IllegalArgumentException("header time out of uint32 range: " + timeSeconds);
        }
        buffer.putInt(offset + TIME_FIELD_OFFSET, (int)timeSeconds, BYTE_ORDER);
        return this;
    }

    public BlockHeaderEncoder bits(final int bits)
    {
        buffer.putInt(offset + BITS_FIELD_OFFSET, bits, BYTE_ORDER);
        return this;
    }

    public BlockHeaderEncoder nonce(final int nonce)
    {
        buffer.putInt(offset + NONCE_FIELD_OFFSET, nonce, BYTE_ORDER);
        return this;
    }
}
