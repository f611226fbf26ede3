package org.bitcoincommons.sv2.noise;

/**
 * Arithmetic modulo the secp256k1 field prime p = 2^256 - 2^32 - 977 on four 64-bit little-endian limbs
 * ({@code long[4]}, limb 0 least significant). Results are kept below 2^256 but not necessarily below p
 * ("weakly reduced"); {@link #normalize} gives the canonical value. Uses 2^256 = C (mod p) with C = 2^32 + 977.
 * <p>
 * Static methods on caller-owned arrays: no allocation, no secret-dependent branches in add/sub/mul/sqr (carries are
 * computed, not branched on; the JIT may still compile the unsigned compares to branches). Output may alias inputs.
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

    /** Reduces to the canonical value in [0, p). */
    public static void normalize(final long[] r)
    {
        // r >= p iff r + C overflows 2^256 (since p = 2^256 - C); then r - p = r + C mod 2^256.
        final long s0 = r[0] + C;
        long c = Long.compareUnsigned(s0, C) < 0 ? 1 : 0;
        final long s1 = r[1] + c;
        c = Long.compareUnsigned(s1, c) < 0 ? 1 : 0;
        final long s2 = r[2] + c;
        c = Long.compareUnsigned(s2, c) < 0 ? 1 : 0;
        final long s3 = r[3] + c;
        c = Long.compareUnsigned(s3, c) < 0 ? 1 : 0;
        final long mask = -c;
        r[0] = (s0 & mask) | (r[0] & ~mask);
        r[1] = (s1 & mask) | (r[1] & ~mask);
        r[2] = (s2 & mask) | (r[2] & ~mask);
        r[3] = (s3 & mask) | (r[3] & ~mask);
    }

    public static boolean isZero(final long[] a)
    {
        final long[] n = {a[0], a[1], a[2], a[3]};
        normalize(n);
        return (n[0] | n[1] | n[2] | n[3]) == 0;
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
        long s0 = a[0] + b[0];
        long c = Long.compareUnsigned(s0, a[0]) < 0 ? 1 : 0;
        long s1 = a[1] + b[1];
        long c1 = Long.compareUnsigned(s1, a[1]) < 0 ? 1 : 0;
        s1 += c;
        c1 += Long.compareUnsigned(s1, c) < 0 ? 1 : 0;
        long s2 = a[2] + b[2];
        long c2 = Long.compareUnsigned(s2, a[2]) < 0 ? 1 : 0;
        s2 += c1;
        c2 += Long.compareUnsigned(s2, c1) < 0 ? 1 : 0;
        long s3 = a[3] + b[3];
        long c3 = Long.compareUnsigned(s3, a[3]) < 0 ? 1 : 0;
        s3 += c2;
        c3 += Long.compareUnsigned(s3, c2) < 0 ? 1 : 0;
        addCarry(r, s0, s1, s2, s3, c3);
    }

    /** r = (s + carry * 2^256) mod-ish p, carry in {0, 1}: folds the carry as carry * C, twice if needed. */
    private static void addCarry(final long[] r, long s0, long s1, long s2, long s3, final long carry)
    {
        long m = carry * C;
        s0 += m;
        long c = Long.compareUnsigned(s0, m) < 0 ? 1 : 0;
        s1 += c;
        c = Long.compareUnsigned(s1, c) < 0 ? 1 : 0;
        s2 += c;
        c = Long.compareUnsigned(s2, c) < 0 ? 1 : 0;
        s3 += c;
        c = Long.compareUnsigned(s3, c) < 0 ? 1 : 0;
        // A second wrap leaves s0 tiny, so adding C cannot carry again.
        s0 += c * C;
        r[0] = s0;
        r[1] = s1;
        r[2] = s2;
        r[3] = s3;
    }

    /** r = a - b. */
    public static void sub(final long[] r, final long[] a, final long[] b)
    {
        long d0 = a[0] - b[0];
        long w = Long.compareUnsigned(a[0], b[0]) < 0 ? 1 : 0;
        long d1 = a[1] - b[1];
        long w1 = Long.compareUnsigned(a[1], b[1]) < 0 ? 1 : 0;
        w1 += Long.compareUnsigned(d1, w) < 0 ? 1 : 0;
        d1 -= w;
        long d2 = a[2] - b[2];
        long w2 = Long.compareUnsigned(a[2], b[2]) < 0 ? 1 : 0;
        w2 += Long.compareUnsigned(d2, w1) < 0 ? 1 : 0;
        d2 -= w1;
        long d3 = a[3] - b[3];
        long w3 = Long.compareUnsigned(a[3], b[3]) < 0 ? 1 : 0;
        w3 += Long.compareUnsigned(d3, w2) < 0 ? 1 : 0;
        d3 -= w2;
        // A borrow means we hold a - b + 2^256; subtract C to get a - b + p. Twice if that borrows again.
        long m = w3 * C;
        long b0 = Long.compareUnsigned(d0, m) < 0 ? 1 : 0;
        d0 -= m;
        long b1 = Long.compareUnsigned(d1, b0) < 0 ? 1 : 0;
        d1 -= b0;
        long b2 = Long.compareUnsigned(d2, b1) < 0 ? 1 : 0;
        d2 -= b1;
        long b3 = Long.compareUnsigned(d3, b2) < 0 ? 1 : 0;
        d3 -= b2;
        // Borrowing again means the value wrapped to near 2^256; subtracting C once more cannot borrow.
        d0 -= b3 * C;
        r[0] = d0;
        r[1] = d1;
        r[2] = d2;
        r[3] = d3;
    }

    /** r = -a. */
    public static void negate(final long[] r, final long[] a)
    {
        final long[] pLimbs = {P0, P1, P2, P3};
        final long[] n = {a[0], a[1], a[2], a[3]};
        normalize(n);
        sub(r, pLimbs, n);
    }

    /** r = a * small (small < 2^31). */
    public static void mulInt(final long[] r, final long[] a, final long small)
    {
        long lo = a[0] * small;
        long carry = Math.unsignedMultiplyHigh(a[0], small);
        final long s0 = lo;
        lo = a[1] * small;
        long s1 = lo + carry;
        carry = Math.unsignedMultiplyHigh(a[1], small) + (Long.compareUnsigned(s1, lo) < 0 ? 1 : 0);
        lo = a[2] * small;
        long s2 = lo + carry;
        carry = Math.unsignedMultiplyHigh(a[2], small) + (Long.compareUnsigned(s2, lo) < 0 ? 1 : 0);
        lo = a[3] * small;
        long s3 = lo + carry;
        carry = Math.unsignedMultiplyHigh(a[3], small) + (Long.compareUnsigned(s3, lo) < 0 ? 1 : 0);
        reduce(r, s0, s1, s2, s3, carry, 0, 0, 0);
    }

    /** r = a * b. */
    public static void mul(final long[] r, final long[] a, final long[] b)
    {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
        long r0 = 0, r1 = 0, r2 = 0, lo, hi, c;
        lo = a0 * b0;
        hi = Math.unsignedMultiplyHigh(a0, b0);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t0 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b1;
        hi = Math.unsignedMultiplyHigh(a0, b1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a1 * b0;
        hi = Math.unsignedMultiplyHigh(a1, b0);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t1 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b2;
        hi = Math.unsignedMultiplyHigh(a0, b2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a1 * b1;
        hi = Math.unsignedMultiplyHigh(a1, b1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a2 * b0;
        hi = Math.unsignedMultiplyHigh(a2, b0);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t2 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * b3;
        hi = Math.unsignedMultiplyHigh(a0, b3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a1 * b2;
        hi = Math.unsignedMultiplyHigh(a1, b2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a2 * b1;
        hi = Math.unsignedMultiplyHigh(a2, b1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a3 * b0;
        hi = Math.unsignedMultiplyHigh(a3, b0);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t3 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a1 * b3;
        hi = Math.unsignedMultiplyHigh(a1, b3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a2 * b2;
        hi = Math.unsignedMultiplyHigh(a2, b2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a3 * b1;
        hi = Math.unsignedMultiplyHigh(a3, b1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t4 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a2 * b3;
        hi = Math.unsignedMultiplyHigh(a2, b3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a3 * b2;
        hi = Math.unsignedMultiplyHigh(a3, b2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t5 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a3 * b3;
        hi = Math.unsignedMultiplyHigh(a3, b3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
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
        long r0 = 0, r1 = 0, r2 = 0, lo, hi, c;
        lo = a0 * a0;
        hi = Math.unsignedMultiplyHigh(a0, a0);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t0 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a1;
        hi = Math.unsignedMultiplyHigh(a0, a1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t1 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a2;
        hi = Math.unsignedMultiplyHigh(a0, a2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a1 * a1;
        hi = Math.unsignedMultiplyHigh(a1, a1);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t2 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a0 * a3;
        hi = Math.unsignedMultiplyHigh(a0, a3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a1 * a2;
        hi = Math.unsignedMultiplyHigh(a1, a2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t3 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a1 * a3;
        hi = Math.unsignedMultiplyHigh(a1, a3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        lo = a2 * a2;
        hi = Math.unsignedMultiplyHigh(a2, a2);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t4 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a2 * a3;
        hi = Math.unsignedMultiplyHigh(a2, a3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
        final long t5 = r0;
        r0 = r1;
        r1 = r2;
        r2 = 0;
        lo = a3 * a3;
        hi = Math.unsignedMultiplyHigh(a3, a3);
        r0 += lo;
        c = Long.compareUnsigned(r0, lo) < 0 ? 1 : 0;
        r1 += c;
        r2 += Long.compareUnsigned(r1, c) < 0 ? 1 : 0;
        r1 += hi;
        r2 += Long.compareUnsigned(r1, hi) < 0 ? 1 : 0;
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
        long s = t0 + lo;
        long c = Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
        final long r0 = s;
        long carry = hi + c;

        lo = t5 * C;
        hi = Math.unsignedMultiplyHigh(t5, C);
        s = t1 + lo;
        c = Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
        s += carry;
        c += Long.compareUnsigned(s, carry) < 0 ? 1 : 0;
        final long r1 = s;
        carry = hi + c;

        lo = t6 * C;
        hi = Math.unsignedMultiplyHigh(t6, C);
        s = t2 + lo;
        c = Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
        s += carry;
        c += Long.compareUnsigned(s, carry) < 0 ? 1 : 0;
        final long r2 = s;
        carry = hi + c;

        lo = t7 * C;
        hi = Math.unsignedMultiplyHigh(t7, C);
        s = t3 + lo;
        c = Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
        s += carry;
        c += Long.compareUnsigned(s, carry) < 0 ? 1 : 0;
        final long r3 = s;
        carry = hi + c;

        // carry < 2^35: fold carry * 2^256 = carry * C (< 2^69) into the low limbs.
        lo = carry * C;
        hi = Math.unsignedMultiplyHigh(carry, C);
        long u0 = r0 + lo;
        c = Long.compareUnsigned(u0, lo) < 0 ? 1 : 0;
        final long x = hi + c;
        long u1 = r1 + x;
        c = Long.compareUnsigned(u1, x) < 0 ? 1 : 0;
        long u2 = r2 + c;
        c = Long.compareUnsigned(u2, c) < 0 ? 1 : 0;
        long u3 = r3 + c;
        c = Long.compareUnsigned(u3, c) < 0 ? 1 : 0;
        // A wrap past 2^256 leaves the value below 2^69 (u2 = u3 = 0, u1 < 2^5): add C once more into u0 and u1.
        final long m = c * C;
        u0 += m;
        u1 += Long.compareUnsigned(u0, m) < 0 ? 1 : 0;
        r[0] = u0;
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
