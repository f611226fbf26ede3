package org.bitcoincommons.sv2.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ElligatorSwift encoding of secp256k1 x-coordinates (BIP324): 64 bytes {@code u(32) || t(32)}, each a big-endian
 * integer taken mod p. Decoding is {@code xswiftec(u, t)}; encoding picks random u and one of eight inverse cases
 * until {@code xswiftec_inv} succeeds. Stateless and thread-safe apart from the caller's {@link SecureRandom}.
 */
public final class EllSwift
{
    /** Encoded length, bytes. */
    public static final int LENGTH = 64;

    /**
     * The square root of -3 mod p that BIP324 uses: (-3)^((p+1)/4). The choice of root matters: the other one swaps
     * the second and third decoding candidates.
     */
    private static final ECFieldElement SQRT_MINUS_3 = Secp256k1.fe(
        Secp256k1.P.subtract(BigInteger.valueOf(3)).modPow(Secp256k1.P.add(BigInteger.ONE).shiftRight(2), Secp256k1.P));
    private static final ECFieldElement ONE = Secp256k1.fe(1);
    private static final ECFieldElement TWO = Secp256k1.fe(2);
    private static final ECFieldElement FOUR = Secp256k1.fe(4);
    private static final ECFieldElement HALF = TWO.invert();
    /** (sqrt(-3) - 1) / 2. */
    private static final ECFieldElement C_INV = SQRT_MINUS_3.subtract(ONE).multiply(HALF);

    private EllSwift()
    {
    }

    /**
     * Decodes 64 bytes at offset to the x-coordinate they encode. Every 64-byte string decodes to a valid x.
     */
    public static ECFieldElement decode(final byte[] encoded, final int offset)
    {
        return xswiftec(Secp256k1.fe(Secp256k1.toInt(encoded, offset)), Secp256k1.fe(Secp256k1.toInt(encoded, offset + 32)));
    }

    /** BIP324 {@code xswiftec(u, t)}. */
    static ECFieldElement xswiftec(final ECFieldElement u0, final ECFieldElement t0)
    {
        final ECFieldElement u = u0.isZero() ? ONE : u0;
        ECFieldElement t = t0.isZero() ? ONE : t0;
        final ECFieldElement u3plus7 = u.square().multiply(u).add(Secp256k1.B);
        if (u3plus7.add(t.square()).isZero())
        {
            t = t.add(t);
        }
        final ECFieldElement bigX = u3plus7.subtract(t.square()).multiply(t.add(t).invert());
        final ECFieldElement bigY = bigX.add(t).multiply(SQRT_MINUS_3.multiply(u).invert());
        final ECFieldElement x1 = u.add(FOUR.multiply(bigY.square()));
        if (Secp256k1.isValidX(x1))
        {
            return x1;
        }
        final ECFieldElement xOverY = bigX.multiply(bigY.invert());
        final ECFieldElement x2 = xOverY.negate().subtract(u).multiply(HALF);
        if (Secp256k1.isValidX(x2))
        {
            return x2;
        }
        return xOverY.subtract(u).multiply(HALF);
    }

    /**
     * BIP324 {@code xswiftec_inv(x, u, case)}: a t with {@code xswiftec(u, t) == x}, or null if this case has none.
     *
     * @param caseIndex 0..7.
     */
    static ECFieldElement xswiftecInv(final ECFieldElement x, final ECFieldElement u, final int caseIndex)
    {
        final ECFieldElement u2 = u.square();
        final ECFieldElement u3plus7 = u2.multiply(u).add(Secp256k1.B);
        final ECFieldElement v;
        final ECFieldElement s;
        if ((caseIndex & 2) == 0)
        {
            final ECFieldElement minusXMinusU = x.add(u).negate();
            if (Secp256k1.isValidX(minusXMinusU))
            {
                return null;
            }
            v = (caseIndex & 1) == 0 ? x : minusXMinusU;
            final ECFieldElement denominator = u2.add(u.multiply(v)).add(v.square());
            if (denominator.isZero())
            {
                return null;
            }
            s = u3plus7.negate().multiply(denominator.invert());
        }
        else
        {
            s = x.subtract(u);
            if (s.isZero())
            {
                return null;
            }
            final ECFieldElement inner = FOUR.multiply(u3plus7).add(Secp256k1.fe(3).multiply(s).multiply(u2));
            ECFieldElement r = s.negate().multiply(inner).sqrt();
            if (r == null)
            {
                return null;
            }
            if ((caseIndex & 1) != 0)
            {
                if (r.isZero())
                {
                    return null;
                }
                r = r.negate();
            }
            v = r.multiply(s.invert()).subtract(u).multiply(HALF);
        }
        ECFieldElement w = s.sqrt();
        if (w == null)
        {
            return null;
        }
        if ((caseIndex & 4) != 0)
        {
            w = w.negate();
        }
        return w.multiply(u.multiply(C_INV).subtract(v));
    }

    /**
     * A fresh random 64-byte encoding of x: random u in [1, p) and a random case until the inverse exists.
     */
    public static byte[] encode(final ECFieldElement x, final SecureRandom random)
    {
        final byte[] out = new byte[LENGTH];
        final byte[] uBytes = new byte[32];
        while (true)
        {
            random.nextBytes(uBytes);
            final BigInteger uInt = new BigInteger(1, uBytes);
            if (uInt.signum() == 0 || uInt.compareTo(Secp256k1.P) >= 0)
            {
                continue;
            }
            final ECFieldElement u = Secp256k1.fe(uInt);
            final ECFieldElement t = xswiftecInv(x, u, random.nextInt(8));
            if (t != null)
            {
                System.arraycopy(uBytes, 0, out, 0, 32);
                System.arraycopy(t.getEncoded(), 0, out, 32, 32);
                return out;
            }
        }
    }

    /** A fresh random encoding of the public key secret * G. */
    public static byte[] encodePublic(final BigInteger secret, final SecureRandom random)
    {
        final ECPoint pub = Secp256k1.mulG(secret);
        return encode(pub.getAffineXCoord(), random);
    }

    /**
     * BIP324 {@code ellswift_ecdh_xonly}: the 32-byte x-coordinate of secret * lift_x(decode(theirs)).
     */
    public static byte[] ecdhX(final byte[] theirs, final int offset, final BigInteger secret)
    {
        final ECPoint point = Secp256k1.liftX(decode(theirs, offset));
        // decode always yields a valid x, so point is never null.
        return Secp256k1.xBytes(Secp256k1.mul(point, secret));
    }

    /** Copies 64 bytes, for callers that keep an encoding. */
    static byte[] copy(final byte[] encoded, final int offset)
    {
        return Arrays.copyOfRange(encoded, offset, offset + LENGTH);
    }
}
