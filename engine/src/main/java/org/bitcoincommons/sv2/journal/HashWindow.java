package org.bitcoincommons.sv2.journal;

import java.util.ArrayDeque;
import java.util.HashSet;

/**
 * The last {@code capacity} distinct 32-byte hashes added, oldest forgotten first: {@link #add} tells whether a hash
 * is new. Used to see each aux block (or reward) once: a repeat arrives within seconds of the first, far inside the
 * window. Single-threaded (callers that share one synchronize); cold path (one call per aux submission, outcome or
 * reward), one small key allocated per new hash.
 */
public final class HashWindow
{
    /** A hash as four little-endian longs: equal keys, equal hashes. */
    private record Key(long a, long b, long c, long d)
    {
        static Key of(final byte[] hash)
        {
            if (hash.length != JournalEvent.HASH_LENGTH)
            {
                throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
            }
            return new Key(word(hash, 0), word(hash, 8), word(hash, 16), word(hash, 24));
        }

        private static long word(final byte[] b, final int offset)
        {
            long v = 0;
            for (int i = 7; i >= 0; i--)
            {
                v = v << 8 | (b[offset + i] & 0xffL);
            }
            return v;
        }
    }

    private final int capacity;
    private final ArrayDeque<Key> order;
    private final HashSet<Key> members;

    /**
     * @param capacity how many distinct hashes are remembered (> 0)
     */
    public HashWindow(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        this.capacity = capacity;
        this.order = new ArrayDeque<>(Math.min(capacity, 1024));
        this.members = new HashSet<>();
    }

    /**
     * Remembers {@code hash} (32 bytes, any order as long as callers agree).
     *
     * @return true when it was not in the window (it is now), false for a repeat
     */
    public boolean add(final byte[] hash)
    {
        final Key k = Key.of(hash);
        if (!members.add(k))
        {
            return false;
        }
        order.addLast(k);
        if (order.size() > capacity)
        {
            members.remove(order.removeFirst());
        }
        return true;
    }

    public boolean contains(final byte[] hash)
    {
        return members.contains(Key.of(hash));
    }

    /** Distinct hashes remembered now (at most the capacity). */
    public int size()
    {
        return order.size();
    }

    public int capacity()
    {
        return capacity;
    }
}
