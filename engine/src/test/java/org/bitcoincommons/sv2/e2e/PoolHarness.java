package org.bitcoincommons.sv2.e2e;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;

/**
 * A pool on 127.0.0.1 (port 0) with an embedded chain, and helpers to attach real miners to it.
 */
final class PoolHarness implements AutoCloseable
{
    final PoolServer pool;
    final Path journal;

    PoolHarness(final Path dir, final double blockDifficulty, final String extraToml) throws Exception
    {
        this(dir, blockDifficulty, extraToml, null);
    }

    /** {@code authoritySecret}: the pool's authority key (two pools with the same key serve the same miners). */
    PoolHarness(final Path dir, final double blockDifficulty, final String extraToml, final byte[] authoritySecret)
        throws Exception
    {
        this(dir, blockDifficulty, "", extraToml, authoritySecret);
    }

    /** {@code stratumToml}: extra keys of [stratum_v2]; {@code extraToml}: extra keys of [pool]. */
    PoolHarness(final Path dir, final double blockDifficulty, final String stratumToml, final String extraToml,
        final byte[] authoritySecret) throws Exception
    {
        journal = dir.resolve("journal");
        final String noise = authoritySecret == null ? "" : """
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            """.formatted(AuthorityKeys.encodePublic(AuthorityKeys.publicOf(authoritySecret)),
            AuthorityKeys.encodeSecret(authoritySecret));
        final String bits = String.format("%08x", Target.toCompact(Target.fromDifficulty(blockDifficulty)));
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 2000
            %s
            %s
            [pool]
            journal_dir = "%s"
            shares_per_minute = 600
            %s
            [template]
            embedded_bits = "%s"
            [api]
            enabled = false
            """.formatted(stratumToml, noise, journal.toString().replace("\\", "/"), extraToml, bits), dir);
        pool = new PoolServer(config, MergeMiningCoordinator.FACTORY);
        pool.start();
    }

    InetSocketAddress address()
    {
        return pool.sv2Address();
    }

    MinerClient miner(final String user, final int threads, final boolean extended)
    {
        final MinerConfig mc = new MinerConfig(address(), AuthorityKeys.decodePublic(pool.authorityPublicKey()), user,
            threads, extended, 0, "auto", 100, 1000, 2000);
        final MinerClient m = new MinerClient(mc);
        m.start();
        return m;
    }

    static boolean await(final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
