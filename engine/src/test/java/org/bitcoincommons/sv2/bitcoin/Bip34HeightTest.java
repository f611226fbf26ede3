package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Bip34HeightTest
{
    @Test
    void realCoinbasesStartWithTheirHeightPush()
    {
        // mainnet 840000 coinbase scriptSig starts 0340d10c; testnet3 coinbases from the BIP158 vectors
        assertEquals("0340d10c", Hex.encode(Bip34Height.encode(840_000)));
        final String[][] blocks = {
            {RealBlocks.TESTNET_1263442_BLOCK, "1263442", "03524713"},
            {RealBlocks.TESTNET_987876_BLOCK, "987876", "03e4120f"},
            {RealBlocks.TESTNET_1414221_BLOCK, "1414221", "034d9415"},
        };
        for (final String[] b : blocks)
        {
            final byte[] scriptSig = Block.parse(Hex.decode(b[0])).transactions().get(0).inputs().get(0).scriptSig();
            final long height = Long.parseLong(b[1]);
            assertEquals(height, Bip34Height.decode(scriptSig));
            assertEquals(b[2], Hex.encode(Bip34Height.encode(height)));
            assertEquals(b[2], Hex.encode(scriptSig, 0, 4));
        }
    }

    @Test
    void smallAndBoundaryHeightsFollowCScriptIntegerPushes()
    {
        // CScript() << n: OP_0, OP_1..OP_16, then minimal little-endian CScriptNum with a sign byte when needed
        assertEquals("00", Hex.encode(Bip34Height.encode(0)));
        assertEquals("51", Hex.encode(Bip34Height.encode(1)));
        assertEquals("60", Hex.encode(Bip34Height.encode(16)));
        assertEquals("0111", Hex.encode(Bip34Height.encode(17)));
        assertEquals("017f", Hex.encode(Bip34Height.encode(127)));
        assertEquals("028000", Hex.encode(Bip34Height.encode(128)));
        assertEquals("02ff00", Hex.encode(Bip34Height.encode(255)));
        assertEquals("020001", Hex.encode(Bip34Height.encode(256)));
        assertEquals("02ff7f", Hex.encode(Bip34Height.encode(32767)));
        assertEquals("03008000", Hex.encode(Bip34Height.encode(32768)));
        assertEquals("03ffff7f", Hex.encode(Bip34Height.encode(8_388_607)));
        assertEquals("0400008000", Hex.encode(Bip34Height.encode(8_388_608)));
        for (long h : new long[] {0, 1, 16, 17, 127, 128, 255, 256, 32767, 32768, 8_388_608, 0x7fff_ffffL})
        {
            assertEquals(h, Bip34Height.decode(Bip34Height.encode(h)));
        }
    }

    @Test
    void nonCanonicalOrMissingHeightsAreRejected()
    {
        assertThrows(MalformedDataException.class, () -> Bip34Height.decode(new byte[0]));
        assertThrows(MalformedDataException.class, () -> Bip34Height.decode(Hex.decode("0101")), "1 must be OP_1");
        assertThrows(MalformedDataException.class, () -> Bip34Height.decode(Hex.decode("03ff0000")),
            "padded push");
        assertThrows(MalformedDataException.class, () -> Bip34Height.decode(Hex.decode("0180")), "negative");
        assertThrows(MalformedDataException.class, () -> Bip34Height.decode(Hex.decode("0340d1")), "truncated");
        assertThrows(IllegalArgumentException.class, () -> Bip34Height.encode(-1));
    }
}
