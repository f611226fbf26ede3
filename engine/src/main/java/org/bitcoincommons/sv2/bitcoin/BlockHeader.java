package org.bitcoincommons.sv2.bitcoin;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Read-only flyweight over the 80-byte Bitcoin block header. All integers are little-endian; hashes are in
 * internal byte order (as hashed, not as displayed).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+   0
 *  |                       version (int32)                         |
 *  +---------------------------------------------------------------+   4
 *  |                 prev_hash (32 bytes, internal order)          |
 *  |                              ...                              |
 *  +---------------------------------------------------------------+  36
 *  |                merkle_root (32 bytes, internal order)         |
 *  |                              ...                              |
 *  +---------------------------------------------------------------+  68
 *  |                   time (uint32, unix seconds)                 |
 *  +---------------------------------------------------------------+  72
 *  |                   bits (uint32, compact target)               |
 *  +---------------------------------------------------------------+  76
 *  |                         nonce (uint32)                        |
 *  +---------------------------------------------------------------+  80
 * </pre>
 */
public final class BlockHeader
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int VERSION_FIELD_OFFSET = 0;
    public static final int PREV_HASH_FIELD_OFFSET = 4;
    public static final int MERKLE_ROOT_FIELD_OFFSET = 36;
    public static final int TIME_FIELD_OFFSET = 68;
    public static final int BITS_FIELD_OFFSET = 72;
    public static final int NONCE_FIELD_OFFSET = 76;
    public static final int HASH_LENGTH = 32;
    public static final int ENCODED_LENGTH = 80;

    private DirectBuffer buffer;
    private int offset;

    public BlockHeader wrap(final DirectBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, ENCODED_LENGTH);
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int version()
    {
        return buffer.getInt(offset + VERSION_FIELD_OFFSET, BYTE_ORDER);
    }

    public void prevHash(final byte[] dst, final int dstOffset)
    {
        buffer.getBytes(offset + PREV_HASH_FIELD_OFFSET, dst, dstOffset, HASH_LENGTH);
    }

    public void prevHash(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + PREV_HASH_FIELD_OFFSET, dst, dstOffset, HASH_LENGTH);
    }

    public void merkleRoot(final byte[] dst, final int dstOffset)
    {
        buffer.getBytes(offset + MERKLE_ROOT_FIELD_OFFSET, dst, dstOffset, HASH_LENGTH);
    }

    public void merkleRoot(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + MERKLE_ROOT_FIELD_OFFSET, dst, dstOffset, HASH_LENGTH);
    }

    /**
     * @return unix seconds, unsigned.
     */
    public long timeSeconds()
    {
        return buffer.getInt(offset + TIME_FIELD_OFFSET, BYTE_ORDER) & 0xffff_ffffL;
    }

    /**
     * @return the compact target as a raw 32-bit pattern (e.g. 0x1d00ffff).
     */
    public int bits()
    {
        return buffer.getInt(offset + BITS_FIELD_OFFSET, BYTE_ORDER);
    }

    /**
     * @return nonce as a raw 32-bit pattern.
     */
    public int nonce()
    {
        return buffer.getInt(offset + NONCE_FIELD_OFFSET, BYTE_ORDER);
    }

    /**
     * Block hash (sha256d of the 80 bytes) in internal order into {@code out}. No allocation.
     */
    public void hash(final Sha256d sha256d, final byte[] out, final int outOffset)
    {
        sha256d.digest(buffer, offset, ENCODED_LENGTH, out, outOffset);
    }

    public void hash(final Sha256d sha256d, final MutableDirectBuffer out, final int outOffset)
    {
        sha256d.digest(buffer, offset, ENCODED_LENGTH, out, outOffset);
    }

    /**
     * Cold path: the block hash as bitcoind prints it.
     */
    public String hashDisplayHex()
    {
        final byte[] out = new byte[HASH_LENGTH];
        hash(new Sha256d(), out, 0);
        return HashOrder.toDisplayHex(out);
    }
}
