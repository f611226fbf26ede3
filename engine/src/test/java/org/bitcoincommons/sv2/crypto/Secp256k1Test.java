package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** Our group arithmetic against BouncyCastle's secp256k1 (an independent implementation). */
class Secp256k1Test
{
    private static final X9ECParameters BC = CustomNamedCurves.getByName("secp256k1");

    private static BigInteger scalar(final SplittableRandom rnd)
    {
        return switch (rnd.nextInt(6))
        {
            case 0 -> BigInteger.valueOf(1 + rnd.nextInt(40));
            case 1 -> Secp256k1.N.subtract(BigInteger.valueOf(1 + rnd.nextInt(40)));
            default ->
            {
                final byte[] b = new byte[32];
                rnd.nextBytes(b);
                yield new BigInteger(1, b).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            }
        };
    }

    private static void assertSame(final ECPoint expected, final AffinePoint actual)
    {
        final ECPoint e = expected.normalize();
        assertArrayEquals(e.getAffineXCoord().getEncoded(), actual.xBytes());
        assertArrayEquals(e.getAffineYCoord().getEncoded(), FieldP.toBytes(actual.y()));
    }

    @Test
    void generatorAndVariableBaseMultiplesMatchBouncyCastle()
    {
        final SplittableRandom rnd = new SplittableRandom(340);
        for (int i = 0; i < 200; i++)
        {
            final BigInteger k = scalar(rnd);
            assertSame(BC.getG().multiply(k), Secp256k1.mulG(k));
            final BigInteger m = scalar(rnd);
            final AffinePoint p = Secp256k1.mulG(m);
            assertSame(BC.getG().multiply(m).multiply(k), Secp256k1.mul(p, k));
            final BigInteger a = scalar(rnd);
            assertSame(BC.getG().multiply(a).add(BC.getG().multiply(m).multiply(k)), Secp256k1.mulGAdd(a, p, k));
        }
    }

    /** Scalars whose signed 5-bit recoding carries through many windows, and the fixed-base table of another point. */
    @Test
    void signedDigitCarriesAndFixedBaseTablesMatchBouncyCastle()
    {
        final BigInteger allSixteens = sumOfPowers(16);
        final BigInteger allFifteens = sumOfPowers(15);
        final BigInteger[] scalars = {
            BigInteger.ONE, BigInteger.valueOf(15), BigInteger.valueOf(16), BigInteger.valueOf(17),
            BigInteger.valueOf(31), BigInteger.valueOf(32), BigInteger.valueOf(33), BigInteger.ONE.shiftLeft(255),
            BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE), allSixteens, allFifteens,
            Secp256k1.N.subtract(BigInteger.ONE), Secp256k1.N.subtract(allSixteens)};
        final BigInteger m = new BigInteger("1d3c5e7f9b2a4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506", 16);
        final AffinePoint p = Secp256k1.mulG(m);
        final long[] table = Secp256k1.fixedBaseTable(p);
        for (final BigInteger k : scalars)
        {
            assertSame(BC.getG().multiply(k), Secp256k1.mulG(k));
            final BigInteger a = k.add(BigInteger.valueOf(7)).mod(Secp256k1.N);
            assertSame(BC.getG().multiply(a).add(BC.getG().multiply(m).multiply(k)), Secp256k1.mulGAddFixed(a, table, k));
        }
    }

    /** digit * (1 + 32 + 32^2 + ...) over the 51 full 5-bit windows below 2^255. */
    private static BigInteger sumOfPowers(final int digit)
    {
        BigInteger v = BigInteger.ZERO;
        for (int w = 0; w < 51; w++)
        {
            v = v.add(BigInteger.valueOf(digit).shiftLeft(5 * w));
        }
        return v;
    }

    @Test
    void twoScalarsOnOnePointMatchBouncyCastle()
    {
        final SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 50; i++)
        {
            final BigInteger m = scalar(rnd);
            final BigInteger a = scalar(rnd);
            final BigInteger b = scalar(rnd);
            final AffinePoint p = Secp256k1.mulG(m);
            final byte[][] x = Secp256k1.mulTwoX(p, a, b);
            assertArrayEquals(BC.getG().multiply(m).multiply(a).normalize().getAffineXCoord().getEncoded(), x[0]);
            assertArrayEquals(BC.getG().multiply(m).multiply(b).normalize().getAffineXCoord().getEncoded(), x[1]);
        }
    }

    @Test
    void edgeCases()
    {
        final AffinePoint g = Secp256k1.mulG(BigInteger.ONE);
        assertArrayEquals(Secp256k1.G.xBytes(), g.xBytes());
        assertNull(Secp256k1.mul(g, Secp256k1.N));
        assertNull(Secp256k1.mulGAdd(BigInteger.TWO, g, Secp256k1.N.subtract(BigInteger.TWO)));
        // P + P through the addition path (doubling case) and P + (-P).
        assertSame(BC.getG().multiply(BigInteger.valueOf(4)), Secp256k1.mulGAdd(BigInteger.TWO, g, BigInteger.TWO));
        assertEquals(null, Secp256k1.liftX(FieldP.of(5)), "x = 5 is not on the curve");
    }
}
