package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.Secp256k1;
import java.math.BigInteger;
import java.security.SecureRandom;

import org.bitcoincommons.sv2.bitcoin.Base58;

/**
 * Text forms of the authority key pair, as SRI's key-utils writes them:
 * public key = base58check([0x01, 0x00] || x-only key) (SV2 spec 4.7; version 1 as U16 LE),
 * secret key = base58check(32-byte secret) with no prefix.
 * Cold path: config and CLI only.
 */
public final class AuthorityKeys
{
    /** Version of the public key encoding, U16 LE in the first two bytes. */
    public static final int PUBLIC_KEY_VERSION = 1;

    private AuthorityKeys()
    {
    }

    public static String encodePublic(final byte[] xOnly)
    {
        if (xOnly.length != 32)
        {
            throw new IllegalArgumentException("x-only public key must be 32 bytes, got " + xOnly.length);
        }
        final byte[] payload = new byte[34];
        payload[0] = (byte)PUBLIC_KEY_VERSION;
        System.arraycopy(xOnly, 0, payload, 2, 32);
        return Base58.encodeCheck(payload);
    }

    /**
     * @return the 32-byte x-only key.
     * @throws IllegalArgumentException on bad Base58Check, a length other than 34 bytes, a version other than 1, or
     *                                  an x that is not on the curve.
     */
    public static byte[] decodePublic(final String text)
    {
        final byte[] payload = Base58.decodeCheck(text.strip());
        if (payload.length != 34)
        {
            throw new IllegalArgumentException("authority public key must decode to 34 bytes, got " + payload.length);
        }
        final int version = (payload[0] & 0xff) | ((payload[1] & 0xff) << 8);
        if (version != PUBLIC_KEY_VERSION)
        {
            throw new IllegalArgumentException("authority public key has version " + version + ", expected 1");
        }
        final byte[] xOnly = java.util.Arrays.copyOfRange(payload, 2, 34);
        final BigInteger x = Secp256k1.toInt(xOnly, 0);
        if (x.compareTo(Secp256k1.P) >= 0 || Secp256k1.liftX(Secp256k1.fe(xOnly, 0)) == null)
        {
            throw new IllegalArgumentException("authority public key is not a point on secp256k1");
        }
        return xOnly;
    }

    public static String encodeSecret(final byte[] secret)
    {
        checkSecret(secret);
        return Base58.encodeCheck(secret);
    }

    /**
     * @return the 32-byte secret key.
     * @throws IllegalArgumentException on bad Base58Check, a length other than 32 bytes, or a value outside [1, n).
     */
    public static byte[] decodeSecret(final String text)
    {
        final byte[] secret = Base58.decodeCheck(text.strip());
        checkSecret(secret);
        return secret;
    }

    /** The x-only public key of a secret key. */
    public static byte[] publicOf(final byte[] secret)
    {
        checkSecret(secret);
        return Schnorr.publicKey(secret);
    }

    /** A fresh secret key uniform in [1, n). */
    public static byte[] generateSecret(final SecureRandom random)
    {
        final byte[] secret = new byte[32];
        do
        {
            random.nextBytes(secret);
        }
        while (!Secp256k1.isValidSecret(new BigInteger(1, secret)));
        return secret;
    }

    private static void checkSecret(final byte[] secret)
    {
        if (secret.length != 32)
        {
            throw new IllegalArgumentException("authority secret key must be 32 bytes, got " + secret.length);
        }
        if (!Secp256k1.isValidSecret(new BigInteger(1, secret)))
        {
            throw new IllegalArgumentException("authority secret key is out of range [1, n)");
        }
    }
}
