package org.bitcoincommons.sv2.crypto;

/**
 * Point doubling and addition on secp256k1 (y^2 = x^3 + 7, a = 0) in Jacobian coordinates with scratch registers
 * owned by this instance, so a scalar multiplication allocates nothing per step. Not thread-safe: one per
 * multiplication or per thread. Outputs may alias inputs.
 * Formulas: doubling "dbl-2009-l" (2M + 5S); addition "add-1998-cmo-2" (12M + 4S) and its mixed form with Z2 = 1
 * (8M + 3S), from the Explicit-Formulas Database. Chains of subtractions and small multiples are fused into one
 * carry pass each (FieldP.twiceSub2, subTwice, subSub2, subEight).
 */
final class PointMath
{
    private final long[] t1 = new long[FieldP.LIMBS];
    private final long[] t2 = new long[FieldP.LIMBS];
    private final long[] t3 = new long[FieldP.LIMBS];
    private final long[] t4 = new long[FieldP.LIMBS];
    private final long[] t5 = new long[FieldP.LIMBS];
    private final long[] t6 = new long[FieldP.LIMBS];
    private final long[] t7 = new long[FieldP.LIMBS];
    private final long[] t8 = new long[FieldP.LIMBS];
    private final long[] t9 = new long[FieldP.LIMBS];

    /** r = 2a. */
    void dbl(final JacobianPoint r, final JacobianPoint a)
    {
        if (a.infinity)
        {
            r.infinity = true;
            return;
        }
        final long[] xx = t1;
        final long[] yy = t2;
        final long[] yyyy = t3;
        final long[] d = t4;
        final long[] e = t5;
        final long[] f = t6;
        FieldP.sqr(xx, a.x);
        FieldP.sqr(yy, a.y);
        FieldP.sqr(yyyy, yy);
        // D = 2 * ((X + YY)^2 - XX - YYYY)
        FieldP.add(d, a.x, yy);
        FieldP.sqr(d, d);
        FieldP.twiceSub2(d, d, xx, yyyy);
        // E = 3 * XX, F = E^2
        FieldP.mulInt(e, xx, 3);
        FieldP.sqr(f, e);
        // Z3 = 2 * Y * Z (before Y is overwritten)
        FieldP.mul(r.z, a.y, a.z);
        FieldP.add(r.z, r.z, r.z);
        // X3 = F - 2D
        FieldP.subTwice(r.x, f, d);
        // Y3 = E * (D - X3) - 8 * YYYY
        FieldP.sub(d, d, r.x);
        FieldP.mul(d, e, d);
        FieldP.subEight(r.y, d, yyyy);
        r.infinity = false;
    }

    /** r = a + b. */
    void add(final JacobianPoint r, final JacobianPoint a, final JacobianPoint b)
    {
        if (a.infinity)
        {
            r.set(b);
            return;
        }
        if (b.infinity)
        {
            r.set(a);
            return;
        }
        final long[] z1z1 = t1;
        final long[] z2z2 = t2;
        final long[] u1 = t3;
        final long[] u2 = t4;
        final long[] s1 = t5;
        final long[] s2 = t6;
        FieldP.sqr(z1z1, a.z);
        FieldP.sqr(z2z2, b.z);
        FieldP.mul(u1, a.x, z2z2);
        FieldP.mul(u2, b.x, z1z1);
        FieldP.mul(s1, a.y, b.z);
        FieldP.mul(s1, s1, z2z2);
        FieldP.mul(s2, b.y, a.z);
        FieldP.mul(s2, s2, z1z1);
        finishAdd(r, a.z, b.z, u1, u2, s1, s2, a);
    }

    /** r = a + (bx, by) with the second point affine. */
    void addAffine(final JacobianPoint r, final JacobianPoint a, final long[] bx, final long[] by)
    {
        if (a.infinity)
        {
            r.setAffine(bx, by);
            return;
        }
        final long[] z1z1 = t1;
        final long[] u1 = t3;
        final long[] u2 = t4;
        final long[] s1 = t5;
        final long[] s2 = t6;
        FieldP.sqr(z1z1, a.z);
        FieldP.set(u1, a.x);
        FieldP.mul(u2, bx, z1z1);
        FieldP.set(s1, a.y);
        FieldP.mul(s2, by, a.z);
        FieldP.mul(s2, s2, z1z1);
        finishAdd(r, a.z, null, u1, u2, s1, s2, a);
    }

    /**
     * After {@link #addAffine} or {@link #add} that was not an exceptional case (neither input infinity, inputs not
     * equal or opposite): Z3 / (Z1 Z2) = H. Scratch: valid until the next call.
     */
    long[] lastAddZRatio()
    {
        return t2;
    }

    private void finishAdd(
        final JacobianPoint r, final long[] z1, final long[] z2, final long[] u1, final long[] u2, final long[] s1,
        final long[] s2, final JacobianPoint a)
    {
        final long[] h = t2;
        final long[] rr = t7;
        final long[] hh = t8;
        FieldP.sub(h, u2, u1);
        FieldP.sub(rr, s2, s1);
        if (FieldP.isZero(h))
        {
            if (FieldP.isZero(rr))
            {
                dbl(r, a);
            }
            else
            {
                r.infinity = true;
            }
            return;
        }
        final long[] hhh = t1;
        FieldP.sqr(hh, h);
        FieldP.mul(hhh, h, hh);
        // Z3 = Z1 * Z2 * H (kept aside until the end: r may alias either input)
        final long[] z3 = t9;
        FieldP.mul(z3, z1, h);
        if (z2 != null)
        {
            FieldP.mul(z3, z3, z2);
        }
        // V = U1 * HH, X3 = R^2 - HHH - 2V
        final long[] v = hh;
        FieldP.mul(v, u1, hh);
        FieldP.sqr(r.x, rr);
        FieldP.subSub2(r.x, r.x, hhh, v);
        // Y3 = R * (V - X3) - S1 * HHH
        FieldP.sub(v, v, r.x);
        FieldP.mul(v, rr, v);
        FieldP.mul(hhh, s1, hhh);
        FieldP.sub(r.y, v, hhh);
        FieldP.set(r.z, z3);
        r.infinity = false;
    }
}
