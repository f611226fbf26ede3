package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop is a clean exit: {@code pool} and {@code miner}, each a real child process, end with status 0 after
 * SIGTERM or SIGINT (Ctrl-C), the pool having journaled every share it acknowledged. ({@code demo} is in
 * {@link DemoRunTest}.)
 */
class CleanStopTest
{
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path dir;

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static long journaledShares(final Path journal)
    {
        final AccountingState s = new AccountingState();
        try (Journal j = Journal.openExisting(journal); JournalReader r = j.reader())
        {
            r.readAll(s);
        }
        return s.sharesAccepted();
    }

    private Path poolConfig(final byte[] secret) throws Exception
    {
        final Path config = dir.resolve("pool.toml");
        Files.writeString(config, """
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [pool]
            journal_dir = "journal"
            shares_per_minute = 600
            [template]
            embedded_bits = "1d00ffff"
            [api]
            listen_addr = "127.0.0.1:0"
            """.formatted(AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret)), AuthorityKeys.encodeSecret(secret)));
        return config;
    }

    private void poolDrainsAndExitsZeroOn(final String signal) throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final Path config = poolConfig(secret);
        try (ChildCli pool = ChildCli.start(dir, "pool", "pool", "--config", config.toString(), "--status-interval", "1"))
        {
            final int port = Integer.parseInt(pool.awaitOut("pool: stratum2\\+tcp://127\\.0\\.0\\.1:(\\d+)/", WAIT_MS));
            assumeFalse(signal.equals("INT") && pool.ignoresSigint(),
                "this test runs in the background of a shell, which starts children with SIGINT ignored");
            final long acked;
            try (MinerClient miner = new MinerClient(new MinerConfig(new InetSocketAddress("127.0.0.1", port),
                AuthorityKeys.publicOf(secret), "stop.test", 1, false, 0, "auto", 100, 1000, 5000)))
            {
                miner.start();
                await(() -> miner.stats().sharesAccepted.sum() >= 3, "3 accepted shares");
                pool.signal(signal);   // while the miner is still submitting
                assertEquals(0, pool.awaitExit(WAIT_MS), "exit status after SIG" + signal + "\n" + pool);
                acked = miner.stats().sharesAccepted.sum();
            }
            assertTrue(pool.out().contains("stopping on SIG" + signal), pool.toString());
            final long stopped = Long.parseLong(pool.awaitOut("stopped: (\\d+) shares accepted, journal closed", 1));
            final long journaled = journaledShares(dir.resolve("journal"));
            assertTrue(journaled >= acked, "journal " + journaled + " >= acknowledged " + acked);
            assertEquals(journaled, stopped, "the pool's last words count what the journal holds");
            assertFalse(pool.err().contains("Exception"), pool.err());
        }
    }

    @Test
    @Timeout(120)
    void poolDrainsAndExitsZeroOnSigterm() throws Exception
    {
        poolDrainsAndExitsZeroOn("TERM");
    }

    @Test
    @Timeout(120)
    void poolDrainsAndExitsZeroOnCtrlC() throws Exception
    {
        poolDrainsAndExitsZeroOn("INT");
    }

    @Test
    @Timeout(120)
    void minerExitsZeroOnSigterm() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [pool]
            journal_dir = "journal"
            shares_per_minute = 600
            [template]
            embedded_bits = "1d00ffff"
            [api]
            enabled = false
            """.formatted(AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret)), AuthorityKeys.encodeSecret(secret)),
            dir);
        try (PoolServer pool = new PoolServer(config, WorkLayerFactory.NONE))
        {
            pool.start();
            try (ChildCli miner = ChildCli.start(dir, "miner", "miner", "--pool",
                "stratum2+tcp://127.0.0.1:" + pool.sv2Address().getPort() + "/" + pool.authorityPublicKey(),
                "--user", "child.miner", "--status-interval", "1"))
            {
                await(() -> pool.status().sharesAccepted() >= 2, "shares from the child miner");
                miner.signal("TERM");
                assertEquals(0, miner.awaitExit(WAIT_MS), miner.toString());
                assertTrue(miner.out().contains("miner: stopped;"), miner.toString());
                assertFalse(miner.err().contains("error"), miner.err());
            }
        }
    }
}
