package org.bitcoincommons.sv2.noise;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439) over byte arrays with the SV2 nonce layout: 4 zero bytes then a u64 LE counter.
 * Encrypts and decrypts in place or into caller buffers and allocates nothing after construction.
 * <p>
 * Runs the native code of libsv2hash.so (one FFM downcall per message, on the arrays themselves) or the pure-Java
 * code, as {@link AeadImpl#selected()} or the constructor says. Not thread-safe: one instance per direction of one
 * connection (its scratch state is reused per message).
 */
public final class ChaCha20Poly1305
{
    /** Key length, bytes. */
    public static final int KEY_LENGTH = 32;
    /** Authentication tag length, bytes. */
    public static final int TAG_LENGTH = 16;

    /** The Java code, or null when native. */
    private final JavaChaCha20Poly1305 java;
    /** For native: the key, and a segment over it. */
    private final byte[] key = new byte[KEY_LENGTH];
    private final MemorySegment keySegment = MemorySegment.ofArray(key);
    /*
     * For native: ChaCha20 blocks 0 and 1 of the next nonces. A native call that computes its own blocks computes
     * those of the next three nonces alongside for little more (see native/include/sv2aead.h), and a cipher state's
     * next messages use exactly those nonces, so three messages in four skip ChaCha20's first two blocks. The cache
     * holds cacheRemaining slots from cacheSlot on, for nonces (cacheN0, cacheN12), (cacheN0, cacheN12 + 1), ...
     */
    private final byte[] cache = new byte[NativeAead.CACHE_LENGTH];
    private final MemorySegment cacheSegment = MemorySegment.ofArray(cache);
    private int cacheRemaining;
    private int cacheSlot;
    private int cacheN0;
    private long cacheN12;
    /*
     * For native: heap segments over the last few arrays seen (whatever the argument position), replaced round robin.
     * A downcall does not let escape analysis remove MemorySegment.ofArray (about 72 bytes per segment); a
     * connection's cipher sees the same few long-lived buffers message after message (a header array and a frame
     * buffer, say), so the steady state allocates nothing.
     */
    private static final int SEGMENT_SLOTS = 4;
    private final byte[][] segmentArrays = new byte[SEGMENT_SLOTS][];
    private final MemorySegment[] segments = new MemorySegment[SEGMENT_SLOTS];
    private int nextSegmentSlot;

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
        if (!impl.available())
        {
            throw new IllegalStateException("native ChaCha20-Poly1305 unavailable", NativeAead.FAILURE);
        }
        this.java = impl == AeadImpl.JAVA ? new JavaChaCha20Poly1305() : null;
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
            System.arraycopy(key, offset, this.key, 0, KEY_LENGTH);
            cacheRemaining = 0;
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
        return encrypt(0, (int)nonce, (int)(nonce >>> 32), ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
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
        Objects.checkFromIndexSize(adOffset, adLength, ad.length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length + TAG_LENGTH, dst.length);
        final long n12 = nonce12(n1, n2);
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : segment(ad);
        return NativeAead.seal(keySegment, n0, n12, adSegment, adOffset, adLength, segment(src), srcOffset, length,
            segment(dst), dstOffset, cacheSegment, useCache(n0, n12));
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
        return decrypt(0, (int)nonce, (int)(nonce >>> 32), ad, adOffset, adLength, src, srcOffset, length, dst, dstOffset);
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
        if (length < TAG_LENGTH)
        {
            return -1;
        }
        Objects.checkFromIndexSize(adOffset, adLength, ad.length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length - TAG_LENGTH, dst.length);
        final long n12 = nonce12(n1, n2);
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : segment(ad);
        return NativeAead.open(keySegment, n0, n12, adSegment, adOffset, adLength, segment(src), srcOffset, length,
            segment(dst), dstOffset, cacheSegment, useCache(n0, n12));
    }

    /**
     * The native {@code cached} argument: slot + 1 when the cache holds this nonce's blocks (the call uses them), else
     * 0: the call computes them and refills the cache with the next three nonces' blocks.
     */
    private int useCache(final int n0, final long n12)
    {
        if (cacheRemaining > 0 && n12 == cacheN12 && n0 == cacheN0)
        {
            final int slot = cacheSlot;
            cacheSlot = slot + 1;
            cacheRemaining--;
            cacheN12 = n12 + 1;
            return slot + 1;
        }
        cacheRemaining = NativeAead.CACHE_SLOTS;
        cacheSlot = 0;
        cacheN0 = n0;
        cacheN12 = n12 + 1;
        return 0;
    }

    private MemorySegment segment(final byte[] array)
    {
        for (int i = 0; i < SEGMENT_SLOTS; i++)
        {
            if (segmentArrays[i] == array)
            {
                return segments[i];
            }
        }
        final int slot = nextSegmentSlot;
        nextSegmentSlot = (slot + 1) % SEGMENT_SLOTS;
        final MemorySegment segment = MemorySegment.ofArray(array);
        segmentArrays[slot] = array;
        segments[slot] = segment;
        return segment;
    }

    /** The last 8 nonce bytes as one little-endian long. */
    private static long nonce12(final int n1, final int n2)
    {
        return (n1 & 0xffffffffL) | ((long)n2 << 32);
    }
}
