package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.Vectors;
import org.junit.jupiter.api.Test;

/**
 * Namecoin block 37174 (test resources vectors/): 80-byte aux header followed by its CAuxPow. Parses the parent (Bitcoin)
 * coinbase with our transaction parser and checks it against the parent header through the coinbase branch.
 */
class NamecoinParentCoinbaseTest
{
    private static List<byte[]> readBranch(final ByteCursor cursor)
    {
        final int count = cursor.readCount(32, "branch.count");
        final List<byte[]> branch = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            branch.add(cursor.readBytes(32, "branch.hash"));
        }
        return branch;
    }

    @Test
    void parentCoinbaseTxidFoldsToTheParentHeaderMerkleRoot() throws Exception
    {
        final byte[] raw = Hex.decode(Vectors.read("namecoin_37174_header_auxpow.hex").strip());
        final JsonNode expected = new ObjectMapper().readTree(Vectors.read("namecoin_37174_expected.json"))
            .get("namecoin_37174");

        final ByteCursor cursor = new ByteCursor(raw);
        final byte[] auxHeader = cursor.readBytes(BlockHeader.ENCODED_LENGTH, "aux.header");
        final BlockHeader aux = new BlockHeader().wrap(new UnsafeBuffer(auxHeader), 0);
        assertEquals(expected.get("hash").asText(), aux.hashDisplayHex());
        final byte[] prev = new byte[32];
        aux.prevHash(prev, 0);
        assertEquals(expected.get("prev").asText(), HashOrder.toDisplayHex(prev));

        final Transaction parentCoinbase = Transaction.read(cursor);
        assertTrue(parentCoinbase.isCoinbase());
        assertEquals(expected.get("coinbase_txid").asText(), HashOrder.toDisplayHex(parentCoinbase.txid()));

        cursor.readBytes(32, "auxpow.parent_hash");
        final List<byte[]> coinbaseBranch = readBranch(cursor);
        assertEquals(5, coinbaseBranch.size());
        assertEquals(0, cursor.readIntLE("auxpow.coinbase_index"));
        final List<byte[]> chainBranch = readBranch(cursor);
        assertEquals(4, chainBranch.size());
        assertEquals(11, cursor.readIntLE("auxpow.chain_index"));
        final byte[] parentHeader = cursor.readBytes(BlockHeader.ENCODED_LENGTH, "auxpow.parent_header");
        assertEquals(0, cursor.remaining());

        final byte[] parentRoot = new byte[32];
        new BlockHeader().wrap(new UnsafeBuffer(parentHeader), 0).merkleRoot(parentRoot, 0);
        assertArrayEquals(parentRoot, Merkle.fold(parentCoinbase.txid(), coinbaseBranch, 0));

        // the aux block hash, folded up the chain branch at slot 11, is the root committed (display order) in the
        // parent coinbase scriptSig right after fabe6d6d
        final byte[] auxHash = new byte[32];
        aux.hash(new Sha256d(), auxHash, 0);
        final byte[] auxRoot = Merkle.fold(auxHash, chainBranch, 11);
        final String scriptSig = Hex.encode(parentCoinbase.inputs().get(0).scriptSig());
        assertTrue(scriptSig.contains("fabe6d6d" + HashOrder.toDisplayHex(auxRoot)), scriptSig);
    }
}
