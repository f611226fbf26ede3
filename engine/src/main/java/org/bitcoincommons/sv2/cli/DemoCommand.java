package org.bitcoincommons.sv2.cli;

import java.nio.file.Path;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 demo} ({@code make run}): the pool on the embedded chain with a built-in CPU miner, tuned so that
 * a newcomer sees shares every few seconds and a block about every {@code --block-seconds}.
 */
@Command(name = "demo", description = "Run the pool on the embedded chain with a built-in miner (make run).")
public final class DemoCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", defaultValue = "1", description = "Miner threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--block-seconds", defaultValue = "15", description = "Aimed seconds between blocks (default ${DEFAULT-VALUE}).")
    double blockSeconds;

    @Option(names = "--journal", defaultValue = "data/demo-journal", description = "Journal directory (default ${DEFAULT-VALUE}).")
    Path journal;

    @Option(names = "--listen", defaultValue = "127.0.0.1:34254", description = "SV2 listen address (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--api", defaultValue = "127.0.0.1:9100", description = "API/dashboard address (default ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--status-interval", defaultValue = "5", description = "Seconds between status lines (default ${DEFAULT-VALUE}).")
    int statusIntervalSec;

    @Override
    public void run()
    {
        final var out = spec.commandLine().getOut();
        final double hashrate = MinerClient.measureHashrate("auto", threads);
        final double difficulty = Math.max(1e-9, hashrate * blockSeconds / 4294967296.0);
        final int bits = Target.toCompact(Target.fromDifficulty(difficulty));
        out.printf("demo: built-in miner measured at %s on %d thread(s); embedded chain difficulty %.6f (bits %08x), " +
            "about one block every %.0f s%n", PoolCommand.hashrate(hashrate), threads, difficulty, bits, blockSeconds);
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
                """.formatted(listen, journal.toAbsolutePath().toString().replace("\\", "/"), bits, api),
                Path.of("").toAbsolutePath());
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        out.println("demo: journal in " + journal.toAbsolutePath() + " (replay it with: bin/sv2 replay --journal " +
            journal + " --json)");
        PoolCommand.runUntilSignalled(config, out, statusIntervalSec, pool ->
        {
            final MinerClient miner = new MinerClient(new MinerConfig(pool.sv2Address(),
                AuthorityKeys.decodePublic(pool.authorityPublicKey()), "demo.miner", threads, false, hashrate, "auto",
                500, 5000, 10_000));
            miner.start();
            return miner;
        });
    }
}
