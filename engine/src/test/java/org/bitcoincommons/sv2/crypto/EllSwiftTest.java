package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EllSwiftTest
{
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void decodesEveryBip324Vector(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final List<String[]> rows = CsvRows.read("ellswift_decode_test_vectors.csv");
        assertEquals(76, rows.size());
        for (final String[] row : rows)
        {
            assertEquals(row[1], HEX.formatHex(backend.decodeX(HEX.parseHex(row[0]), 0)), row[2]);
            // The same through ECDH with secret 1: x(1 * P) is P's x.
            final byte[] peerX = new byte[32];
            assertEquals(row[1], HEX.formatHex(backend.ecdhX(HEX.parseHex(row[0]), 0, BigInteger.ONE, peerX)), row[2]);
            assertEquals(row[1], HEX.formatHex(peerX), row[2]);
        }
    }

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.NativeEcTest#nativeBuilds")
    void nativeInvertsEveryBip324VectorPerCase(final String build)
    {
        TestBackends.get(build);
        int checked = 0;
        for (final String[] row : CsvRows.read("xswiftec_inv_test_vectors.csv"))
        {
            final byte[] u = HEX.parseHex(row[0]);
            final byte[] x = HEX.parseHex(row[1]);
            for (int c = 0; c < 8; c++)
            {
                final String expected = row[2 + c];
                final byte[] t = NativeEcBackend.xswiftecInv(x, u, c);
                if (expected.isEmpty())
                {
                    assertNull(t, row[0] + " case " + c);
                }
                else
                {
                    assertEquals(expected, HEX.formatHex(t), row[0] + " case " + c);
                    final byte[] enc = new byte[64];
                    System.arraycopy(u, 0, enc, 0, 32);
                    System.arraycopy(t, 0, enc, 32, 32);
                    assertArrayEquals(x, EcBackends.java().decodeX(enc, 0), "decode(u, t) == x");
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
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

    /** Key pairs from each backend: the x-only key is x(secret * G) and both decoders agree on the encoding. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void randomEncodingsDecodeToThePublicKey(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++)
        {
            final BigInteger secret = new BigInteger(256, random).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            final EllSwiftKeyPair pair = backend.keyPair(secret, random);
            final byte[] x = Secp256k1.mulG(secret).xBytes();
            assertArrayEquals(x, pair.xOnly());
            assertArrayEquals(x, EcBackends.java().decodeX(pair.encoded(), 0));
            assertArrayEquals(x, backend.decodeX(pair.encoded(), 0));
        }
        final byte[] encoded = EllSwift.encodePublic(BigInteger.TWO, random);
        assertArrayEquals(Secp256k1.mulG(BigInteger.TWO).xBytes(), EllSwift.decodeToBytes(encoded, 0));
    }

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void sharedSecretMatchesEveryBip324PacketVector(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final List<String[]> rows = CsvRows.read("packet_encoding_test_vectors.csv");
        assertEquals(true, rows.size() >= 7);
        final EllSwiftEcdh ecdh = new EllSwiftEcdh(new Sha256(), backend);
        for (final String[] row : rows)
        {
            final BigInteger priv = new BigInteger(row[1], 16);
            final byte[] ours = HEX.parseHex(row[2]);
            final byte[] theirs = HEX.parseHex(row[3]);
            final EllSwiftEcdh.Role role = row[4].equals("1") ? EllSwiftEcdh.Role.INITIATOR : EllSwiftEcdh.Role.RESPONDER;
            assertEquals(row[9], HEX.formatHex(backend.decodeX(ours, 0)), "mid_x_ours " + row[0]);
            assertEquals(row[10], HEX.formatHex(backend.decodeX(theirs, 0)), "mid_x_theirs " + row[0]);
            final byte[] theirX = new byte[32];
            assertEquals(row[11], HEX.formatHex(backend.ecdhX(theirs, 0, priv, theirX)), "mid_x_shared " + row[0]);
            assertEquals(row[10], HEX.formatHex(theirX), "decoded x " + row[0]);
            assertEquals(row[12], HEX.formatHex(ecdh.sharedSecret(priv, ours, theirs, role)), "secret " + row[0]);
            // Two secrets on one point: the vector's secret next to secret 1 (whose product is the point itself).
            final byte[][] two = backend.ecdhX2(theirs, 0, priv, BigInteger.ONE);
            assertEquals(row[11], HEX.formatHex(two[0]), "ecdhX2 a " + row[0]);
            assertEquals(row[10], HEX.formatHex(two[1]), "ecdhX2 b " + row[0]);
            final byte[][] secrets = ecdh.sharedSecrets(BigInteger.ONE, ours, priv, ours, theirs, role);
            assertEquals(row[12], HEX.formatHex(secrets[1]), "sharedSecrets " + row[0]);
        }
    }
}
