package org.bitcoincommons.sv2.cluster;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;

/** A real pool on 127.0.0.1 in the frontend role of a {@link ClusterHarness} cluster, and load generators on it. */
final class Frontend implements AutoCloseable
{
    final int id;
    final Path journal;
    final ClusterFrontend cluster;
    final PoolServer pool;

    Frontend(final ClusterHarness h, final int id, final String extraCluster) throws Exception
    {
        this(h, id, extraCluster, "", "");
    }

    /**
     * @param stratumKeys more {@code [stratum_v2]} keys (merged mining)
     * @param tables      more tables, last in the file ({@code [[merge.chains]]}); with {@code aux = "cluster"} in
     *                    {@code extraCluster} the merged-mining layer takes its work from the cluster
     */
    Frontend(final ClusterHarness h, final int id, final String extraCluster, final String stratumKeys,
        final String tables) throws Exception
    {
        this.id = id;
        this.journal = h.dir.resolve("frontend-" + id + "-journal");
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 5000
            %s
            [pool]
            journal_dir = "%s"
            min_hashrate = 0.000001
            [template]
            embedded_bits = "1b00ffff"
            [api]
            enabled = false
            %s
            %s
            """.formatted(stratumKeys, journal.toString().replace("\\", "/"), tables, h.toml(-id, extraCluster)), h.dir);
        this.cluster = ClusterFrontend.start(config.cluster());
        this.pool = new PoolServer(config, MergeMiningCoordinator.factory(cluster::auxSource)).accountingSink(cluster);
        pool.start();
    }

    InetSocketAddress address()
    {
        return pool.sv2Address();
    }

    /** {@code connections} encrypted miners submitting {@code rate} shares/s in total (0 = flat out). */
    LoadGenerator load(final int connections, final double rate) throws InterruptedException
    {
        final LoadGenerator g = new LoadGenerator(new LoadGenerator.Options(address(),
            AuthorityKeys.decodePublic(pool.authorityPublicKey()), connections, rate, 0, 0, 64, 8, 10_000));
        g.start();
        return g;
    }

    /** Waits until everything this frontend sealed is committed. */
    boolean awaitAllCommitted(final long timeoutMs)
    {
        return ClusterHarness.await(timeoutMs, () ->
        {
            // a share accepted after the last seal is sealed at the next batch or tick
            return cluster.allCommitted() && pool.pendingAcks().held() == 0;
        });
    }

    /** Every event of this frontend's journal, in order. */
    void replayJournal(final AccountingListener listener)
    {
        try (Journal j = Journal.openExisting(journal); JournalReader r = j.reader())
        {
            r.readAll(listener);
        }
    }

    long journaledShares()
    {
        final AccountingState s = new AccountingState();
        replayJournal(s);
        return s.sharesAccepted();
    }

    @Override
    public void close()
    {
        pool.close();
        cluster.close();
    }
}
