package org.bitcoincommons.sv2.crypto;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The native ChaCha20-Poly1305 behind {@link ChaCha20Poly1305}: one critical FFM downcall per message into
 * libsv2hash.so. Same contract as {@link JavaChaCha20Poly1305}; bounds are checked here because the C code does not.
 * <p>
 * A message of up to {@link #SCRATCH_BYTES} (with its associated data and tag: every share, acknowledgement and job
 * of the mining protocol) is copied into a native scratch buffer of the calling thread, sealed or opened there in
 * place and copied out: nothing allocated per message, and no object per cipher for the caller's arrays (a heap
 * segment over an array is two objects, and a connection's cipher would keep one pair per buffer it sees: a reconnect
 * storm's young collections would copy them all). A longer message is passed as heap segments made for the call.
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
    /** Bytes of a thread's scratch buffer: associated data, message and tag together up to this take no segment. */
    static final int SCRATCH_BYTES = 1024;
    private static final ThreadLocal<MemorySegment> SCRATCH =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_BYTES, 64));

    /** The context: a heap segment over an array of this cipher's own, or a slot's slice of {@link #contexts}. */
    private MemorySegment contextSegment;
    /** Where the context's slot came from, or null (a context of its own). */
    private final CipherContexts contexts;
    private final int slot;
    private int cacheRemaining;
    private int cacheSlot;
    private int cacheN0;
    private long cacheN12;


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
        MemorySegment.copy(key, offset, context(), JAVA_BYTE, 0,
            ChaCha20Poly1305.KEY_LENGTH);
        cacheRemaining = 0;
        return this;
    }

    /** Writes the key set last (the context's first 32 bytes) to {@code dst[offset, offset + 32)}. */
    void copyKey(final byte[] dst, final int offset)
    {
        Objects.checkFromIndexSize(offset, ChaCha20Poly1305.KEY_LENGTH, dst.length);
        MemorySegment.copy(context(), JAVA_BYTE, 0, dst, offset,
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
        final MemorySegment context = context();
        if (adLength + length + TAG_LENGTH <= SCRATCH_BYTES)
        {
            final MemorySegment s = SCRATCH.get();
            MemorySegment.copy(ad, adOffset, s, JAVA_BYTE, 0, adLength);
            MemorySegment.copy(src, srcOffset, s, JAVA_BYTE, adLength, length);
            final int n = NativeAead.seal(context, useCache(n0, n12), n0, n12, adLength == 0 ? MemorySegment.NULL : s,
                0, adLength, s, adLength, length, s, adLength);
            MemorySegment.copy(s, JAVA_BYTE, adLength, dst, dstOffset, n);
            return n;
        }
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : MemorySegment.ofArray(ad);
        return NativeAead.seal(context, useCache(n0, n12), n0, n12, adSegment, adOffset, adLength,
            MemorySegment.ofArray(src), srcOffset, length, MemorySegment.ofArray(dst), dstOffset);
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
        final MemorySegment context = context();
        if (adLength + length <= SCRATCH_BYTES)
        {
            final MemorySegment s = SCRATCH.get();
            MemorySegment.copy(ad, adOffset, s, JAVA_BYTE, 0, adLength);
            MemorySegment.copy(src, srcOffset, s, JAVA_BYTE, adLength, length);
            final int n = NativeAead.open(context, useCache(n0, n12), n0, n12, adLength == 0 ? MemorySegment.NULL : s,
                0, adLength, s, adLength, length, s, adLength);
            if (n > 0)
            {
                MemorySegment.copy(s, JAVA_BYTE, adLength, dst, dstOffset, n);   // nothing written when it fails
            }
            return n;
        }
        final MemorySegment adSegment = adLength == 0 ? MemorySegment.NULL : MemorySegment.ofArray(ad);
        return NativeAead.open(context, useCache(n0, n12), n0, n12, adSegment, adOffset, adLength,
            MemorySegment.ofArray(src), srcOffset, length, MemorySegment.ofArray(dst), dstOffset);
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
}
