package org.bitcoincommons.sv2.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Replay rate: a pre-written queue of {@link #EVENTS} events (a realistic mix: 100 workers, 4 chains, shares with
 * an aux submission/acceptance and a reward + fee + distribution every 10,000 shares) read through
 * {@link JournalReader} into a fresh {@link AccountingState}. Throughput with one operation per event, so the score
 * is events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalReplayBench
{
    static final int EVENTS = 1_000_000;

    private Path dir;
    private Journal journal;
    private int written;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = Files.createTempDirectory("sv2-journal-replay");
        journal = Journal.open(dir);
        long t = 1_800_000_000_000L;
        try (JournalWriter w = journal.writer())
        {
            for (int i = 0; i < 4; i++)
            {
                w.chain(t, i, i == 0 ? "bitcoin" : "aux" + i);
                written++;
            }
            for (int i = 0; i < 100; i++)
            {
                w.worker(t, i, "worker" + i);
                written++;
            }
            final byte[] hash = new byte[32];
            int seq = 0;
            while (written < EVENTS)
            {
                seq++;
                w.shareAccepted(t++, seq % 100, 1 + seq % 100, seq, seq >>> 8, 4096.0, 0b1111L);
                written++;
                if (seq % 10_000 == 0 && written + 5 <= EVENTS)
                {
                    // each aux block its own hash: replay ignores a repeated block (issue 12)
                    hash[0] = (byte)seq;
                    hash[1] = (byte)(seq >>> 8);
                    hash[2] = (byte)(seq >>> 16);
                    hash[3] = (byte)(seq >>> 24);
                    w.auxSubmitted(t, 1, hash);
                    w.auxAccepted(t, 1, hash);
                    w.reward(t, 1, 50_0000_0000L, hash);
                    w.fee(t, 1, 5000_0000L, "commons");
                    w.distribution(t, 1, 2_970_000_000L, 1_237_500_000L, 495_000_000L, 247_500_000L);
                    written += 5;
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        journal.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long replay()
    {
        final AccountingState state = new AccountingState();
        try (JournalReader reader = journal.reader())
        {
            final long n = reader.readAll(state);
            if (n != written)
            {
                throw new IllegalStateException("replayed " + n + " of " + written + " events");
            }
        }
        return state.sharesAccepted();
    }
}
