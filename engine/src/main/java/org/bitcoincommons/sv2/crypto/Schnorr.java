package org.bitcoincommons.sv2.crypto;

/**
 * BIP340 Schnorr signatures over secp256k1: 32-byte x-only public keys, 64-byte signatures {@code R.x || s}.
 * The curve work runs on an {@link EcBackend} (native or Java, see {@link EcBackends}). Not thread-safe (owns a
 * {@link Sha256}).
 */
public final class Schnorr
{
    /** Signature length, bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private final Sha256 sha;
    private final EcBackend backend;

    /** A signer on the JVM's selected backend. */
    public Schnorr(final Sha256 sha)
    {
        this(sha, EcBackends.selected());
    }

    public Schnorr(final Sha256 sha, final EcBackend backend)
    {
        this.sha = sha;
        this.backend = backend;
    }

    public EcBackend backend()
    {
        return backend;
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
        return backend.sign(sha, key, message, auxRand);
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
        return backend.verify(sha, key, message, signature);
    }
}
