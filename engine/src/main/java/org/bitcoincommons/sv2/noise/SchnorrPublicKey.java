package org.bitcoincommons.sv2.noise;

/**
 * A BIP340 x-only public key lifted to its even-y point once, for repeated verification. Keys made by {@link #of}
 * also carry a fixed-base table of the point (52 x 16 affine multiples, about 67 KB, about 1 ms to build), so
 * verification is two doubling-free table multiplications instead of a table one and a variable-base one. Immutable.
 */
public final class SchnorrPublicKey
{
    private final byte[] xOnly;
    private final AffinePoint point;
    private final long[] table;

    private SchnorrPublicKey(final byte[] xOnly, final AffinePoint point, final long[] table)
    {
        this.xOnly = xOnly;
        this.point = point;
        this.table = table;
    }

    /**
     * @return the key, or null if the 32 bytes are not the x-coordinate of a curve point (or not below p).
     */
    public static SchnorrPublicKey liftOrNull(final byte[] xOnly)
    {
        if (xOnly.length != 32 || Secp256k1.toInt(xOnly, 0).compareTo(Secp256k1.P) >= 0)
        {
            return null;
        }
        final AffinePoint point = Secp256k1.liftX(Secp256k1.fe(xOnly, 0));
        return point == null ? null : new SchnorrPublicKey(xOnly.clone(), point, null);
    }

    /**
     * The key prepared for many verifications, with its fixed-base table.
     *
     * @throws IllegalArgumentException if the bytes are not a valid x-only key.
     */
    public static SchnorrPublicKey of(final byte[] xOnly)
    {
        final SchnorrPublicKey key = liftOrNull(xOnly);
        if (key == null)
        {
            throw new IllegalArgumentException("not a valid x-only secp256k1 public key");
        }
        return new SchnorrPublicKey(key.xOnly, key.point, Secp256k1.fixedBaseTable(key.point));
    }

    public byte[] xOnly()
    {
        return xOnly.clone();
    }

    byte[] xOnlyNoCopy()
    {
        return xOnly;
    }

    AffinePoint point()
    {
        return point;
    }

    /** The fixed-base table of the point, or null for a key from {@link #liftOrNull}. */
    long[] table()
    {
        return table;
    }
}
