package org.bitcoincommons.sv2.sv1;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.pool.PoolServer;

/**
 * A pool on 127.0.0.1 with an embedded chain (block difficulty high enough that tests find no block) and the Stratum V1
 * endpoint on an OS-chosen port at a tiny difficulty, so that a test grinds a share in milliseconds; with helpers to
 * read its per-worker view and, once closed, its journal.
 */
final class Sv1TestPool implements AutoCloseable
{
    /** Start difficulty of every test pool: about 43,000 hashes a share. */
    static final double START = 0.00001;
    /** Vardiff may raise the difficulty up to this, so that a share never takes long to grind. */
    static final double MAX = 0.00004;

    final PoolServer pool;
    final Path journal;
    private boolean closed;

    /** {@code sv1Toml}: extra keys of [sv1]; {@code poolToml}: extra keys of [pool]. */
    Sv1TestPool(final Path dir, final String sv1Toml, final String poolToml) throws Exception
    {
        journal = dir.resolve("journal");
        final String bits = String.format("%08x", Target.toCompact(Target.fromDifficulty(1e6)));
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [pool]
            journal_dir = "%s"
            shares_per_minute = 600
            min_hashrate = 0.000001
            %s
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = %s
            min_difficulty = %s
            max_difficulty = %s
            %s
            [template]
            embedded_bits = "%s"
            [api]
            enabled = false
            """.formatted(journal.toString().replace("\\", "/"), poolToml, START, START, MAX, sv1Toml, bits), dir);
        pool = new PoolServer(config, MergeMiningCoordinator.FACTORY);
        pool.start();
    }

    InetSocketAddress sv1()
    {
        return pool.sv1Address();
    }

    /** The per-worker row (/api/workers) of an open channel named {@code worker}, or null. */
    Map<String, Object> worker(final String worker)
    {
        try
        {
            final List<Map<String, Object>> rows = pool.workers();
            for (final Map<String, Object> r : rows)
            {
                if (worker.equals(r.get("name")))
                {
                    return r;
                }
            }
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    long workerAccepted(final String worker)
    {
        final Map<String, Object> r = worker(worker);
        return r == null ? 0 : ((Number)r.get("shares_accepted")).longValue();
    }

    /** Accepted shares of {@code worker} in the journal; only after {@link #close()}. */
    long journaledShares(final String worker)
    {
        if (!closed)
        {
            throw new IllegalStateException("read the journal after close()");
        }
        final AccountingState s = new AccountingState();
        try (Journal j = Journal.openExisting(journal); JournalReader r = j.reader())
        {
            r.readAll(s);
        }
        final int id = s.workerId(worker);
        return id < 0 ? 0 : s.workerStats(id).shares();
    }

    static boolean await(final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            try
            {
                Thread.sleep(10);
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
        if (!closed)
        {
            closed = true;
            pool.close();
        }
    }
}
