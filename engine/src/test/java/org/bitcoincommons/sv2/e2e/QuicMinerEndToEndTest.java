package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The miner over {@code quic://}: it mines against a pool serving TCP and QUIC (shares accepted on the channel's own
 * stream and journaled), reconnects when the pool restarts on the same UDP port, and refuses {@code iroh://}.
 */
class QuicMinerEndToEndTest
{
    @TempDir
    Path dir;

    static String quicToml(final Path dir, final int port)
    {
        return """
            transport_preference = "both"
            quic_listen_addr = "127.0.0.1:%d"
            quic_tls_key_path = "%s"
            quic_tls_cert_path = "%s"
            """.formatted(port, dir.resolve("tls/key.pem").toString().replace("\\", "/"),
            dir.resolve("tls/cert.pem").toString().replace("\\", "/"));
    }

    @Test
    @Timeout(90)
    void aMinerMinesOverQuicAndItsSharesAreJournaled() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final Map<String, Object> live;
        try (PoolHarness h = new PoolHarness(dir, 1.0e12, quicToml(dir, 0), "", secret))
        {
            final InetSocketAddress q = h.pool.quicAddress();
            final String key = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
            try (StratumV2Miner miner = StratumV2Miner.builder("quic://127.0.0.1:" + q.getPort())
                .authorityKey(key).user("quic.rig1").threads(1).build())
            {
                assertTrue(miner.connect(), "connected with work over QUIC");
                miner.startMining();
                assertTrue(PoolHarness.await(40_000, () -> miner.sharesAccepted() >= 5
                    && h.pool.status().sharesAccepted() >= 5), () -> "accepted " + miner.sharesAccepted());
                assertEquals(0, miner.sharesRejected());
                // one QUIC connection with its control stream and the channel's stream; no TCP connection at all
                assertEquals(1, h.pool.quicStats().openConnections());
                assertTrue(h.pool.quicStats().streamsOpened.sum() >= 2);
                assertEquals(0, h.pool.tcpStats().openConnections());
            }
            h.pool.close();
            live = h.pool.accounting();
        }
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertTrue(replayed.sharesAccepted() >= 5, "journaled: " + replayed.sharesAccepted());
        assertEquals(live.get("shares_accepted"), replayed.toMap().get("shares_accepted"));
    }

    @Test
    @Timeout(90)
    void theMinerReconnectsOverQuicWhenThePoolRestarts() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            port = probe.getLocalPort();
        }
        final String key = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        try (StratumV2Miner miner = StratumV2Miner.builder("quic://127.0.0.1:" + port).authorityKey(key)
            .user("quic.restart").threads(1).backoff(100, 500).build())
        {
            try (PoolHarness a = new PoolHarness(dir.resolve("a"), 1.0e12, quicToml(dir.resolve("a"), port), "", secret))
            {
                assertTrue(miner.connect(), "connected to the first pool");
                miner.startMining();
                assertTrue(PoolHarness.await(30_000, () -> a.pool.status().sharesAccepted() >= 2),
                    () -> "first pool: accepted " + a.pool.status().sharesAccepted() + ", quic connections "
                        + a.pool.quicStats().openConnections() + ", streams " + a.pool.quicStats().streamsOpened.sum()
                        + "; miner: connected " + miner.connected() + ", submitted " + miner.sharesSubmitted()
                        + ", accepted " + miner.sharesAccepted() + ", rejected " + miner.sharesRejected());
            }
            final long before = miner.sharesAccepted();
            assertTrue(PoolHarness.await(10_000, () -> !miner.connected()), "the miner saw the pool go");
            // The same port, another TLS identity: the miner trusts the authority key, not the certificate.
            try (PoolHarness b = new PoolHarness(dir.resolve("b"), 1.0e12, quicToml(dir.resolve("b"), port), "", secret))
            {
                assertTrue(PoolHarness.await(40_000, () -> b.pool.status().sharesAccepted() >= 2
                    && b.pool.quicStats().openConnections() == 1), () -> "shares on b " + b.pool.status().sharesAccepted());
                assertTrue(miner.sharesAccepted() > before);
                assertTrue(miner.connected());
            }
        }
    }

    @Test
    void irohIsRefusedWithTheNoJvmIrohMessage()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> StratumV2Miner.builder("iroh://127.0.0.1:3333").insecure().build());
        assertEquals(MinerConfig.IROH_REFUSED, ex.getMessage());
        assertTrue(ex.getMessage().contains("no Iroh stack exists for the JVM"));
    }
}
