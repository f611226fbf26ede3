package org.bitcoincommons.sv2.bench.hash;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Each native kernel through FFM, one thread: {@code batch} = full-header batch validation of 1024
 * headers (headers/s); {@code midstate} = the same headers as 48-byte midstate records; {@code scan} = miner scanning with a midstate over 65536 nonces per call
 * against an unreachable target (nonces/s). A kernel this CPU lacks fails at setup, and JMH reports
 * that run as failed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashKernelBench
{
    private static final int BATCH = 1024;
    private static final int SCAN = 65536;

    @Param({"portable", "sha-ni", "sha-ni-x2", "sha-ni-x4", "avx2", "avx512"})
    public String kernel;

    private Arena arena;
    private HashBackend backend;
    private MemorySegment headers;
    private MemorySegment hashes;
    private MemorySegment records;
    private MemorySegment prefix;
    private MemorySegment target;
    private MemorySegment found;
    private int nonce;

    @Setup(Level.Trial)
    public void setUp()
    {
        final HashKernel k = HashKernel.parse(kernel);
        backend = HashBackends.create(HashImpl.FFM, k, k);
        arena = Arena.ofShared();
        final byte[] random = new byte[BATCH * 80];
        new SplittableRandom(2).nextBytes(random);
        headers = arena.allocate(random.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(random), 0, headers, 0, random.length);
        hashes = arena.allocate(BATCH * 32, 64);
        records = arena.allocate(BATCH * 48, 64);
        for (int i = 0; i < BATCH; i++)
        {
            backend.midstate(headers.asSlice(i * 80L, 80), records.asSlice(i * 48L, 32));
            MemorySegment.copy(headers, i * 80L + 64, records, i * 48L + 32, 16);
        }
        prefix = headers.asSlice(0, 76);
        target = arena.allocate(32, 64);
        found = arena.allocate(64, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte batch()
    {
        backend.hash(headers, BATCH, hashes);
        return hashes.get(ValueLayout.JAVA_BYTE, 0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte midstate()
    {
        backend.hashMidstates(records, BATCH, hashes);
        return hashes.get(ValueLayout.JAVA_BYTE, 0);
    }

    @Benchmark
    @OperationsPerInvocation(SCAN)
    public int scan()
    {
        final int n = backend.scan(prefix, nonce, SCAN, target, found, 16);
        nonce += SCAN;
        return n;
    }
}
