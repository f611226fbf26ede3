package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool in a real child process, under load from encrypted miners, killed with SIGKILL: the journal it leaves
 * holds at least every share the miners saw acknowledged, and a restarted pool replays it and keeps appending.
 */
class KillNineTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void noAcknowledgedShareIsLostAndTheRestartedPoolResumes() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final byte[] pub = AuthorityKeys.publicOf(secret);
        final int port = freePort();
        final Path journal = dir.resolve("journal");
        final Path config = dir.resolve("pool.toml");
        Files.writeString(config, """
            [stratum_v2]
            listen_addr = "127.0.0.1:%d"
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [pool]
            journal_dir = "%s"
            min_hashrate = 0.000001
            [template]
            embedded_bits = "1b00ffff"
            [api]
            enabled = false
            """.formatted(port, AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret),
            journal.toString().replace("\\", "/")));

        Process pool = start(config, dir.resolve("pool1.log"));
        final long acked;
        try
        {
            awaitPort(port, pool, dir.resolve("pool1.log"));
            final LoadGenerator load = new LoadGenerator(new LoadGenerator.Options(
                new java.net.InetSocketAddress("127.0.0.1", port), pub, 8, 0, 0, 0, 256, 16, 10_000));
            load.start();
            assertTrue(PoolHarness.await(30_000, () -> load.acceptedTotal() > 20_000), "load did not start");
            pool.destroyForcibly();   // SIGKILL, mid-stream
            pool.waitFor();
            acked = load.acceptedTotal();
            load.close();
        }
        finally
        {
            pool.destroyForcibly();
        }
        final long journaled = replayShares(journal);
        System.out.println("kill -9: miners saw " + acked + " shares acknowledged, the journal holds " + journaled);
        assertTrue(journaled >= acked, "journal holds " + journaled + " shares, miners saw " + acked + " acknowledged");

        // The restarted pool replays the journal and appends after it.
        pool = start(config, dir.resolve("pool2.log"));
        try
        {
            awaitPort(port, pool, dir.resolve("pool2.log"));
            final LoadGenerator load = new LoadGenerator(new LoadGenerator.Options(
                new java.net.InetSocketAddress("127.0.0.1", port), pub, 2, 0, 0, 0, 64, 8, 10_000));
            load.start();
            assertTrue(PoolHarness.await(30_000, () -> load.acceptedTotal() > 1000));
            load.close();
        }
        finally
        {
            pool.destroy();   // SIGTERM: clean shutdown
            pool.waitFor();
        }
        final long after = replayShares(journal);
        assertTrue(after > journaled + 1000, "restarted pool appended: " + journaled + " -> " + after);
        final String log = Files.readString(dir.resolve("pool2.log"));
        assertTrue(log.contains("replayed"), log);
        assertTrue(log.contains("pool stopped"), "SIGTERM shuts the pool down cleanly: " + log);
    }

    private static long replayShares(final Path journal)
    {
        final AccountingState s = new AccountingState();
        try (Journal j = Journal.openExisting(journal); JournalReader r = j.reader())
        {
            r.readAll(s);
        }
        return s.sharesAccepted();
    }

    private static Process start(final Path config, final Path log) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("@" + Path.of(System.getProperty("sv2.root.dir", ".."), "etc", "jvm.flags").toAbsolutePath().normalize());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add("org.bitcoincommons.sv2.cli.Main");
        cmd.add("pool");
        cmd.add("--config");
        cmd.add(config.toString());
        cmd.add("--status-interval");
        cmd.add("0");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String tail(final Path log)
    {
        try
        {
            final String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void awaitPort(final int port, final Process p, final Path log) throws Exception
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!p.isAlive())
            {
                throw new IllegalStateException("pool exited with " + p.exitValue() + ": " + tail(log));
            }
            try (Socket s = new Socket("127.0.0.1", port))
            {
                return;
            }
            catch (final IOException ex)
            {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pool did not listen on " + port);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }
}
