package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real in-process pool: paced and flat-out modes, counted against the pool's own.
 * Behaviour only: how close the paced rate comes to the offered one, and how fast flat-out goes, are measured by
 * {@code bin/sv2 bench load} ({@code offered_rate} beside {@code accepted_shares_per_second}), not asserted here.
 */
class LoadGeneratorTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void pacedModeSendsOnItsScheduleAndTimesEveryAcknowledgement() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "min_hashrate = 0.000001"))
        {
            final byte[] pub = AuthorityKeys.decodePublic(h.pool.authorityPublicKey());
            // 4 miners, 2,000 shares/s in batches of 4: one write per miner every 8 ms, for 1.5 s after 0.5 s.
            final LoadGenerator lg = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 4, 2000, 500, 1500,
                64, 4, 10_000));
            final LoadGenerator.Result r = lg.run();
            lg.close();
            assertEquals(4, r.connections());
            assertEquals(0, r.connectFailures());
            assertEquals(0, r.sharesRejected());
            assertTrue(r.sharesAccepted() > 0, r.toString());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.p999Us() && r.p999Us() <= r.maxUs(),
                r.toString());
            // 62 bytes per share plus a share of the batched acknowledgements (58 bytes each, at most one per share).
            assertTrue(r.bytesPerShare() > 62 && r.bytesPerShare() < 62 + 58, "bytes/share " + r.bytesPerShare());
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= lg.acceptedTotal()),
                "the pool counted every share the generator saw acknowledged");
        }
    }

    @Test
    @Timeout(60)
    void aCrowdFromSeveralLoopbackAddressesIsAdmittedPerAddress() throws Exception
    {
        // two connections per source address: the pool's own per-address limit tells where each came from
        try (PoolHarness h = new PoolHarness(dir, 1e9, "min_hashrate = 0.000001\nmax_connections_per_ip = 2"))
        {
            final byte[] pub = AuthorityKeys.decodePublic(h.pool.authorityPublicKey());
            final LoadGenerator spread = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 6, 0, 0, 0, 1, 1,
                10_000)).connectOnly(6).sourceAddresses(3);
            spread.start();
            assertEquals(6, spread.openConnections(), "127.0.0.2, .3 and .4: two each");
            assertEquals(0, spread.connectFailures());
            spread.close();
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().connections() == 0));
            final LoadGenerator one = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 6, 0, 0, 0, 1, 1,
                10_000)).connectOnly(6);
            one.start();
            assertEquals(2, one.openConnections(), "all from 127.0.0.1: the limit admits two");
            one.close();
            final LoadGenerator v6 = new LoadGenerator(new LoadGenerator.Options(
                new java.net.InetSocketAddress("::1", h.address().getPort()), pub, 1, 0, 0, 0, 1, 1, 10_000));
            final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> v6.sourceAddresses(2));
            assertTrue(ex.getMessage().contains("IPv4 loopback"), ex.getMessage());
        }
    }

    @Test
    @Timeout(60)
    void flatOutSubmitsWithoutASchedule() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "min_hashrate = 0.000001"))
        {
            final byte[] pub = AuthorityKeys.decodePublic(h.pool.authorityPublicKey());
            final LoadGenerator lg = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 2, 0, 300, 700,
                64, 8, 10_000));
            final LoadGenerator.Result r = lg.run();
            lg.close();
            assertEquals(2, r.connections());
            assertEquals(0, r.sharesRejected());
            assertTrue(r.sharesAccepted() > 0, r.toString());
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= lg.acceptedTotal()),
                "the pool counted every share the generator saw acknowledged");
        }
    }

    @Test
    @Timeout(60)
    void loopReadersReadEveryMinersAcknowledgementsOnOneThread() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "min_hashrate = 0.000001"))
        {
            final byte[] pub = AuthorityKeys.decodePublic(h.pool.authorityPublicKey());
            // 6 miners (half on extended channels, a third of the shares version-rolled), 3,000 shares/s one a write
            final LoadGenerator lg = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 6, 3000, 400, 1200,
                32, 1, 10_000)).mix(50, 33).followJobs().loopReaders();
            final LoadGenerator.Result r = lg.run();
            assertEquals(6, lg.openConnections());
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("load-read-loop")),
                "the reader loop runs");
            lg.close();
            assertEquals(6, r.connections());
            assertEquals(0, r.connectFailures());
            assertEquals(0, r.sharesRejected());
            assertTrue(r.sharesAccepted() > 0, r.toString());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.toString());
            assertTrue(r.bytesPerShare() > 62 && r.bytesPerShare() < 90 + 58, "bytes/share " + r.bytesPerShare());
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= lg.acceptedTotal()),
                "the pool counted every share the generator saw acknowledged");
        }
    }

    @Test
    void loopReadersNeedTcpMinersAtAGivenRate()
    {
        final java.net.InetSocketAddress any = new java.net.InetSocketAddress("127.0.0.1", 1);
        final LoadGenerator flatOut = new LoadGenerator(new LoadGenerator.Options(any, null, 1, 0, 0, 1, 8, 1, 1000));
        assertThrows(IllegalArgumentException.class, flatOut::loopReaders);
        final LoadGenerator quic = new LoadGenerator(new LoadGenerator.Options(any, null, 1, 100, 0, 1, 8, 1, 1000)
            .quic(any));
        assertThrows(IllegalArgumentException.class, quic::loopReaders);
    }

    @Test
    @Timeout(60)
    void overQuicEachMinerHasItsChannelStreamAndEveryAckIsCounted() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, QuicMinerEndToEndTest.quicToml(dir, 0), "min_hashrate = 0.000001",
            null))
        {
            final byte[] pub = AuthorityKeys.decodePublic(h.pool.authorityPublicKey());
            final LoadGenerator lg = new LoadGenerator(new LoadGenerator.Options(h.address(), pub, 3, 1500, 300, 1000,
                64, 4, 10_000).quic(h.pool.quicAddress()));
            final LoadGenerator.Result r = lg.run();
            assertEquals(3, lg.openConnections());
            lg.close();
            assertEquals(3, r.connections());
            assertEquals(0, r.connectFailures());
            assertEquals(0, r.sharesRejected());
            assertTrue(r.sharesAccepted() > 0, r.toString());
            // stream bytes: 30-byte plaintext share frames plus batched acknowledgements (26 bytes, at most one a share)
            assertTrue(r.bytesPerShare() > 30 && r.bytesPerShare() < 30 + 26, "bytes/share " + r.bytesPerShare());
            assertEquals(0, h.pool.tcpStats().connectionsOpened.sum(), "no TCP at all");
            assertTrue(h.pool.quicStats().connectionsOpened.sum() >= 3 && h.pool.quicStats().streamsOpened.sum() >= 6);
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= lg.acceptedTotal()),
                "the pool counted every share the generator saw acknowledged");
        }
    }
}
