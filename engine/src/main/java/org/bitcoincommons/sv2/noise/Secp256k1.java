package org.bitcoincommons.sv2.noise;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 group operations on BouncyCastle's specialised curve code (its SecP256K1 field arithmetic, GLV
 * endomorphism with wNAF for variable-base multiplication, and a precomputed fixed-point comb for the generator).
 * Stateless and thread-safe. Byte encodings are 32-byte big-endian as in BIP340/BIP324.
 * <p>
 * Constant time: secret scalars times G go through the comb multiplier, which does a fixed number of table lookups
 * and additions per scalar; ECDH uses BouncyCastle's GLV/wNAF multiplier, which is not constant time (see
 * jmh-results/noise.md).
 */
public final class Secp256k1
{
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    /** The curve. */
    public static final ECCurve CURVE = PARAMS.getCurve();
    /** The generator G. */
    public static final ECPoint G = PARAMS.getG();
    /** The group order n. */
    public static final BigInteger N = PARAMS.getN();
    /** The field prime p. */
    public static final BigInteger P = CURVE.getField().getCharacteristic();
    /** Curve constant b = 7. */
    public static final ECFieldElement B = CURVE.getB();

    private static final ECMultiplier COMB = new FixedPointCombMultiplier();

    static
    {
        // Build the comb table for G once, so the first handshake does not pay for it.
        COMB.multiply(G, BigInteger.ONE);
    }

    private Secp256k1()
    {
    }

    /** Unsigned big-endian integer of 32 bytes at offset. */
    public static BigInteger toInt(final byte[] bytes, final int offset)
    {
        return new BigInteger(1, Arrays.copyOfRange(bytes, offset, offset + 32));
    }

    /** 32-byte big-endian encoding of 0 <= v < 2^256. */
    public static byte[] toBytes(final BigInteger v)
    {
        final byte[] raw = v.toByteArray();
        final byte[] out = new byte[32];
        if (raw.length > 32)
        {
            System.arraycopy(raw, raw.length - 32, out, 0, 32);
        }
        else
        {
            System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        }
        return out;
    }

    /** Field element of an integer, reduced mod p. */
    public static ECFieldElement fe(final BigInteger v)
    {
        return CURVE.fromBigInteger(v.mod(P));
    }

    /** Field element of a small integer. */
    public static ECFieldElement fe(final long v)
    {
        return fe(BigInteger.valueOf(v));
    }

    /** True when 1 <= k < n. */
    public static boolean isValidSecret(final BigInteger k)
    {
        return k.signum() > 0 && k.compareTo(N) < 0;
    }

    /** k * G, normalised (affine). k is treated as secret. */
    public static ECPoint mulG(final BigInteger k)
    {
        return COMB.multiply(G, k).normalize();
    }

    /** k * point, normalised (affine). */
    public static ECPoint mul(final ECPoint point, final BigInteger k)
    {
        return point.multiply(k).normalize();
    }

    /** x^3 + 7. */
    public static ECFieldElement curveRhs(final ECFieldElement x)
    {
        return x.square().multiply(x).add(B);
    }

    /** Whether x is the x-coordinate of a curve point. */
    public static boolean isValidX(final ECFieldElement x)
    {
        return isSquare(curveRhs(x));
    }

    /** Whether a is a square in the field (0 counts as a square). */
    public static boolean isSquare(final ECFieldElement a)
    {
        return a.isZero() || a.sqrt() != null;
    }

    /** The point with x-coordinate x and even y, or null if x is not on the curve (BIP340 lift_x). */
    public static ECPoint liftX(final ECFieldElement x)
    {
        final ECFieldElement y = curveRhs(x).sqrt();
        if (y == null)
        {
            return null;
        }
        final ECFieldElement evenY = y.testBitZero() ? y.negate() : y;
        return CURVE.createPoint(x.toBigInteger(), evenY.toBigInteger());
    }

    /** Whether an affine point has an even y-coordinate. */
    public static boolean hasEvenY(final ECPoint normalized)
    {
        return !normalized.getAffineYCoord().testBitZero();
    }

    /** 32-byte big-endian x-coordinate of an affine point. */
    public static byte[] xBytes(final ECPoint normalized)
    {
        return normalized.getAffineXCoord().getEncoded();
    }
}
