package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;

import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconnect moves a miner between two pool instances that share an authority key; a miner whose pool goes away
 * reconnects with backoff once it is back.
 */
class ReconnectTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void minerObeysReconnectToAnotherPoolWithTheSameAuthority() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        try (PoolHarness a = new PoolHarness(dir.resolve("a"), 1000.0, "", secret);
             PoolHarness b = new PoolHarness(dir.resolve("b"), 1000.0, "", secret);
             MinerClient miner = a.miner("mover", 1, false))
        {
            assertTrue(PoolHarness.await(20_000, () -> a.pool.status().sharesAccepted() >= 1));
            assertEquals(1, a.pool.reconnectAll("127.0.0.1", b.address().getPort()));
            assertTrue(PoolHarness.await(20_000, () -> b.pool.status().sharesAccepted() >= 1 &&
                b.pool.status().connections() == 1), "the miner mines on pool b");
            assertTrue(PoolHarness.await(5_000, () -> a.pool.status().connections() == 0));
        }
    }

    @Test
    @Timeout(60)
    void minerWithTheWrongAuthorityKeyStopsWithoutRetrying() throws Exception
    {
        try (PoolHarness a = new PoolHarness(dir.resolve("a"), 1000.0, ""))
        {
            final var other = AuthorityKeys.publicOf(AuthorityKeys.generateSecret(new SecureRandom()));
            try (MinerClient miner = new MinerClient(new MinerConfig(a.address(), other, "wrong-key", 1, false, 0,
                "auto", 50, 200, 2000)))
            {
                miner.start();
                assertTrue(miner.awaitStopped(20_000), "the miner stops by itself");
                assertEquals(NoiseException.Reason.CERT_BAD_SIGNATURE, miner.failure().reason());
                assertEquals(1, miner.stats().connects.sum(), "no retry: another authority stays another authority");
                assertEquals(0, miner.stats().sharesSubmitted.sum());
                assertEquals(0, a.pool.status().channels());
            }
        }
    }
}
