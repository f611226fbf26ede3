package org.bitcoincommons.sv2.crypto;

/**
 * A finite secp256k1 point in affine coordinates, canonical {@link FieldP} limbs. Immutable by convention: do not
 * modify the arrays.
 */
public record AffinePoint(long[] x, long[] y)
{
    /** 32-byte big-endian x-coordinate. */
    public byte[] xBytes()
    {
        return FieldP.toBytes(x);
    }

    public boolean hasEvenY()
    {
        return !FieldP.isOdd(y);
    }
}
