package org.bitcoincommons.sv2.noise;

/**
 * Arithmetic modulo the secp256k1 field prime p = 2^256 - 2^32 - 977 on four 64-bit little-endian limbs
 * ({@code long[4]}, limb 0 least significant). Results are kept below 2^256 but not necessarily below p
 * ("weakly reduced"); {@link #normalize} gives the canonical value. Uses 2^256 = C (mod p) with C = 2^32 + 977.
 * <p>
 * Static methods on caller-owned arrays: no allocation and no branches in add/sub/negate/mul/sqr/normalize: carries
 * and borrows are computed with bit formulas (Hacker's Delight 2-16), so timing does not depend on the values. A
 * variant with {@code Long.compareUnsigned} carries looked 2x faster on fixed inputs (perfectly predicted branches)
 * but was slower in whole handshakes on random keys, so this one stays. Output may alias inputs.
 * The multiply is unrolled product scanning (written by a small generator, not copied).
 */
public final class FieldP
{
    /** 2^256 mod p. */
    static final long C = 0x1000003D1L;
    /** p as limbs. */
    static final long P0 = 0xFFFFFFFEFFFFFC2FL;
    static final long P1 = -1L;
    static final long P2 = -1L;
    static final long P3 = -1L;

    private FieldP()
    {
    }

    public static long[] create()
    {
        return new long[4];
    }

    public static void set(final long[] r, final long[] a)
    {
        r[0] = a[0];
        r[1] = a[1];
        r[2] = a[2];
        r[3] = a[3];
    }

    public static void setInt(final long[] r, final long v)
    {
        r[0] = v;
        r[1] = 0;
        r[2] = 0;
        r[3] = 0;
    }

    /** Reads 32 big-endian bytes; the value may be >= p (it is weakly reduced below 2^256 as is). */
    public static void fromBytes(final long[] r, final byte[] src, final int offset)
    {
        for (int limb = 0; limb < 4; limb++)
        {
            long v = 0;
            final int base = offset + 24 - 8 * limb;
            for (int i = 0; i < 8; i++)
            {
                v = (v << 8) | (src[base + i] & 0xffL);
            }
            r[limb] = v;
        }
    }

    /** Writes the canonical value as 32 big-endian bytes. */
    public static void toBytes(final long[] a, final byte[] dst, final int offset)
    {
        final long[] n = {a[0], a[1], a[2], a[3]};
        normalize(n);
        for (int limb = 0; limb < 4; limb++)
        {
            long v = n[limb];
            final int base = offset + 24 - 8 * limb;
            for (int i = 7; i >= 0; i--)
            {
                dst[base + i] = (byte)v;
                v >>>= 8;
            }
        }
    }

    public static byte[] toBytes(final long[] a)
    {
        final byte[] out = new byte[32];
        toBytes(a, out, 0);
        return out;
    }

    /** Carry out of s = a + b (+ carry in), as 0 or 1, without branches. */
    private static long carry(final long a, final long b, final long s)
    {
        return ((a & b) | ((a | b) & ~s)) >>> 63;
    }

    /** Borrow out of d = a - b (- borrow in), as 0 or 1, without branches. */
    private static long borrow(final long a, final long b, final long d)
    {
        return ((~a & b) | (~(a ^ b) & d)) >>> 63;
    }

    /** Reduces to the canonical value in [0, p). */
    public static void normalize(final long[] r)
    {
        normalizeInto(r, r[0], r[1], r[2], r[3]);
    }

    private static void normalizeInto(final long[] r, final long a0, final long a1, final long a2, final long a3)
    {
        // a >= p iff a + C overflows 2^256 (since p = 2^256 - C); then a - p = a + C mod 2^256.
        final long s0 = a0 + C;
        long c = carry(a0, C, s0);
        final long s1 = a1 + c;
        c = carry(a1, 0, s1);
        final long s2 = a2 + c;
        c = carry(a2, 0, s2);
        final long s3 = a3 + c;
        c = carry(a3, 0, s3);
        final long mask = -c;
        r[0] = (s0 & mask) | (a0 & ~mask);
        r[1] = (s1 & mask) | (a1 & ~mask);
        r[2] = (s2 & mask) | (a2 & ~mask);
        r[3] = (s3 & mask) | (a3 & ~mask);
    }

    /** Whether a = 0 mod p (a is 0 or p, the only values below 2^256 that are). */
    public static boolean isZero(final long[] a)
    {
        final long zero = a[0] | a[1] | a[2] | a[3];
        final long isP = (a[0] ^ P0) | (a[1] ^ P1) | (a[2] ^ P2) | (a[3] ^ P3);
        return zero == 0 || isP == 0;
    }

    public static boolean equal(final long[] a, final long[] b)
    {
        final long[] d = new long[4];
        sub(d, a, b);
        return isZero(d);
    }

    /** Whether the canonical value is odd. */
    public static boolean isOdd(final long[] a)
    {
        final long[] n = {a[0], a[1], a[2], a[3]};
        normalize(n);
        return (n[0] & 1) != 0;
    }

    /** r = a + b. */
    public static void add(final long[] r, final long[] a, final long[] b)
    {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
        final long s0 = a0 + b0;
        long c = carry(a0, b0, s0);
        final long s1 = a1 + b1 + c;
        c = carry(a1, b1, s1);
        final long s2 = a2 + b2 + c;
        c = carry(a2, b2, s2);
        final long s3 = a3 + b3 + c;
        c = carry(a3, b3, s3);
        // Fold a carry out of 2^256 as + C; a second wrap leaves the value below 2^34, so adding C cannot carry.
        final long m = c * C;
        long u0 = s0 + m;
        c = carry(s0, m, u0);
        final long u1 = s1 + c;
        c = carry(s1, 0, u1);
        final long u2 = s2 + c;
        c = carry(s2, 0, u2);
        final long u3 = s3 + c;
        c = carry(s3, 0, u3);
        u0 += c * C;
        r[0] = u0;
        r[1] = u1;
        r[2] = u2;
        r[3] = u3;
    }

    /** r = a - b. */
    public static void sub(final long[] r, final long[] a, final long[] b)
    {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
        final long d0 = a0 - b0;
        long w = borrow(a0, b0, d0);
        final long d1 = a1 - b1 - w;
        w = borrow(a1, b1, d1);
        final long d2 = a2 - b2 - w;
        w = borrow(a2, b2, d2);
        final long d3 = a3 - b3 - w;
        w = borrow(a3, b3, d3);
        // A borrow means we hold a - b + 2^256: subtract C to get a - b + p. If that borrows again the value is
        // now just below 2^256, and subtracting C once more cannot borrow.
        final long m = w * C;
        long e0 = d0 - m;
        w = borrow(d0, m, e0);
        final long e1 = d1 - w;
        w = borrow(d1, 0, e1);
        final long e2 = d2 - w;
        w = borrow(d2, 0, e2);
        final long e3 = d3 - w;
        w = borrow(d3, 0, e3);
        e0 -= w * C;
        r[0] = e0;
        r[1] = e1;
        r[2] = e2;
        r[3] = e3;
    }

    /** r = -a (canonical input not required). */
    public static void negate(final long[] r, final long[] a)
    {
        // p - a is in (0, p] for a < p; for p <= a < 2^256 it borrows, and sub's fold handles that case.
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final long d0 = P0 - a0;
        long w = borrow(P0, a0, d0);
        final long d1 = P1 - a1 - w;
        w = borrow(P1, a1, d1);
        final long d2 = P2 - a2 - w;
        w = borrow(P2, a2, d2);
        final long d3 = P3 - a3 - w;
        w = borrow(P3, a3, d3);
        // Borrow: a > p, we hold p - a + 2^256 = 2p - a + C; subtract C. Cannot borrow again (value > 2^255).
        final long m = w * C;
        final long e0 = d0 - m;
        w = borrow(d0, m, e0);
        final long e1 = d1 - w;
        w = borrow(d1, 0, e1);
        final long e2 = d2 - w;
        w = borrow(d2, 0, e2);
        r[0] = e0;
        r[1] = e1;
        r[2] = e2;
        r[3] = d3 - w;
    }

    /** r = a * small (small < 2^31). */
    public static void mulInt(final long[] r, final long[] a, final long small)
    {
        final long s0 = a[0] * small;
        long carryWord = Math.unsignedMultiplyHigh(a[0], small);
        long lo = a[1] * small;
        final long s1 = lo + carryWord;
        carryWord = Math.unsignedMultiplyHigh(a[1], small) + carry(lo, carryWord, s1);
        lo = a[2] * small;
        final long s2 = lo + carryWord;
        carryWord = Math.unsignedMultiplyHigh(a[2], small) + carry(lo, carryWord, s2);
        lo = a[3] * small;
        final long s3 = lo + carryWord;
        carryWord = Math.unsignedMultiplyHigh(a[3], small) + carry(lo, carryWord, s3);
        reduce(r, s0, s1, s2, s3, carryWord, 0, 0, 0);
    }

    /** r = a * b. */
    public static void mul(final long[] r, final long[] a, final long[] b)
    {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
        long r0 = 0, r1 = 0, r2 = 0, lo, hi, s;
        lo = a0 * b0;
        hi = Math.unsignedMultiplyHigh(a0, b0);
        s = r0 + lo;
        final long c0_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c0_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t0 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b1;
        hi = Math.unsignedMultiplyHigh(a0, b1);
        s = r0 + lo;
        final long c1_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c1_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a1 * b0;
        hi = Math.unsignedMultiplyHigh(a1, b0);
        s = r0 + lo;
        final long c1_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c1_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t1 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b2;
        hi = Math.unsignedMultiplyHigh(a0, b2);
        s = r0 + lo;
        final long c2_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a1 * b1;
        hi = Math.unsignedMultiplyHigh(a1, b1);
        s = r0 + lo;
        final long c2_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a2 * b0;
        hi = Math.unsignedMultiplyHigh(a2, b0);
        s = r0 + lo;
        final long c2_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t2 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b3;
        hi = Math.unsignedMultiplyHigh(a0, b3);
        s = r0 + lo;
        final long c3_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a1 * b2;
        hi = Math.unsignedMultiplyHigh(a1, b2);
        s = r0 + lo;
        final long c3_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a2 * b1;
        hi = Math.unsignedMultiplyHigh(a2, b1);
        s = r0 + lo;
        final long c3_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a3 * b0;
        hi = Math.unsignedMultiplyHigh(a3, b0);
        s = r0 + lo;
        final long c3_3_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_3_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t3 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a1 * b3;
        hi = Math.unsignedMultiplyHigh(a1, b3);
        s = r0 + lo;
        final long c4_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a2 * b2;
        hi = Math.unsignedMultiplyHigh(a2, b2);
        s = r0 + lo;
        final long c4_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a3 * b1;
        hi = Math.unsignedMultiplyHigh(a3, b1);
        s = r0 + lo;
        final long c4_3_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_3_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t4 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a2 * b3;
        hi = Math.unsignedMultiplyHigh(a2, b3);
        s = r0 + lo;
        final long c5_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c5_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a3 * b2;
        hi = Math.unsignedMultiplyHigh(a3, b2);
        s = r0 + lo;
        final long c5_3_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c5_3_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t5 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a3 * b3;
        hi = Math.unsignedMultiplyHigh(a3, b3);
        s = r0 + lo;
        final long c6_3_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c6_3_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t6 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        final long t7 = r0;
        reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
    }

    /** r = a^2. */
    public static void sqr(final long[] r, final long[] a)
    {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        long r0 = 0, r1 = 0, r2 = 0, lo, hi, s;
        lo = a0 * a0;
        hi = Math.unsignedMultiplyHigh(a0, a0);
        s = r0 + lo;
        final long c0_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c0_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t0 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a1;
        hi = Math.unsignedMultiplyHigh(a0, a1);
        s = r0 + lo;
        final long c1_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c1_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c1_0_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c1_0_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t1 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a2;
        hi = Math.unsignedMultiplyHigh(a0, a2);
        s = r0 + lo;
        final long c2_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c2_0_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_0_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a1 * a1;
        hi = Math.unsignedMultiplyHigh(a1, a1);
        s = r0 + lo;
        final long c2_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c2_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t2 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a3;
        hi = Math.unsignedMultiplyHigh(a0, a3);
        s = r0 + lo;
        final long c3_0_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_0_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c3_0_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_0_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a1 * a2;
        hi = Math.unsignedMultiplyHigh(a1, a2);
        s = r0 + lo;
        final long c3_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c3_1_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c3_1_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t3 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a1 * a3;
        hi = Math.unsignedMultiplyHigh(a1, a3);
        s = r0 + lo;
        final long c4_1_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_1_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c4_1_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_1_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        lo = a2 * a2;
        hi = Math.unsignedMultiplyHigh(a2, a2);
        s = r0 + lo;
        final long c4_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c4_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t4 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a2 * a3;
        hi = Math.unsignedMultiplyHigh(a2, a3);
        s = r0 + lo;
        final long c5_2_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c5_2_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        s = r0 + lo;
        final long c5_2_1 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c5_2_1;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t5 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a3 * a3;
        hi = Math.unsignedMultiplyHigh(a3, a3);
        s = r0 + lo;
        final long c6_3_0 = carry(r0, lo, s);
        r0 = s;
        s = r1 + hi + c6_3_0;
        r2 += carry(r1, hi, s);
        r1 = s;
        final long t6 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        final long t7 = r0;
        reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
    }

    /** r = (t0..t3) + (t4..t7) * C, weakly reduced. */
    private static void reduce(
        final long[] r, final long t0, final long t1, final long t2, final long t3,
        final long t4, final long t5, final long t6, final long t7)
    {
        long lo = t4 * C;
        long hi = Math.unsignedMultiplyHigh(t4, C);
        final long r0 = t0 + lo;
        long k = hi + carry(t0, lo, r0);

        lo = t5 * C;
        hi = Math.unsignedMultiplyHigh(t5, C);
        long s = t1 + lo;
        long c = carry(t1, lo, s);
        final long r1 = s + k;
        c += carry(s, k, r1);
        k = hi + c;

        lo = t6 * C;
        hi = Math.unsignedMultiplyHigh(t6, C);
        s = t2 + lo;
        c = carry(t2, lo, s);
        final long r2 = s + k;
        c += carry(s, k, r2);
        k = hi + c;

        lo = t7 * C;
        hi = Math.unsignedMultiplyHigh(t7, C);
        s = t3 + lo;
        c = carry(t3, lo, s);
        final long r3 = s + k;
        c += carry(s, k, r3);
        k = hi + c;

        // k < 2^35: fold k * 2^256 = k * C (< 2^69) into the low limbs.
        lo = k * C;
        hi = Math.unsignedMultiplyHigh(k, C);
        long u0 = r0 + lo;
        c = carry(r0, lo, u0);
        long u1 = r1 + hi + c;
        c = carry(r1, hi, u1);
        final long u2 = r2 + c;
        c = carry(r2, 0, u2);
        final long u3 = r3 + c;
        c = carry(r3, 0, u3);
        // A wrap past 2^256 leaves the value below 2^69 (u2 = u3 = 0, u1 < 2^5): add C once more into u0 and u1.
        final long m = c * C;
        final long v0 = u0 + m;
        u1 += carry(u0, m, v0);
        r[0] = v0;
        r[1] = u1;
        r[2] = u2;
        r[3] = u3;
    }

    /** r = a^(2^n) by n squarings. */
    private static void sqrN(final long[] r, final long[] a, final int n)
    {
        sqr(r, a);
        for (int i = 1; i < n; i++)
        {
            sqr(r, r);
        }
    }

    /**
     * The shared start of the sqrt and inverse addition chains: returns x2, x3, x22, x223 where xk = a^(2^k - 1).
     */
    private static void chainHead(final long[] a, final long[] x2, final long[] x3, final long[] x22, final long[] x223)
    {
        final long[] t = new long[4];
        final long[] x6 = new long[4];
        final long[] x9 = new long[4];
        final long[] x11 = new long[4];
        final long[] x44 = new long[4];
        final long[] x88 = new long[4];
        sqr(t, a);
        mul(x2, t, a);
        sqr(t, x2);
        mul(x3, t, a);
        sqrN(t, x3, 3);
        mul(x6, t, x3);
        sqrN(t, x6, 3);
        mul(x9, t, x3);
        sqrN(t, x9, 2);
        mul(x11, t, x2);
        sqrN(t, x11, 11);
        mul(x22, t, x11);
        sqrN(t, x22, 22);
        mul(x44, t, x22);
        sqrN(t, x44, 44);
        mul(x88, t, x44);
        sqrN(t, x88, 88);
        mul(x223, t, x88); // x176
        sqrN(t, x223, 44);
        mul(x223, t, x44); // x220
        sqrN(t, x223, 3);
        mul(x223, t, x3); // x223
    }

    /** r = a^(p-2) = 1/a (0 maps to 0). */
    public static void inv(final long[] r, final long[] a)
    {
        final long[] x2 = new long[4];
        final long[] x3 = new long[4];
        final long[] x22 = new long[4];
        final long[] x223 = new long[4];
        final long[] t = new long[4];
        chainHead(a, x2, x3, x22, x223);
        sqrN(t, x223, 23);
        mul(t, t, x22);
        sqrN(t, t, 5);
        mul(t, t, a);
        sqrN(t, t, 3);
        mul(t, t, x2);
        sqrN(t, t, 2);
        mul(r, t, a);
    }

    /**
     * r = a^((p+1)/4), a square root of a if one exists.
     *
     * @return whether a is a square (r squared equals a).
     */
    public static boolean sqrt(final long[] r, final long[] a)
    {
        final long[] x2 = new long[4];
        final long[] x3 = new long[4];
        final long[] x22 = new long[4];
        final long[] x223 = new long[4];
        final long[] t = new long[4];
        chainHead(a, x2, x3, x22, x223);
        sqrN(t, x223, 23);
        mul(t, t, x22);
        sqrN(t, t, 6);
        mul(t, t, x2);
        sqr(t, t);
        sqr(t, t);
        final long[] check = new long[4];
        sqr(check, t);
        final boolean square = equal(check, a);
        set(r, t);
        return square;
    }

    /** Whether a is a square mod p (0 counts as a square). */
    public static boolean isSquare(final long[] a)
    {
        return sqrt(new long[4], a);
    }
}
