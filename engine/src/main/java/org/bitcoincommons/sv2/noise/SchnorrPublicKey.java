package org.bitcoincommons.sv2.noise;

/**
 * A BIP340 x-only public key lifted to its even-y point once, for repeated verification. Immutable.
 */
public final class SchnorrPublicKey
{
    private final byte[] xOnly;
    private final AffinePoint point;

    private SchnorrPublicKey(final byte[] xOnly, final AffinePoint point)
    {
        this.xOnly = xOnly;
        this.point = point;
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
        return point == null ? null : new SchnorrPublicKey(xOnly.clone(), point);
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a valid x-only key.
     */
    public static SchnorrPublicKey of(final byte[] xOnly)
    {
        final SchnorrPublicKey key = liftOrNull(xOnly);
        if (key == null)
        {
            throw new IllegalArgumentException("not a valid x-only secp256k1 public key");
        }
        return key;
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
}
