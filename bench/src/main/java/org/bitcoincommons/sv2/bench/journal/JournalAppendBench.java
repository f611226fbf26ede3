package org.bitcoincommons.sv2.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Latency of appending one SHARE_ACCEPTED event through {@link JournalWriter} to a real Chronicle queue on disk
 * (memory-mapped; returns once the event is in the mapped file). SampleTime gives p50/p99/p99.9; -prof gc shows
 * the allocation per append (the hot path must allocate nothing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalAppendBench
{
    private Path dir;
    private Journal journal;
    private JournalWriter writer;
    private int sequence;
    private long timeMs = 1_800_000_000_000L;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = Files.createTempDirectory("sv2-journal-append");
        journal = Journal.open(dir);
        writer = journal.writer();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        writer.close();
        journal.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void shareAccepted()
    {
        final int seq = ++sequence;
        writer.shareAccepted(timeMs++, seq & 1023, 7, seq, seq >>> 6, 1024.0, 0b111L);
    }
}
