package org.bitcoincommons.sv2.crypto;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439) over byte arrays with the SV2 nonce layout: 4 zero bytes then a u64 LE counter.
 * Encrypts and decrypts in place or into caller buffers and allocates nothing after construction (native: after it
 * has seen the caller's buffers once).
 * <p>
 * Runs the native code of libsv2hash.so ({@link NativeChaCha20Poly1305}, one FFM downcall per message on the arrays
 * themselves) or the pure-Java code ({@link JavaChaCha20Poly1305}), as {@link AeadImpl#selected()} or the constructor
 * says. Not thread-safe: one instance per direction of one connection (its scratch state is reused per message).
 */
public final class ChaCha20Poly1305
{
    /** Key length, bytes. */
    public static final int KEY_LENGTH = 32;
    /** Authentication tag length, bytes. */
    public static final int TAG_LENGTH = 16;

    /** Exactly one of the two is non-null. */
    /**
     * Longest message (plaintext, or ciphertext with its tag) the native code takes in one critical downcall, which
     * holds off garbage collection while it runs; SV2 transport chunks never exceed it. Longer messages, which only
     * direct users of this class can pass, go through the Java code with the same key.
     */
    static final int MAX_NATIVE_LENGTH = 65535 + TAG_LENGTH;

    private final JavaChaCha20Poly1305 java;
    private final NativeChaCha20Poly1305 nativeCode;
    /** Native instances: the Java code for messages over MAX_NATIVE_LENGTH, keyed alike; created on first need. */
    private JavaChaCha20Poly1305 longMessages;

    /** A cipher on the implementation chosen for this JVM. */
    public ChaCha20Poly1305()
    {
        this(AeadImpl.selected());
    }

    /**
     * A cipher on the given implementation.
     *
     * @throws IllegalStateException if impl is native and the native library is unusable.
     */
    public ChaCha20Poly1305(final AeadImpl impl)
    {
        this(impl, null);
    }

    /**
     * A cipher on the given implementation whose native context is a slot of {@code contexts} (when native, and a
     * slot is free; null: a context of its own); give it back with {@link #release} at the connection's end.
     *
     * @throws IllegalStateException if impl is native and the native library is unusable.
     */
    public ChaCha20Poly1305(final AeadImpl impl, final CipherContexts contexts)
    {
        if (!impl.available())
        {
            throw new IllegalStateException("native ChaCha20-Poly1305 unavailable", NativeAead.FAILURE);
        }
        this.java = impl == AeadImpl.JAVA ? new JavaChaCha20Poly1305() : null;
        this.nativeCode = impl == AeadImpl.NATIVE ? new NativeChaCha20Poly1305(contexts) : null;
    }

    /**
     * The cipher is done with: a pooled native context is wiped and given back, and any further use of a native
     * cipher fails ({@link IllegalStateException}). Idempotent; on the thread that uses the cipher. A Java cipher's key
     * stays (nothing pooled to give back).
     */
    public void release()
    {
        if (nativeCode != null)
        {
            nativeCode.release();
        }
    }

    /** Whether the native context is a slot of a {@link CipherContexts} (tests and metrics). */
    public boolean pooledContext()
    {
        return nativeCode != null && nativeCode.pooledContext();
    }

    /**
     * Writes the key set last to {@code dst[offset, offset + 32)} (tests, and the Java code that takes a native
     * instance's longest messages: the key is kept once, where the cipher uses it).
     */
    public void copyKey(final byte[] dst, final int offset)
    {
        if (java != null)
        {
            java.copyKey(dst, offset);
        }
        else
        {
            nativeCode.copyKey(dst, offset);
        }
    }

    /** The implementation this instance runs. */
    public AeadImpl impl()
    {
        return java == null ? AeadImpl.NATIVE : AeadImpl.JAVA;
    }

    /**
     * Sets the 32-byte key used by the following calls.
     */
    public ChaCha20Poly1305 key(final byte[] key, final int offset)
    {
        if (java != null)
        {
            java.key(key, offset);
        }
        else
        {
            nativeCode.key(key, offset);
            if (longMessages != null)
            {
                longMessages.key(key, offset);
            }
        }
        return this;
    }

    /**
     * Encrypts {@code length} bytes of src into dst and writes the 16-byte tag right after them.
     * src and dst may be the same array at the same offset.
     *
     * @return bytes written to dst: {@code length + TAG_LENGTH}.
     */
    public int encrypt(
        final long nonce,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        return encrypt(0, (int)nonce, (int)(nonce >>> 32), ad, adOffset, adLength, src, srcOffset, length, dst,
            dstOffset);
    }

    /**
     * As {@link #encrypt(long, byte[], int, int, byte[], int, int, byte[], int)} with a general 96-bit nonce given as
     * its three little-endian 32-bit words (RFC 8439 layout).
     */
    int encrypt(
        final int n0, final int n1, final int n2,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        if (java != null)
        {
            return java.encrypt(n0, n1, n2, ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
        }
        if (length > MAX_NATIVE_LENGTH)
        {
            return longMessages().encrypt(n0, n1, n2, ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
        }
        return nativeCode.encrypt(n0, nonce12(n1, n2), ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
    }

    /**
     * Checks the tag of {@code length} bytes (ciphertext followed by its 16-byte tag) and, if it matches, decrypts the
     * ciphertext into dst. On a mismatch dst is left untouched. dst may be src at the same offset or below it.
     *
     * @return plaintext length, or -1 if the tag does not match or the input is shorter than a tag.
     */
    public int decrypt(
        final long nonce,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        return decrypt(0, (int)nonce, (int)(nonce >>> 32), ad, adOffset, adLength, src, srcOffset, length, dst,
            dstOffset);
    }

    /**
     * As {@link #decrypt(long, byte[], int, int, byte[], int, int, byte[], int)} with a general 96-bit nonce.
     */
    int decrypt(
        final int n0, final int n1, final int n2,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        if (java != null)
        {
            return java.decrypt(n0, n1, n2, ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
        }
        if (length > MAX_NATIVE_LENGTH)
        {
            return longMessages().decrypt(n0, n1, n2, ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
        }
        return nativeCode.decrypt(n0, nonce12(n1, n2), ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
    }

    /** The last 8 nonce bytes as one little-endian long. */
    private JavaChaCha20Poly1305 longMessages()
    {
        if (longMessages == null)
        {
            final byte[] key = new byte[KEY_LENGTH];
            nativeCode.copyKey(key, 0);
            longMessages = new JavaChaCha20Poly1305().key(key, 0);
        }
        return longMessages;
    }

    private static long nonce12(final int n1, final int n2)
    {
        return (n1 & 0xffffffffL) | ((long)n2 << 32);
    }
}
