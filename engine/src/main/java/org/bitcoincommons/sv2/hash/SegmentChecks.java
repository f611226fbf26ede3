package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;

/**
 * Argument checks shared by the backends, done before any native call so that a short segment is an
 * exception in Java and never a write out of bounds in C.
 */
final class SegmentChecks
{
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
}
