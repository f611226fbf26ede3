package org.bitcoincommons.sv2.merge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.bitcoincommons.sv2.bitcoin.HashOrder;

/**
 * The AuxPoW commitment placed in the parent coinbase scriptSig (44 bytes):
 * <pre>
 *  0               4                                   36            40            44
 *  +---------------+-----------------------------------+-------------+-------------+
 *  | fa be 6d 6d   | aux merkle root, byte-REVERSED    | merkle size | merkle nonce|
 *  | magic         | (display order of the root)       | u32 LE      | u32 LE      |
 *  +---------------+-----------------------------------+-------------+-------------+
 * </pre>
 * Immutable value; cold path.
 *
 * @param root        the aux merkle root in internal order (as computed)
 * @param merkleSize  number of leaves, {@code 2^height}
 * @param merkleNonce the nonce of the slot formula
 */
public record AuxCommitment(byte[] root, int merkleSize, int merkleNonce)
{
    public static final byte[] MAGIC = {(byte)0xfa, (byte)0xbe, 0x6d, 0x6d};
    public static final int MAGIC_LENGTH = 4;
    public static final int ROOT_OFFSET = 4;
    public static final int MERKLE_SIZE_OFFSET = 36;
    public static final int MERKLE_NONCE_OFFSET = 40;
    public static final int ENCODED_LENGTH = 44;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public AuxCommitment
    {
        if (root.length != 32)
        {
            throw new IllegalArgumentException("aux merkle root must be 32 bytes");
        }
        root = root.clone();
    }

    /** The commitment of a built tree. */
    public static AuxCommitment of(final AuxMerkleTree tree)
    {
        return new AuxCommitment(tree.root(), tree.size(), tree.nonce());
    }

    /** The 44 bytes to place in the scriptSig (inside one push, e.g. {@code 0x2c || encode()}). */
    public byte[] encode()
    {
        final byte[] out = new byte[ENCODED_LENGTH];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC_LENGTH);
        System.arraycopy(HashOrder.reversed(root), 0, out, ROOT_OFFSET, 32);
        INT_LE.set(out, MERKLE_SIZE_OFFSET, merkleSize);
        INT_LE.set(out, MERKLE_NONCE_OFFSET, merkleNonce);
        return out;
    }

    /** The scriptSig bytes: one 44-byte push {@code 2c || encode()}. */
    public byte[] scriptSigPush()
    {
        final byte[] out = new byte[ENCODED_LENGTH + 1];
        out[0] = (byte)ENCODED_LENGTH;
        System.arraycopy(encode(), 0, out, 1, ENCODED_LENGTH);
        return out;
    }

    /**
     * The commitment after the first {@code fabe6d6d} in a scriptSig (raw byte search, as the nodes do), or null
     * when the magic is absent or fewer than 40 bytes follow it.
     */
    public static AuxCommitment find(final byte[] script)
    {
        final int magic = indexOf(script, MAGIC, 0);
        if (magic < 0 || script.length - magic < ENCODED_LENGTH)
        {
            return null;
        }
        final byte[] root = new byte[32];
        System.arraycopy(script, magic + ROOT_OFFSET, root, 0, 32);
        return new AuxCommitment(HashOrder.reversed(root), (int)INT_LE.get(script, magic + MERKLE_SIZE_OFFSET),
            (int)INT_LE.get(script, magic + MERKLE_NONCE_OFFSET));
    }

    /** First index of {@code needle} in {@code haystack} at or after {@code from}, or -1. */
    static int indexOf(final byte[] haystack, final byte[] needle, final int from)
    {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++)
        {
            for (int k = 0; k < needle.length; k++)
            {
                if (haystack[i + k] != needle[k])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Last index of {@code needle} in {@code haystack}, or -1. */
    static int lastIndexOf(final byte[] haystack, final byte[] needle)
    {
        int found = -1;
        int i = indexOf(haystack, needle, 0);
        while (i >= 0)
        {
            found = i;
            i = indexOf(haystack, needle, i + 1);
        }
        return found;
    }

    @Override
    public byte[] root()
    {
        return root.clone();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof AuxCommitment c && java.util.Arrays.equals(root, c.root) && merkleSize == c.merkleSize
            && merkleNonce == c.merkleNonce;
    }

    @Override
    public int hashCode()
    {
        return java.util.Arrays.hashCode(root) * 31 + merkleSize * 17 + merkleNonce;
    }

    @Override
    public String toString()
    {
        return "AuxCommitment[root=" + HashOrder.toDisplayHex(root) + ", size=" + merkleSize + ", nonce="
            + merkleNonce + "]";
    }
}
