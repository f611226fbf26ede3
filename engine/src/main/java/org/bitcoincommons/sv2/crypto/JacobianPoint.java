package org.bitcoincommons.sv2.crypto;

/**
 * A mutable secp256k1 point in Jacobian coordinates (x = X/Z^2, y = Y/Z^3) over {@link FieldP} limbs, or the point at
 * infinity. Arithmetic lives in {@link PointMath}. Not thread-safe.
 */
final class JacobianPoint
{
    final long[] x = new long[FieldP.LIMBS];
    final long[] y = new long[FieldP.LIMBS];
    final long[] z = new long[FieldP.LIMBS];
    boolean infinity = true;

    JacobianPoint setInfinity()
    {
        infinity = true;
        return this;
    }

    JacobianPoint setAffine(final long[] ax, final long[] ay)
    {
        FieldP.set(x, ax);
        FieldP.set(y, ay);
        FieldP.setInt(z, 1);
        infinity = false;
        return this;
    }

    JacobianPoint set(final JacobianPoint other)
    {
        FieldP.set(x, other.x);
        FieldP.set(y, other.y);
        FieldP.set(z, other.z);
        infinity = other.infinity;
        return this;
    }

    /** this = other when mask is all ones, unchanged when 0; the coordinates without branches. */
    JacobianPoint select(final JacobianPoint other, final long mask)
    {
        for (int i = 0; i < FieldP.LIMBS; i++)
        {
            x[i] = (other.x[i] & mask) | (x[i] & ~mask);
            y[i] = (other.y[i] & mask) | (y[i] & ~mask);
            z[i] = (other.z[i] & mask) | (z[i] & ~mask);
        }
        infinity = mask != 0 ? other.infinity : infinity;
        return this;
    }

    /** Affine coordinates into ax, ay (canonical); returns false for infinity. */
    boolean toAffine(final long[] ax, final long[] ay)
    {
        if (infinity)
        {
            return false;
        }
        final long[] zInv = new long[FieldP.LIMBS];
        final long[] zInv2 = new long[FieldP.LIMBS];
        FieldP.inv(zInv, z);
        FieldP.sqr(zInv2, zInv);
        FieldP.mul(ax, x, zInv2);
        FieldP.mul(zInv2, zInv2, zInv);
        FieldP.mul(ay, y, zInv2);
        FieldP.normalize(ax);
        FieldP.normalize(ay);
        return true;
    }
}
