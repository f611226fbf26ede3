package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native secp256k1 code (libsv2hash.so) layer by layer against independent oracles: field arithmetic against
 * BigInteger, k * G and k * P against BouncyCastle, ECDH against BouncyCastle and the Java backend; and bad input
 * through both backends.
 */
class NativeEcTest
{
    private static final X9ECParameters BC = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger P = Secp256k1.P;
    private static final BigInteger N = Secp256k1.N;

    static java.util.stream.Stream<String> nativeBuilds()
    {
        return java.util.stream.Stream.of("native", "native-baseline");
    }

    private static byte[] b32(final BigInteger v)
    {
        return Secp256k1.toBytes(v);
    }

    private static BigInteger element(final SplittableRandom rnd)
    {
        final byte[] b = new byte[32];
        rnd.nextBytes(b);
        return switch (rnd.nextInt(8))
        {
            case 0 -> P.subtract(BigInteger.valueOf(1 + rnd.nextInt(5)));
            case 1 -> BigInteger.valueOf(rnd.nextInt(5));
            case 2 -> P.add(BigInteger.valueOf(rnd.nextInt(1000)));
            case 3 -> BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
            case 4 -> BigInteger.ONE.shiftLeft(rnd.nextInt(256));
            default -> new BigInteger(1, b);
        };
    }

    private static BigInteger scalar(final SplittableRandom rnd)
    {
        return switch (rnd.nextInt(6))
        {
            case 0 -> BigInteger.valueOf(1 + rnd.nextInt(40));
            case 1 -> N.subtract(BigInteger.valueOf(1 + rnd.nextInt(40)));
            default ->
            {
                final byte[] b = new byte[32];
                rnd.nextBytes(b);
                yield new BigInteger(1, b).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            }
        };
    }

    @ParameterizedTest
    @MethodSource("nativeBuilds")
    void fieldArithmeticMatchesBigInteger(final String build)
    {
        TestBackends.get(build);
        final SplittableRandom rnd = new SplittableRandom(256);
        for (int i = 0; i < 3000; i++)
        {
            final BigInteger a = element(rnd);
            final BigInteger b = element(rnd);
            final BigInteger am = a.mod(P);
            final BigInteger bm = b.mod(P);
            final String id = a.toString(16) + " " + b.toString(16);
            assertEquals(am.multiply(bm).mod(P), field(0, a, b), "mul " + id);
            assertEquals(am.multiply(am).mod(P), field(1, a, b), "sqr " + id);
            assertEquals(am.add(bm).mod(P), field(2, a, b), "add " + id);
            assertEquals(am.subtract(bm).mod(P), field(3, a, b), "sub " + id);
            assertEquals(am.signum() == 0 ? BigInteger.ZERO : am.modInverse(P), field(4, a, b), "inv " + id);
            assertEquals(am.negate().mod(P), field(7, a, b), "neg " + id);
            final boolean square = am.signum() == 0 || am.modPow(P.shiftRight(1), P).equals(BigInteger.ONE);
            assertEquals(square ? 1 : 0, NativeEcBackend.fieldOp(6, b32(a), b32(b))[0], "is_square " + id);
            final byte[] root = NativeEcBackend.fieldOp(5, b32(a), b32(b));
            assertEquals(square, root != null, "sqrt exists " + id);
            if (root != null)
            {
                assertEquals(am, new BigInteger(1, root).pow(2).mod(P), "sqrt " + id);
            }
        }
    }

    private static BigInteger field(final int op, final BigInteger a, final BigInteger b)
    {
        return new BigInteger(1, NativeEcBackend.fieldOp(op, b32(a), b32(b)));
    }

    private static void assertPoint(final ECPoint expected, final byte[][] actual, final String id)
    {
        final ECPoint e = expected.normalize();
        assertNotNull(actual, id);
        assertArrayEquals(e.getAffineXCoord().getEncoded(), actual[0], "x " + id);
        assertArrayEquals(e.getAffineYCoord().getEncoded(), actual[1], "y " + id);
    }

    @ParameterizedTest
    @MethodSource("nativeBuilds")
    void pointMultiplesMatchBouncyCastle(final String build)
    {
        TestBackends.get(build);
        final SplittableRandom rnd = new SplittableRandom(340);
        for (int i = 0; i < 300; i++)
        {
            final BigInteger k = scalar(rnd);
            assertPoint(BC.getG().multiply(k), NativeEcBackend.mulG(b32(k)), "k*G " + k.toString(16));
            final BigInteger m = scalar(rnd);
            final ECPoint p = BC.getG().multiply(m).normalize();
            final byte[] px = p.getAffineXCoord().getEncoded();
            final byte[] py = p.getAffineYCoord().getEncoded();
            assertPoint(p.multiply(k), NativeEcBackend.mul(px, py, b32(k)), "k*P " + k.toString(16));
            // Scalars at or above n (below 2^256) are taken mod n.
            final BigInteger small = k.mod(BigInteger.ONE.shiftLeft(128));
            assertPoint(p.multiply(small), NativeEcBackend.mul(px, py, b32(small.add(N))), "(k+n)*P");
        }
        // Even and odd edge scalars, for the masked corrections.
        for (final BigInteger k : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
            N.subtract(BigInteger.TWO), N.shiftRight(1), N.shiftRight(1).add(BigInteger.ONE)})
        {
            assertPoint(BC.getG().multiply(k), NativeEcBackend.mulG(b32(k)), "k*G " + k.toString(16));
            final ECPoint g = BC.getG().normalize();
            assertPoint(g.multiply(k), NativeEcBackend.mul(g.getAffineXCoord().getEncoded(),
                g.getAffineYCoord().getEncoded(), b32(k)), "k*G via k*P " + k.toString(16));
        }
    }

    @ParameterizedTest
    @MethodSource("nativeBuilds")
    void badScalarsAndPointsAreRejected(final String build)
    {
        TestBackends.get(build);
        for (final BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)})
        {
            assertNull(NativeEcBackend.mulG(b32(bad)), "k*G for " + bad.toString(16));
        }
        final ECPoint g = BC.getG().normalize();
        final byte[] gx = g.getAffineXCoord().getEncoded();
        final byte[] gy = g.getAffineYCoord().getEncoded();
        assertNull(NativeEcBackend.mul(gx, gy, b32(BigInteger.ZERO)), "0 * G is infinity");
        assertNull(NativeEcBackend.mul(gx, gy, b32(N)), "n * G is infinity");
        final byte[] offCurve = gy.clone();
        offCurve[31] ^= 1;
        assertNull(NativeEcBackend.mul(gx, offCurve, b32(BigInteger.TWO)), "point off the curve");
        assertNull(NativeEcBackend.mul(b32(P), gy, b32(BigInteger.TWO)), "x = p");
        assertNull(NativeEcBackend.xswiftecInv(b32(P), gx, 0), "x = p");
        assertNull(NativeEcBackend.encode(b32(BigInteger.valueOf(5)), new byte[32]), "x = 5 is not on the curve");
        assertThrows(IllegalArgumentException.class, () -> NativeEcBackend.pubkeyTable(b32(BigInteger.valueOf(5))));
    }

    /** Bad input from the wire or a caller: both backends reject it the same way, and never crash. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void badInputThroughTheBackend(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final byte[] allOnes = new byte[64];
        Arrays.fill(allOnes, (byte)0xff);
        final byte[] zeros = new byte[64];
        // Every 64-byte string decodes (u and t are taken mod p, 0 becomes 1); both backends agree.
        assertArrayEquals(EcBackends.java().decodeX(allOnes, 0), backend.decodeX(allOnes, 0));
        assertArrayEquals(EcBackends.java().decodeX(zeros, 0), backend.decodeX(zeros, 0));
        final BigInteger k = new BigInteger("1234567890abcdef1234567890abcdef", 16);
        assertArrayEquals(EcBackends.java().ecdhX(allOnes, 0, k, null), backend.ecdhX(allOnes, 0, k, null));
        for (final BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(BigInteger.ONE)})
        {
            assertThrows(IllegalArgumentException.class, () -> backend.ecdhX(allOnes, 0, bad, null));
            assertThrows(IllegalArgumentException.class, () -> backend.ecdhX2(allOnes, 0, k, bad));
            assertThrows(IllegalArgumentException.class, () -> backend.ecdhX2(allOnes, 0, bad, k));
            assertThrows(IllegalArgumentException.class, () -> backend.keyPair(bad, new SecureRandom()));
        }
        // An offset into a larger buffer.
        final byte[] framed = new byte[70];
        System.arraycopy(allOnes, 0, framed, 3, 64);
        assertArrayEquals(backend.decodeX(allOnes, 0), backend.decodeX(framed, 3));
        assertArrayEquals(backend.ecdhX(allOnes, 0, k, null), backend.ecdhX(framed, 3, k, null));
    }

    /** ECDH through each backend against BouncyCastle for random keys and fresh encodings. */
    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void ecdhMatchesBouncyCastle(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final SplittableRandom rnd = new SplittableRandom(324);
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < 40; i++)
        {
            final BigInteger a = scalar(rnd);
            final BigInteger b = scalar(rnd);
            final BigInteger c = scalar(rnd);
            final EllSwiftKeyPair peer = backend.keyPair(a, random);
            assertArrayEquals(BC.getG().multiply(a).normalize().getAffineXCoord().getEncoded(), peer.xOnly());
            final byte[] expected = BC.getG().multiply(a).multiply(b).normalize().getAffineXCoord().getEncoded();
            final byte[] peerX = new byte[32];
            assertArrayEquals(expected, backend.ecdhX(peer.encoded(), 0, b, peerX));
            assertArrayEquals(peer.xOnly(), peerX);
            final byte[][] two = backend.ecdhX2(peer.encoded(), 0, b, c);
            assertArrayEquals(expected, two[0]);
            assertArrayEquals(BC.getG().multiply(a).multiply(c).normalize().getAffineXCoord().getEncoded(), two[1]);
            // The other backend decodes this backend's encodings to the same key.
            assertArrayEquals(peer.xOnly(), EcBackends.java().decodeX(peer.encoded(), 0));
        }
    }

    @ParameterizedTest
    @MethodSource("nativeBuilds")
    void nativeEncodingsAreFreshAndValid(final String build)
    {
        TestBackends.get(build);
        final byte[] x = BC.getG().multiply(BigInteger.valueOf(77)).normalize().getAffineXCoord().getEncoded();
        final SecureRandom random = new SecureRandom();
        final byte[] rnd = new byte[32];
        byte[] previous = null;
        for (int i = 0; i < 20; i++)
        {
            random.nextBytes(rnd);
            final byte[] enc = NativeEcBackend.encode(x, rnd);
            assertArrayEquals(x, EcBackends.java().decodeX(enc, 0));
            assertTrue(previous == null || !Arrays.equals(previous, enc));
            previous = enc;
        }
    }

    /** With the library built and no override, the handshake code runs on the native backend. */
    @org.junit.jupiter.api.Test
    void nativeIsSelectedWhenTheLibraryIsPresent()
    {
        TestBackends.assumeNative();
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty(EcBackends.PROPERTY) == null);
        assertEquals("native", EcBackends.selected().name());
        assertEquals("native", new Schnorr(new Sha256()).backend().name());
    }

    /** Many threads through the native code at once (shared generator tables, one-time init) agree with Java. */
    @org.junit.jupiter.api.Test
    void concurrentCallsAgreeWithJava() throws Exception
    {
        TestBackends.assumeNative();
        final EcBackend nat = EcBackends.byName("native");
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try
        {
            final java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final int seed = t;
                results.add(pool.submit(() ->
                {
                    final SplittableRandom rnd = new SplittableRandom(seed);
                    final SecureRandom random = new SecureRandom();
                    final Schnorr signer = new Schnorr(new Sha256(), nat);
                    final Schnorr checker = new Schnorr(new Sha256(), EcBackends.java());
                    int checked = 0;
                    for (int i = 0; i < 25; i++)
                    {
                        final BigInteger a = scalar(rnd);
                        final BigInteger b = scalar(rnd);
                        final EllSwiftKeyPair pair = nat.keyPair(a, random);
                        assertArrayEquals(EcBackends.java().ecdhX(pair.encoded(), 0, b, null),
                            nat.ecdhX(pair.encoded(), 0, b, null));
                        final byte[] msg = new byte[32];
                        rnd.nextBytes(msg);
                        final SchnorrKeyPair key = SchnorrKeyPair.of(b32(a));
                        final byte[] sig = signer.sign(key, msg, msg);
                        assertArrayEquals(checker.sign(key, msg, msg), sig);
                        assertTrue(signer.verify(key.publicKey(), msg, sig));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (final java.util.concurrent.Future<Integer> r : results)
            {
                assertEquals(25, r.get());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
