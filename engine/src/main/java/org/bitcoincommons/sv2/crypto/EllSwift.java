package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * ElligatorSwift encoding of secp256k1 x-coordinates (BIP324): 64 bytes {@code u(32) || t(32)}, each a big-endian
 * integer taken mod p. Decoding is {@code xswiftec(u, t)}; encoding picks a random u and one of eight inverse cases
 * until {@code xswiftec_inv} succeeds. Field elements are {@link FieldP} limbs. Thread-safe apart from the caller's
 * {@link SecureRandom}.
 */
public final class EllSwift
{
    /** Encoded length, bytes. */
    public static final int LENGTH = 64;

    private static final long[] ONE = FieldP.of(1);
    private static final long[] SEVEN = FieldP.of(7);
    /**
     * The square root of -3 that BIP324 uses, (-3)^((p+1)/4). The choice matters: the other root swaps the second and
     * third decoding candidates.
     */
    private static final long[] SQRT_MINUS_3 = sqrtMinus3();
    /** 1/2 mod p. */
    private static final long[] HALF = half();
    /** (sqrt(-3) - 1) / 2. */
    private static final long[] C_INV = cInv();

    private EllSwift()
    {
    }

    private static long[] sqrtMinus3()
    {
        final long[] minus3 = new long[FieldP.LIMBS];
        FieldP.negate(minus3, FieldP.of(3));
        final long[] r = new long[FieldP.LIMBS];
        FieldP.sqrt(r, minus3);
        FieldP.normalize(r);
        return r;
    }

    private static long[] half()
    {
        final long[] r = new long[FieldP.LIMBS];
        FieldP.inv(r, FieldP.of(2));
        return r;
    }

    private static long[] cInv()
    {
        final long[] r = new long[FieldP.LIMBS];
        FieldP.sub(r, SQRT_MINUS_3, ONE);
        FieldP.mul(r, r, HALF);
        return r;
    }

    /** Decodes 64 bytes at offset to the x-coordinate (canonical limbs) they encode; every input decodes. */
    public static long[] decode(final byte[] encoded, final int offset)
    {
        return xswiftec(Secp256k1.fe(encoded, offset), Secp256k1.fe(encoded, offset + 32), null);
    }

    /**
     * Decodes 64 bytes at offset to a curve point with that x-coordinate (either y; x-only ECDH does not care),
     * reusing the square root found while decoding.
     */
    public static AffinePoint decodePoint(final byte[] encoded, final int offset)
    {
        final long[] y = new long[FieldP.LIMBS];
        final long[] x = xswiftec(Secp256k1.fe(encoded, offset), Secp256k1.fe(encoded, offset + 32), y);
        return new AffinePoint(x, y);
    }

    /** 32-byte big-endian x-coordinate encoded by 64 bytes at offset. */
    public static byte[] decodeToBytes(final byte[] encoded, final int offset)
    {
        return FieldP.toBytes(decode(encoded, offset));
    }

    /** BIP324 {@code xswiftec(u, t)}, with one field inversion for all three divisions. */
    static long[] xswiftec(final long[] u0, final long[] t0)
    {
        return xswiftec(u0, t0, null);
    }

    /**
     * BIP324 {@code xswiftec(u, t)}; when yOut is given, also a y with y^2 = x^3 + 7 (canonical limbs).
     */
    private static long[] xswiftec(final long[] u0, final long[] t0, final long[] yOut)
    {
        final long[] u = FieldP.isZero(u0) ? ONE.clone() : u0.clone();
        final long[] t = FieldP.isZero(t0) ? ONE.clone() : t0.clone();
        final long[] u3p7 = new long[FieldP.LIMBS];
        Secp256k1.curveRhs(u3p7, u);
        final long[] tt = new long[FieldP.LIMBS];
        FieldP.sqr(tt, t);
        final long[] check = new long[FieldP.LIMBS];
        FieldP.add(check, u3p7, tt);
        if (FieldP.isZero(check))
        {
            FieldP.add(t, t, t);
            FieldP.sqr(tt, t);
        }
        // X = n1 / d1 with n1 = u^3 + 7 - t^2, d1 = 2t; Y = (X + t) / d2 with d2 = sqrt(-3) u
        //   = (n1 + t d1) / (d1 d2); X / Y = n1 d2 / (n1 + t d1). Neither denominator is zero here.
        final long[] n1 = new long[FieldP.LIMBS];
        FieldP.sub(n1, u3p7, tt);
        final long[] d1 = new long[FieldP.LIMBS];
        FieldP.add(d1, t, t);
        final long[] d2 = new long[FieldP.LIMBS];
        FieldP.mul(d2, SQRT_MINUS_3, u);
        final long[] yNum = new long[FieldP.LIMBS];
        FieldP.mul(yNum, t, d1);
        FieldP.add(yNum, yNum, n1);
        final long[] d1d2 = new long[FieldP.LIMBS];
        FieldP.mul(d1d2, d1, d2);
        // One inversion of d1d2 * yNum gives both 1/d1d2 and 1/yNum.
        final long[] all = new long[FieldP.LIMBS];
        FieldP.mul(all, d1d2, yNum);
        FieldP.inv(all, all);
        final long[] invD1d2 = new long[FieldP.LIMBS];
        FieldP.mul(invD1d2, all, yNum);
        final long[] invYNum = new long[FieldP.LIMBS];
        FieldP.mul(invYNum, all, d1d2);

        final long[] y = new long[FieldP.LIMBS];
        FieldP.mul(y, yNum, invD1d2);
        final long[] x = new long[FieldP.LIMBS];
        FieldP.sqr(x, y);
        FieldP.mulInt(x, x, 4);
        FieldP.add(x, x, u);
        if (validX(x, yOut))
        {
            FieldP.normalize(x);
            return x;
        }
        final long[] xOverY = new long[FieldP.LIMBS];
        FieldP.mul(xOverY, n1, d2);
        FieldP.mul(xOverY, xOverY, invYNum);
        FieldP.negate(x, xOverY);
        FieldP.sub(x, x, u);
        FieldP.mul(x, x, HALF);
        if (validX(x, yOut))
        {
            FieldP.normalize(x);
            return x;
        }
        FieldP.sub(x, xOverY, u);
        FieldP.mul(x, x, HALF);
        FieldP.normalize(x);
        if (yOut != null)
        {
            validX(x, yOut);
        }
        return x;
    }

    /** Whether x is on the curve; if so and yOut is given, stores sqrt(x^3 + 7) there. */
    private static boolean validX(final long[] x, final long[] yOut)
    {
        final long[] rhs = new long[FieldP.LIMBS];
        Secp256k1.curveRhs(rhs, x);
        final long[] y = yOut != null ? yOut : new long[FieldP.LIMBS];
        final boolean valid = FieldP.sqrt(y, rhs);
        FieldP.normalize(y);
        return valid;
    }

    /**
     * BIP324 {@code xswiftec_inv(x, u, case)}: a t with {@code xswiftec(u, t) == x}, or null if this case has none.
     *
     * @param caseIndex 0..7.
     */
    static long[] xswiftecInv(final long[] x, final long[] u, final int caseIndex)
    {
        final long[] u2 = new long[FieldP.LIMBS];
        FieldP.sqr(u2, u);
        final long[] u3p7 = new long[FieldP.LIMBS];
        FieldP.mul(u3p7, u2, u);
        FieldP.add(u3p7, u3p7, SEVEN);
        final long[] v = new long[FieldP.LIMBS];
        final long[] s = new long[FieldP.LIMBS];
        final long[] t = new long[FieldP.LIMBS];
        final long[] w = new long[FieldP.LIMBS];
        if ((caseIndex & 2) == 0)
        {
            final long[] minusXMinusU = new long[FieldP.LIMBS];
            FieldP.add(minusXMinusU, x, u);
            FieldP.negate(minusXMinusU, minusXMinusU);
            if (Secp256k1.isValidX(minusXMinusU))
            {
                return null;
            }
            FieldP.set(v, (caseIndex & 1) == 0 ? x : minusXMinusU);
            // s = -(u^3 + 7) / (u^2 + u v + v^2)
            final long[] den = new long[FieldP.LIMBS];
            FieldP.mul(den, u, v);
            FieldP.add(den, den, u2);
            FieldP.sqr(t, v);
            FieldP.add(den, den, t);
            if (FieldP.isZero(den))
            {
                return null;
            }
            FieldP.inv(den, den);
            FieldP.negate(s, u3p7);
            FieldP.mul(s, s, den);
            if (!FieldP.sqrt(w, s))
            {
                return null;
            }
        }
        else
        {
            FieldP.sub(s, x, u);
            if (FieldP.isZero(s))
            {
                return null;
            }
            // r = sqrt(-s (4 (u^3 + 7) + 3 s u^2))
            final long[] r = new long[FieldP.LIMBS];
            FieldP.mul(r, s, u2);
            FieldP.mulInt(r, r, 3);
            FieldP.mulInt(t, u3p7, 4);
            FieldP.add(r, r, t);
            FieldP.mul(r, r, s);
            FieldP.negate(r, r);
            if (!FieldP.sqrt(r, r))
            {
                return null;
            }
            if ((caseIndex & 1) != 0)
            {
                if (FieldP.isZero(r))
                {
                    return null;
                }
                FieldP.negate(r, r);
            }
            // One exponentiation y = s^((p-3)/4) gives both w = sqrt(s) = s y and, when s is a square, 1/s = y^2.
            final long[] y = new long[FieldP.LIMBS];
            FieldP.powP34(y, s);
            FieldP.mul(w, s, y);
            FieldP.sqr(t, w);
            if (!FieldP.equal(t, s))
            {
                return null;
            }
            // v = (r / s - u) / 2
            FieldP.sqr(t, y);
            FieldP.mul(v, r, t);
            FieldP.sub(v, v, u);
            FieldP.mul(v, v, HALF);
        }
        if ((caseIndex & 4) != 0)
        {
            FieldP.negate(w, w);
        }
        // t = w (u (sqrt(-3) - 1) / 2 - v)
        FieldP.mul(t, u, C_INV);
        FieldP.sub(t, t, v);
        FieldP.mul(t, t, w);
        FieldP.normalize(t);
        return t;
    }

    /** A fresh random 64-byte encoding of x: random u in [1, p) and a random case until the inverse exists. */
    public static byte[] encode(final long[] x, final SecureRandom random)
    {
        final byte[] out = new byte[LENGTH];
        final long[] u = new long[FieldP.LIMBS];
        while (true)
        {
            random.nextBytes(out);
            final BigInteger uInt = new BigInteger(1, Arrays.copyOf(out, 32));
            if (uInt.signum() == 0 || uInt.compareTo(Secp256k1.P) >= 0)
            {
                continue;
            }
            FieldP.fromBytes(u, out, 0);
            final long[] t = xswiftecInv(x, u, out[32] & 7);
            if (t != null)
            {
                FieldP.toBytes(t, out, 32);
                return out;
            }
        }
    }

    /** A fresh random encoding of the public key secret * G. */
    public static byte[] encodePublic(final BigInteger secret, final SecureRandom random)
    {
        return encode(Secp256k1.mulG(secret).x(), random);
    }

    /** A fresh key pair: the secret, a random encoding of its public key, and the public key's x (32 bytes). */
    public static EllSwiftKeyPair keyPair(final BigInteger secret, final SecureRandom random)
    {
        final long[] x = Secp256k1.mulG(secret).x();
        return new EllSwiftKeyPair(secret, encode(x, random), FieldP.toBytes(x));
    }

    /** BIP324 {@code ellswift_ecdh_xonly}: the 32-byte x-coordinate of secret * lift_x(decode(theirs)). */
    public static byte[] ecdhX(final byte[] theirs, final int offset, final BigInteger secret)
    {
        return ecdhX(decodePoint(theirs, offset), secret);
    }

    /**
     * x-coordinate of secret * point, for a point from {@link #decodePoint}: the sign of y does not change the
     * x-coordinate of the product. secret in [1, n) never gives infinity.
     */
    public static byte[] ecdhX(final AffinePoint theirs, final BigInteger secret)
    {
        return Secp256k1.mul(theirs, secret).xBytes();
    }

    /**
     * The x-coordinates (32 bytes each) of secretA * point and secretB * point, sharing the point's table and one
     * inversion. Secrets in [1, n).
     */
    public static byte[][] ecdhX2(final AffinePoint theirs, final BigInteger secretA, final BigInteger secretB)
    {
        return Secp256k1.mulTwoX(theirs, secretA, secretB);
    }

    /** Copies 64 bytes, for callers that keep an encoding. */
    public static byte[] copy(final byte[] encoded, final int offset)
    {
        return Arrays.copyOfRange(encoded, offset, offset + LENGTH);
    }
}
