package org.bitcoincommons.sv2.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.junit.jupiter.api.Test;

/**
 * The miner's Stratum V1 encodings against a real Bitcoin mainnet block, expressed the way a pool's mining.notify
 * would carry it. The block is the parent of Syscoin #91510 (test resource merge/syscoin_91510_getblock.json, from a
 * node's getblock output): its coinbase (pre-segwit, so already witness-stripped), its 5-deep coinbase merkle branch,
 * its 80-byte header and, from the node, its block hash 00000000000000000004bdb8...de955. Nothing expected here comes
 * from our own encoders: the SV1 prev hash literal was written from the definition (each 4-byte word of the
 * header-order bytes byte-swapped), the numbers are read from the header bytes.
 */
class Sv1EncodingTest
{
    /** The header's prev hash, each 4-byte word byte-swapped (as mining.notify sends it). */
    private static final String SV1_PREVHASH = "983d65244bceeaf39f26b666085e20a93ce247b6000e88f70000000000000000";

    private static JsonNode auxpow() throws IOException
    {
        try (InputStream in = Sv1EncodingTest.class.getResourceAsStream("/merge/syscoin_91510_getblock.json"))
        {
            return new ObjectMapper().readTree(in).get("auxpow");
        }
    }

    private static byte[] reversed(final byte[] b)
    {
        final byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++)
        {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    @Test
    void aRealMainnetBlockRebuiltFromItsSv1FieldsHasItsBlockHash() throws Exception
    {
        final JsonNode a = auxpow();
        final byte[] coinbase = Hex.decode(a.get("tx").get("hex").asText());
        // The scriptSig starts at byte 42 (version 4, one input 1, prevout 36, length 1) and is 0x57 bytes long; a
        // pool would leave its last 8 bytes to extranonce1 (4) and extranonce2 (4).
        final int scriptEnd = 42 + (coinbase[41] & 0xff);
        final byte[] coinb1 = Arrays.copyOfRange(coinbase, 0, scriptEnd - 8);
        final byte[] extranonce1 = Arrays.copyOfRange(coinbase, scriptEnd - 8, scriptEnd - 4);
        final byte[] extranonce2 = Arrays.copyOfRange(coinbase, scriptEnd - 4, scriptEnd);
        final byte[] coinb2 = Arrays.copyOfRange(coinbase, scriptEnd, coinbase.length);
        // The node prints branch hashes in display order; mining.notify carries them in internal order.
        final List<byte[]> branches = new ArrayList<>();
        for (final JsonNode b : a.get("merklebranch"))
        {
            branches.add(reversed(Hex.decode(b.asText())));
        }
        assertEquals(0, a.get("index").asInt(), "the coinbase is the leftmost leaf");

        final byte[] cb = Sv1Encoding.coinbase(coinb1, extranonce1, extranonce2, coinb2);
        assertArrayEquals(coinbase, cb);
        assertEquals(a.get("tx").get("txid").asText(), Hex.encode(reversed(Sha256d.hash(cb))));

        // The SV1 fields of the header: version, nbits, ntime and nonce as big-endian hex.
        final byte[] parent = Hex.decode(a.get("parentblock").asText());
        final byte[] header = Sv1Encoding.header(Sv1Encoding.u32("20000000"), Sv1Encoding.prevHashFromNotify(SV1_PREVHASH),
            Sv1Encoding.merkleRoot(cb, branches), Sv1Encoding.u32("5b3f99a9"), Sv1Encoding.u32("180183b1"),
            Sv1Encoding.u32("883679d5"));
        assertArrayEquals(parent, header, "the rebuilt header is the block's header, byte for byte");
        assertEquals(a.get("tx").get("blockhash").asText(), Hex.encode(reversed(Sha256d.hash(header))));
        assertEquals("000000000000000004bdb8e3fdf28ffc528f4e6b1871a6177579cbd4dabde955",
            Hex.encode(reversed(Sha256d.hash(header))));
    }

    @Test
    void thePrevHashWordSwapIsItsOwnInverseAndNotAByteReversal()
    {
        final byte[] headerOrder = Arrays.copyOfRange(Hex.decode(
            "0000002024653d98f3eace4b66b6269fa9205e08b647e23cf7880e0000000000000000003feae4c877b2f8b73f6f92a5"), 4, 36);
        assertEquals(SV1_PREVHASH, Sv1Encoding.prevHashToNotify(headerOrder));
        assertArrayEquals(headerOrder, Sv1Encoding.prevHashFromNotify(SV1_PREVHASH));
        assertEquals("0000000000000000000e88f73ce247b6085e20a99f26b6664bceeaf3983d6524",
            Hex.encode(reversed(headerOrder)), "display order is a different thing");
    }

    @Test
    void numbersAreBigEndianHex()
    {
        assertEquals("20000000", Sv1Encoding.hex32(0x20000000));
        assertEquals("0000000a", Sv1Encoding.hex32(10));
        assertEquals("ffffffff", Sv1Encoding.hex32(-1));
        assertEquals(0x883679d5, Sv1Encoding.u32("883679d5"));
        assertThrows(IllegalArgumentException.class, () -> Sv1Encoding.u32("123456789"));
        assertThrows(IllegalArgumentException.class, () -> Sv1Encoding.u32(""));
    }

    @Test
    void versionBitsReplaceOnlyTheMaskedBits()
    {
        // BIP310: (job & ~mask) | (bits & mask); bits outside the mask are ignored.
        assertEquals(0x3fffffe0, Sv1Encoding.rolledVersion(0x20000000, 0xffffffff, 0x1fffffe0));
        assertEquals(0x20002000 | 0x4, Sv1Encoding.rolledVersion(0x20000004, 0x00002000, 0x1fffe000));
        assertEquals(0x20000000, Sv1Encoding.rolledVersion(0x20000000, 0x1fffe000, 0));
    }

    @Test
    void difficultyOneIsTheClassicTargetAndATinyDifficultyAcceptsEveryHash()
    {
        final byte[] one = Sv1Encoding.target(1.0);
        assertEquals("00000000ffff0000000000000000000000000000000000000000000000000000", Hex.encode(reversed(one)));
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        assertArrayEquals(max, Sv1Encoding.target(1e-12));
    }
}
