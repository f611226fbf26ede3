package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.engine.StratumV2Miner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 demo} ({@code make run}): the pool on the embedded chain with a built-in CPU miner, tuned so that
 * a newcomer sees shares every few seconds and a block about every {@code --block-seconds}.
 *
 * <p>The embedded chain lives in memory and starts again at height 0 on every run, so the demo starts a fresh journal
 * too (the previous run's is kept beside it as {@code DIR.previous}): every number it shows, in the status line,
 * {@code /api/status}, the dashboard, {@code /api/accounting} and {@code bin/sv2 replay}, counts since this start.
 */
@Command(name = "demo",
    description = "Run the pool on the embedded chain with a built-in miner (make run), until SIGTERM or Ctrl-C.")
public final class DemoCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", defaultValue = "1", description = "Miner threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--block-seconds", defaultValue = "15", description = "Aimed seconds between blocks (default ${DEFAULT-VALUE}).")
    double blockSeconds;

    @Option(names = "--journal", defaultValue = "data/demo-journal", paramLabel = "DIR",
        description = "Journal directory, fresh on every run; the previous run's is moved to DIR.previous " +
            "(default ${DEFAULT-VALUE}).")
    Path journal;

    @Option(names = "--listen", defaultValue = "127.0.0.1:34254", paramLabel = "HOST:PORT",
        description = "SV2 listen address (default ${DEFAULT-VALUE}; make run PORT=N).")
    String listen;

    @Option(names = "--api", defaultValue = "127.0.0.1:9100", paramLabel = "HOST:PORT",
        description = "API/dashboard address (default ${DEFAULT-VALUE}; make run API_PORT=N).")
    String api;

    @Option(names = "--status-interval", defaultValue = "5", description = "Seconds between status lines (default ${DEFAULT-VALUE}).")
    int statusIntervalSec;

    /** The demo's listen addresses are its options; make run sets them from PORT and API_PORT. */
    private static final PoolCommand.ListenNames NAMES = new PoolCommand.ListenNames("--listen", "--api",
        " (pick free ports: make run PORT=N API_PORT=N, or bin/sv2 demo --listen HOST:PORT --api HOST:PORT)");

    @Override
    public void run()
    {
        final var out = spec.commandLine().getOut();
        checkAddress("--listen", listen);
        checkAddress("--api", api);
        final double hashrate = MinerClient.measureHashrate("auto", threads);
        final double difficulty = Math.max(1e-9, hashrate * blockSeconds / 4294967296.0);
        final int bits = Target.toCompact(Target.fromDifficulty(difficulty));
        out.printf("demo: built-in miner measured at %s on %d thread(s); embedded chain difficulty %.6f (bits %08x), " +
            "about one block every %.0f s%n", PoolCommand.hashrate(hashrate), threads, difficulty, bits, blockSeconds);
        final Path dir = journal.toAbsolutePath();
        final Path previous = freshJournal(dir);
        final EngineConfig config;
        try
        {
            config = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "%s"
                [pool]
                journal_dir = "%s"
                shares_per_minute = 20
                [template]
                embedded_bits = "%08x"
                [api]
                listen_addr = "%s"
                """.formatted(listen, dir.toString().replace("\\", "/"), bits, api),
                Path.of("").toAbsolutePath());
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        out.println("demo: a fresh journal in " + dir + (previous == null ? "" : " (the previous run's is in " +
            previous + ")") + "; every number shown counts since this start. Replay it with: bin/sv2 replay --journal " +
            journal);
        PoolCommand.runUntilSignalled(config, out, statusIntervalSec, NAMES, pool ->
        {
            final StratumV2Miner miner = StratumV2Miner.builder(pool.sv2Url()).user("demo.miner").threads(threads)
                .nominalHashrate(hashrate).backoff(500, 5000).build();
            try
            {
                miner.startMining();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return miner;
        });
    }

    /** HOST:PORT as the options take it; errors name the option. */
    private static void checkAddress(final String option, final String value)
    {
        final int colon = value.lastIndexOf(':');
        final String port = colon < 0 ? "" : value.substring(colon + 1);
        if (colon <= 0 || !value.substring(0, colon).matches("[A-Za-z0-9.:\\[\\]-]+") || !port.matches("[0-9]{1,5}") ||
            Integer.parseInt(port) > 65535)
        {
            throw new CliException(ExitCode.BAD_INPUT, option + " must be HOST:PORT with a port 0..65535, got \"" +
                value + "\"");
        }
    }

    /**
     * Moves a journal left by an earlier run to {@code DIR.previous} (replacing the one before it), so that this run
     * starts from an empty journal, as the embedded chain starts from height 0.
     *
     * @return where the earlier journal went, or null when there was none
     */
    static Path freshJournal(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return null;
        }
        if (!Files.isDirectory(dir))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--journal " + dir + " is not a directory");
        }
        final Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        try
        {
            try (Stream<Path> files = Files.list(dir))
            {
                if (files.findAny().isEmpty())
                {
                    return null;
                }
            }
            deleteJournal(previous);
            Files.move(dir, previous);
            return previous;
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot move the previous journal " + dir + " to " + previous +
                ": " + ex.getMessage());
        }
    }

    /** Deletes a journal directory holding only Chronicle Queue files; anything else in it is left and reported. */
    private static void deleteJournal(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path f : files.toList())
            {
                final String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || !(name.endsWith(".cq4") || name.endsWith(".cq4t")))
                {
                    throw new IOException(dir + " holds " + name + ", which is not a journal file; move it away first");
                }
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
