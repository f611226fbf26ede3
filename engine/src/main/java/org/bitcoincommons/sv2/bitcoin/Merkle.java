package org.bitcoincommons.sv2.bitcoin;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Bitcoin's transaction merkle tree (odd rows duplicate their last node), with all hashes 32 bytes in internal
 * order. List-based methods are cold-path (job building); the {@code fold} methods on a {@link Sha256d} and caller
 * arrays allocate nothing and are what share validation uses.
 */
public final class Merkle
{
    public static final int HASH_LENGTH = 32;

    private Merkle()
    {
    }

    /**
     * @param leaves txids (or wtxids) in block order, each 32 bytes internal order; at least one.
     * @return the merkle root.
     */
    public static byte[] root(final List<byte[]> leaves)
    {
        if (leaves.isEmpty())
        {
            throw new IllegalArgumentException("merkle root of zero leaves");
        }
        final Sha256d sha = new Sha256d();
        List<byte[]> row = copyChecked(leaves);
        while (row.size() > 1)
        {
            final List<byte[]> next = new ArrayList<>((row.size() + 1) / 2);
            for (int i = 0; i < row.size(); i += 2)
            {
                final byte[] left = row.get(i);
                final byte[] right = i + 1 < row.size() ? row.get(i + 1) : left;
                final byte[] parent = new byte[HASH_LENGTH];
                sha.node(left, 0, right, 0, parent, 0);
                next.add(parent);
            }
            row = next;
        }
        return row.get(0);
    }

    /**
     * Sibling hashes from leaf {@code index} up to (not including) the root, as used by {@link #fold}.
     */
    public static List<byte[]> branch(final List<byte[]> leaves, final int index)
    {
        if (index < 0 || index >= leaves.size())
        {
            throw new IllegalArgumentException("leaf index " + index + " outside 0.." + (leaves.size() - 1));
        }
        final Sha256d sha = new Sha256d();
        final List<byte[]> path = new ArrayList<>();
        List<byte[]> row = copyChecked(leaves);
        int position = index;
        while (row.size() > 1)
        {
            final int sibling = position ^ 1;
            path.add(sibling < row.size() ? row.get(sibling) : row.get(position));
            final List<byte[]> next = new ArrayList<>((row.size() + 1) / 2);
            for (int i = 0; i < row.size(); i += 2)
            {
                final byte[] left = row.get(i);
                final byte[] right = i + 1 < row.size() ? row.get(i + 1) : left;
                final byte[] parent = new byte[HASH_LENGTH];
                sha.node(left, 0, right, 0, parent, 0);
                next.add(parent);
            }
            row = next;
            position >>>= 1;
        }
        return path;
    }

    /**
     * The SV2 {@code merkle_path} for the coinbase: {@link #branch} at index 0 of {@code coinbaseTxid} followed by
     * the other txids.
     *
     * @param otherTxids the block's non-coinbase txids in order (may be empty).
     */
    public static List<byte[]> coinbaseBranch(final List<byte[]> otherTxids)
    {
        final List<byte[]> leaves = new ArrayList<>(otherTxids.size() + 1);
        leaves.add(new byte[HASH_LENGTH]);
        leaves.addAll(otherTxids);
        return branch(leaves, 0);
    }

    /**
     * Cold-path fold of a leaf with a branch at {@code index}: at level {@code i}, bit {@code i} of the index set
     * means the running hash is the right child.
     */
    public static byte[] fold(final byte[] leaf, final List<byte[]> branch, final int index)
    {
        final byte[] path = new byte[branch.size() * HASH_LENGTH];
        for (int i = 0; i < branch.size(); i++)
        {
            requireHash(branch.get(i));
            System.arraycopy(branch.get(i), 0, path, i * HASH_LENGTH, HASH_LENGTH);
        }
        requireHash(leaf);
        final byte[] out = leaf.clone();
        fold(new Sha256d(), out, 0, path, 0, branch.size(), index);
        return out;
    }

    /**
     * In-place fold, no allocation: {@code hash[hashOffset..+32)} is the leaf on entry and the root on exit.
     *
     * @param path   {@code count} concatenated 32-byte siblings starting at {@code pathOffset}.
     * @param index  leaf position; bit i selects the side at level i (AuxPoW chain/coinbase branches use this).
     */
    public static void fold(
        final Sha256d sha, final byte[] hash, final int hashOffset,
        final byte[] path, final int pathOffset, final int count, final int index)
    {
        for (int i = 0; i < count; i++)
        {
            final int sibling = pathOffset + i * HASH_LENGTH;
            if (((index >>> i) & 1) != 0)
            {
                sha.node(path, sibling, hash, hashOffset, hash, hashOffset);
            }
            else
            {
                sha.node(hash, hashOffset, path, sibling, hash, hashOffset);
            }
        }
    }

    /**
     * {@link #fold(Sha256d, byte[], int, byte[], int, int, int)} with the path read from a buffer (e.g. an SV2
     * {@code merkle_path} SEQ0_255[U256] body in a received frame). No allocation.
     */
    public static void fold(
        final Sha256d sha, final byte[] hash, final int hashOffset,
        final DirectBuffer path, final int pathOffset, final int count, final int index)
    {
        for (int i = 0; i < count; i++)
        {
            final int sibling = pathOffset + i * HASH_LENGTH;
            if (((index >>> i) & 1) != 0)
            {
                sha.update(path, sibling, HASH_LENGTH).update(hash, hashOffset, HASH_LENGTH).finish(hash, hashOffset);
            }
            else
            {
                sha.update(hash, hashOffset, HASH_LENGTH).update(path, sibling, HASH_LENGTH).finish(hash, hashOffset);
            }
        }
    }

    /**
     * SV2 coinbase-left fold (PROTOCOL.md §5.2): {@code root = sha256d(coinbase)}, then
     * {@code root = sha256d(root || p)} for every path element. Writes the 32-byte root to {@code out}; no allocation.
     */
    public static void coinbaseRoot(
        final Sha256d sha, final byte[] coinbase, final int coinbaseOffset, final int coinbaseLength,
        final byte[] path, final int pathOffset, final int count, final byte[] out, final int outOffset)
    {
        sha.digest(coinbase, coinbaseOffset, coinbaseLength, out, outOffset);
        fold(sha, out, outOffset, path, pathOffset, count, 0);
    }

    /**
     * BIP141 witness merkle root: the coinbase's wtxid counts as 32 zero bytes.
     *
     * @param otherWtxids the wtxids of the block's non-coinbase transactions in order.
     */
    public static byte[] witnessRoot(final List<byte[]> otherWtxids)
    {
        final List<byte[]> leaves = new ArrayList<>(otherWtxids.size() + 1);
        leaves.add(new byte[HASH_LENGTH]);
        leaves.addAll(otherWtxids);
        return root(leaves);
    }

    /**
     * BIP141 commitment hash {@code sha256d(witnessRoot || witnessReservedValue)}.
     */
    public static byte[] witnessCommitment(final byte[] witnessRoot, final byte[] witnessReservedValue)
    {
        requireHash(witnessRoot);
        requireHash(witnessReservedValue);
        final byte[] out = new byte[HASH_LENGTH];
        new Sha256d().node(witnessRoot, 0, witnessReservedValue, 0, out, 0);
        return out;
    }

    /**
     * The coinbase output script {@code OP_RETURN 0x24 aa21a9ed <commitment>} (38 bytes).
     */
    public static byte[] witnessCommitmentScript(final byte[] commitment)
    {
        requireHash(commitment);
        final byte[] script = new byte[WITNESS_COMMITMENT_HEADER.length + HASH_LENGTH];
        System.arraycopy(WITNESS_COMMITMENT_HEADER, 0, script, 0, WITNESS_COMMITMENT_HEADER.length);
        System.arraycopy(commitment, 0, script, WITNESS_COMMITMENT_HEADER.length, HASH_LENGTH);
        return script;
    }

    /** OP_RETURN, push 36, then the BIP141 tag aa21a9ed. */
    static final byte[] WITNESS_COMMITMENT_HEADER = {0x6a, 0x24, (byte)0xaa, 0x21, (byte)0xa9, (byte)0xed};

    private static List<byte[]> copyChecked(final List<byte[]> leaves)
    {
        final List<byte[]> row = new ArrayList<>(leaves.size());
        for (final byte[] leaf : leaves)
        {
            requireHash(leaf);
            row.add(leaf);
        }
        return row;
    }

    private static void requireHash(final byte[] hash)
    {
        if (hash == null || hash.length != HASH_LENGTH)
        {
            throw new IllegalArgumentException("merkle hashes are 32 bytes");
        }
    }
}
