package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.junit.jupiter.api.Test;

class AuxMerkleTreeTest
{
    @Test
    void slotFormulaMatchesRealBlocks()
    {
        // MERGE-MINING.md 1.2, each from a real block's proof: NMC #37174, DOGE #403931, SYS #91510
        assertEquals(11, AuxMerkleTree.expectedIndex(0, 1, 4));
        assertEquals(56, AuxMerkleTree.expectedIndex(0, 98, 6));
        assertEquals(2, AuxMerkleTree.expectedIndex(0, 0x1000, 2));
        // Crown #1671882 (chain id 20, 7-deep branch, nonce 0, index 2) and Dogecoin #4505708 (index 8, 4 deep):
        // both proofs are checked in AuxPowVerifierTest; here the formula alone
        assertEquals(2, AuxMerkleTree.expectedIndex(0, 20, 7));
        assertEquals(8, AuxMerkleTree.expectedIndex(0, 98, 4));
        assertEquals(0, AuxMerkleTree.expectedIndex(12345, 7, 0));
    }

    @Test
    void slotFormulaAgreesWithNamecoinsStepwiseModuloForm()
    {
        // Namecoin reduces modulo 2^h after each step; with a power-of-two size that equals reducing once
        for (int h = 0; h <= 30; h += 3)
        {
            for (final long nonce : new long[] {0, 1, 7, 0x7fffffffL, 0xffffffffL, 123456789L})
            {
                for (final int chainId : new int[] {1, 20, 98, 0x1000, 0xffff})
                {
                    final long m = 1L << h;
                    long rand = (nonce * 1103515245L + 12345L) & 0xffffffffL;
                    rand %= m;
                    rand = ((rand + chainId) * 1103515245L + 12345L) & 0xffffffffL;
                    rand %= m;
                    assertEquals(rand, AuxMerkleTree.expectedIndex((int)nonce, chainId, h), "h=" + h + " nonce=" + nonce);
                }
            }
        }
    }

    @Test
    void layoutIsSmallestCollisionFreeTree()
    {
        final int[] ids = {1, 98, 0x1000, 20, 7};
        final AuxMerkleTree.Layout layout = AuxMerkleTree.layout(ids, 0, 64);
        assertEquals(true, layout.size() >= ids.length);
        final Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < ids.length; i++)
        {
            assertEquals(AuxMerkleTree.expectedIndex(layout.nonce(), ids[i], layout.height()), layout.slots()[i]);
            slots.add(layout.slots()[i]);
        }
        assertEquals(ids.length, slots.size());
        // a single chain needs no tree at all
        assertEquals(0, AuxMerkleTree.layout(new int[] {1}, 0, 4).height());
        assertThrows(IllegalArgumentException.class, () -> AuxMerkleTree.layout(new int[] {5, 5}, 0, 8));
    }

    @Test
    void branchesFoldToTheRoot()
    {
        final byte[][] leaves = {Sha256d.hash(new byte[] {1}), Sha256d.hash(new byte[] {2}), Sha256d.hash(new byte[] {3})};
        final int[] slots = {5, 0, 6};
        final AuxMerkleTree tree = new AuxMerkleTree(3, 42, slots, leaves);
        // independent: the bitcoin package's merkle root over the 8 leaves with zero fillers
        final byte[][] all = new byte[8][];
        for (int i = 0; i < 8; i++)
        {
            all[i] = new byte[32];
        }
        for (int i = 0; i < 3; i++)
        {
            all[slots[i]] = leaves[i];
        }
        assertArrayEquals(Merkle.root(List.of(all)), tree.root());
        for (int i = 0; i < 3; i++)
        {
            final byte[] h = leaves[i].clone();
            Merkle.fold(new Sha256d(), h, 0, tree.branch(slots[i]), 0, 3, slots[i]);
            assertArrayEquals(tree.root(), h);
        }
        assertNotEquals(0, tree.branch(5).length);
        assertThrows(IllegalArgumentException.class, () -> new AuxMerkleTree(1, 0, new int[] {0, 0}, new byte[][] {
            leaves[0], leaves[1]}));
    }
}
