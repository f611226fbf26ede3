package org.bitcoincommons.sv2.bench.hash;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.hash.HashImpl;
import org.bitcoincommons.sv2.hash.HashKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Batch validation, one thread, per implementation and batch size: SHA-256d of full 80-byte headers
 * (three compressions each), or of 48-byte midstate records (two compressions each; the pool's case,
 * where a job's first 64 bytes are hashed once). The score is headers per second ({@code ops} = headers).
 * {@code messagedigest} is the JDK baseline (intrinsified SHA-256, two digests per header).
 * Headers and hashes live in native memory, as the pipeline's ring does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBatchBench
{
    /** {@code <impl>} hashes full headers; {@code <impl>-midstate} hashes 48-byte midstate records. */
    @Param({"ffm", "jna", "java", "ffm-midstate", "jna-midstate", "java-midstate", "messagedigest"})
    public String impl;

    private Arena arena;
    private HashBackend backend;
    private MemorySegment headers;
    private MemorySegment hashes;
    private MemorySegment records;
    private boolean midstates;
    private byte[] heapHeaders;
    private MessageDigest md;
    private final byte[] first = new byte[32];
    private final byte[] second = new byte[32];

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException
    {
        arena = Arena.ofShared();
        heapHeaders = new byte[1024 * 80];
        new SplittableRandom(1).nextBytes(heapHeaders);
        headers = arena.allocate(heapHeaders.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(heapHeaders), 0, headers, 0, heapHeaders.length);
        hashes = arena.allocate(1024 * 32, 64);
        md = MessageDigest.getInstance("SHA-256");
        if (!impl.equals("messagedigest"))
        {
            midstates = impl.endsWith("-midstate");
            backend = HashBackends.create(HashImpl.parse(impl.replace("-midstate", "")), HashKernel.AUTO, HashKernel.AUTO);
            records = arena.allocate(1024 * 48, 64);
            for (int i = 0; i < 1024; i++)
            {
                backend.midstate(headers.asSlice(i * 80L, 80), records.asSlice(i * 48L, 32));
                MemorySegment.copy(headers, i * 80L + 64, records, i * 48L + 32, 16);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    private int run(final int batch) throws DigestException
    {
        if (midstates)
        {
            backend.hashMidstates(records, batch, hashes);
            return hashes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
        }
        if (backend != null)
        {
            backend.hash(headers, batch, hashes);
            return hashes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
        }
        for (int i = 0; i < batch; i++)
        {
            md.update(heapHeaders, i * 80, 80);
            md.digest(first, 0, 32);
            md.update(first);
            md.digest(second, 0, 32);
        }
        return second[0];
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public int batch0001() throws DigestException
    {
        return run(1);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public int batch0016() throws DigestException
    {
        return run(16);
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public int batch0256() throws DigestException
    {
        return run(256);
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int batch1024() throws DigestException
    {
        return run(1024);
    }
}
