package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.ChaCha20Poly1305;

/**
 * A Noise CipherState: a ChaCha20-Poly1305 key (or none) and a 64-bit message counter. The counter becomes the
 * nonce {@code 00000000 || u64 LE}; a failed decryption does not advance it; reaching 2^64 - 1 is fatal.
 * Not thread-safe: one per direction.
 */
public final class CipherState
{
    /** Nonce value Noise reserves; a cipher state that reaches it is exhausted. */
    static final long MAX_NONCE = -1L;

    private final ChaCha20Poly1305 aead;
    private boolean hasKey;
    private long nonce;

    /** A cipher state on the AEAD implementation chosen for this JVM ({@link AeadImpl#selected()}). */
    public CipherState()
    {
        this(AeadImpl.selected());
    }

    /** A cipher state on the given AEAD implementation. */
    public CipherState(final AeadImpl impl)
    {
        this.aead = new ChaCha20Poly1305(impl);
    }

    /** A cipher state whose native context is a slot of {@code contexts} (null: one of its own); see {@link #release}. */
    public CipherState(final AeadImpl impl, final org.bitcoincommons.sv2.crypto.CipherContexts contexts)
    {
        this.aead = new ChaCha20Poly1305(impl, contexts);
    }

    /**
     * Done with: a pooled native context is wiped and given back; any later use of a native cipher fails (a Java one
     * keeps its key: nothing pooled). Idempotent. (The state keeps
     * {@code hasKey}: a released state must fail, never fall back to the keyless copy.)
     */
    public void release()
    {
        aead.release();
    }

    boolean pooledContext()
    {
        return aead.pooledContext();
    }

    /** Sets a 32-byte key and resets the nonce to 0. */
    public CipherState initializeKey(final byte[] newKey)
    {
        aead.key(newKey, 0);   // its first 32 bytes; the cipher keeps the one copy
        hasKey = true;
        nonce = 0;
        return this;
    }

    public boolean hasKey()
    {
        return hasKey;
    }

    /** The next nonce to be used. */
    public long nonce()
    {
        return nonce;
    }

    /** For tests: a copy of the key. */
    byte[] key()
    {
        final byte[] key = new byte[ChaCha20Poly1305.KEY_LENGTH];
        aead.copyKey(key, 0);
        return key;
    }

    /** For tests of nonce exhaustion. */
    void nonce(final long value)
    {
        nonce = value;
    }

    /**
     * Encrypts length bytes with associated data ad into dst (ciphertext then tag); without a key, copies.
     *
     * @return bytes written.
     */
    public int encryptWithAd(
        final byte[] ad, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset) throws NoiseException
    {
        if (!hasKey)
        {
            System.arraycopy(src, srcOffset, dst, dstOffset, length);
            return length;
        }
        checkNonce();
        final int written = aead.encrypt(nonce, ad, 0, adLength, src, srcOffset, length, dst, dstOffset);
        nonce++;
        return written;
    }

    /**
     * Authenticates and decrypts length bytes (ciphertext then tag) into dst; without a key, copies.
     *
     * @return plaintext bytes written.
     * @throws NoiseException BAD_MAC when the tag does not match, NONCE_EXHAUSTED at the reserved nonce.
     */
    public int decryptWithAd(
        final byte[] ad, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset) throws NoiseException
    {
        if (!hasKey)
        {
            System.arraycopy(src, srcOffset, dst, dstOffset, length);
            return length;
        }
        checkNonce();
        final int written = aead.decrypt(nonce, ad, 0, adLength, src, srcOffset, length, dst, dstOffset);
        if (written < 0)
        {
            throw new NoiseException(NoiseException.Reason.BAD_MAC, "authentication failed at nonce " + nonce);
        }
        nonce++;
        return written;
    }

    private void checkNonce() throws NoiseException
    {
        if (nonce == MAX_NONCE)
        {
            throw new NoiseException(NoiseException.Reason.NONCE_EXHAUSTED, "nonce reached 2^64-1");
        }
    }
}
