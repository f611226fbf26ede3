package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A secret scalar, a 64-byte ElligatorSwift encoding of its public key (as sent in the handshake), and the public
 * key's 32-byte x-coordinate.
 *
 * @param secret  1 <= secret < n.
 * @param encoded 64 bytes u || t.
 * @param xOnly   32-byte big-endian x of secret * G, equal to the decoding of encoded.
 */
public record EllSwiftKeyPair(BigInteger secret, byte[] encoded, byte[] xOnly)
{
    public EllSwiftKeyPair
    {
        if (!Secp256k1.isValidSecret(secret))
        {
            throw new IllegalArgumentException("secret out of range [1, n)");
        }
        if (encoded.length != EllSwift.LENGTH)
        {
            throw new IllegalArgumentException("encoding must be " + EllSwift.LENGTH + " bytes, got " + encoded.length);
        }
        if (xOnly.length != 32)
        {
            throw new IllegalArgumentException("x-only key must be 32 bytes, got " + xOnly.length);
        }
    }

    /** A pair whose x-coordinate is taken from decoding the given encoding (for injected, fixed encodings). */
    public EllSwiftKeyPair(final BigInteger secret, final byte[] encoded)
    {
        this(secret, encoded, EllSwift.decodeToBytes(encoded, 0));
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof EllSwiftKeyPair other && secret.equals(other.secret)
            && Arrays.equals(encoded, other.encoded) && Arrays.equals(xOnly, other.xOnly);
    }

    @Override
    public int hashCode()
    {
        return secret.hashCode() * 31 + Arrays.hashCode(encoded);
    }

    @Override
    public String toString()
    {
        return "EllSwiftKeyPair[secret=<hidden>]";
    }
}
