package org.bitcoincommons.sv2.noise;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * BIP340 Schnorr signatures over secp256k1: 32-byte x-only public keys, 64-byte signatures {@code R.x || s}.
 * Not thread-safe (owns a {@link Sha256}).
 * <p>
 * Side channels: the nonce point uses the generator table (row scans); the final {@code k + e d mod n} uses
 * BigInteger, which is not constant time.
 */
public final class Schnorr
{
    /** Signature length, bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private final Sha256 sha;
    private final byte[] auxTag;
    private final byte[] nonceTag;
    private final byte[] challengeTag;

    public Schnorr(final Sha256 sha)
    {
        this.sha = sha;
        this.auxTag = sha.tagHash("BIP0340/aux");
        this.nonceTag = sha.tagHash("BIP0340/nonce");
        this.challengeTag = sha.tagHash("BIP0340/challenge");
    }

    /** The x-only public key of a 32-byte secret key. */
    public static byte[] publicKey(final byte[] secretKey)
    {
        return SchnorrKeyPair.of(secretKey).publicKey();
    }

    /**
     * Signs message (any length) with a 32-byte secret key and 32 bytes of auxiliary randomness.
     *
     * @throws IllegalArgumentException if the secret key is not in [1, n).
     */
    public byte[] sign(final byte[] secretKey, final byte[] message, final byte[] auxRand)
    {
        return sign(SchnorrKeyPair.of(secretKey), message, auxRand);
    }

    /** Signs message (any length) with a prepared key pair and 32 bytes of auxiliary randomness. */
    public byte[] sign(final SchnorrKeyPair key, final byte[] message, final byte[] auxRand)
    {
        final BigInteger d = key.evenYSecret();
        final byte[] pBytes = key.publicKeyNoCopy();
        final byte[] t = Secp256k1.toBytes(d);
        final byte[] auxHash = sha.tagged(auxTag, auxRand);
        for (int i = 0; i < 32; i++)
        {
            t[i] ^= auxHash[i];
        }
        final BigInteger k0 = new BigInteger(1, sha.tagged(nonceTag, t, pBytes, message)).mod(Secp256k1.N);
        if (k0.signum() == 0)
        {
            throw new IllegalStateException("BIP340 nonce is zero (negligible probability)");
        }
        final AffinePoint r = Secp256k1.mulG(k0);
        final BigInteger k = r.hasEvenY() ? k0 : Secp256k1.N.subtract(k0);
        final byte[] rBytes = r.xBytes();
        final BigInteger e = new BigInteger(1, sha.tagged(challengeTag, rBytes, pBytes, message)).mod(Secp256k1.N);
        final byte[] sig = new byte[SIGNATURE_LENGTH];
        System.arraycopy(rBytes, 0, sig, 0, 32);
        System.arraycopy(Secp256k1.toBytes(k.add(e.multiply(d)).mod(Secp256k1.N)), 0, sig, 32, 32);
        return sig;
    }

    /** BIP340 verification of a 64-byte signature by a 32-byte x-only public key over message (any length). */
    public boolean verify(final byte[] publicKey, final byte[] message, final byte[] signature)
    {
        final SchnorrPublicKey key = SchnorrPublicKey.liftOrNull(publicKey);
        return key != null && verify(key, message, signature);
    }

    /** BIP340 verification with a prepared public key. */
    public boolean verify(final SchnorrPublicKey key, final byte[] message, final byte[] signature)
    {
        if (signature.length != SIGNATURE_LENGTH)
        {
            return false;
        }
        final BigInteger r = Secp256k1.toInt(signature, 0);
        final BigInteger s = Secp256k1.toInt(signature, 32);
        if (r.compareTo(Secp256k1.P) >= 0 || s.compareTo(Secp256k1.N) >= 0)
        {
            return false;
        }
        final byte[] rBytes = Arrays.copyOfRange(signature, 0, 32);
        final BigInteger e = new BigInteger(1, sha.tagged(challengeTag, rBytes, key.xOnlyNoCopy(), message))
            .mod(Secp256k1.N);
        final BigInteger minusE = Secp256k1.N.subtract(e).mod(Secp256k1.N);
        final AffinePoint bigR = key.table() != null
            ? Secp256k1.mulGAddFixed(s, key.table(), minusE)
            : Secp256k1.mulGAdd(s, key.point(), minusE);
        if (bigR == null || !bigR.hasEvenY())
        {
            return false;
        }
        return Arrays.equals(bigR.xBytes(), rBytes);
    }
}
