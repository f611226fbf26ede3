package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class TransactionTest
{
    static byte[] genesisCoinbase()
    {
        final byte[] block = Hex.decode(RealBlocks.GENESIS_BLOCK);
        return Arrays.copyOfRange(block, 81, block.length);
    }

    @Test
    void genesisCoinbaseParsesAndHashesToItsKnownTxid()
    {
        final byte[] raw = genesisCoinbase();
        final Transaction tx = Transaction.parse(raw);
        assertEquals(RealBlocks.GENESIS_TXID, HashOrder.toDisplayHex(tx.txid()));
        assertArrayEquals(tx.txid(), tx.wtxid());
        assertTrue(tx.isCoinbase());
        assertFalse(tx.hasWitness());
        assertEquals(1, tx.version());
        assertEquals(1, tx.outputs().size());
        assertEquals(50L * 100_000_000L, tx.outputs().get(0).valueSats());
        assertEquals(0xffffffff, tx.inputs().get(0).sequence());
        assertEquals(0, tx.lockTime());
        assertArrayEquals(raw, tx.serialize(TxSerialization.LEGACY));
        assertArrayEquals(raw, tx.serialize(TxSerialization.WITNESS));
        assertEquals(raw.length * 4, tx.weight());
    }

    @Test
    void realSegwitBlockTxidsFoldToHeaderRootAndWtxidsToTheCommitment()
    {
        final byte[] raw = Hex.decode(RealBlocks.TESTNET_1263442_BLOCK);
        final Block block = Block.parse(raw);
        assertArrayEquals(raw, block.serialize());
        assertEquals(2, block.transactions().size());

        final byte[] headerRoot = Arrays.copyOfRange(raw, BlockHeader.MERKLE_ROOT_FIELD_OFFSET,
            BlockHeader.MERKLE_ROOT_FIELD_OFFSET + 32);
        assertArrayEquals(headerRoot, block.computeMerkleRoot());

        final Transaction coinbase = block.transactions().get(0);
        final Transaction spend = block.transactions().get(1);
        assertTrue(coinbase.isCoinbase());
        assertTrue(coinbase.hasWitness());
        assertTrue(spend.hasWitness());
        assertFalse(Arrays.equals(spend.txid(), spend.wtxid()));
        assertEquals("c52ca2fa069190af53b20a905de80debd58db8942419e7f54fba0639467809d2",
            HashOrder.toDisplayHex(spend.inputs().get(0).prevTxid()));

        // the coinbase's last output carries 6a24aa21a9ed || commitment; recompute it from the wtxids
        final byte[] script = coinbase.outputs().get(coinbase.outputs().size() - 1).scriptPubKey();
        assertEquals("6a24aa21a9ed", Hex.encode(script, 0, 6));
        assertArrayEquals(Arrays.copyOfRange(script, 6, 38), block.computeWitnessCommitment());
        assertEquals(1263442L, Bip34Height.decode(coinbase.inputs().get(0).scriptSig()));
    }

    @Test
    void witnessStrippingGivesTheLegacyFormWhoseHashIsTheTxid()
    {
        final Block block = Block.parse(Hex.decode(RealBlocks.TESTNET_1263442_BLOCK));
        final Transaction coinbase = block.transactions().get(0);
        final byte[] withWitness = coinbase.serialize(TxSerialization.WITNESS);
        final byte[] stripped = Transaction.stripWitness(withWitness);
        // marker+flag (2) and the witness: one item count, one length byte, 32 reserved bytes (34)
        assertEquals(withWitness.length - 2 - 34, stripped.length);
        assertArrayEquals(coinbase.txid(), Sha256d.hash(stripped));
        assertArrayEquals(stripped, coinbase.withoutWitness().serialize(TxSerialization.WITNESS));
        assertEquals(stripped.length * 3 + withWitness.length, coinbase.weight());
        // stripping a legacy transaction is the identity
        assertArrayEquals(stripped, Transaction.stripWitness(stripped));
    }

    @Test
    void readStopsAtTheEndOfOneTransactionInsideALargerBuffer()
    {
        final byte[] raw = genesisCoinbase();
        final byte[] padded = new byte[raw.length + 7];
        System.arraycopy(raw, 0, padded, 3, raw.length);
        final ByteCursor cursor = new ByteCursor(padded, 3, raw.length + 4);
        final Transaction tx = Transaction.read(cursor);
        assertEquals(raw.length, cursor.consumed());
        assertEquals(4, cursor.remaining());
        assertEquals(RealBlocks.GENESIS_TXID, HashOrder.toDisplayHex(tx.txid()));
    }

    @Test
    void malformedInputsFailWithTypedErrors()
    {
        final byte[] raw = genesisCoinbase();
        // every truncation fails
        for (int length = 0; length < raw.length; length++)
        {
            final byte[] cut = Arrays.copyOf(raw, length);
            assertThrows(MalformedDataException.class, () -> Transaction.parse(cut), "length " + length);
        }
        // trailing garbage
        assertThrows(MalformedDataException.class, () -> Transaction.parse(Arrays.copyOf(raw, raw.length + 1)));
        // input count claiming 2^32-1 inputs: rejected before allocating anything that large
        final byte[] hugeCount = Hex.decode("01000000feffffffff00");
        final MalformedDataException huge =
            assertThrows(MalformedDataException.class, () -> Transaction.parse(hugeCount));
        assertTrue(huge.getMessage().contains("input_count"), huge.getMessage());
        // scriptSig length far beyond the input
        final byte[] longScript = raw.clone();
        longScript[4 + 1 + 36] = (byte)0xfc;
        assertThrows(MalformedDataException.class, () -> Transaction.parse(longScript));
        // non-canonical CompactSize: 0xfd 0x01 0x00 for the value 1
        final byte[] nonCanonical = Hex.decode("01000000fd0100");
        final MalformedDataException nc =
            assertThrows(MalformedDataException.class, () -> Transaction.parse(nonCanonical));
        assertTrue(nc.getMessage().contains("non-canonical"), nc.getMessage());
        // BIP144 marker with an unknown flag, and with all witnesses empty (Core: superfluous witness record)
        assertThrows(MalformedDataException.class, () -> Transaction.parse(Hex.decode("010000000002")));
        final byte[] emptyWitness = Hex.decode("01000000000101" + "00".repeat(32) + "00000000" + "00" +
            "ffffffff" + "01" + "00f2052a01000000" + "00" + "00" + "00000000");
        final MalformedDataException sw =
            assertThrows(MalformedDataException.class, () -> Transaction.parse(emptyWitness));
        assertTrue(sw.getMessage().contains("witness"), sw.getMessage());
    }

    @Test
    void compactSizeBoundariesAndCanonicalReads()
    {
        final long[] values = {0, 0xfc, 0xfd, 0xffff, 0x10000, 0xffff_ffffL, 0x1_0000_0000L};
        final String[] encodings = {"00", "fc", "fdfd00", "fdffff", "fe00000100", "feffffffff", "ff0000000001000000"};
        for (int i = 0; i < values.length; i++)
        {
            assertEquals(encodings[i], Hex.encode(CompactSize.encode(values[i])));
            assertEquals(encodings[i].length() / 2, CompactSize.encodedLength(values[i]));
        }
        assertEquals(0xfd, new ByteCursor(Hex.decode("fdfd00")).readCompactSize(Long.MAX_VALUE, "x"));
        for (final String bad : List.of("fdfc00", "fe0000ffff".substring(0, 10), "fe00000000", "ff00000000ffffffff"))
        {
            final ByteCursor cursor = new ByteCursor(Hex.decode(bad));
            assertThrows(MalformedDataException.class, () -> cursor.readCompactSize(Long.MAX_VALUE, "x"), bad);
        }
        // above Bitcoin Core's MAX_SIZE (0x02000000)
        assertThrows(MalformedDataException.class,
            () -> new ByteCursor(Hex.decode("fe01000002")).readCompactSize(Long.MAX_VALUE, "x"));
    }
}
