package org.bitcoincommons.sv2.crypto;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The native ChaCha20-Poly1305 behind {@link ChaCha20Poly1305}: one critical FFM downcall per message into
 * libsv2hash.so on the caller's arrays. Same contract as {@link JavaChaCha20Poly1305}; bounds are checked here
 * because the C code does not. Allocates nothing per message once it has seen the caller's buffers.
 * <p>
 * Context layout (an array of its own, or a slot of a {@link CipherContexts}), see native/include/sv2aead.h:
 * <pre>
 *  +-----------+-------------------+-------------------+-------------------+
 *  | key (32)  | cache slot 0 (128)| cache slot 1 (128)| cache slot 2 (128)|
 *  +-----------+-------------------+-------------------+-------------------+
 *   0           32                  160                 288                 416
 * </pre>
 * A cache slot holds ChaCha20 blocks 0 and 1 of one of the next nonces. A call that computes its own blocks computes
 * those of the next three nonces alongside for little more, and a cipher state's next messages use exactly those
 * nonces, so three messages in four skip ChaCha20's latency chain. The slots from cacheSlot on (cacheRemaining of
 * them) belong to nonces (cacheN0, cacheN12), (cacheN0, cacheN12 + 1), ...
 * Not thread-safe.
 */
final class NativeChaCha20Poly1305
{
    private static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
    private static final int SEGMENT_SLOTS = 4;

    /** The context: a heap segment over an array of this cipher's own, or a slot's slice of {@link #contexts}. */
    private MemorySegment contextSegment;
    /** Where the context's slot came from, or null (a context of its own). */
    private final CipherContexts contexts;
    private final int slot;
    private int cacheRemaining;
    private int cacheSlot;
    private int cacheN0;
    private long cacheN12;

    /*
     * Heap segments over the last few arrays seen (whatever the argument position), replaced round robin. A downcall
     * does not let escape analysis remove MemorySegment.ofArray (about 72 bytes per segment); a connection's cipher
     * sees the same few long-lived buffers message after message (a header array and a frame buffer), so the steady
     * state allocates nothing.
     */
    /** Slot i: the array at 2i, its segment at 2i + 1 (one object for the cache, not two). */
    private final Object[] segmentCache = new Object[2 * SEGMENT_SLOTS];
    private int nextSegmentSlot;

    /**
     * A cipher whose context is a slot of {@code contexts} (until {@link #release}); a context of its own on the heap
     * when {@code contexts} is null or has no slot free.
     */
    NativeChaCha20Poly1305(final CipherContexts contexts)
    {
        final int s = contexts == null ? -1 : contexts.take();
        this.contexts = s < 0 ? null : contexts;
        this.slot = s;
        this.contextSegment = s < 0 ? MemorySegment.ofArray(new byte[NativeAead.CONTEXT_LENGTH]) : contexts.slice(s);
    }

    NativeChaCha20Poly1305 key(final byte[] key, final int offset)
    {
        Objects.checkFromIndexSize(offset, ChaCha20Poly1305.KEY_LENGTH, key.length);
        MemorySegment.copy(key, offset, context(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
            ChaCha20Poly1305.KEY_LENGTH);
        cacheRemaining = 0;
        return this;
    }

    /** Writes the key set last (the context's first 32 bytes) to {@code dst[offset, offset + 32)}. */
    void copyKey(final byte[] dst, final int offset)
    {
        Objects.checkFromIndexSize(offset, ChaCha20Poly1305.KEY_LENGTH, dst.length);
        MemorySegment.copy(context(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, dst, offset,
            ChaCha20Poly1305.KEY_LENGTH);
    }

    /** Whether the context is a slot of a {@link CipherContexts} (false: an array of its own). */
    boolean pooledContext()
    {
        return contexts != null;
    }

    /**
     * Gives a pooled context back (wiped) and refuses any further use; a context of its own is simply dropped.
     * Idempotent; on the thread that uses the cipher.
     */
    void release()
    {
        final MemorySegment c = contextSegment;
        if (c == null)
        {
            return;
        }
        contextSegment = null;
        if (contexts != null)
        {
            contexts.give(slot);
        }
    }

    private MemorySegment context()
    {
        final MemorySegment c = contextSegment;
        if (c == null)
        {
            throw new IllegalStateException("cipher used after release");
        }
        return c;
    }

    int encrypt(
        final int n0, final long n12,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        Objects.checkFromIndexSize(adOffset, adLength, ad.length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length + TAG_LENGTH, dst.length);
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : segment(ad);
        return NativeAead.seal(context(), useCache(n0, n12), n0, n12, adSegment, adOffset, adLength,
            segment(src), srcOffset, length, segment(dst), dstOffset);
    }

    int decrypt(
        final int n0, final long n12,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        if (length < TAG_LENGTH)
        {
            return -1;
        }
        Objects.checkFromIndexSize(adOffset, adLength, ad.length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length - TAG_LENGTH, dst.length);
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : segment(ad);
        return NativeAead.open(context(), useCache(n0, n12), n0, n12, adSegment, adOffset, adLength,
            segment(src), srcOffset, length, segment(dst), dstOffset);
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
        final Object[] cache = segmentCache;
        for (int i = 0; i < cache.length; i += 2)
        {
            if (cache[i] == array)
            {
                return (MemorySegment)cache[i + 1];
            }
        }
        // A new array is usually a buffer that grew: forget the smaller ones (the outgrown buffer among them) so the
        // cache never keeps dead buffers alive; a small live one (a header array) simply comes back on its next use.
        for (int i = 0; i < cache.length; i += 2)
        {
            if (cache[i] != null && ((byte[])cache[i]).length < array.length)
            {
                cache[i] = null;
                cache[i + 1] = null;
            }
        }
        int slot = -1;
        for (int i = 0; i < SEGMENT_SLOTS && slot < 0; i++)
        {
            slot = cache[2 * i] == null ? i : -1;
        }
        if (slot < 0)
        {
            slot = nextSegmentSlot;
            nextSegmentSlot = (slot + 1) % SEGMENT_SLOTS;
        }
        final MemorySegment segment = MemorySegment.ofArray(array);
        cache[2 * slot] = array;
        cache[2 * slot + 1] = segment;
        return segment;
    }
}
