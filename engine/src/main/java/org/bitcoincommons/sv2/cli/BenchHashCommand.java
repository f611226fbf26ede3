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
@Command(name = "hash", description = "Measure SHA-256d throughput of every hashing implementation " +
    "(progress on stderr, one line per measurement).")
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
        // Every measurement is planned first, so that progress can say "3/17"; implementation names map to rates.
        final Map<String, LongSupplier> plan = new LinkedHashMap<>();
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
                    plan.put(impl.configName(), () -> { b.hash(headers, batch, hashes); return batch; });
                    plan.put(impl.configName() + "-midstate", () -> { b.hashMidstates(records, batch, hashes); return batch; });
                }
            }
            for (final HashKernel k : HashBackends.availableKernels())
            {
                final HashBackend b = tryCreate(HashImpl.FFM, k);
                if (b != null)
                {
                    plan.put("ffm-" + k.kernelName(), () -> { b.hash(headers, batch, hashes); return batch; });
                    plan.put("ffm-midstate-" + k.kernelName(), () -> { b.hashMidstates(records, batch, hashes); return batch; });
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
                    plan.put("ffm-scan-" + k.kernelName(), () ->
                    {
                        b.scan(prefix, start[0], SCAN_CHUNK, zero, found, 1);
                        start[0] += (int)SCAN_CHUNK;
                        return SCAN_CHUNK;
                    });
                }
            }
            final boolean shani = HashBackends.availableKernels().contains(HashKernel.SHA_NI) &&
                HashBackends.nativeAccessEnabled();
            final int total = plan.size() + 1 + (shani ? 1 : 0);
            final Progress progress = new Progress(spec.commandLine().getErr(), total, warmNs() + (long)(seconds * 1e9));
            for (final Map.Entry<String, LongSupplier> e : plan.entrySet())
            {
                impls.put(e.getKey(), progress.measure(e.getKey(), () -> rate(e.getValue())));
            }
            digest = progress.measure("messagedigest", () -> rate(messageDigestLoop(random)));
            if (shani)
            {
                final long iterations = 1 << 20;
                // One compression per iteration; a header hashed from its midstate takes two: headers/s.
                limit = progress.measure("shani_limit",
                    () -> rate(() -> { HashBackends.shaniLimit(iterations); return iterations; }) / 2);
            }
        }
        print(impls, digest, limit);
    }

    /**
     * One line per measurement on stderr ("[3/17] ffm-midstate 28.19 M/s"), after a line saying how many there are
     * and about how long they take: stdout keeps only the result (the JSON with --json).
     */
    private static final class Progress
    {
        private final PrintWriter err;
        private final int total;
        private int done;

        Progress(final PrintWriter err, final int total, final long perMeasurementNs)
        {
            this.err = err;
            this.total = total;
            err.printf("bench hash: %d measurements, about %.0f s%n", total, total * perMeasurementNs / 1e9);
            err.flush();
        }

        double measure(final String name, final java.util.function.DoubleSupplier measurement)
        {
            final double rate = measurement.getAsDouble();
            done++;
            err.printf("[%d/%d] %s %.2f M/s%n", done, total, name, rate / 1e6);
            err.flush();
            return rate;
        }
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

    /** Warm-up of each measurement: half a second (a quarter of --seconds when longer; all of it when shorter). */
    private long warmNs()
    {
        return (long)(Math.max(seconds * 0.25, Math.min(seconds, 0.5)) * 1e9);
    }

    /** Warms up ({@link #warmNs()}), then measures for --seconds; returns units per second. */
    private double rate(final LongSupplier step)
    {
        final long warmNs = warmNs();
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
