package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The native kernel through FFM downcalls. Stateless apart from the chosen kernels, so it is in fact
 * safe to share across threads. Heap and native segments both work (critical downcalls).
 */
final class FfmBackend implements HashBackend
{
    private final int hashKernel;
    private final int scanKernel;
    private final String hashKernelName;
    private final String scanKernelName;

    /**
     * @throws IllegalStateException if the library is not loaded.
     * @throws IllegalArgumentException if the CPU cannot run a requested kernel.
     */
    FfmBackend(final HashKernel hash, final HashKernel scan)
    {
        final FfmLibrary.Handles h = FfmLibrary.handles()
            .orElseThrow(() -> new IllegalStateException("libsv2hash not loaded via FFM", FfmLibrary.FAILURE));
        if (!FfmLibrary.available(h, hash) || !FfmLibrary.available(h, scan))
        {
            throw new IllegalArgumentException("this CPU cannot run kernel " + (FfmLibrary.available(h, hash) ? scan : hash));
        }
        this.hashKernel = hash == HashKernel.AUTO ? h.defaultHash() : hash.id();
        this.scanKernel = scan == HashKernel.AUTO ? h.defaultScan() : scan.id();
        this.hashKernelName = h.kernelNames()[hashKernel];
        this.scanKernelName = h.kernelNames()[scanKernel];
    }

    @Override
    public HashImpl impl()
    {
        return HashImpl.FFM;
    }

    @Override
    public String kernel()
    {
        return hashKernelName;
    }

    @Override
    public String scanKernel()
    {
        return scanKernelName;
    }

    @Override
    public void hash(final MemorySegment headers, final int count, final MemorySegment hashes)
    {
        hashRecords(FfmLibrary.HANDLES.hash(), headers, HEADER_LENGTH, count, hashes);
    }

    @Override
    public void hashMidstates(final MemorySegment records, final int count, final MemorySegment hashes)
    {
        hashRecords(FfmLibrary.HANDLES.hashMidstates(), records, MIDSTATE_RECORD_LENGTH, count, hashes);
    }

    @Override
    public int check(
        final MemorySegment headers, final MemorySegment targets, final int count, final MemorySegment ok,
        final MemorySegment hashes)
    {
        return checkRecords(FfmLibrary.HANDLES.check(), headers, HEADER_LENGTH, targets, count, ok, hashes);
    }

    @Override
    public int checkMidstates(
        final MemorySegment records, final MemorySegment targets, final int count, final MemorySegment ok,
        final MemorySegment hashes)
    {
        return checkRecords(FfmLibrary.HANDLES.checkMidstates(), records, MIDSTATE_RECORD_LENGTH, targets, count, ok,
            hashes);
    }

    @Override
    public void midstate(final MemorySegment header, final MemorySegment midstate)
    {
        SegmentChecks.records(header, 1, TAIL_OFFSET, "header");
        SegmentChecks.records(midstate, 1, MIDSTATE_LENGTH, "midstate");
        try
        {
            FfmLibrary.HANDLES.midstate().invokeExact(header, midstate);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void hashCoinbases(
        final MemorySegment contexts, final MemorySegment records, final MemorySegment headers, final int count,
        final MemorySegment hashes)
    {
        SegmentChecks.coinbaseSegments(records, headers, count, hashes);
        final int rc;
        try
        {
            rc = (int)FfmLibrary.HANDLES.coinbaseHeaders().invokeExact(
                hashKernel, contexts, contexts.byteSize(), records, headers, count, hashes);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
        if (rc != 0)
        {
            // the kernel was checked at construction: -1 is an impossible record, refused before anything was written
            throw new IllegalArgumentException("impossible coinbase record or context (see CoinbaseDescriptor)");
        }
    }

    private void hashRecords(
        final MethodHandle handle, final MemorySegment records, final int recordLength, final int count,
        final MemorySegment hashes)
    {
        SegmentChecks.records(records, count, recordLength, "records");
        SegmentChecks.records(hashes, count, HASH_LENGTH, "hashes");
        final int rc;
        try
        {
            rc = (int)handle.invokeExact(hashKernel, records, count, hashes);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("native hash failed: " + rc);
        }
    }

    private int checkRecords(
        final MethodHandle handle, final MemorySegment records, final int recordLength, final MemorySegment targets,
        final int count, final MemorySegment ok, final MemorySegment hashes)
    {
        SegmentChecks.records(records, count, recordLength, "records");
        SegmentChecks.records(targets, count, TARGET_LENGTH, "targets");
        SegmentChecks.records(ok, count, 1, "ok");
        final MemorySegment out = SegmentChecks.optional(hashes) ? hashes : MemorySegment.NULL;
        if (out != MemorySegment.NULL)
        {
            SegmentChecks.records(out, count, HASH_LENGTH, "hashes");
        }
        final int met;
        try
        {
            met = (int)handle.invokeExact(hashKernel, records, targets, count, ok, out);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
        if (met < 0)
        {
            throw new IllegalStateException("native check failed: " + met);
        }
        return met;
    }

    @Override
    public int scan(
        final MemorySegment prefix76, final int nonceStart, final long count, final MemorySegment target,
        final MemorySegment found, final int maxFound)
    {
        SegmentChecks.scan(prefix76, count, target, found, maxFound);
        final boolean allNative = prefix76.isNative() && target.isNative() && found.isNative();
        final int n;
        try
        {
            n = allNative
                ? (int)FfmLibrary.HANDLES.scan().invokeExact(
                    scanKernel, prefix76, nonceStart, (int)count, target, found, maxFound)
                : (int)FfmLibrary.HANDLES.scanCritical().invokeExact(
                    scanKernel, prefix76, nonceStart, (int)count, target, found, maxFound);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
        if (n < 0)
        {
            throw new IllegalStateException("sv2_scan_k failed: " + n);
        }
        return n;
    }
}
