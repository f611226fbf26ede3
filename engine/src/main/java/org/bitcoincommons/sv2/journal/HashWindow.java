package org.bitcoincommons.sv2.journal;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashSet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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

    /**
     * Writes the hashes, oldest first (u32 count, then 32 bytes each, as they were added), for a snapshot.
     *
     * @return the bytes written
     */
    int encode(final MutableDirectBuffer b, final int offset)
    {
        b.putInt(offset, order.size(), ByteOrder.LITTLE_ENDIAN);
        int p = offset + 4;
        for (final Key k : order)
        {
            b.putLong(p, k.a(), ByteOrder.LITTLE_ENDIAN);
            b.putLong(p + 8, k.b(), ByteOrder.LITTLE_ENDIAN);
            b.putLong(p + 16, k.c(), ByteOrder.LITTLE_ENDIAN);
            b.putLong(p + 24, k.d(), ByteOrder.LITTLE_ENDIAN);
            p += JournalEvent.HASH_LENGTH;
        }
        return p - offset;
    }

    /**
     * Adds the hashes {@link #encode} wrote, in their order, to this (empty) window.
     *
     * @return the bytes read
     * @throws JournalException when they do not fit in {@code end} or exceed the capacity
     */
    int decode(final DirectBuffer b, final int offset, final int end)
    {
        if (end - offset < 4)
        {
            throw new JournalException("hash window is truncated");
        }
        final int count = b.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        if (count < 0 || count > capacity || (long)count * JournalEvent.HASH_LENGTH > end - offset - 4)
        {
            throw new JournalException("hash window of " + count + " hashes does not fit (capacity " + capacity + ")");
        }
        int p = offset + 4;
        for (int i = 0; i < count; i++)
        {
            final Key k = new Key(b.getLong(p, ByteOrder.LITTLE_ENDIAN), b.getLong(p + 8, ByteOrder.LITTLE_ENDIAN),
                b.getLong(p + 16, ByteOrder.LITTLE_ENDIAN), b.getLong(p + 24, ByteOrder.LITTLE_ENDIAN));
            if (members.add(k))
            {
                order.addLast(k);
            }
            p += JournalEvent.HASH_LENGTH;
        }
        return p - offset;
    }
}
