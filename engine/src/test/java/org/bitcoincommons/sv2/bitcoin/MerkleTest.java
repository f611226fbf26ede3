package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MerkleTest
{
    // Block 100000 (bitcoind getblock): 4 transactions and their merkle root, display order.
    static final String[] BLOCK_100000_TXIDS = {
        "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
        "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
        "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
        "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
    };
    static final String BLOCK_100000_ROOT = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";

    static List<byte[]> leaves(final String... display)
    {
        final List<byte[]> out = new ArrayList<>();
        for (final String s : display)
        {
            out.add(HashOrder.fromDisplayHex(s));
        }
        return out;
    }

    @Test
    void block100000Root()
    {
        assertEquals(BLOCK_100000_ROOT, HashOrder.toDisplayHex(Merkle.root(leaves(BLOCK_100000_TXIDS))));
    }

    @Test
    void block100000BranchesFoldToTheRootAtEveryIndex()
    {
        final List<byte[]> txids = leaves(BLOCK_100000_TXIDS);
        for (int i = 0; i < txids.size(); i++)
        {
            final List<byte[]> branch = Merkle.branch(txids, i);
            assertEquals(2, branch.size());
            assertEquals(BLOCK_100000_ROOT, HashOrder.toDisplayHex(Merkle.fold(txids.get(i), branch, i)));
        }
        // a wrong index must not fold to the root
        final byte[] wrong = Merkle.fold(txids.get(1), Merkle.branch(txids, 1), 0);
        assertEquals(false, BLOCK_100000_ROOT.equals(HashOrder.toDisplayHex(wrong)));
    }

    @Test
    void coinbaseBranchAndSv2CoinbaseLeftFold()
    {
        final List<byte[]> txids = leaves(BLOCK_100000_TXIDS);
        final List<byte[]> path = Merkle.coinbaseBranch(txids.subList(1, 4));
        assertEquals(2, path.size());
        assertArrayEquals(txids.get(1), path.get(0));
        final byte[] flat = new byte[64];
        System.arraycopy(path.get(0), 0, flat, 0, 32);
        System.arraycopy(path.get(1), 0, flat, 32, 32);
        final byte[] root = txids.get(0).clone();
        Merkle.fold(new Sha256d(), root, 0, flat, 0, 2, 0);
        assertEquals(BLOCK_100000_ROOT, HashOrder.toDisplayHex(root));
    }

    @Test
    void foldWithPathInADirectBufferMatchesTheArrayFold()
    {
        final List<byte[]> txids = leaves(BLOCK_100000_TXIDS);
        for (int index = 0; index < 4; index++)
        {
            final List<byte[]> branch = Merkle.branch(txids, index);
            final org.agrona.concurrent.UnsafeBuffer path =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(7 + 64));
            path.putBytes(7, branch.get(0));
            path.putBytes(7 + 32, branch.get(1));
            final byte[] hash = new byte[40];
            System.arraycopy(txids.get(index), 0, hash, 3, 32);
            Merkle.fold(new Sha256d(), hash, 3, path, 7, 2, index);
            assertEquals(BLOCK_100000_ROOT, HashOrder.toDisplayHex(java.util.Arrays.copyOfRange(hash, 3, 35)));
        }
    }

    @Test
    void oddRowsDuplicateTheLastNode()
    {
        // three leaves: root = H(H(a||b) || H(c||c)), computed by hand with Sha256d.hash over concatenations
        final byte[] a = Sha256d.hash(new byte[] {1});
        final byte[] b = Sha256d.hash(new byte[] {2});
        final byte[] c = Sha256d.hash(new byte[] {3});
        final byte[] ab = Sha256d.hash(concat(a, b));
        final byte[] cc = Sha256d.hash(concat(c, c));
        final byte[] expected = Sha256d.hash(concat(ab, cc));
        final List<byte[]> leaves = List.of(a, b, c);
        assertArrayEquals(expected, Merkle.root(leaves));
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(expected, Merkle.fold(leaves.get(i), Merkle.branch(leaves, i), i));
        }
        assertArrayEquals(a, Merkle.root(List.of(a)));
        assertEquals(0, Merkle.branch(List.of(a), 0).size());
        assertThrows(IllegalArgumentException.class, () -> Merkle.root(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Merkle.branch(leaves, 3));
    }

    @Test
    void witnessCommitmentScriptLayout()
    {
        final byte[] root = Sha256d.hash(new byte[] {9});
        final byte[] reserved = new byte[32];
        final byte[] commitment = Merkle.witnessCommitment(root, reserved);
        assertArrayEquals(Sha256d.hash(concat(root, reserved)), commitment);
        final byte[] script = Merkle.witnessCommitmentScript(commitment);
        assertEquals("6a24aa21a9ed" + Hex.encode(commitment), Hex.encode(script));
        // coinbase-only block: witness root is the zero leaf itself
        assertArrayEquals(new byte[32], Merkle.witnessRoot(List.of()));
    }

    static byte[] concat(final byte[] x, final byte[] y)
    {
        final byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
