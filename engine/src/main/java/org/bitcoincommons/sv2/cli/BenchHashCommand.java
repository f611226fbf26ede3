package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.hash.HashImpl;
import org.bitcoincommons.sv2.hash.HashKernel;
import org.bitcoincommons.sv2.hash.HeaderHasher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench hash}: SHA-256d of 80-byte headers per second on one thread, without JMH.
 * <p>
 * Names in {@code implementations}: {@code ffm}, {@code jna}, {@code java} are batch validation of full
 * 80-byte headers ({@code HeaderHasher.hash}, three compressions, default kernel) through each way of
 * reaching the code; {@code <impl>-midstate} is batch validation of 48-byte midstate records
 * ({@code hashMidstates}, two compressions); {@code ffm-<kernel>} and {@code ffm-midstate-<kernel>} are
 * the same forced onto one native kernel ({@code portable}, {@code sha-ni}, {@code sha-ni-x2},
 * {@code sha-ni-x4}, {@code avx2}, {@code avx512}); {@code ffm-scan-<kernel>} is miner scanning
 * (midstate, nonces per second) on one kernel.
 * {@code messagedigest} is java.security.MessageDigest (two digests per header); {@code shani_limit}
 * is chained single-block SHA-NI compressions per second divided by two (a header with a midstate
 * costs two compressions). Entries that cannot run here are left out; shani_limit is 0 without SHA-NI.
 */
@Command(name = "hash", description = "Measure SHA-256d throughput of every hashing implementation.")
public final class BenchHashCommand implements Runnable
{
    private static final long SCAN_CHUNK = 1L << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "1", description = "Seconds per measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch", defaultValue = "256", description = "Headers per batch call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (!(seconds > 0) || seconds > 3600)
        {
            throw new CliException(ExitCode.BAD_INPUT, "--seconds must be in (0, 3600]: " + seconds);
        }
        if (batch < 1 || batch > 1 << 20)
        {
            throw new CliException(ExitCode.BAD_INPUT, "--batch must be in [1, 1048576]: " + batch);
        }
        final Map<String, Double> impls = new LinkedHashMap<>();
        double digest;
        double limit = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment headers = arena.allocate((long)batch * HeaderHasher.HEADER_LENGTH, 64);
            final byte[] random = new byte[batch * HeaderHasher.HEADER_LENGTH];
            new SplittableRandom(1).nextBytes(random);
            MemorySegment.copy(MemorySegment.ofArray(random), 0, headers, 0, random.length);
            final MemorySegment hashes = arena.allocate((long)batch * HeaderHasher.HASH_LENGTH, 64);

            final MemorySegment records = arena.allocate((long)batch * HeaderHasher.MIDSTATE_RECORD_LENGTH, 64);
            final HashBackend java = HashBackends.create(HashImpl.JAVA, HashKernel.AUTO, HashKernel.AUTO);
            for (int i = 0; i < batch; i++)
            {
                java.midstate(headers.asSlice((long)i * HeaderHasher.HEADER_LENGTH, HeaderHasher.HEADER_LENGTH),
                    records.asSlice((long)i * HeaderHasher.MIDSTATE_RECORD_LENGTH, HeaderHasher.MIDSTATE_LENGTH));
                MemorySegment.copy(headers, (long)i * HeaderHasher.HEADER_LENGTH + HeaderHasher.TAIL_OFFSET, records,
                    (long)i * HeaderHasher.MIDSTATE_RECORD_LENGTH + HeaderHasher.MIDSTATE_LENGTH, HeaderHasher.TAIL_LENGTH);
            }
            for (final HashImpl impl : new HashImpl[] {HashImpl.FFM, HashImpl.JNA, HashImpl.JAVA})
            {
                final HashBackend b = tryCreate(impl, HashKernel.AUTO);
                if (b != null)
                {
                    impls.put(impl.configName(), rate(() -> { b.hash(headers, batch, hashes); return batch; }));
                    impls.put(impl.configName() + "-midstate",
                        rate(() -> { b.hashMidstates(records, batch, hashes); return batch; }));
                }
            }
            for (final HashKernel k : HashBackends.availableKernels())
            {
                final HashBackend b = tryCreate(HashImpl.FFM, k);
                if (b != null)
                {
                    impls.put("ffm-" + k.kernelName(), rate(() -> { b.hash(headers, batch, hashes); return batch; }));
                    impls.put("ffm-midstate-" + k.kernelName(),
                        rate(() -> { b.hashMidstates(records, batch, hashes); return batch; }));
                }
            }
            final MemorySegment prefix = headers.asSlice(0, 76);
            final MemorySegment zero = arena.allocate(32);
            final MemorySegment found = arena.allocate(4);
            for (final HashKernel k : HashBackends.availableKernels())
            {
                final HashBackend b = tryCreate(HashImpl.FFM, k);
                if (b != null)
                {
                    final int[] start = {0};
                    impls.put("ffm-scan-" + k.kernelName(), rate(() ->
                    {
                        b.scan(prefix, start[0], SCAN_CHUNK, zero, found, 1);
                        start[0] += (int)SCAN_CHUNK;
                        return SCAN_CHUNK;
                    }));
                }
            }
            digest = rate(messageDigestLoop(random));
            if (HashBackends.availableKernels().contains(HashKernel.SHA_NI) && HashBackends.nativeAccessEnabled())
            {
                final long iterations = 1 << 20;
                limit = rate(() -> { HashBackends.shaniLimit(iterations); return iterations; }) / 2;
            }
        }
        print(impls, digest, limit);
    }

    private static HashBackend tryCreate(final HashImpl impl, final HashKernel kernel)
    {
        try
        {
            return HashBackends.create(impl, kernel, kernel);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    private LongSupplier messageDigestLoop(final byte[] headers)
    {
        final MessageDigest md;
        try
        {
            md = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new CliException(ExitCode.FAILURE, "no SHA-256 MessageDigest: " + ex.getMessage());
        }
        final byte[] first = new byte[32];
        final byte[] second = new byte[32];
        return () ->
        {
            try
            {
                for (int i = 0; i < batch; i++)
                {
                    md.update(headers, i * HeaderHasher.HEADER_LENGTH, HeaderHasher.HEADER_LENGTH);
                    md.digest(first, 0, 32);
                    md.update(first);
                    md.digest(second, 0, 32);
                }
            }
            catch (final DigestException ex)
            {
                throw new IllegalStateException(ex);
            }
            return batch;
        };
    }

    /** Warms up (half a second, or the whole duration if shorter), then measures; returns units per second. */
    private double rate(final LongSupplier step)
    {
        final long warmNs = (long)(Math.max(seconds * 0.25, Math.min(seconds, 0.5)) * 1e9);
        final long measureNs = (long)(seconds * 1e9);
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < warmNs)
        {
            step.getAsLong();
        }
        long units = 0;
        t0 = System.nanoTime();
        long elapsed;
        do
        {
            units += step.getAsLong();
            elapsed = System.nanoTime() - t0;
        }
        while (elapsed < measureNs);
        return units * 1e9 / elapsed;
    }

    private void print(final Map<String, Double> impls, final double digest, final double limit)
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            final Map<String, Object> result = new LinkedHashMap<>();
            final Map<String, Long> rounded = new LinkedHashMap<>();
            impls.forEach((k, v) -> rounded.put(k, Math.round(v)));
            result.put("implementations", rounded);
            result.put("messagedigest", Math.round(digest));
            result.put("shani_limit", Math.round(limit));
            out.println(Json.MAPPER.valueToTree(result).toString());
            return;
        }
        out.printf("sha256d of 80-byte headers per second, one thread, batch %d:%n", batch);
        impls.forEach((k, v) -> out.printf("  %-22s %8.2f M/s%n", k, v / 1e6));
        out.printf("  %-22s %8.2f M/s%n", "messagedigest", digest / 1e6);
        out.printf("  %-22s %8.2f M/s%n", "shani_limit", limit / 1e6);
    }
}
