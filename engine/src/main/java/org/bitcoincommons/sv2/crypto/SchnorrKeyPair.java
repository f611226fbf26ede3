package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;

/**
 * A BIP340 signing key with its x-only public key, computed once: the secret is already negated when its point has
 * odd y, as BIP340 signing requires. Immutable.
 */
public final class SchnorrKeyPair
{
    private final BigInteger evenYSecret;
    private final byte[] publicKey;

    private SchnorrKeyPair(final BigInteger evenYSecret, final byte[] publicKey)
    {
        this.evenYSecret = evenYSecret;
        this.publicKey = publicKey;
    }

    /**
     * @throws IllegalArgumentException if the 32-byte secret is not in [1, n).
     */
    public static SchnorrKeyPair of(final byte[] secretKey)
    {
        if (secretKey.length != 32)
        {
            throw new IllegalArgumentException("secret key must be 32 bytes, got " + secretKey.length);
        }
        final BigInteger d0 = Secp256k1.toInt(secretKey, 0);
        if (!Secp256k1.isValidSecret(d0))
        {
            throw new IllegalArgumentException("secret key out of range [1, n)");
        }
        final AffinePoint p = Secp256k1.mulG(d0);
        return new SchnorrKeyPair(p.hasEvenY() ? d0 : Secp256k1.N.subtract(d0), p.xBytes());
    }

    BigInteger evenYSecret()
    {
        return evenYSecret;
    }

    /** The 32-byte x-only public key. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    byte[] publicKeyNoCopy()
    {
        return publicKey;
    }
}
