package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** FieldP against BigInteger arithmetic mod p (independent oracle), including edge values near 0, p and 2^256. */
class FieldPTest
{
    private static final BigInteger P = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32)).subtract(BigInteger.valueOf(977));
    private static final BigInteger TWO_256 = BigInteger.TWO.pow(256);

    /** Through the byte encoding, so the test does not depend on the limb layout. */
    private static long[] fe(final BigInteger v)
    {
        final long[] r = FieldP.create();
        FieldP.fromBytes(r, Secp256k1.toBytes(v), 0);
        return r;
    }

    /** Value of the limbs as stored (52 bits per limb), not reduced: checks the weak-normal bound too. */
    private static BigInteger big(final long[] a)
    {
        BigInteger v = BigInteger.ZERO;
        for (int i = FieldP.LIMBS - 1; i >= 0; i--)
        {
            assertEquals(true, a[i] >= 0 && a[i] < (1L << 53), "limb " + i + " out of bounds");
            v = v.shiftLeft(52).add(BigInteger.valueOf(a[i]));
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

    /** Raw limbs anywhere up to the weak-normal bound (limbs 0..3 below 2^53, limb 4 below 2^49), extremes included. */
    private static long[] weakLimbs(final SplittableRandom rnd)
    {
        final long[] a = FieldP.create();
        for (int i = 0; i < FieldP.LIMBS; i++)
        {
            final int bits = i == FieldP.LIMBS - 1 ? 49 : 53;
            final long max = (1L << bits) - 1;
            a[i] = switch (rnd.nextInt(4))
            {
                case 0 -> max;
                case 1 -> 0;
                default -> rnd.nextLong() >>> (64 - bits);
            };
        }
        return a;
    }

    @Test
    void mulAndSqrOfWeakLimbsUpToTheBound()
    {
        final SplittableRandom rnd = new SplittableRandom(53);
        final long[] r = FieldP.create();
        for (int i = 0; i < 20_000; i++)
        {
            final long[] a = weakLimbs(rnd);
            final long[] b = weakLimbs(rnd);
            final BigInteger va = big(a);
            final BigInteger vb = big(b);
            FieldP.mul(r, a, b);
            check(va.multiply(vb), r, "mul weak");
            FieldP.sqr(r, a);
            check(va.multiply(va), r, "sqr weak");
            final long[] c = weakLimbs(rnd);
            final BigInteger vc = big(c);
            FieldP.subTwice(r, a, b);
            check(va.subtract(vb.shiftLeft(1)), r, "subTwice");
            FieldP.subSub2(r, a, b, c);
            check(va.subtract(vb).subtract(vc.shiftLeft(1)), r, "subSub2");
            FieldP.twiceSub2(r, a, b, c);
            check(va.subtract(vb).subtract(vc).shiftLeft(1), r, "twiceSub2");
            FieldP.subEight(r, a, b);
            check(va.subtract(vb.shiftLeft(3)), r, "subEight");
        }
    }

    @Test
    void matchesBigIntegerModP()
    {
        final SplittableRandom rnd = new SplittableRandom(256);
        final long[] r = FieldP.create();
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
            final int small = 1 + rnd.nextInt(1024);
            FieldP.mulInt(r, fa, small);
            check(a.multiply(BigInteger.valueOf(small)), r, "mulInt");
            FieldP.negate(r, fa);
            check(a.negate(), r, "neg");
            final long[] n = fa.clone();
            FieldP.normalize(n);
            assertEquals(a.mod(P), big(n));
            // Chains keep results weakly normal and correct: feed outputs back in.
            FieldP.mul(r, fa, fb);
            FieldP.sub(r, r, fa);
            FieldP.mulInt(r, r, 8);
            FieldP.add(r, r, r);
            FieldP.sqr(r, r);
            FieldP.negate(r, r);
            FieldP.mul(r, r, fb);
            check(a.multiply(b).subtract(a).multiply(BigInteger.valueOf(16)).pow(2).negate().multiply(b), r, "chain");
        }
        for (int i = 0; i < 300; i++)
        {
            final BigInteger a = value(rnd);
            final long[] fa = fe(a);
            FieldP.inv(r, fa);
            check(a.mod(P).signum() == 0 ? BigInteger.ZERO : a.modInverse(P), r, "inv");
            FieldP.powP34(r, fa);
            check(a.mod(P).modPow(P.subtract(BigInteger.valueOf(3)).shiftRight(2), P), r, "powP34");
            final boolean square = FieldP.sqrt(r, fa);
            final boolean expected = a.mod(P).modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).compareTo(BigInteger.ONE) <= 0;
            assertEquals(expected, square, "is square " + a);
            if (square)
            {
                check(big(r).multiply(big(r)).subtract(a).mod(P).signum() == 0 ? BigInteger.ZERO : BigInteger.ONE,
                    FieldP.create(), "sqrt");
            }
        }
    }

    private static void check(final BigInteger expected, final long[] r, final String op)
    {
        final BigInteger got = big(r);
        assertEquals(true, got.compareTo(TWO_256.shiftLeft(1)) < 0, op);
        assertEquals(expected.mod(P), got.mod(P), op);
    }
}
