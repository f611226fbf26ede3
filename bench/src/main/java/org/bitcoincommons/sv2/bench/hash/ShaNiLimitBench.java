package org.bitcoincommons.sv2.bench.hash;

import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.hash.HashBackends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The SHA-NI limit: chained single-block SHA-NI compressions in C (one stream, as when hashing one long
 * message), per second. A header with a midstate costs two compressions, so the limit in headers/s is
 * this score / 2.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ShaNiLimitBench
{
    private static final int ITERATIONS = 1 << 16;

    @Benchmark
    @OperationsPerInvocation(ITERATIONS)
    public int compressions()
    {
        return HashBackends.shaniLimit(ITERATIONS);
    }
}
