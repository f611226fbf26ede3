package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class EllSwiftTest
{
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesEveryBip324Vector()
    {
        final List<String[]> rows = CsvRows.read("ellswift_decode_test_vectors.csv");
        assertEquals(76, rows.size());
        for (final String[] row : rows)
        {
            assertEquals(row[1], HEX.formatHex(EllSwift.decodeToBytes(HEX.parseHex(row[0]), 0)), row[2]);
        }
    }

    @Test
    void invertsEveryBip324VectorPerCase()
    {
        final List<String[]> rows = CsvRows.read("xswiftec_inv_test_vectors.csv");
        int checked = 0;
        for (final String[] row : rows)
        {
            final long[] u = Secp256k1.fe(HEX.parseHex(row[0]), 0);
            final long[] x = Secp256k1.fe(HEX.parseHex(row[1]), 0);
            for (int c = 0; c < 8; c++)
            {
                final String expected = row[2 + c];
                final long[] t = EllSwift.xswiftecInv(x, u, c);
                if (expected.isEmpty())
                {
                    assertNull(t, row[0] + " case " + c);
                }
                else
                {
                    assertEquals(expected, HEX.formatHex(FieldP.toBytes(t)), row[0] + " case " + c);
                    assertArrayEquals(FieldP.toBytes(x), FieldP.toBytes(EllSwift.xswiftec(u, t)), "decode(u, t) == x");
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 50, "checked " + checked);
    }

    @Test
    void randomEncodingsDecodeToThePublicKey()
    {
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++)
        {
            final BigInteger secret = new BigInteger(256, random).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            final byte[] encoded = EllSwift.encodePublic(secret, random);
            assertArrayEquals(Secp256k1.mulG(secret).xBytes(), EllSwift.decodeToBytes(encoded, 0));
        }
    }

    @Test
    void sharedSecretMatchesEveryBip324PacketVector()
    {
        final List<String[]> rows = CsvRows.read("packet_encoding_test_vectors.csv");
        assertEquals(true, rows.size() >= 7);
        final EllSwiftEcdh ecdh = new EllSwiftEcdh(new Sha256());
        for (final String[] row : rows)
        {
            final BigInteger priv = new BigInteger(row[1], 16);
            final byte[] ours = HEX.parseHex(row[2]);
            final byte[] theirs = HEX.parseHex(row[3]);
            final EllSwiftEcdh.Role role = row[4].equals("1") ? EllSwiftEcdh.Role.INITIATOR : EllSwiftEcdh.Role.RESPONDER;
            assertEquals(row[9], HEX.formatHex(EllSwift.decodeToBytes(ours, 0)), "mid_x_ours " + row[0]);
            assertEquals(row[10], HEX.formatHex(EllSwift.decodeToBytes(theirs, 0)), "mid_x_theirs " + row[0]);
            assertEquals(row[11], HEX.formatHex(EllSwift.ecdhX(theirs, 0, priv)), "mid_x_shared " + row[0]);
            assertEquals(row[12], HEX.formatHex(ecdh.sharedSecret(priv, ours, theirs, role)), "secret " + row[0]);
        }
    }
}
