package org.bitcoincommons.sv2.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The native AEAD contexts of many connections (each {@link NativeAead#CONTEXT_LENGTH} bytes: the key, then the
 * keystream cache) in off-heap chunks, reused from one connection to the next. A connection's two ciphers then hold
 * a slot number and a slice made once for that slot, instead of a context array and a heap segment over it each: a
 * reconnect storm makes no long-lived object for them, so young collections have nothing of theirs to copy.
 * <p>
 * A slot is taken when a cipher is keyed ({@link ChaCha20Poly1305#ChaCha20Poly1305(AeadImpl, CipherContexts)}) and
 * given back by {@link ChaCha20Poly1305#release}, which wipes it; the cipher refuses any use after that. Whoever
 * creates ciphers on a pool of contexts must release them: a slot never given back stays taken until the pool is
 * closed. Chunks are added as needed, up to {@code maxSlots}; past it a cipher gets a context of its own on the heap
 * (counted in {@link #overflows}). Taking and giving back hold one lock for a few instructions; any thread.
 */
public final class CipherContexts implements AutoCloseable
{
    /** Contexts per chunk (416 KiB of native memory each). */
    static final int CHUNK_SLOTS = 1024;

    private final Arena arena = Arena.ofShared();
    private final int maxSlots;
    /** Slot -> its slice, made once when its chunk was added. */
    private MemorySegment[] slices = new MemorySegment[0];
    /** A stack of the free slots. */
    private int[] free = new int[0];
    private int freeCount;
    private int inUse;
    private long overflows;
    private boolean closed;

    /**
     * @param maxSlots the most contexts held at once (two per connection); past it ciphers get heap contexts
     */
    public CipherContexts(final int maxSlots)
    {
        if (maxSlots < 1)
        {
            throw new IllegalArgumentException("maxSlots must be >= 1, got " + maxSlots);
        }
        this.maxSlots = maxSlots;
    }

    /** A free slot, or -1 when {@code maxSlots} are taken (or the pool is closed). */
    synchronized int take()
    {
        if (closed)
        {
            return -1;
        }
        if (freeCount == 0 && !grow())
        {
            overflows++;
            return -1;
        }
        inUse++;
        return free[--freeCount];
    }

    /** The slice of slot {@code slot}: made once, the same object for every cipher that holds the slot. */
    synchronized MemorySegment slice(final int slot)
    {
        return slices[slot];
    }

    /** Wipes slot {@code slot} and makes it free again. Once per {@link #take}. */
    synchronized void give(final int slot)
    {
        if (closed)
        {
            return;   // the memory is gone with the arena
        }
        slices[slot].fill((byte)0);
        free[freeCount++] = slot;
        inUse--;
    }

    private boolean grow()
    {
        final int have = slices.length;
        if (have >= maxSlots)
        {
            return false;
        }
        final int add = Math.min(CHUNK_SLOTS, maxSlots - have);
        final MemorySegment chunk = arena.allocate((long)add * NativeAead.CONTEXT_LENGTH, 64);
        slices = Arrays.copyOf(slices, have + add);
        free = Arrays.copyOf(free, have + add);
        for (int i = add - 1; i >= 0; i--)
        {
            slices[have + i] = chunk.asSlice((long)i * NativeAead.CONTEXT_LENGTH, NativeAead.CONTEXT_LENGTH);
            free[freeCount++] = have + i;   // the lowest slot on top: a quiet pool keeps using its first contexts
        }
        return true;
    }

    /** Contexts taken and not given back. */
    public synchronized int inUse()
    {
        return inUse;
    }

    /** Contexts the chunks hold (taken or free). */
    public synchronized int capacity()
    {
        return slices.length;
    }

    /** Ciphers that found every slot taken and got a heap context instead. */
    public synchronized long overflows()
    {
        return overflows;
    }

    /**
     * Frees the native memory. A cipher still holding a slot fails on its next use (the memory's arena is closed),
     * never touches freed memory. Call once no connection uses the pool's ciphers any more.
     */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                arena.close();
            }
            catch (final IllegalStateException ex)
            {
                // a cipher is in a native call right now (a connection not yet ended): the memory stays until exit
            }
        }
    }
}
