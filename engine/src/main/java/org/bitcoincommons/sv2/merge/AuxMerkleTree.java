package org.bitcoincommons.sv2.merge;

import java.util.Arrays;

import org.bitcoincommons.sv2.bitcoin.Sha256d;

/**
 * The aux-chain merkle tree committed in the parent coinbase: {@code 2^height} leaves, each aux block hash
 * (internal order) at its chain's slot, empty slots filled with zero hashes; nodes are {@code sha256d(left ||
 * right)} as in Bitcoin's transaction tree. Immutable after construction; cold path (once per aux work change).
 *
 * <p>Slot formula (Namecoin {@code getExpectedIndex}, identical in Dogecoin, Syscoin and the deployed proxies),
 * in wrapping unsigned 32-bit arithmetic, reduced modulo the tree size at the end (the size is a power of two, so
 * the intermediate reduction Namecoin performs does not change the result):
 * <pre>
 * rand = nonce * 1103515245 + 12345
 * rand = (rand + chainId) * 1103515245 + 12345
 * slot = rand mod 2^height
 * </pre>
 */
public final class AuxMerkleTree
{
    public static final int HASH_LENGTH = 32;
    public static final int MAX_HEIGHT = AuxPow.MAX_CHAIN_BRANCH_LENGTH;

    private static final int LCG_MULTIPLIER = 1103515245;
    private static final int LCG_INCREMENT = 12345;

    private final int height;
    private final int nonce;
    /** levels[0] = leaves, levels[height] = the root; each level is concatenated 32-byte nodes. */
    private final byte[][] levels;

    /**
     * @param height number of levels below the root (tree size {@code 1 << height}), 0..{@link #MAX_HEIGHT}
     * @param nonce  the merkle nonce written in the commitment
     * @param slots  slot of each leaf
     * @param leaves aux block hashes, internal order, one per slot entry
     */
    public AuxMerkleTree(final int height, final int nonce, final int[] slots, final byte[][] leaves)
    {
        if (height < 0 || height > 16)
        {
            // 2^16 slots is far beyond 63 chains; larger trees would only waste memory
            throw new IllegalArgumentException("aux tree height must be 0..16, got " + height);
        }
        if (slots.length != leaves.length)
        {
            throw new IllegalArgumentException("one slot per leaf");
        }
        this.height = height;
        this.nonce = nonce;
        final int size = 1 << height;
        this.levels = new byte[height + 1][];
        levels[0] = new byte[size * HASH_LENGTH];
        final boolean[] used = new boolean[size];
        for (int i = 0; i < slots.length; i++)
        {
            if (slots[i] < 0 || slots[i] >= size || used[slots[i]])
            {
                throw new IllegalArgumentException("slot " + slots[i] + " out of range or used twice");
            }
            if (leaves[i].length != HASH_LENGTH)
            {
                throw new IllegalArgumentException("leaf " + i + " is not 32 bytes");
            }
            used[slots[i]] = true;
            System.arraycopy(leaves[i], 0, levels[0], slots[i] * HASH_LENGTH, HASH_LENGTH);
        }
        final Sha256d sha = new Sha256d();
        for (int level = 1; level <= height; level++)
        {
            final byte[] below = levels[level - 1];
            final int count = below.length / HASH_LENGTH / 2;
            final byte[] here = new byte[count * HASH_LENGTH];
            for (int k = 0; k < count; k++)
            {
                sha.node(below, 2 * k * HASH_LENGTH, below, (2 * k + 1) * HASH_LENGTH, here, k * HASH_LENGTH);
            }
            levels[level] = here;
        }
    }

    /** The slot of {@code chainId} in a tree of {@code 1 << height} leaves with this merkle nonce. */
    public static int expectedIndex(final int nonce, final int chainId, final int height)
    {
        int rand = nonce * LCG_MULTIPLIER + LCG_INCREMENT;
        rand = (rand + chainId) * LCG_MULTIPLIER + LCG_INCREMENT;
        return height >= 32 ? rand : rand & ((1 << height) - 1);
    }

    /**
     * The smallest tree, and in it the first merkle nonce from {@code firstNonce} upwards, that puts every chain id
     * in its own slot. Duplicate chain ids can never be separated and are refused.
     *
     * @param noncesPerSize how many nonces to try before doubling the size
     */
    public static Layout layout(final int[] chainIds, final int firstNonce, final int noncesPerSize)
    {
        for (int i = 0; i < chainIds.length; i++)
        {
            for (int j = i + 1; j < chainIds.length; j++)
            {
                if (chainIds[i] == chainIds[j])
                {
                    throw new IllegalArgumentException("chain id " + chainIds[i] + " appears twice");
                }
            }
        }
        int height = 0;
        while ((1 << height) < chainIds.length)
        {
            height++;
        }
        for (; height <= 16; height++)
        {
            for (int t = 0; t < noncesPerSize; t++)
            {
                final int nonce = firstNonce + t;
                final int[] slots = new int[chainIds.length];
                final boolean[] used = new boolean[1 << height];
                boolean clash = false;
                for (int i = 0; i < chainIds.length && !clash; i++)
                {
                    slots[i] = expectedIndex(nonce, chainIds[i], height);
                    clash = used[slots[i]];
                    used[slots[i]] = true;
                }
                if (!clash)
                {
                    return new Layout(height, nonce, slots);
                }
            }
        }
        throw new IllegalArgumentException("no collision-free aux tree for chain ids " + Arrays.toString(chainIds));
    }

    /** A tree shape: height, nonce and the slot of each chain (same order as the chain ids given). */
    public record Layout(int height, int nonce, int[] slots)
    {
        public int size()
        {
            return 1 << height;
        }
    }

    public int height()
    {
        return height;
    }

    public int size()
    {
        return 1 << height;
    }

    public int nonce()
    {
        return nonce;
    }

    /** The root, internal order (the commitment carries it byte-reversed). */
    public byte[] root()
    {
        return levels[height].clone();
    }

    /** The chain branch of {@code slot}: {@code height} concatenated 32-byte siblings, bottom first. */
    public byte[] branch(final int slot)
    {
        if (slot < 0 || slot >= size())
        {
            throw new IllegalArgumentException("slot " + slot + " outside a tree of " + size());
        }
        final byte[] out = new byte[height * HASH_LENGTH];
        int index = slot;
        for (int level = 0; level < height; level++)
        {
            System.arraycopy(levels[level], (index ^ 1) * HASH_LENGTH, out, level * HASH_LENGTH, HASH_LENGTH);
            index >>>= 1;
        }
        return out;
    }
}
