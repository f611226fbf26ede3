package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** FieldP against BigInteger arithmetic mod p (independent oracle), including edge values near 0, p and 2^256. */
class FieldPTest
{
    private static final BigInteger P = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32)).subtract(BigInteger.valueOf(977));
    private static final BigInteger TWO_256 = BigInteger.TWO.pow(256);

    private static long[] fe(final BigInteger v)
    {
        final long[] r = new long[4];
        for (int i = 0; i < 4; i++)
        {
            r[i] = v.shiftRight(64 * i).longValue();
        }
        return r;
    }

    private static BigInteger big(final long[] a)
    {
        BigInteger v = BigInteger.ZERO;
        for (int i = 3; i >= 0; i--)
        {
            v = v.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(a[i])));
        }
        return v;
    }

    private static BigInteger value(final SplittableRandom rnd)
    {
        return switch (rnd.nextInt(8))
        {
            case 0 -> P.subtract(BigInteger.valueOf(rnd.nextInt(3)));
            case 1 -> TWO_256.subtract(BigInteger.valueOf(1 + rnd.nextInt(5)));
            case 2 -> BigInteger.valueOf(rnd.nextInt(3));
            case 3 -> P.add(BigInteger.valueOf(rnd.nextInt(100)));
            default ->
            {
                final byte[] b = new byte[32];
                rnd.nextBytes(b);
                yield new BigInteger(1, b);
            }
        };
    }

    @Test
    void matchesBigIntegerModP()
    {
        final SplittableRandom rnd = new SplittableRandom(256);
        final long[] r = new long[4];
        for (int i = 0; i < 20_000; i++)
        {
            final BigInteger a = value(rnd);
            final BigInteger b = value(rnd);
            final long[] fa = fe(a);
            final long[] fb = fe(b);
            FieldP.mul(r, fa, fb);
            check(a.multiply(b), r, "mul");
            FieldP.sqr(r, fa);
            check(a.multiply(a), r, "sqr");
            FieldP.add(r, fa, fb);
            check(a.add(b), r, "add");
            FieldP.sub(r, fa, fb);
            check(a.subtract(b), r, "sub");
            final int small = 1 + rnd.nextInt(1 << 20);
            FieldP.mulInt(r, fa, small);
            check(a.multiply(BigInteger.valueOf(small)), r, "mulInt");
            FieldP.negate(r, fa);
            check(a.negate(), r, "neg");
            final long[] n = fa.clone();
            FieldP.normalize(n);
            assertEquals(a.mod(P), big(n));
        }
        for (int i = 0; i < 300; i++)
        {
            final BigInteger a = value(rnd);
            final long[] fa = fe(a);
            FieldP.inv(r, fa);
            check(a.mod(P).signum() == 0 ? BigInteger.ZERO : a.modInverse(P), r, "inv");
            final boolean square = FieldP.sqrt(r, fa);
            final boolean expected = a.mod(P).modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).compareTo(BigInteger.ONE) <= 0;
            assertEquals(expected, square, "is square " + a);
            if (square)
            {
                check(big(r).multiply(big(r)).subtract(a).mod(P).signum() == 0 ? BigInteger.ZERO : BigInteger.ONE,
                    new long[4], "sqrt");
            }
        }
    }

    private static void check(final BigInteger expected, final long[] r, final String op)
    {
        final BigInteger got = big(r);
        assertEquals(true, got.compareTo(TWO_256) < 0, op);
        assertEquals(expected.mod(P), got.mod(P), op);
    }
}
