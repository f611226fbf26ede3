package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * The Noise SymmetricState for {@code Noise_NX_Secp256k1+EllSwift_ChaChaPoly_SHA256}: chaining key ck, handshake hash
 * h and the handshake CipherState. Not thread-safe: one per handshake.
 */
final class SymmetricState
{
    static final String PROTOCOL_NAME = "Noise_NX_Secp256k1+EllSwift_ChaChaPoly_SHA256";
    private static final byte[] EMPTY = new byte[0];
    // The name is 45 bytes (> 32), so h = SHA256(name); ck = h; then MixHash of the empty prologue: the same for every
    // handshake, so hashed once.
    private static final byte[] INITIAL_CK = new Sha256().hash(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    private static final byte[] INITIAL_H = new Sha256().hash(INITIAL_CK);

    private final Sha256 sha;
    private final byte[] ck;
    private byte[] h;
    private final byte[] tempK = new byte[32];
    private final CipherState cipher = new CipherState();

    SymmetricState(final Sha256 sha)
    {
        this.sha = sha;
        this.ck = INITIAL_CK.clone();
        this.h = INITIAL_H.clone();
    }

    /**
     * Replaces the empty prologue by {@code prologue}: h = SHA256(ck || prologue) (Noise 5.3, InitializeSymmetric then
     * MixHash(prologue)). Both sides must call it with the same bytes before the first message, or act 2 fails to
     * authenticate. Used by QUIC to bind the handshake to the TLS certificate the client saw.
     */
    void prologue(final byte[] prologue)
    {
        h = sha.hash(ck, prologue);
    }

    void mixHash(final byte[] data, final int offset, final int length)
    {
        sha.hash(h, data, offset, length, h, 0);
    }

    void mixKey(final byte[] ikm)
    {
        sha.hkdf2(ck, ikm, ikm.length, ck, tempK);
        cipher.initializeKey(tempK);
    }

    int encryptAndHash(final byte[] src, final int srcOffset, final int length, final byte[] dst, final int dstOffset)
        throws NoiseException
    {
        final int written = cipher.encryptWithAd(h, h.length, src, srcOffset, length, dst, dstOffset);
        mixHash(dst, dstOffset, written);
        return written;
    }

    /** Decrypts in a copy first so that h mixes the ciphertext. */
    int decryptAndHash(final byte[] src, final int srcOffset, final int length, final byte[] dst, final int dstOffset)
        throws NoiseException
    {
        final byte[] ciphertext = java.util.Arrays.copyOfRange(src, srcOffset, srcOffset + length);
        final int written = cipher.decryptWithAd(h, h.length, ciphertext, 0, length, dst, dstOffset);
        mixHash(ciphertext, 0, length);
        return written;
    }

    /** Noise Split(): (k1, k2) = HKDF(ck, empty). */
    void split(final byte[] k1, final byte[] k2)
    {
        sha.hkdf2(ck, EMPTY, 0, k1, k2);
    }

    byte[] chainingKey()
    {
        return ck.clone();
    }

    byte[] handshakeHash()
    {
        return h.clone();
    }
}
