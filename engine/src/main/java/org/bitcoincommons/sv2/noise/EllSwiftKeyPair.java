package org.bitcoincommons.sv2.noise;

import java.math.BigInteger;

/**
 * A secret scalar and a 64-byte ElligatorSwift encoding of its public key (as sent in the handshake).
 *
 * @param secret  1 <= secret < n.
 * @param encoded 64 bytes u || t.
 */
public record EllSwiftKeyPair(BigInteger secret, byte[] encoded)
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
    }
}
