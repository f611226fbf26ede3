package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Argument checks shared by the backends, done before any native call so that a short segment is an
 * exception in Java and never a write out of bounds in C.
 */
final class SegmentChecks
{
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SegmentChecks()
    {
    }

    static void records(final MemorySegment segment, final int count, final int recordLength, final String name)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (segment.byteSize() < (long)count * recordLength)
        {
            throw new IllegalArgumentException(
                name + " holds " + segment.byteSize() + " bytes, need " + (long)count * recordLength);
        }
    }

    static boolean optional(final MemorySegment segment)
    {
        return segment != null && !segment.equals(MemorySegment.NULL);
    }

    static void scan(final MemorySegment prefix, final long count, final MemorySegment target,
        final MemorySegment found, final int maxFound)
    {
        if (count < 0 || count > NonceScanner.MAX_COUNT)
        {
            throw new IllegalArgumentException("nonce count must be in [0, 2^32 - 1]: " + count);
        }
        if (maxFound < 0)
        {
            throw new IllegalArgumentException("maxFound must be >= 0: " + maxFound);
        }
        records(prefix, 1, NonceScanner.PREFIX_LENGTH, "prefix");
        records(target, 1, HeaderHasher.TARGET_LENGTH, "target");
        records(found, maxFound, Integer.BYTES, "found");
    }

    /** The segment lengths of a coinbase batch ({@link CoinbaseDescriptor}); the native call checks the records. */
    static void coinbaseSegments(final MemorySegment records, final MemorySegment headers, final int count,
        final MemorySegment hashes)
    {
        records(records, count, CoinbaseDescriptor.RECORD_LENGTH, "records");
        records(headers, count, HeaderHasher.HEADER_LENGTH, "headers");
        records(hashes, count, HeaderHasher.HASH_LENGTH, "hashes");
    }

    /**
     * Every check of a coinbase batch for the pure-Java backend: the same rules as the native call (sv2hash.h), so
     * every backend rejects the same records before writing anything.
     */
    static void coinbases(final MemorySegment contexts, final MemorySegment records, final MemorySegment headers,
        final int count, final MemorySegment hashes)
    {
        coinbaseSegments(records, headers, count, hashes);
        final long room = contexts.byteSize();
        for (int i = 0; i < count; i++)
        {
            final long r = (long)i * CoinbaseDescriptor.RECORD_LENGTH;
            final int context = records.get(INT_LE, r + CoinbaseDescriptor.CONTEXT_OFFSET_OFFSET);
            if (context == CoinbaseDescriptor.NONE)
            {
                continue;
            }
            final int extranonce = records.get(INT_LE, r + CoinbaseDescriptor.EXTRANONCE_LENGTH_OFFSET);
            if (Integer.compareUnsigned(extranonce, CoinbaseDescriptor.MAX_EXTRANONCE_LENGTH) > 0)
            {
                throw new IllegalArgumentException("record " + i + ": extranonce of " + extranonce + " bytes");
            }
            final long at = context & 0xffffffffL;
            if (at + CoinbaseDescriptor.CONTEXT_HEADER_LENGTH > room)
            {
                throw new IllegalArgumentException("record " + i + ": context at " + at + " past " + room);
            }
            final long hashed = contexts.get(LONG_LE, at + CoinbaseDescriptor.HASHED_OFFSET);
            final int tail = contexts.get(SHORT_LE, at + CoinbaseDescriptor.TAIL_LENGTH_OFFSET) & 0xffff;
            final int suffix = contexts.get(SHORT_LE, at + CoinbaseDescriptor.SUFFIX_LENGTH_OFFSET) & 0xffff;
            final int path = contexts.get(SHORT_LE, at + CoinbaseDescriptor.PATH_COUNT_OFFSET) & 0xffff;
            if ((hashed & 63) != 0 || hashed < 0 || hashed > 1L << 40 || tail > 63 ||
                path > CoinbaseDescriptor.MAX_PATH_COUNT ||
                at + CoinbaseDescriptor.CONTEXT_HEADER_LENGTH + tail + suffix + (long)path * HeaderHasher.HASH_LENGTH >
                    room)
            {
                throw new IllegalArgumentException("record " + i + ": impossible coinbase context at " + at);
            }
        }
    }
}
