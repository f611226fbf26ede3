package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.junit.jupiter.api.Test;

/**
 * Real AuxPoW proofs from five chains and forms (expected hashes from the sources named in
 * src/test/resources/merge/README.md, never from our code), and one hand-broken variant per consensus check.
 */
class AuxPowVerifierTest
{
    private static final byte[] MAX_TARGET = filled((byte)0xff);

    @Test
    void namecoin37174HeaderAndAuxPowIsValidWithParentPowChecked()
    {
        final AuxBlockProof p = AuxBlockProof.fromBytes(MergeVectors.namecoin37174());
        final AuxPowVerdict v = AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), 1, ParentPow.SHA256D);
        assertTrue(v.valid(), v.reason());
        assertEquals("65ef89dc3da0c0df9b3d5309f89dd2eaceb81227605ead903d8ef6619d328b39",
            HashOrder.toDisplayHex(v.auxHash()));
        assertEquals(1, v.chainId());
        assertEquals(11, v.chainIndex());
        assertEquals(16, v.merkleSize());
        assertEquals(0, v.merkleNonce());
        assertTrue(v.parentPowChecked());
        // serialization round trip is byte-exact
        final byte[] raw = MergeVectors.namecoin37174();
        assertArrayEquals(Arrays.copyOfRange(raw, 80, raw.length), p.auxPow().serialize());
    }

    @Test
    void crown1671882WholeBlockIsValid()
    {
        // Crown (chain id 20) merge-mined with Bitcoin; BTC.TOP coinbase with a witness commitment, 7-deep chain branch
        final AuxBlockProof p = AuxBlockProof.fromBytes(MergeVectors.hex("crown_1671882_block.hex"));
        assertEquals(3, p.transactions().size());
        assertTrue(p.merkleRootMatches());
        final AuxPowVerdict v = AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), null, ParentPow.SHA256D);
        assertTrue(v.valid(), v.reason());
        assertEquals("72a79139b132951724255181232988eeabc19e9b855a87727a3d8d59b369e2f7",
            HashOrder.toDisplayHex(v.auxHash()));
        assertEquals(20, v.chainId());
        assertEquals(2, v.chainIndex());
        assertEquals(128, v.merkleSize());
        assertTrue(v.parentPowChecked());
    }

    @Test
    void dogecoinWholeBlocksWithScryptParentsAreValid()
    {
        final String[][] blocks = {
            {"dogecoin_block371337.hex", "60323982f9c5ff1b5a954eac9dc1269352835f47c2c5222691d80f0d50dcf053",
                "e5422732b20e9e7ecc243427abbe296e9528d308bb111aae8d30c3465e442de8"},
            {"dogecoin_block748634.hex", "bd98a06391115285265c04984e8505229739f6ffa5d498929a91fbe7c281ea7b", null},
            {"dogecoin_block894863.hex", "93a207e6d227f4d60ee64fad584b47255f654b0b6378d78e774123dd66f4fef9", null},
        };
        for (final String[] b : blocks)
        {
            final AuxBlockProof p = AuxBlockProof.fromBytes(MergeVectors.hex(b[0]));
            assertTrue(p.merkleRootMatches(), b[0]);
            final AuxPowVerdict v = AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), 98, ParentPow.SCRYPT);
            assertTrue(v.valid(), b[0] + ": " + v.reason());
            assertEquals(b[1], HashOrder.toDisplayHex(v.auxHash()), b[0]);
            assertFalse(v.parentPowChecked());
            if (b[2] != null)
            {
                assertEquals(b[2], HashOrder.toDisplayHex(p.auxPow().coinbaseTx().txid()));
                assertEquals(8, v.merkleSize()); // libdohj lists a 3-hash chain branch
            }
        }
    }

    @Test
    void dogecoin403931AuxPowAloneIsValid()
    {
        final AuxPow auxPow = AuxPow.parse(MergeVectors.hex("dogecoin_403931_auxpow.hex"));
        assertEquals("089b911f5e471c0e1800f3384281ebec5b372fbb6f358790a92747ade271ccdf",
            HashOrder.toDisplayHex(auxPow.coinbaseTx().txid()));
        assertEquals("a22a9b01671d639fa6389f62ecf8ce69204c8ed41d5f1a745e0c5ba7116d5b4c",
            HashOrder.toDisplayHex(Sha256d.hash(auxPow.parentHeader())));
        final AuxPowVerdict v = AuxPowVerifier.verify(
            HashOrder.fromDisplayHex("0c836b86991631d34a8a68054e2f62db919b39d1ee43c27ab3344d6aa82fa609"), 98,
            target(0x1b06f8f0), auxPow, ParentPow.SCRYPT);
        assertTrue(v.valid(), v.reason());
        assertEquals(56, v.chainIndex());
        assertEquals(64, v.merkleSize());
    }

    @Test
    void namecoin19414LegacyCommitmentWithoutMagicIsValid()
    {
        final AuxPow auxPow = AuxPow.parse(MergeVectors.hex("namecoin_19414_auxpow.hex"));
        final byte[] script = auxPow.coinbaseTx().inputs().get(0).scriptSig();
        assertEquals(-1, AuxCommitment.indexOf(script, AuxCommitment.MAGIC, 0));
        final AuxPowVerdict v = AuxPowVerifier.verify(
            HashOrder.fromDisplayHex("5fb89c3b18c27bc38d351d516177cbd3504c95ca0494cbbbbd52f2fb5f2ff1ec"), 1,
            target(0x1b00b269), auxPow, ParentPow.SHA256D);
        assertTrue(v.valid(), v.reason());
        assertTrue(v.parentPowChecked());
        assertEquals(1, v.merkleSize()); // a chain merkle tree of size 1: the root is the aux hash itself
    }

    @Test
    void dogecoinGetBlockJsonIsValid() throws Exception
    {
        final AuxBlockProof p = AuxBlockProof.fromGetBlockJson(
            new ObjectMapper().readTree(MergeVectors.text("dogecoin_4505708_getblock.json")));
        final AuxPowVerdict v = AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), 98, ParentPow.SCRYPT);
        assertTrue(v.valid(), v.reason());
        assertEquals("550393336f0a33a1678ecf15c87877848bed03b8c23f18b530fb03b30813440f",
            HashOrder.toDisplayHex(v.auxHash()));
        assertEquals("7f12675dc632639636496b80337e3ce89505a37caedcd8f5ddf24d1826815498",
            HashOrder.toDisplayHex(p.auxPow().coinbaseTx().txid()));
        assertEquals(8, v.chainIndex());
    }

    // ---- hand-broken variants of the Namecoin vector: each check gives its own reason ----

    @Test
    void brokenNamecoinVariantsEachFailTheirOwnCheck()
    {
        final byte[] raw = MergeVectors.namecoin37174();
        final AuxBlockProof p = AuxBlockProof.fromBytes(raw);
        final AuxPow a = p.auxPow();

        final byte[] noFlag = p.header().clone();
        noFlag[1] &= ~0x01;
        assertFailure(AuxPowFailure.AUX_VERSION_NOT_AUXPOW, AuxPowVerifier.verifyHeader(noFlag, a, null, ParentPow.SHA256D));
        assertFailure(AuxPowFailure.CHAIN_ID_MISMATCH, AuxPowVerifier.verifyHeader(p.header(), a, 2, ParentPow.SHA256D));

        final byte[] parentAux = a.parentHeader();
        parentAux[1] |= 0x01;
        assertFailure(AuxPowFailure.PARENT_HAS_AUXPOW_VERSION, AuxPowVerifier.verifyHeader(p.header(),
            with(a, a.coinbaseBranch(), 0, a.chainBranch(), a.chainIndex(), parentAux), null, ParentPow.SHA256D));

        final byte[] parentOurId = a.parentHeader();
        parentOurId[2] = 0x01;
        parentOurId[3] = 0x00;
        assertFailure(AuxPowFailure.PARENT_HAS_OUR_CHAIN_ID, AuxPowVerifier.verifyHeader(p.header(),
            with(a, a.coinbaseBranch(), 0, a.chainBranch(), a.chainIndex(), parentOurId), null, ParentPow.SHA256D));

        assertFailure(AuxPowFailure.CHAIN_BRANCH_TOO_LONG, AuxPowVerifier.verifyHeader(p.header(),
            with(a, a.coinbaseBranch(), 0, new byte[31 * 32], a.chainIndex(), a.parentHeader()), null, ParentPow.SHA256D));

        assertFailure(AuxPowFailure.COINBASE_INDEX_NOT_ZERO, AuxPowVerifier.verifyHeader(p.header(),
            with(a, a.coinbaseBranch(), 1, a.chainBranch(), a.chainIndex(), a.parentHeader()), null, ParentPow.SHA256D));

        final byte[] badCoinbaseBranch = a.coinbaseBranch();
        badCoinbaseBranch[5] ^= 1;
        assertFailure(AuxPowFailure.COINBASE_NOT_IN_PARENT, AuxPowVerifier.verifyHeader(p.header(),
            with(a, badCoinbaseBranch, 0, a.chainBranch(), a.chainIndex(), a.parentHeader()), null, ParentPow.SHA256D));

        assertFailure(AuxPowFailure.MISSING_CHAIN_ROOT, AuxPowVerifier.verifyHeader(p.header(),
            with(a, a.coinbaseBranch(), 0, a.chainBranch(), 10, a.parentHeader()), null, ParentPow.SHA256D));

        // the real parent hash meets Namecoin's target; a target of 1 it cannot meet
        final byte[] one = new byte[32];
        one[0] = 1;
        final byte[] auxHash = Sha256d.hash(p.header());
        assertFailure(AuxPowFailure.PARENT_POW_TOO_WEAK, AuxPowVerifier.verify(auxHash, 1, one, a, ParentPow.SHA256D));
        // ...which a scrypt parent is not checked against
        assertTrue(AuxPowVerifier.verify(auxHash, 1, one, a, ParentPow.SCRYPT).valid());
    }

    @Test
    void scriptLayoutRulesOnSyntheticParents()
    {
        final byte[] aux = Sha256d.hash("aux block".getBytes());
        final byte[] rootDisplay = HashOrder.reversed(aux);
        final byte[] sizeNonce = {1, 0, 0, 0, 0, 0, 0, 0};

        // magic + root + size + nonce after a height push: valid
        assertTrue(AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(new byte[] {3, 1, 2, 3},
            AuxCommitment.MAGIC, rootDisplay, sizeNonce), true), ParentPow.SHA256D).valid());
        assertFailure(AuxPowFailure.MULTIPLE_HEADERS, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            AuxCommitment.MAGIC, rootDisplay, sizeNonce, AuxCommitment.MAGIC), true), ParentPow.SHA256D));
        assertFailure(AuxPowFailure.HEADER_NOT_BEFORE_ROOT, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            AuxCommitment.MAGIC, new byte[] {0}, rootDisplay, sizeNonce), true), ParentPow.SHA256D));
        // legacy form: no magic, root starting at byte 20 is the last position allowed
        assertTrue(AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(new byte[20], rootDisplay, sizeNonce),
            true), ParentPow.SHA256D).valid());
        assertFailure(AuxPowFailure.ROOT_TOO_LATE, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            new byte[21], rootDisplay, sizeNonce), true), ParentPow.SHA256D));
        assertFailure(AuxPowFailure.MISSING_SIZE_AND_NONCE, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            AuxCommitment.MAGIC, rootDisplay, new byte[] {1, 0, 0, 0}), true), ParentPow.SHA256D));
        assertFailure(AuxPowFailure.WRONG_MERKLE_SIZE, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            AuxCommitment.MAGIC, rootDisplay, new byte[] {2, 0, 0, 0, 0, 0, 0, 0}), true), ParentPow.SHA256D));
        assertFailure(AuxPowFailure.NOT_A_COINBASE, AuxPowVerifier.verify(aux, 7, MAX_TARGET, synthetic(concat(
            AuxCommitment.MAGIC, rootDisplay, sizeNonce), false), ParentPow.SHA256D));

        // a 2-leaf tree: chain 7 with nonce 0 belongs in one slot; claiming the other is the wrong index
        final int slot = AuxMerkleTree.expectedIndex(0, 7, 1);
        final AuxMerkleTree tree = new AuxMerkleTree(1, 0, new int[] {1 - slot}, new byte[][] {aux});
        final AuxCommitment c = AuxCommitment.of(tree);
        final AuxPow wrongSlot = synthetic(c.encode(), true, tree.branch(1 - slot), 1 - slot);
        final AuxPowVerdict v = AuxPowVerifier.verify(aux, 7, MAX_TARGET, wrongSlot, ParentPow.SHA256D);
        assertFailure(AuxPowFailure.WRONG_CHAIN_INDEX, v);
        assertEquals(2, v.merkleSize());
    }

    static AuxPow synthetic(final byte[] scriptSig, final boolean nullPrevout)
    {
        return synthetic(scriptSig, nullPrevout, new byte[0], 0);
    }

    /** A parent block holding only this coinbase, so the coinbase branch is empty and the merkle root its txid. */
    static AuxPow synthetic(final byte[] scriptSig, final boolean nullPrevout, final byte[] chainBranch,
        final int chainIndex)
    {
        final byte[] prev = new byte[32];
        if (!nullPrevout)
        {
            prev[0] = 1;
        }
        final Transaction cb = new Transaction(1,
            List.of(new TxIn(prev, nullPrevout ? TxIn.NULL_INDEX : 0, scriptSig, -1, List.of())),
            List.of(new TxOut(50, new byte[] {0x51})), 0);
        final byte[] header = new byte[80];
        header[0] = 2;
        System.arraycopy(cb.txid(), 0, header, 36, 32);
        return new AuxPow(cb.serialize(TxSerialization.LEGACY), new byte[32], new byte[0], 0, chainBranch, chainIndex,
            header);
    }

    private static AuxPow with(final AuxPow a, final byte[] coinbaseBranch, final int coinbaseIndex,
        final byte[] chainBranch, final int chainIndex, final byte[] parentHeader)
    {
        return new AuxPow(a.coinbase(), a.parentBlockHash(), coinbaseBranch, coinbaseIndex, chainBranch, chainIndex,
            parentHeader);
    }

    private static void assertFailure(final AuxPowFailure expected, final AuxPowVerdict v)
    {
        assertFalse(v.valid(), "expected " + expected);
        assertEquals(expected, v.failure(), v.reason());
        assertTrue(v.reason().startsWith(expected.reason()));
    }

    private static byte[] target(final int bits)
    {
        final byte[] t = new byte[32];
        Target.compactToLittleEndian(bits, t, 0);
        return t;
    }

    private static byte[] filled(final byte b)
    {
        final byte[] t = new byte[32];
        Arrays.fill(t, b);
        return t;
    }

    static byte[] concat(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int o = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test
    void nullVerdictReasonWhenValid()
    {
        final AuxBlockProof p = AuxBlockProof.fromBytes(MergeVectors.namecoin37174());
        assertNull(AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), null, ParentPow.SHA256D).reason());
    }
}
