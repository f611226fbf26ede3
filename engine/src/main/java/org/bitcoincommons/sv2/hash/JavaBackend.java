package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Pure-Java SHA-256d, used when no native library loads. Scanning hashes the first 64 bytes once
 * (the midstate) and then two compressions per nonce. Confined to one thread (it owns its scratch).
 */
final class JavaBackend implements HashBackend
{
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final JavaSha256 sha = new JavaSha256();
    private final int[] state = new int[8];
    private final int[] midstate = new int[8];
    private final int[] digest = new int[8];
    private final Sha256Stream stream = new Sha256Stream();
    private final int[] coinbaseMidstate = new int[8];
    private final byte[] root = new byte[HASH_LENGTH];

    @Override
    public HashImpl impl()
    {
        return HashImpl.JAVA;
    }

    @Override
    public String kernel()
    {
        return "java";
    }

    @Override
    public String scanKernel()
    {
        return "java";
    }

    /** digest = SHA-256d of the header at {@code offset}. */
    private void hashHeader(final MemorySegment headers, final long offset)
    {
        firstBlock(headers, offset, state);
        finish(headers, offset + TAIL_OFFSET);
    }

    /** digest = SHA-256d of the midstate record at {@code offset}. */
    private void hashRecord(final MemorySegment records, final long offset)
    {
        for (int i = 0; i < 8; i++)
        {
            state[i] = records.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4L * i);
        }
        finish(records, offset + MIDSTATE_LENGTH);
    }

    /** into = IV compressed with the 64 bytes at {@code offset}. */
    private void firstBlock(final MemorySegment bytes, final long offset, final int[] into)
    {
        final int[] w = sha.w;
        System.arraycopy(JavaSha256.IV, 0, into, 0, 8);
        for (int i = 0; i < 16; i++)
        {
            w[i] = bytes.get(BE_INT, offset + 4L * i);
        }
        sha.compress(into);
    }

    /** digest = the second block (16 header bytes at {@code tailOffset}) on {@link #state}, then the second hash. */
    private void finish(final MemorySegment bytes, final long tailOffset)
    {
        final int[] w = sha.w;
        for (int i = 0; i < 4; i++)
        {
            w[i] = bytes.get(BE_INT, tailOffset + 4L * i);
        }
        secondBlockPadding(w);
        sha.compress(state);
        sha.second(state, digest);
    }

    /** Words 4..15 of a header's second block: 0x80, zeros, the length 640 bits. */
    private static void secondBlockPadding(final int[] w)
    {
        w[4] = 0x80000000;
        for (int i = 5; i < 15; i++)
        {
            w[i] = 0;
        }
        w[15] = 640;
    }

    private void writeDigest(final MemorySegment out, final long offset)
    {
        for (int i = 0; i < 8; i++)
        {
            out.set(BE_INT, offset + 4L * i, digest[i]);
        }
    }

    /** Whether {@link #digest}, read as a LE 256-bit number, is at most the target at {@code offset}. */
    private boolean meets(final MemorySegment targets, final long offset)
    {
        for (int i = 7; i >= 0; i--)
        {
            final int h = Integer.reverseBytes(digest[i]);
            final int t = targets.get(LE_INT, offset + 4L * i);
            if (h != t)
            {
                return Integer.compareUnsigned(h, t) < 0;
            }
        }
        return true;
    }

    /** The two record layouts of batch validation. */
    private enum Records
    {
        HEADERS(HEADER_LENGTH),
        MIDSTATES(MIDSTATE_RECORD_LENGTH);

        final int length;

        Records(final int length)
        {
            this.length = length;
        }
    }

    private void hashOne(final Records kind, final MemorySegment records, final long offset)
    {
        if (kind == Records.HEADERS)
        {
            hashHeader(records, offset);
        }
        else
        {
            hashRecord(records, offset);
        }
    }

    @Override
    public void hash(final MemorySegment headers, final int count, final MemorySegment hashes)
    {
        hashRecords(Records.HEADERS, headers, count, hashes);
    }

    @Override
    public void hashMidstates(final MemorySegment records, final int count, final MemorySegment hashes)
    {
        hashRecords(Records.MIDSTATES, records, count, hashes);
    }

    @Override
    public int check(
        final MemorySegment headers, final MemorySegment targets, final int count, final MemorySegment ok,
        final MemorySegment hashes)
    {
        return checkRecords(Records.HEADERS, headers, targets, count, ok, hashes);
    }

    @Override
    public int checkMidstates(
        final MemorySegment records, final MemorySegment targets, final int count, final MemorySegment ok,
        final MemorySegment hashes)
    {
        return checkRecords(Records.MIDSTATES, records, targets, count, ok, hashes);
    }

    @Override
    public void midstate(final MemorySegment header, final MemorySegment midstate)
    {
        SegmentChecks.records(header, 1, TAIL_OFFSET, "header");
        SegmentChecks.records(midstate, 1, MIDSTATE_LENGTH, "midstate");
        firstBlock(header, 0, state);
        for (int i = 0; i < 8; i++)
        {
            midstate.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, state[i]);
        }
    }

    @Override
    public void hashCoinbases(
        final MemorySegment contexts, final MemorySegment records, final MemorySegment headers, final int count,
        final MemorySegment hashes)
    {
        SegmentChecks.coinbases(contexts, records, headers, count, hashes);
        for (int i = 0; i < count; i++)
        {
            final long r = (long)i * CoinbaseDescriptor.RECORD_LENGTH;
            final int context = records.get(LE_INT, r + CoinbaseDescriptor.CONTEXT_OFFSET_OFFSET);
            if (context != CoinbaseDescriptor.NONE)
            {
                coinbaseRoot(contexts, context & 0xffffffffL, records, r);
                MemorySegment.copy(root, 0, headers, ValueLayout.JAVA_BYTE,
                    (long)i * HEADER_LENGTH + CoinbaseDescriptor.HEADER_MERKLE_ROOT_OFFSET, HASH_LENGTH);
            }
        }
        hash(headers, count, hashes);
    }

    /** {@link #root} = the merkle root of the coinbase of the record at {@code r} on the context at {@code at}. */
    private void coinbaseRoot(final MemorySegment contexts, final long at, final MemorySegment records, final long r)
    {
        for (int i = 0; i < 8; i++)
        {
            coinbaseMidstate[i] =
                contexts.get(ValueLayout.JAVA_INT_UNALIGNED, at + CoinbaseDescriptor.MIDSTATE_OFFSET + 4L * i);
        }
        final long hashed = contexts.get(LE_LONG, at + CoinbaseDescriptor.HASHED_OFFSET);
        final int tail = contexts.get(LE_SHORT, at + CoinbaseDescriptor.TAIL_LENGTH_OFFSET) & 0xffff;
        final int suffix = contexts.get(LE_SHORT, at + CoinbaseDescriptor.SUFFIX_LENGTH_OFFSET) & 0xffff;
        final int path = contexts.get(LE_SHORT, at + CoinbaseDescriptor.PATH_COUNT_OFFSET) & 0xffff;
        final long bytes = at + CoinbaseDescriptor.CONTEXT_HEADER_LENGTH;
        stream.resume(coinbaseMidstate, hashed)
            .update(contexts, bytes, tail)
            .update(records, r + CoinbaseDescriptor.EXTRANONCE_OFFSET,
                records.get(LE_INT, r + CoinbaseDescriptor.EXTRANONCE_LENGTH_OFFSET))
            .update(contexts, bytes + tail, suffix)
            .finishDouble();
        stream.digest(root, 0);
        final long nodes = bytes + tail + suffix;
        for (int p = 0; p < path; p++)
        {
            stream.reset()
                .update(root, 0, HASH_LENGTH)
                .update(contexts, nodes + (long)p * HASH_LENGTH, HASH_LENGTH)
                .finishDouble();
            stream.digest(root, 0);
        }
    }

    private void hashRecords(final Records kind, final MemorySegment records, final int count, final MemorySegment hashes)
    {
        SegmentChecks.records(records, count, kind.length, "records");
        SegmentChecks.records(hashes, count, HASH_LENGTH, "hashes");
        for (int i = 0; i < count; i++)
        {
            hashOne(kind, records, (long)i * kind.length);
            writeDigest(hashes, (long)i * HASH_LENGTH);
        }
    }

    private int checkRecords(
        final Records kind, final MemorySegment records, final MemorySegment targets, final int count,
        final MemorySegment ok, final MemorySegment hashes)
    {
        SegmentChecks.records(records, count, kind.length, "records");
        SegmentChecks.records(targets, count, TARGET_LENGTH, "targets");
        SegmentChecks.records(ok, count, 1, "ok");
        final boolean wantHashes = SegmentChecks.optional(hashes);
        if (wantHashes)
        {
            SegmentChecks.records(hashes, count, HASH_LENGTH, "hashes");
        }
        int met = 0;
        for (int i = 0; i < count; i++)
        {
            hashOne(kind, records, (long)i * kind.length);
            if (wantHashes)
            {
                writeDigest(hashes, (long)i * HASH_LENGTH);
            }
            final boolean m = meets(targets, (long)i * TARGET_LENGTH);
            ok.set(ValueLayout.JAVA_BYTE, i, (byte)(m ? 1 : 0));
            met += m ? 1 : 0;
        }
        return met;
    }

    @Override
    public int scan(
        final MemorySegment prefix76, final int nonceStart, final long count, final MemorySegment target,
        final MemorySegment found, final int maxFound)
    {
        SegmentChecks.scan(prefix76, count, target, found, maxFound);
        if (maxFound == 0)
        {
            return 0;
        }
        final int[] w = sha.w;
        firstBlock(prefix76, 0, midstate);
        final int tail0 = prefix76.get(BE_INT, 64);
        final int tail1 = prefix76.get(BE_INT, 68);
        final int tail2 = prefix76.get(BE_INT, 72);
        final int targetTop = target.get(LE_INT, 28);
        int n = 0;
        for (long i = 0; i < count; i++)
        {
            final int nonce = nonceStart + (int)i;
            System.arraycopy(midstate, 0, state, 0, 8);
            w[0] = tail0;
            w[1] = tail1;
            w[2] = tail2;
            w[3] = Integer.reverseBytes(nonce);
            secondBlockPadding(w);
            sha.compress(state);
            sha.second(state, digest);
            if (Integer.compareUnsigned(Integer.reverseBytes(digest[7]), targetTop) <= 0 && meets(target, 0))
            {
                found.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * n, nonce);
                if (++n == maxFound)
                {
                    break;
                }
            }
        }
        return n;
    }
}
