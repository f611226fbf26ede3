package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BlockTest
{
    @Test
    void realBlocksRoundTripAndHashToTheirKnownIds()
    {
        final String[][] cases = {
            {RealBlocks.GENESIS_BLOCK, RealBlocks.GENESIS_HASH},
            {RealBlocks.TESTNET_1263442_BLOCK, RealBlocks.TESTNET_1263442_HASH},
            {RealBlocks.TESTNET_987876_BLOCK, RealBlocks.TESTNET_987876_HASH},
            {RealBlocks.TESTNET_1414221_BLOCK, RealBlocks.TESTNET_1414221_HASH},
        };
        for (final String[] c : cases)
        {
            final byte[] raw = Hex.decode(c[0]);
            final Block block = Block.parse(raw);
            assertArrayEquals(raw, block.serialize());
            final BlockHeader header = new BlockHeader().wrap(new UnsafeBuffer(block.header()), 0);
            assertEquals(c[1], header.hashDisplayHex());
            final byte[] root = new byte[32];
            header.merkleRoot(root, 0);
            assertArrayEquals(root, block.computeMerkleRoot(), c[1]);

            final List<byte[]> rawTxs = block.transactions().stream()
                .map(tx -> tx.serialize(TxSerialization.WITNESS)).toList();
            assertArrayEquals(raw, Block.serialize(block.header(), rawTxs));
        }
    }

    @Test
    void legacyOnlyBlocksHaveNoWitnessCommitment()
    {
        assertEquals(0, Block.parse(Hex.decode(RealBlocks.GENESIS_BLOCK)).computeWitnessCommitment().length);
    }

    @Test
    void malformedBlocksAreRejected()
    {
        final byte[] raw = Hex.decode(RealBlocks.TESTNET_987876_BLOCK);
        assertThrows(MalformedDataException.class, () -> Block.parse(Arrays.copyOf(raw, raw.length - 1)));
        assertThrows(MalformedDataException.class, () -> Block.parse(Arrays.copyOf(raw, raw.length + 1)));
        final byte[] zeroTx = Arrays.copyOf(raw, 81);
        zeroTx[80] = 0;
        assertThrows(MalformedDataException.class, () -> Block.parse(zeroTx));
        assertThrows(IllegalArgumentException.class, () -> Block.serialize(new byte[79], List.of()));
    }

    @Test
    void subsidyHalvings()
    {
        assertEquals(5_000_000_000L, BlockSubsidy.subsidySats(0, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(5_000_000_000L, BlockSubsidy.subsidySats(209_999, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(2_500_000_000L, BlockSubsidy.subsidySats(210_000, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        // block 840000 (fourth halving): 3.125 BTC
        assertEquals(312_500_000L, BlockSubsidy.subsidySats(840_000, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(625_000_000L, BlockSubsidy.subsidySats(839_999, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        // 33rd halving is the last non-zero one (1 sat), from then on zero
        assertEquals(1L, BlockSubsidy.subsidySats(32L * 210_000, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(0L, BlockSubsidy.subsidySats(33L * 210_000, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(0L, BlockSubsidy.subsidySats(64L * 210_000, BlockSubsidy.MAINNET_HALVING_INTERVAL));
        assertEquals(2_500_000_000L, BlockSubsidy.subsidySats(150, BlockSubsidy.REGTEST_HALVING_INTERVAL));
        assertEquals(5_000_000_000L, BlockSubsidy.subsidySats(149, BlockSubsidy.REGTEST_HALVING_INTERVAL));
        assertThrows(IllegalArgumentException.class, () -> BlockSubsidy.subsidySats(-1, 150));
    }
}
