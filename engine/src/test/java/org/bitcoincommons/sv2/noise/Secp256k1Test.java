package org.bitcoincommons.sv2.noise;

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
