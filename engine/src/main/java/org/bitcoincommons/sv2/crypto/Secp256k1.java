package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * secp256k1 group operations on our own {@link FieldP} arithmetic.
 * <ul>
 *   <li>Variable-base k*P: GLV endomorphism (two 129-bit halves), odd signed 4-bit digits so every window adds
 *   (128 doublings, 66 mixed additions, two masked corrections for even halves), and a 2 x 8-entry table of odd
 *   multiples brought to one common Z without an inversion (isomorphic-curve trick).</li>
 *   <li>Fixed-base k*G (and prepared keys): 52 x 16 affine odd multiples, odd signed 5-bit digits so every window
 *   adds (51 mixed additions and one masked correction for an even scalar), no doublings.</li>
 * </ul>
 * Stateless and thread-safe (each call has its own scratch). Scalars are BigIntegers (cold arithmetic mod n); field
 * and group work is on limbs.
 * <p>
 * Side channels: table entries are selected by scanning the whole row with masks and signs are applied by masked
 * negation, so the memory access pattern does not depend on the scalar. The variable-base sequence of doublings and
 * additions is fixed for both kinds. Still data-dependent: the exceptional cases of the addition formulas
 * (negligible for secret scalars), and the BigInteger GLV split. See jmh-results/noise.md.
 */
public final class Secp256k1
{
    /** The group order n. */
    public static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    /** The field prime p. */
    public static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
    /** The generator. */
    public static final AffinePoint G = new AffinePoint(
        limbs("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
        limbs("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));

    /** Fixed-base tables: odd signed 5-bit digits in [-31, 31] cover a 256-bit scalar in 52 windows. */
    private static final int FIXED_WINDOWS = 52;
    private static final int FIXED_ENTRIES = 16;
    /** Variable-base tables: the 8 odd multiples P, 3P, .., 15P per GLV half, for odd signed 4-bit digits. */
    private static final int ENTRIES = 8;
    private static final int STRIDE = 2 * FieldP.LIMBS;
    /** G_TABLE[(w * 16 + j) * STRIDE ..] = affine x (5 limbs), y (5 limbs) of (2j + 1) * 32^w * G. */
    private static final long[] G_TABLE = buildGeneratorTable();
    private static final long[] SEVEN = FieldP.of(7);

    /** Cube root of unity mod p: lambda * (x, y) = (BETA * x, y). */
    private static final long[] BETA = limbs("7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE");
    /** Lattice basis for the GLV split (a1, b1), (a2, b2) with b2 = a1; see Guide to ECC, 3.5. */
    private static final BigInteger GLV_A1 = new BigInteger("3086D221A7D46BCDE86C90E49284EB15", 16);
    private static final BigInteger GLV_MINUS_B1 = new BigInteger("E4437ED6010E88286F547FA90ABFE4C3", 16);
    private static final BigInteger GLV_A2 = new BigInteger("114CA50F7A8E2F3F657C1108D9D44CFD8", 16);
    private static final BigInteger GLV_B2 = GLV_A1;
    private static final BigInteger HALF_N = N.shiftRight(1);
    /** 4-bit windows covering the 129-bit GLV halves. */
    private static final int GLV_WINDOWS = 33;

    private Secp256k1()
    {
    }

    private static long[] limbs(final String hex)
    {
        final long[] r = new long[FieldP.LIMBS];
        FieldP.fromBytes(r, toBytes(new BigInteger(hex, 16)), 0);
        return r;
    }

    private static long[] buildGeneratorTable()
    {
        return fixedBaseTable(G);
    }

    /**
     * The 52 x 16 affine odd multiples (2j + 1) * 32^w * base used by the fixed-base multiplication (about 67 KB). Each
     * row of 16 Jacobian points is made affine with one shared inversion (Montgomery's trick).
     */
    static long[] fixedBaseTable(final AffinePoint basePoint)
    {
        final long[] table = new long[FIXED_WINDOWS * FIXED_ENTRIES * STRIDE];
        final PointMath math = new PointMath();
        final JacobianPoint base = new JacobianPoint().setAffine(basePoint.x(), basePoint.y());
        final JacobianPoint[] row = new JacobianPoint[FIXED_ENTRIES];
        for (int j = 0; j < FIXED_ENTRIES; j++)
        {
            row[j] = new JacobianPoint();
        }
        final JacobianPoint twice = new JacobianPoint();
        for (int w = 0; w < FIXED_WINDOWS; w++)
        {
            // Odd multiples (2j + 1) * base; the next row's base is 32 * base = 31 * base + base.
            row[0].set(base);
            math.dbl(twice, base);
            for (int j = 1; j < FIXED_ENTRIES; j++)
            {
                math.add(row[j], row[j - 1], twice);
            }
            toAffineBatch(row, FIXED_ENTRIES, table, w * FIXED_ENTRIES * STRIDE);
            math.add(base, row[FIXED_ENTRIES - 1], base);
        }
        return table;
    }

    /**
     * Writes the affine x, y (canonical limbs) of count finite Jacobian points to out[at ..] in table layout, with one
     * shared inversion: prefix[j] = z_0 * ... * z_j, invert the full product, then peel one z off per entry.
     */
    private static void toAffineBatch(final JacobianPoint[] row, final int count, final long[] out, final int at)
    {
        final long[][] prefix = new long[count][FieldP.LIMBS];
        final long[] inv = new long[FieldP.LIMBS];
        final long[] zInv = new long[FieldP.LIMBS];
        final long[] zInv2 = new long[FieldP.LIMBS];
        final long[] t = new long[FieldP.LIMBS];
        FieldP.set(prefix[0], row[0].z);
        for (int j = 1; j < count; j++)
        {
            FieldP.mul(prefix[j], prefix[j - 1], row[j].z);
        }
        FieldP.inv(inv, prefix[count - 1]);
        for (int j = count - 1; j >= 0; j--)
        {
            if (j > 0)
            {
                FieldP.mul(zInv, inv, prefix[j - 1]);
                FieldP.mul(inv, inv, row[j].z);
            }
            else
            {
                FieldP.set(zInv, inv);
            }
            final int base = at + j * STRIDE;
            FieldP.sqr(zInv2, zInv);
            FieldP.mul(t, row[j].x, zInv2);
            FieldP.normalize(t);
            System.arraycopy(t, 0, out, base, FieldP.LIMBS);
            FieldP.mul(zInv2, zInv2, zInv);
            FieldP.mul(t, row[j].y, zInv2);
            FieldP.normalize(t);
            System.arraycopy(t, 0, out, base + FieldP.LIMBS, FieldP.LIMBS);
        }
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

    /** True when 1 <= k < n. */
    public static boolean isValidSecret(final BigInteger k)
    {
        return k.signum() > 0 && k.compareTo(N) < 0;
    }

    /** Field element (limbs) of 32 big-endian bytes at offset, reduced mod p. */
    public static long[] fe(final byte[] bytes, final int offset)
    {
        final long[] r = new long[FieldP.LIMBS];
        FieldP.fromBytes(r, bytes, offset);
        FieldP.normalize(r);
        return r;
    }

    /** x^3 + 7 into r. */
    static void curveRhs(final long[] r, final long[] x)
    {
        final long[] t = new long[FieldP.LIMBS];
        FieldP.sqr(t, x);
        FieldP.mul(t, t, x);
        FieldP.add(r, t, SEVEN);
    }

    /** Whether x is the x-coordinate of a curve point. */
    public static boolean isValidX(final long[] x)
    {
        final long[] rhs = new long[FieldP.LIMBS];
        curveRhs(rhs, x);
        return FieldP.isSquare(rhs);
    }

    /** The point with x-coordinate x and even y, or null if x is not on the curve (BIP340 lift_x). */
    public static AffinePoint liftX(final long[] x)
    {
        final long[] rhs = new long[FieldP.LIMBS];
        curveRhs(rhs, x);
        final long[] y = new long[FieldP.LIMBS];
        if (!FieldP.sqrt(y, rhs))
        {
            return null;
        }
        FieldP.normalize(y);
        if ((y[0] & 1) != 0)
        {
            FieldP.negate(y, y);
            FieldP.normalize(y);
        }
        final long[] cx = x.clone();
        FieldP.normalize(cx);
        return new AffinePoint(cx, y);
    }

    /** k * G for a secret k in [1, n); never infinity for such k. */
    public static AffinePoint mulG(final BigInteger k)
    {
        final JacobianPoint acc = new JacobianPoint();
        mulGInto(acc, toBytes(k), new PointMath());
        return affine(acc);
    }

    private static void mulGInto(final JacobianPoint acc, final byte[] scalar, final PointMath math)
    {
        mulFixedInto(acc, G_TABLE, scalar, math);
    }

    /**
     * scalar * base for a table from {@link #fixedBaseTable}: the scalar (below 2^256, made odd) recoded into 52 odd
     * signed 5-bit digits, one mixed addition per window, no doublings. The entry |digit| is found by scanning the
     * whole row with masks and its y negated by mask for a negative digit.
     */
    private static void mulFixedInto(final JacobianPoint acc, final long[] table, final byte[] scalar,
        final PointMath math)
    {
        // Regular recoding needs an odd scalar: an even k is run as k + 1 and one base is taken off at the end.
        final byte[] odd = scalar.clone();
        final long even = (odd[31] & 1) - 1L;
        odd[31] |= 1;
        final int[] digits = new int[FIXED_WINDOWS];
        recodeOdd5(odd, digits);
        final long[] sx = new long[FieldP.LIMBS];
        final long[] sy = new long[FieldP.LIMBS];
        final long[] negY = new long[FieldP.LIMBS];
        selectOddFixed(table, 0, digits[0], 0, sx, sy, negY);
        acc.setAffine(sx, sy);
        for (int w = 1; w < FIXED_WINDOWS; w++)
        {
            selectOddFixed(table, w, digits[w], 0, sx, sy, negY);
            math.addAffine(acc, acc, sx, sy);
        }
        final JacobianPoint corrected = new JacobianPoint();
        selectOddFixed(table, 0, 1, -1, sx, sy, negY);
        math.addAffine(corrected, acc, sx, sy);
        acc.select(corrected, even);
    }

    /**
     * An odd m < 2^256 (32 big-endian bytes) as 52 odd digits d_w in [-31, 31] with m = sum d_w 32^w: take
     * d = (m mod 64) - 32, then m - d = (m with its low 6 bits cleared) + 32 is 32 times an odd number. No branches.
     */
    private static void recodeOdd5(final byte[] bigEndian32, final int[] out)
    {
        long m0 = word(bigEndian32, 24);
        long m1 = word(bigEndian32, 16);
        long m2 = word(bigEndian32, 8);
        long m3 = word(bigEndian32, 0);
        for (int w = 0; w < FIXED_WINDOWS - 1; w++)
        {
            out[w] = (int)(m0 & 63) - 32;
            m0 = (m0 & ~63L) | 32;
            m0 = (m0 >>> 5) | (m1 << 59);
            m1 = (m1 >>> 5) | (m2 << 59);
            m2 = (m2 >>> 5) | (m3 << 59);
            m3 >>>= 5;
        }
        out[FIXED_WINDOWS - 1] = (int)m0;
    }

    /** The entry |digit| * 32^window * base (digit odd), y negated by mask when digit's sign and negate differ. */
    private static void selectOddFixed(
        final long[] table, final int window, final int digit, final int negate, final long[] sx, final long[] sy,
        final long[] negY)
    {
        final int sign = digit >> 31;
        final int magnitude = (digit ^ sign) - sign;
        selectAffine(table, FIXED_ENTRIES, window, (magnitude + 1) >>> 1, sx, sy);
        conditionalNegate(sy, negY, sign ^ negate);
    }

    /** Scans the whole row so the access pattern does not depend on digit (1..entries; 0 selects nothing). */
    private static void selectAffine(
        final long[] table, final int entries, final int window, final int digit, final long[] x, final long[] y)
    {
        Arrays.fill(x, 0);
        Arrays.fill(y, 0);
        final int rowBase = window * entries * STRIDE;
        for (int j = 0; j < entries; j++)
        {
            final long mask = (long)(((j + 1) ^ digit) - 1) >> 63;
            final int base = rowBase + j * STRIDE;
            for (int i = 0; i < FieldP.LIMBS; i++)
            {
                x[i] |= table[base + i] & mask;
                y[i] |= table[base + FieldP.LIMBS + i] & mask;
            }
        }
    }

    private static int nibble(final byte[] bigEndian32, final int window)
    {
        final int b = bigEndian32[31 - (window >>> 1)] & 0xff;
        return (window & 1) == 0 ? b & 15 : b >>> 4;
    }

    /** k * point for 0 <= k < 2^256; null if the result is infinity. */
    public static AffinePoint mul(final AffinePoint point, final BigInteger k)
    {
        final JacobianPoint acc = new JacobianPoint();
        mulInto(acc, point, k, new PointMath());
        return affine(acc);
    }

    private static void mulInto(final JacobianPoint acc, final AffinePoint point, final BigInteger scalar,
        final PointMath math)
    {
        final long[] zG = new long[FieldP.LIMBS];
        final long[] table = variableBaseTable(point, math, zG);
        mulTableInto(acc, table, zG, scalar, math);
    }

    /**
     * Row 0: (2j + 1) * P for j in 0..7; row 1: lambda times those, (beta x, y). No inversion: the multiples are
     * brought to one common Z (returned in zG) with the Z ratios of the additions that made them. With every entry at
     * the same Z they are affine points of the isomorphic curve (x, y) -> (x zG^2, y zG^3), y^2 = x^3 + 7 zG^6;
     * doubling and addition do not use the 7, so the main loop runs there with mixed additions (8M + 3S) and its
     * result goes back by multiplying Z by zG. The table does not depend on the scalar, so one serves several.
     */
    private static long[] variableBaseTable(final AffinePoint point, final PointMath math, final long[] zG)
    {
        final long[] px = point.x();
        final long[] py = point.y();
        final JacobianPoint[] row = new JacobianPoint[ENTRIES];
        final long[][] ratio = new long[ENTRIES][FieldP.LIMBS];
        row[0] = new JacobianPoint().setAffine(px, py);
        final JacobianPoint twice = new JacobianPoint();
        math.dbl(twice, row[0]);
        // (2j + 1) P = (2j - 1) P + 2P; a full addition scales Z by Z(2P) * H.
        for (int j = 1; j < ENTRIES; j++)
        {
            row[j] = new JacobianPoint();
            math.add(row[j], row[j - 1], twice);
            FieldP.mul(ratio[j], math.lastAddZRatio(), twice.z);
        }
        FieldP.set(zG, row[ENTRIES - 1].z);
        final long[] table = new long[2 * ENTRIES * STRIDE];
        final long[] scale = FieldP.of(1);
        final long[] scale2 = new long[FieldP.LIMBS];
        final long[] c = new long[FieldP.LIMBS];
        for (int j = ENTRIES - 1; j >= 0; j--)
        {
            if (j < ENTRIES - 1)
            {
                FieldP.mul(scale, scale, ratio[j + 1]);
            }
            final int at = j * STRIDE;
            final int lambdaAt = (ENTRIES + j) * STRIDE;
            FieldP.sqr(scale2, scale);
            FieldP.mul(c, row[j].x, scale2);
            System.arraycopy(c, 0, table, at, FieldP.LIMBS);
            FieldP.mul(c, c, BETA);
            System.arraycopy(c, 0, table, lambdaAt, FieldP.LIMBS);
            FieldP.mul(scale2, scale2, scale);
            FieldP.mul(c, row[j].y, scale2);
            System.arraycopy(c, 0, table, at + FieldP.LIMBS, FieldP.LIMBS);
            System.arraycopy(c, 0, table, lambdaAt + FieldP.LIMBS, FieldP.LIMBS);
        }
        return table;
    }

    /**
     * scalar * P with P's table from {@link #variableBaseTable}. GLV: k = k1 + k2 * lambda (mod n) with |k1|, |k2| <
     * 2^129; the sign of each half negates the selected entry's y by mask.
     */
    private static void mulTableInto(final JacobianPoint acc, final long[] table, final long[] zG,
        final BigInteger scalar, final PointMath math)
    {
        final BigInteger k = scalar.mod(N);
        final BigInteger c1 = GLV_B2.multiply(k).add(HALF_N).divide(N);
        final BigInteger c2 = GLV_MINUS_B1.multiply(k).add(HALF_N).divide(N);
        final BigInteger k1 = k.subtract(c1.multiply(GLV_A1)).subtract(c2.multiply(GLV_A2));
        final BigInteger k2 = c1.multiply(GLV_MINUS_B1).subtract(c2.multiply(GLV_B2));
        final byte[] digits1 = toBytes(k1.abs());
        final byte[] digits2 = toBytes(k2.abs());
        final int negate1 = -(k1.signum() >>> 31);
        final int negate2 = -(k2.signum() >>> 31);
        // Regular recoding needs odd halves: an even |k| is run as |k| + 1 and one P is taken off at the end.
        final long even1 = (digits1[31] & 1) - 1L;
        final long even2 = (digits2[31] & 1) - 1L;
        digits1[31] |= 1;
        digits2[31] |= 1;

        // Every digit is odd and non-zero, so every window adds: the sequence of operations does not depend on the
        // scalar, and the accumulator is never infinity after the first window.
        final int[] odd1 = new int[GLV_WINDOWS];
        final int[] odd2 = new int[GLV_WINDOWS];
        recodeOdd4(digits1, odd1);
        recodeOdd4(digits2, odd2);
        final long[] sx = new long[FieldP.LIMBS];
        final long[] sy = new long[FieldP.LIMBS];
        final long[] negY = new long[FieldP.LIMBS];
        final int top = GLV_WINDOWS - 1;
        selectOdd(table, 0, odd1[top], negate1, sx, sy, negY);
        acc.setAffine(sx, sy);
        selectOdd(table, 1, odd2[top], negate2, sx, sy, negY);
        math.addAffine(acc, acc, sx, sy);
        for (int w = top - 1; w >= 0; w--)
        {
            math.dbl(acc, acc);
            math.dbl(acc, acc);
            math.dbl(acc, acc);
            math.dbl(acc, acc);
            selectOdd(table, 0, odd1[w], negate1, sx, sy, negY);
            math.addAffine(acc, acc, sx, sy);
            selectOdd(table, 1, odd2[w], negate2, sx, sy, negY);
            math.addAffine(acc, acc, sx, sy);
        }
        // Take off the P (or lambda P) added to make a half odd: always computed, kept by mask.
        final JacobianPoint corrected = new JacobianPoint();
        selectOdd(table, 0, 1, ~negate1, sx, sy, negY);
        math.addAffine(corrected, acc, sx, sy);
        acc.select(corrected, even1);
        selectOdd(table, 1, 1, ~negate2, sx, sy, negY);
        math.addAffine(corrected, acc, sx, sy);
        acc.select(corrected, even2);
        FieldP.mul(acc.z, acc.z, zG);
    }

    /**
     * An odd m < 2^130 (32 big-endian bytes) as 33 odd digits d_w in [-15, 15] with m = sum d_w 16^w: take
     * d = (m mod 32) - 16, then m - d = (m with its low 5 bits cleared) + 16 is 16 times an odd number. No branches.
     */
    private static void recodeOdd4(final byte[] bigEndian32, final int[] out)
    {
        long m0 = word(bigEndian32, 24);
        long m1 = word(bigEndian32, 16);
        long m2 = word(bigEndian32, 8);
        for (int w = 0; w < GLV_WINDOWS - 1; w++)
        {
            out[w] = (int)(m0 & 31) - 16;
            m0 = (m0 & ~31L) | 16;
            m0 = (m0 >>> 4) | (m1 << 60);
            m1 = (m1 >>> 4) | (m2 << 60);
            m2 >>>= 4;
        }
        out[GLV_WINDOWS - 1] = (int)m0;
    }

    private static long word(final byte[] bigEndian, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (bigEndian[offset + i] & 0xffL);
        }
        return v;
    }

    /** The entry |digit| P of a row (digit odd), its y negated by mask when the digit's and the half's signs differ. */
    private static void selectOdd(
        final long[] table, final int row, final int digit, final int negateHalf, final long[] sx, final long[] sy,
        final long[] negY)
    {
        final int sign = digit >> 31;
        final int magnitude = (digit ^ sign) - sign;
        selectAffine(table, ENTRIES, row, (magnitude + 1) >>> 1, sx, sy);
        conditionalNegate(sy, negY, sign ^ negateHalf);
    }

    /** y = -y when mask is all ones, unchanged when 0; no branch. scratch receives -y. */
    private static void conditionalNegate(final long[] y, final long[] scratch, final long mask)
    {
        FieldP.negate(scratch, y);
        for (int i = 0; i < FieldP.LIMBS; i++)
        {
            y[i] = (scratch[i] & mask) | (y[i] & ~mask);
        }
    }

    /**
     * The x-coordinates (32 bytes each) of a * P and b * P, sharing P's table and one inversion; for a responder's
     * two Diffie-Hellman operations against the initiator's ephemeral key. a and b in [1, n).
     */
    static byte[][] mulTwoX(final AffinePoint point, final BigInteger a, final BigInteger b)
    {
        final PointMath math = new PointMath();
        final long[] zG = new long[FieldP.LIMBS];
        final long[] table = variableBaseTable(point, math, zG);
        final JacobianPoint ra = new JacobianPoint();
        final JacobianPoint rb = new JacobianPoint();
        mulTableInto(ra, table, zG, a, math);
        mulTableInto(rb, table, zG, b, math);
        if (ra.infinity || rb.infinity)
        {
            throw new IllegalArgumentException("scalar is 0 mod n");
        }
        // 1/Za = Zb / (Za Zb), 1/Zb = Za / (Za Zb); x = X / Z^2.
        final long[] inv = new long[FieldP.LIMBS];
        FieldP.mul(inv, ra.z, rb.z);
        FieldP.inv(inv, inv);
        final long[] zInv = new long[FieldP.LIMBS];
        FieldP.mul(zInv, inv, rb.z);
        FieldP.sqr(zInv, zInv);
        FieldP.mul(zInv, ra.x, zInv);
        final byte[] xa = FieldP.toBytes(zInv);
        FieldP.mul(zInv, inv, ra.z);
        FieldP.sqr(zInv, zInv);
        FieldP.mul(zInv, rb.x, zInv);
        return new byte[][] {xa, FieldP.toBytes(zInv)};
    }

    /** a * G + b * point; null if the result is infinity. */
    public static AffinePoint mulGAdd(final BigInteger a, final AffinePoint point, final BigInteger b)
    {
        final PointMath math = new PointMath();
        final JacobianPoint left = new JacobianPoint();
        mulGInto(left, toBytes(a), math);
        final JacobianPoint right = new JacobianPoint();
        mulInto(right, point, b, math);
        math.add(left, left, right);
        return affine(left);
    }

    /**
     * a * G + b * B for a point B with a table from {@link #fixedBaseTable}: two doubling-free fixed-base
     * multiplications; null if the result is infinity. a and b in [0, n).
     */
    static AffinePoint mulGAddFixed(final BigInteger a, final long[] tableB, final BigInteger b)
    {
        final PointMath math = new PointMath();
        final JacobianPoint left = new JacobianPoint();
        mulGInto(left, toBytes(a), math);
        final JacobianPoint right = new JacobianPoint();
        mulFixedInto(right, tableB, toBytes(b), math);
        math.add(left, left, right);
        return affine(left);
    }

    private static AffinePoint affine(final JacobianPoint p)
    {
        final long[] x = new long[FieldP.LIMBS];
        final long[] y = new long[FieldP.LIMBS];
        return p.toAffine(x, y) ? new AffinePoint(x, y) : null;
    }
}
