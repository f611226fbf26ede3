package org.bitcoincommons.sv2.hash;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The native kernel through JNA, for JVMs where FFM native access is not granted. Native segments go
 * straight through by address; heap segments are staged through this instance's native scratch
 * buffers, which grow on first use and are then reused (confined to one thread).
 */
final class JnaBackend implements HashBackend
{
    private final int hashKernel;
    private final int scanKernel;
    private final Arena arena = Arena.ofAuto();
    private MemorySegment scratchIn = MemorySegment.NULL;
    private MemorySegment scratchTargets = MemorySegment.NULL;
    private MemorySegment scratchOk = MemorySegment.NULL;
    private MemorySegment scratchHashes = MemorySegment.NULL;
    private MemorySegment scratchFound = MemorySegment.NULL;
    private MemorySegment scratchContexts = MemorySegment.NULL;
    private MemorySegment scratchHeaders = MemorySegment.NULL;

    /**
     * @throws IllegalStateException if the library did not load through JNA.
     * @throws IllegalArgumentException if the CPU cannot run a requested kernel.
     */
    JnaBackend(final HashKernel hash, final HashKernel scan)
    {
        if (!JnaLibrary.loaded())
        {
            throw new IllegalStateException("libsv2hash not loaded via JNA", JnaLibrary.FAILURE);
        }
        final int available = JnaLibrary.sv2_kernels_available();
        for (final HashKernel k : new HashKernel[] {hash, scan})
        {
            if (k != HashKernel.AUTO && (available & (1 << k.id())) == 0)
            {
                throw new IllegalArgumentException("this CPU cannot run kernel " + k);
            }
        }
        this.hashKernel = hash == HashKernel.AUTO ? JnaLibrary.sv2_kernel_default_hash() : hash.id();
        this.scanKernel = scan == HashKernel.AUTO ? JnaLibrary.sv2_kernel_default_scan() : scan.id();
    }

    @Override
    public HashImpl impl()
    {
        return HashImpl.JNA;
    }

    @Override
    public String kernel()
    {
        return HashKernel.ofId(hashKernel).kernelName();
    }

    @Override
    public String scanKernel()
    {
        return HashKernel.ofId(scanKernel).kernelName();
    }

    private MemorySegment grow(final MemorySegment current, final long bytes)
    {
        return current.byteSize() >= bytes ? current : arena.allocate(Math.max(bytes, 2 * current.byteSize()), 64);
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

    /** Native memory holding {@code bytes} of {@code segment}: the segment itself, or a staged copy. */
    private MemorySegment stagedIn(final MemorySegment segment, final long bytes)
    {
        if (segment.isNative())
        {
            return segment;
        }
        scratchIn = grow(scratchIn, bytes);
        MemorySegment.copy(segment, 0, scratchIn, 0, bytes);
        return scratchIn;
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
        final MemorySegment in = stagedIn(header, TAIL_OFFSET);
        final MemorySegment out = midstate.isNative() ? midstate : (scratchHashes = grow(scratchHashes, MIDSTATE_LENGTH));
        JnaLibrary.sv2_midstate(in.address(), out.address());
        if (out != midstate)
        {
            MemorySegment.copy(out, 0, midstate, 0, MIDSTATE_LENGTH);
        }
    }

    @Override
    public void hashCoinbases(
        final MemorySegment contexts, final MemorySegment records, final MemorySegment headers, final int count,
        final MemorySegment hashes)
    {
        SegmentChecks.coinbaseSegments(records, headers, count, hashes);
        final long contextBytes = contexts.byteSize();
        MemorySegment ctx = contexts;
        if (!contexts.isNative())
        {
            scratchContexts = grow(scratchContexts, Math.max(1, contextBytes));
            MemorySegment.copy(contexts, 0, scratchContexts, 0, contextBytes);
            ctx = scratchContexts;
        }
        final MemorySegment in = stagedIn(records, (long)count * CoinbaseDescriptor.RECORD_LENGTH);
        final long headerBytes = (long)count * HEADER_LENGTH;
        MemorySegment hdr = headers;
        if (!headers.isNative())
        {
            scratchHeaders = grow(scratchHeaders, Math.max(1, headerBytes));
            MemorySegment.copy(headers, 0, scratchHeaders, 0, headerBytes);
            hdr = scratchHeaders;
        }
        final long outBytes = (long)count * HASH_LENGTH;
        final MemorySegment out = hashes.isNative() ? hashes : (scratchHashes = grow(scratchHashes, outBytes));
        final int rc = JnaLibrary.sv2_sha256d_coinbase_headers_k(
            hashKernel, ctx.address(), contextBytes, in.address(), hdr.address(), count, out.address());
        if (rc != 0)
        {
            // the kernel was checked at construction: -1 is an impossible record, refused before anything was written
            throw new IllegalArgumentException("impossible coinbase record or context (see CoinbaseDescriptor)");
        }
        if (hdr != headers)
        {
            MemorySegment.copy(hdr, 0, headers, 0, headerBytes);
        }
        if (out != hashes)
        {
            MemorySegment.copy(out, 0, hashes, 0, outBytes);
        }
    }

    private void hashRecords(final Records kind, final MemorySegment records, final int count, final MemorySegment hashes)
    {
        SegmentChecks.records(records, count, kind.length, "records");
        SegmentChecks.records(hashes, count, HASH_LENGTH, "hashes");
        final long outBytes = (long)count * HASH_LENGTH;
        final MemorySegment in = stagedIn(records, (long)count * kind.length);
        final MemorySegment out = hashes.isNative() ? hashes : (scratchHashes = grow(scratchHashes, outBytes));
        final int rc = switch (kind)
        {
            case HEADERS -> JnaLibrary.sv2_sha256d_headers_k(hashKernel, in.address(), count, out.address());
            case MIDSTATES -> JnaLibrary.sv2_sha256d_midstates_k(hashKernel, in.address(), count, out.address());
        };
        if (rc != 0)
        {
            throw new IllegalStateException("native hash failed: " + rc);
        }
        if (out != hashes)
        {
            MemorySegment.copy(out, 0, hashes, 0, outBytes);
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
        final long tBytes = (long)count * TARGET_LENGTH;
        final long outBytes = (long)count * HASH_LENGTH;
        final MemorySegment in = stagedIn(records, (long)count * kind.length);
        MemorySegment t = targets;
        if (!targets.isNative())
        {
            scratchTargets = grow(scratchTargets, tBytes);
            MemorySegment.copy(targets, 0, scratchTargets, 0, tBytes);
            t = scratchTargets;
        }
        final MemorySegment okOut = ok.isNative() ? ok : (scratchOk = grow(scratchOk, count));
        long outAddress = 0;
        MemorySegment out = MemorySegment.NULL;
        if (wantHashes)
        {
            out = hashes.isNative() ? hashes : (scratchHashes = grow(scratchHashes, outBytes));
            outAddress = out.address();
        }
        final int met = switch (kind)
        {
            case HEADERS -> JnaLibrary.sv2_check_headers_k(
                hashKernel, in.address(), t.address(), count, okOut.address(), outAddress);
            case MIDSTATES -> JnaLibrary.sv2_check_midstates_k(
                hashKernel, in.address(), t.address(), count, okOut.address(), outAddress);
        };
        if (met < 0)
        {
            throw new IllegalStateException("native check failed: " + met);
        }
        if (okOut != ok)
        {
            MemorySegment.copy(okOut, 0, ok, 0, count);
        }
        if (wantHashes && out != hashes)
        {
            MemorySegment.copy(out, 0, hashes, 0, outBytes);
        }
        return met;
    }

    @Override
    public int scan(
        final MemorySegment prefix76, final int nonceStart, final long count, final MemorySegment target,
        final MemorySegment found, final int maxFound)
    {
        SegmentChecks.scan(prefix76, count, target, found, maxFound);
        long prefixAddress = prefix76.address();
        long targetAddress = target.address();
        if (!prefix76.isNative() || !target.isNative())
        {
            scratchIn = grow(scratchIn, PREFIX_LENGTH + TARGET_LENGTH);
            MemorySegment.copy(prefix76, 0, scratchIn, 0, PREFIX_LENGTH);
            MemorySegment.copy(target, 0, scratchIn, PREFIX_LENGTH, TARGET_LENGTH);
            prefixAddress = scratchIn.address();
            targetAddress = scratchIn.address() + PREFIX_LENGTH;
        }
        final long foundBytes = (long)maxFound * Integer.BYTES;
        final MemorySegment f = found.isNative() ? found : (scratchFound = grow(scratchFound, foundBytes));
        final int n = JnaLibrary.sv2_scan_k(
            scanKernel, prefixAddress, nonceStart, (int)count, targetAddress, f.address(), maxFound);
        if (n < 0)
        {
            throw new IllegalStateException("sv2_scan_k failed: " + n);
        }
        if (f != found)
        {
            MemorySegment.copy(f, 0, found, 0, (long)n * Integer.BYTES);
        }
        return n;
    }
}
