package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.loadgen.Sv1LoadGenerator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Stratum V1 clients against the pool's real [sv1] endpoint: the miner hashes at a small difficulty (each share
 * found by its own hashing, with rolled version bits, so an encoding mistake would be rejected as above target), and
 * the SV1 load generator submits without hashing at a difficulty where every header is a share.
 */
class Sv1MinerAndLoadTest
{
    @TempDir
    Path dir;

    private static String sv1(final String difficulty)
    {
        return """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = %s
            min_difficulty = %s
            max_difficulty = %s
            """.formatted(difficulty, difficulty, difficulty);
    }

    @Test
    @Timeout(60)
    void ourMinerMinesOnTheSv1EndpointAndEveryShareIsAccepted() throws Exception
    {
        // 1e-4: one header in about 430,000 is a share, several per second on one thread.
        try (PoolHarness h = new PoolHarness(dir, 1e9, sv1("0.0001"), "min_hashrate = 0.000001", null))
        {
            final MinerConfig mc = new MinerConfig(h.pool.sv1Address(), null, "bob.sv1", 1, false, 1e6, "auto", 100,
                1000, 5000, true);
            try (MinerClient miner = new MinerClient(mc))
            {
                miner.start();
                assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= 5),
                    "five shares accepted: " + miner.stats().sharesAccepted.sum() + " accepted, " +
                        miner.stats().rejectReasons);
                assertEquals(0, miner.stats().sharesRejected.sum(), miner.stats().rejectReasons.toString());
                assertTrue(miner.connected());
                final long mine = miner.stats().sharesAccepted.sum();
                assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= mine),
                    "the pool counted them");
            }
        }
    }

    @Test
    @Timeout(60)
    void theSv1LoadGeneratorPacedAndFlatOut() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, sv1("1e-12"), "min_hashrate = 0.000001", null))
        {
            // 4 miners, 2,000 shares/s in batches of 4, for 1.5 s after 0.5 s.
            final Sv1LoadGenerator paced = new Sv1LoadGenerator(new LoadGenerator.Options(h.pool.sv1Address(), null, 4,
                2000, 500, 1500, 64, 4, 10_000));
            final LoadGenerator.Result r = paced.run();
            paced.close();
            assertEquals(4, r.connections());
            assertEquals(0, r.connectFailures());
            assertEquals(0, r.sharesRejected(), paced.rejectReasons().toString());
            assertTrue(r.sharesAccepted() > 0, r.toString());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.toString());
            // A submit line of about 110 bytes and its result line of about 40.
            assertTrue(r.bytesPerShare() > 100 && r.bytesPerShare() < 250, "bytes/share " + r.bytesPerShare());
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status().sharesAccepted() >= paced.acceptedTotal()),
                "the pool counted every share the generator saw accepted");

            final long before = h.pool.status().sharesAccepted();
            final Sv1LoadGenerator flat = new Sv1LoadGenerator(new LoadGenerator.Options(h.pool.sv1Address(), null, 2,
                0, 300, 700, 64, 8, 10_000));
            final LoadGenerator.Result f = flat.run();
            flat.close();
            assertEquals(0, f.sharesRejected(), flat.rejectReasons().toString());
            assertTrue(f.sharesAccepted() > 0, f.toString());
            assertTrue(PoolHarness.await(10_000,
                () -> h.pool.status().sharesAccepted() - before >= flat.acceptedTotal()), "counted by the pool");
        }
    }
}
