package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CoinbaseBuilderTest
{
    private static Coinbase rebuild(final Transaction real, final long height, final int extranonceLength)
    {
        final byte[] scriptSig = real.inputs().get(0).scriptSig();
        final int heightLength = Bip34Height.encode(height).length;
        final CoinbaseBuilder builder = new CoinbaseBuilder()
            .version(real.version())
            .height(height)
            .scriptSigExtra(Arrays.copyOfRange(scriptSig, heightLength, scriptSig.length - extranonceLength))
            .extranonceLength(extranonceLength)
            .sequence(real.inputs().get(0).sequence())
            .lockTime(real.lockTime());
        final List<TxOut> outputs = real.outputs();
        for (final TxOut out : outputs)
        {
            final byte[] script = out.scriptPubKey();
            final boolean commitment = script.length == 38 && Hex.encode(script, 0, 6).equals("6a24aa21a9ed");
            if (commitment)
            {
                builder.witnessCommitment(Arrays.copyOfRange(script, 6, 38));
            }
            else
            {
                builder.addOutput(out.valueSats(), script);
            }
        }
        return builder.build();
    }

    private static byte[] extranonceOf(final Transaction real, final int extranonceLength)
    {
        final byte[] scriptSig = real.inputs().get(0).scriptSig();
        return Arrays.copyOfRange(scriptSig, scriptSig.length - extranonceLength, scriptSig.length);
    }

    @Test
    void rebuildsARealSegwitCoinbaseByteForByteInBothForms()
    {
        final Block block = Block.parse(Hex.decode(RealBlocks.TESTNET_1263442_BLOCK));
        final Transaction real = block.transactions().get(0);
        final int extranonceLength = 8;
        final Coinbase coinbase = rebuild(real, 1_263_442, extranonceLength);
        final byte[] extranonce = extranonceOf(real, extranonceLength);

        assertArrayEquals(real.serialize(TxSerialization.WITNESS), coinbase.serialize(extranonce, TxSerialization.WITNESS));
        assertArrayEquals(real.serialize(TxSerialization.LEGACY), coinbase.serialize(extranonce, TxSerialization.LEGACY));
        assertArrayEquals(block.txids().get(0), coinbase.txid(extranonce));
        assertEquals(real, coinbase.transaction(extranonce));

        // prefix ends right before the extranonce: version, input count, null prevout, scriptSig length, height, extra
        final byte[] scriptSig = real.inputs().get(0).scriptSig();
        assertEquals(4 + 1 + 36 + 1 + scriptSig.length - extranonceLength, coinbase.prefix().length);
        assertEquals(coinbase.prefix().length + 2, coinbase.witnessPrefix().length);
        // suffix starts with the sequence
        assertEquals("ffffffff", Hex.encode(coinbase.suffix(), 0, 4));
        assertEquals(coinbase.suffix().length + 34, coinbase.witnessSuffix().length);
    }

    @Test
    void rebuildsRealLegacyCoinbases()
    {
        final Object[][] cases = {
            {RealBlocks.TESTNET_987876_BLOCK, 987_876L},
            {RealBlocks.TESTNET_1414221_BLOCK, 1_414_221L},
        };
        for (final Object[] c : cases)
        {
            final Block block = Block.parse(Hex.decode((String)c[0]));
            final Transaction real = block.transactions().get(0);
            final Coinbase coinbase = rebuild(real, (Long)c[1], 4);
            final byte[] extranonce = extranonceOf(real, 4);
            assertArrayEquals(real.serialize(TxSerialization.LEGACY), coinbase.serialize(extranonce, TxSerialization.LEGACY));
            // without a witness commitment both forms are the legacy form
            assertArrayEquals(coinbase.prefix(), coinbase.witnessPrefix());
            assertArrayEquals(coinbase.suffix(), coinbase.witnessSuffix());
            assertArrayEquals(block.computeMerkleRoot(), coinbase.txid(extranonce));
        }
    }

    @Test
    void sv2CoinbaseLeftFoldOverBuiltPrefixAndSuffixGivesTheBlockMerkleRoot()
    {
        final Block block = Block.parse(Hex.decode(RealBlocks.TESTNET_1263442_BLOCK));
        final Transaction real = block.transactions().get(0);
        final Coinbase coinbase = rebuild(real, 1_263_442, 8);
        final byte[] extranonce = extranonceOf(real, 8);
        final byte[] legacy = coinbase.serialize(extranonce, TxSerialization.LEGACY);
        final List<byte[]> path = Merkle.coinbaseBranch(block.txids().subList(1, 2));
        final byte[] flat = new byte[path.size() * 32];
        for (int i = 0; i < path.size(); i++)
        {
            System.arraycopy(path.get(i), 0, flat, 32 * i, 32);
        }
        final byte[] root = new byte[32];
        Merkle.coinbaseRoot(new Sha256d(), legacy, 0, legacy.length, flat, 0, path.size(), root, 0);
        final byte[] header = block.header();
        assertArrayEquals(Arrays.copyOfRange(header, 36, 68), root);
    }

    @Test
    void consensusLimitsAreEnforced()
    {
        assertThrows(IllegalArgumentException.class, () -> new CoinbaseBuilder().addOutput(1, new byte[] {0x51}).build(),
            "height missing");
        // height 1 is a one-byte OP_1: scriptSig would be 1 byte (< 2)
        assertThrows(IllegalArgumentException.class,
            () -> new CoinbaseBuilder().height(1).addOutput(1, new byte[] {0x51}).build());
        new CoinbaseBuilder().height(1).extranonceLength(1).addOutput(1, new byte[] {0x51}).build();
        // 4 (height) + 65 extra + 32 extranonce = 101 > 100
        assertThrows(IllegalArgumentException.class, () -> new CoinbaseBuilder().height(840_000)
            .scriptSigExtra(new byte[65]).extranonceLength(32).addOutput(1, new byte[] {0x51}).build());
        assertThrows(IllegalArgumentException.class, () -> new CoinbaseBuilder().extranonceLength(33));
        assertThrows(IllegalArgumentException.class, () -> new CoinbaseBuilder().height(100).extranonceLength(4).build(),
            "no outputs");
        final Coinbase coinbase = new CoinbaseBuilder().height(100).extranonceLength(4)
            .addOutput(1, new byte[] {0x51}).build();
        assertThrows(IllegalArgumentException.class, () -> coinbase.serialize(new byte[3], TxSerialization.LEGACY));
    }
}
