package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 miner --pool tcp://HOST:PORT --authority-pubkey KEY --user NAME --threads N}: a CPU miner; with
 * {@code --pool stratum+tcp://HOST:PORT} it speaks Stratum V1 (plain TCP, no authority key); with
 * {@code --pool quic://HOST:PORT} SV2 over QUIC (control stream plus one stream for its channel, the pool trusted by the
 * same authority key). It mines
 * until SIGTERM or Ctrl-C (then exits 0), or until the pool proves to be certified by another authority (exit 3: no
 * reconnect can fix that). Its arguments are checked before anything starts (exit 2). The miner is the public engine
 * API's {@link StratumV2Miner}.
 */
@Command(name = "miner", description = "Mine against an SV2 (or, with stratum+tcp://, a Stratum V1) pool until SIGTERM or Ctrl-C.")
public final class MinerCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pool", required = true, paramLabel = "URL",
        description = "tcp://HOST:PORT, stratum2+tcp://HOST:PORT[/KEY] or HOST:PORT (SV2); quic://HOST:PORT[/KEY] (SV2 "
            + "over QUIC); stratum+tcp://HOST:PORT (Stratum V1). iroh:// is refused (no JVM Iroh stack).")
    String pool;

    @Option(names = "--authority-pubkey", paramLabel = "KEY",
        description = "The pool's authority public key (base58check); the certificate is verified against it. " +
            "Taken from a stratum2+tcp URL when given there.")
    String authority;

    @Option(names = "--user", defaultValue = "miner", description = "user_identity (default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--threads", defaultValue = "1", description = "Hashing threads, 1..1024 (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--extended", description = "Open an extended channel (roll extranonce) instead of a standard one.")
    boolean extended;

    @Option(names = "--hashrate", defaultValue = "0", description = "Nominal hashrate to announce, H/s (0: measure).")
    double hashrate;

    @Option(names = "--hash-impl", defaultValue = "auto", description = "auto, ffm, jna or java (default ${DEFAULT-VALUE}).")
    String hashImpl;

    @Option(names = "--insecure", description = "Do not verify the pool's certificate (no authority key).")
    boolean insecure;

    @Option(names = "--status-interval", defaultValue = "10", paramLabel = "SEC",
        description = "Seconds between status lines (default ${DEFAULT-VALUE}); 0 for none.")
    int statusIntervalSec;

    @Option(names = "--mm-account-interval-ms", defaultValue = "-1", paramLabel = "MS",
        description = "Ask the pool for this miner's merged-mining account per chain (extension 0x4D4D) every MS ms "
            + "(0: the pool's default) and print each as a line `mm-account {json}`; -1 (default): do not ask.")
    long accountIntervalMs;

    @Override
    public void run()
    {
        final MinerConfig config = config();
        final PrintWriter out = spec.commandLine().getOut();
        final StratumV2Miner miner;
        try
        {
            final StratumV2Miner.Builder b = StratumV2Miner.builder(pool).user(user).threads(threads)
                .extended(extended).nominalHashrate(hashrate).hashImpl(hashImpl);
            if (config.authorityPublicKey() != null)
            {
                b.authorityKey(AuthorityKeys.encodePublic(config.authorityPublicKey()));
            }
            else if (!config.sv1())
            {
                b.insecure();
            }
            miner = b.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        if (accountIntervalMs >= 0)
        {
            miner.mergeMiningAccount(accountIntervalMs, a ->
            {
                final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("update_sequence", a.updateSequence());
                m.put("chain_index", a.chainIndex());
                m.put("chain_name", a.chainName());
                m.put("shares_credited", a.sharesCredited());
                m.put("work_credited_hashes", a.workCreditedHashes());
                m.put("pool_shares", a.poolShares());
                m.put("pool_work_hashes", a.poolWorkHashes());
                m.put("pool_blocks", a.poolBlocks());
                m.put("pool_rewards", a.poolRewards());
                m.put("reward_attributed", a.rewardAttributed());
                synchronized (out)
                {
                    out.println("mm-account " + Json.MAPPER.valueToTree(m));
                    out.flush();
                }
            });
        }
        final Thread hook = new Thread(miner::stop, "sv2-miner-shutdown");
        try (StopSignals signals = StopSignals.install())
        {
            Runtime.getRuntime().addShutdownHook(hook);
            miner.startMining();
            final var backend = org.bitcoincommons.sv2.hash.HashBackends.create(hashImpl);
            out.printf("miner: %s -> %s%s, %d thread(s) scanning with %s (%s), announcing %s%n", user, config.pool(),
                config.sv1() ? " (Stratum V1)" : config.quic() ? " (SV2 over QUIC)" : "", threads, backend.impl().configName(), backend.scanKernel(),
                PoolCommand.hashrate(miner.nominalHashrate()));
            out.flush();
            // The miner stops by itself on a fault no retry can fix; a signal stops it from here.
            Thread.ofVirtual().name("sv2-miner-watch").start(() ->
            {
                try
                {
                    miner.awaitStopped(Long.MAX_VALUE);
                    signals.request();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            long lastHashes = 0;
            long lastNs = System.nanoTime();
            while (!signals.await(Math.max(1, statusIntervalSec), TimeUnit.SECONDS))
            {
                if (statusIntervalSec > 0)
                {
                    final long h = miner.hashes();
                    final long now = System.nanoTime();
                    final var reasons = miner.rejectReasons();
                    out.printf("%s | %s | shares %d submitted, %d accepted, %d rejected %s%n",
                        miner.connected() ? "connected" : "connecting",
                        PoolCommand.hashrate((h - lastHashes) / ((now - lastNs) / 1e9)),
                        miner.sharesSubmitted(), miner.sharesAccepted(), miner.sharesRejected(),
                        reasons.isEmpty() ? "" : reasons.toString());
                    out.flush();
                    lastHashes = h;
                    lastNs = now;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            miner.stop();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is already shutting down
            }
        }
        if (miner.failure() != null)
        {
            throw new CliException(ExitCode.FAILURE, "the pool at " + config.pool().getHostString() + ":" +
                config.pool().getPort() + " is not certified by authority " + miner.authorityKey() + " (" +
                miner.failure().getMessage() + "); check --authority-pubkey");
        }
        out.printf("miner: stopped; %d shares submitted, %d accepted%n", miner.sharesSubmitted(),
            miner.sharesAccepted());
        out.flush();
    }

    MinerConfig config()
    {
        if (threads < 1 || threads > 1024)
        {
            throw new CliException(ExitCode.BAD_INPUT, "--threads must be 1..1024, got " + threads);
        }
        if (!hashImpl.matches("auto|ffm|jna|java"))
        {
            throw new CliException(ExitCode.BAD_INPUT, "--hash-impl must be auto, ffm, jna or java");
        }
        final java.net.InetSocketAddress address;
        try
        {
            address = MinerConfig.parsePoolUrl(pool);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, "--pool: " + ex.getMessage());
        }
        if (MinerConfig.isSv1Url(pool))
        {
            if (authority != null || extended)
            {
                throw new CliException(ExitCode.BAD_INPUT, (authority != null ? "--authority-pubkey" : "--extended") +
                    " does not apply to a Stratum V1 pool (stratum+tcp://): it has no authority key and chooses the " +
                    "channel itself");
            }
            return new MinerConfig(address, null, user, threads, false, hashrate, hashImpl, 500, 30_000, 10_000, true);
        }
        String key = authority;
        final String scheme = MinerConfig.isQuicUrl(pool) ? "quic://" : "stratum2+tcp://";
        if (key == null && pool.startsWith(scheme) && pool.indexOf('/', scheme.length()) > 0)
        {
            key = pool.substring(pool.indexOf('/', scheme.length()) + 1);
        }
        byte[] pub = null;
        if (key != null && !key.isEmpty())
        {
            try
            {
                pub = AuthorityKeys.decodePublic(key);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, "--authority-pubkey: " + ex.getMessage());
            }
        }
        else if (!insecure)
        {
            throw new CliException(ExitCode.BAD_INPUT,
                "--authority-pubkey is required to verify the pool (or pass --insecure to skip the check)");
        }
        return new MinerConfig(address, pub, user, threads, extended, hashrate, hashImpl, 500, 30_000, 10_000, false,
            MinerConfig.isQuicUrl(pool));
    }
}
