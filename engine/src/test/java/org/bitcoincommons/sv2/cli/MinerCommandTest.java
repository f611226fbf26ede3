package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;

import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sv2 miner} checks its input before it mines: each mistake ends it with one clear error line and exit 2,
 * and a pool certified by another authority ends it with exit 3 after one attempt, instead of retrying forever.
 */
class MinerCommandTest
{
    private static final String KEY = AuthorityKeys.encodePublic(
        AuthorityKeys.publicOf(AuthorityKeys.generateSecret(new SecureRandom())));

    @TempDir
    Path dir;

    private static void assertOneError(final CliRunner r, final int exitCode, final String message)
    {
        assertEquals(exitCode, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(message), r.err());
    }

    @Test
    void zeroThreadsIsBadInput()
    {
        assertOneError(CliRunner.run("miner", "--pool", "127.0.0.1:3333", "--authority-pubkey", KEY, "--threads", "0"),
            ExitCode.BAD_INPUT, "--threads must be 1..1024, got 0");
    }

    @Test
    void anUnknownSchemeIsBadInput()
    {
        assertOneError(CliRunner.run("miner", "--pool", "http://127.0.0.1:3333", "--authority-pubkey", KEY),
            ExitCode.BAD_INPUT, "--pool: unknown scheme \"http\"");
        assertOneError(CliRunner.run("miner", "--pool", "stratum+tcp://127.0.0.1:3333", "--authority-pubkey", KEY),
            ExitCode.BAD_INPUT, "Stratum V1");
    }

    @Test
    void irohIsRefusedBecauseNoJvmIrohStackExists()
    {
        assertOneError(CliRunner.run("miner", "--pool", "iroh://127.0.0.1:3333", "--authority-pubkey", KEY),
            ExitCode.BAD_INPUT, "--pool: iroh:// is not supported: no Iroh stack exists for the JVM");
    }

    @Test
    void aStratumV1PoolTakesNoAuthorityKeyNorExtended()
    {
        assertOneError(CliRunner.run("miner", "--pool", "stratum+tcp://127.0.0.1:3333", "--extended"),
            ExitCode.BAD_INPUT, "--extended does not apply to a Stratum V1 pool");
        assertOneError(CliRunner.run("miner", "--pool", "stratum+tcp://127.0.0.1:3333", "--threads", "0"),
            ExitCode.BAD_INPUT, "--threads must be 1..1024, got 0");
    }

    @Test
    void anUnresolvableHostIsBadInput()
    {
        // .invalid never resolves (RFC 2606).
        assertOneError(CliRunner.run("miner", "--pool", "tcp://no-such-pool.invalid:3333", "--authority-pubkey", KEY),
            ExitCode.BAD_INPUT, "--pool: cannot resolve host \"no-such-pool.invalid\"");
    }

    @Test
    void aMissingPortIsBadInput()
    {
        assertOneError(CliRunner.run("miner", "--pool", "tcp://127.0.0.1", "--authority-pubkey", KEY),
            ExitCode.BAD_INPUT, "--pool: pool address must be host:port");
    }

    @Test
    @Timeout(60)
    void aPoolCertifiedByAnotherAuthorityStopsTheMinerWithExitThree() throws Exception
    {
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [pool]
            journal_dir = "journal"
            [api]
            enabled = false
            """, dir);
        try (PoolServer pool = new PoolServer(config, WorkLayerFactory.NONE))
        {
            pool.start();
            final int port = pool.sv2Address().getPort();
            final CliRunner r = CliRunner.run("miner", "--pool", "tcp://127.0.0.1:" + port, "--authority-pubkey", KEY,
                "--status-interval", "0");
            assertOneError(r, ExitCode.FAILURE, "the pool at 127.0.0.1:" + port + " is not certified by authority " + KEY);
            assertTrue(r.err().contains("check --authority-pubkey"), r.err());
            assertEquals(0, pool.metrics().setupFailures.sum() + pool.status().channels(), "it never got past the handshake");
        }
    }

    @Test
    @Timeout(60)
    void aQuicPoolCertifiedByAnotherAuthorityStopsTheMinerWithExitThree() throws Exception
    {
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            transport_preference = "quic"
            quic_listen_addr = "127.0.0.1:0"
            quic_tls_key_path = "tls/key.pem"
            quic_tls_cert_path = "tls/cert.pem"
            [pool]
            journal_dir = "journal"
            [api]
            enabled = false
            """, dir);
        try (PoolServer pool = new PoolServer(config, WorkLayerFactory.NONE))
        {
            pool.start();
            final int port = pool.quicAddress().getPort();
            final CliRunner r = CliRunner.run("miner", "--pool", "quic://127.0.0.1:" + port, "--authority-pubkey", KEY,
                "--status-interval", "0");
            assertOneError(r, ExitCode.FAILURE, "the pool at 127.0.0.1:" + port + " is not certified by authority " + KEY);
            assertEquals(0, pool.metrics().setupFailures.sum() + pool.status().channels(), "it never got past the handshake");
        }
    }
}
