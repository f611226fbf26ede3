package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchnorrTest
{
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void signsAndVerifiesEveryBip340Vector(final String backendName)
    {
        final List<String[]> rows = CsvRows.read("bip340_test_vectors.csv");
        assertEquals(19, rows.size());
        final Schnorr schnorr = new Schnorr(new Sha256(), TestBackends.get(backendName));
        int signed = 0;
        int mustFail = 0;
        for (final String[] row : rows)
        {
            final String id = "vector " + row[0] + " " + row[7];
            final byte[] pub = HEX.parseHex(row[2].toLowerCase());
            final byte[] msg = HEX.parseHex(row[4].toLowerCase());
            final byte[] sig = HEX.parseHex(row[5].toLowerCase());
            final boolean valid = row[6].equals("TRUE");
            if (!row[1].isEmpty())
            {
                final byte[] sec = HEX.parseHex(row[1].toLowerCase());
                assertEquals(row[2].toLowerCase(), HEX.formatHex(Schnorr.publicKey(sec)), id);
                assertEquals(row[5].toLowerCase(), HEX.formatHex(schnorr.sign(sec, msg, HEX.parseHex(row[3].toLowerCase()))), id);
                signed++;
            }
            assertEquals(valid, schnorr.verify(pub, msg, sig), id);
            if (!valid)
            {
                mustFail++;
            }
        }
        assertTrue(signed >= 4);
        assertTrue(mustFail >= 10);
    }

    /** Keys from SchnorrPublicKey.of verify through their fixed-base table; same verdicts as the vectors. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void preparedKeysGiveTheVectorVerdicts(final String backendName)
    {
        final Schnorr schnorr = new Schnorr(new Sha256(), TestBackends.get(backendName));
        int prepared = 0;
        for (final String[] row : CsvRows.read("bip340_test_vectors.csv"))
        {
            final byte[] pub = HEX.parseHex(row[2].toLowerCase());
            final SchnorrPublicKey key = SchnorrPublicKey.liftOrNull(pub);
            if (key == null)
            {
                continue;
            }
            final SchnorrPublicKey withTable = SchnorrPublicKey.of(pub);
            final boolean valid = row[6].equals("TRUE");
            final byte[] msg = HEX.parseHex(row[4].toLowerCase());
            final byte[] sig = HEX.parseHex(row[5].toLowerCase());
            assertEquals(valid, schnorr.verify(withTable, msg, sig), "vector " + row[0]);
            prepared++;
        }
        assertTrue(prepared >= 15);
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(340);
        for (int i = 0; i < 20; i++)
        {
            final byte[] sec = new byte[32];
            rnd.nextBytes(sec);
            sec[0] &= 0x7f;
            sec[31] |= 1;
            final byte[] msg = new byte[1 + rnd.nextInt(100)];
            rnd.nextBytes(msg);
            final byte[] sig = schnorr.sign(sec, msg, new byte[32]);
            final SchnorrPublicKey key = SchnorrPublicKey.of(Schnorr.publicKey(sec));
            assertTrue(schnorr.verify(key, msg, sig));
            sig[rnd.nextInt(64)] ^= (byte)(1 << rnd.nextInt(8));
            assertEquals(schnorr.verify(Schnorr.publicKey(sec), msg, sig), schnorr.verify(key, msg, sig));
            assertFalse(schnorr.verify(key, msg, sig));
        }
    }

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void rejectsAFlippedBit(final String backendName)
    {
        final Schnorr schnorr = new Schnorr(new Sha256(), TestBackends.get(backendName));
        final byte[] sec = HEX.parseHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
        final byte[] msg = new byte[32];
        final byte[] sig = schnorr.sign(sec, msg, new byte[32]);
        assertTrue(schnorr.verify(Schnorr.publicKey(sec), msg, sig));
        sig[40] ^= 1;
        assertFalse(schnorr.verify(Schnorr.publicKey(sec), msg, sig));
    }

    /** Native and Java sign the same bytes for random keys and messages and accept each other's signatures. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.NativeEcTest#nativeBuilds")
    void nativeAndJavaAgree(final String build)
    {
        final Schnorr nat = new Schnorr(new Sha256(), TestBackends.get(build));
        final Schnorr javaSigner = new Schnorr(new Sha256(), EcBackends.java());
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        for (int i = 0; i < 30; i++)
        {
            final byte[] sec = new byte[32];
            rnd.nextBytes(sec);
            sec[0] &= 0x7f;
            sec[31] |= 1;
            final byte[] msg = new byte[rnd.nextInt(130)];
            rnd.nextBytes(msg);
            final byte[] aux = new byte[32];
            rnd.nextBytes(aux);
            final byte[] sig = nat.sign(sec, msg, aux);
            assertArrayEquals(javaSigner.sign(sec, msg, aux), sig);
            final SchnorrPublicKey prepared = SchnorrPublicKey.of(Schnorr.publicKey(sec));
            assertTrue(javaSigner.verify(prepared, msg, sig));
            assertTrue(nat.verify(prepared, msg, sig));
            assertTrue(nat.verify(Schnorr.publicKey(sec), msg, sig));
        }
    }

    /** Malformed signatures are rejected by both backends without an exception. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void rejectsMalformedSignatures(final String backendName)
    {
        final Schnorr schnorr = new Schnorr(new Sha256(), TestBackends.get(backendName));
        final byte[] sec = HEX.parseHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
        final byte[] msg = new byte[32];
        final byte[] sig = schnorr.sign(sec, msg, new byte[32]);
        final SchnorrPublicKey prepared = SchnorrPublicKey.of(Schnorr.publicKey(sec));
        assertFalse(schnorr.verify(prepared, msg, java.util.Arrays.copyOf(sig, 63)));
        final byte[] allOnes = new byte[64];
        java.util.Arrays.fill(allOnes, (byte)0xff);
        assertFalse(schnorr.verify(prepared, msg, allOnes));
        assertFalse(schnorr.verify(prepared, msg, new byte[64]));
        final byte[] sTooBig = sig.clone();
        System.arraycopy(HEX.parseHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"), 0, sTooBig, 32, 32);
        assertFalse(schnorr.verify(prepared, msg, sTooBig));
        assertFalse(schnorr.verify(Schnorr.publicKey(sec), msg, sTooBig));
        final byte[] sZero = sig.clone();
        java.util.Arrays.fill(sZero, 32, 64, (byte)0);
        assertFalse(schnorr.verify(prepared, msg, sZero));
        assertTrue(schnorr.verify(prepared, msg, sig));
    }
}
