package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;

import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.transport.AdmissionControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * [stratum_v2.admission] on a live pool with one admission at a time: a connection that never speaks holds the slot
 * until the handshake timeout closes it, one that sends garbage fails and frees it, and a real miner is admitted after
 * both; its slot is given back when its channel opens, not when it disconnects.
 */
@Timeout(60)
class AdmissionEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void stuckAndBadAdmissionsFreeTheirSlotAndAMinerGetsThrough() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "[stratum_v2.admission]\nmax_in_flight = 1\n",
            "min_hashrate = 0.000001", null))
        {
            final AdmissionControl a = h.pool.admission();
            assertNotNull(a, "a bound configures the control");
            try (Socket silent = new Socket("127.0.0.1", h.address().getPort());
                 Socket garbage = new Socket("127.0.0.1", h.address().getPort()))
            {
                assertTrue(PoolHarness.await(10_000, () -> a.inFlight() == 1 && a.waiting() == 1),
                    "the silent connection holds the slot, the other waits: " + a.inFlight() + ", " + a.waiting());
                final OutputStream out = garbage.getOutputStream();
                out.write(new byte[64]);         // an act 1, then a frame no key decrypts
                out.write(new byte[200]);
                final MinerClient miner = h.miner("admission.test", 1, false);
                try
                {
                    assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= 1),
                        "the miner is admitted once the silent one timed out and the garbage one failed");
                    assertTrue(PoolHarness.await(10_000, () -> a.inFlight() == 0),
                        "the miner's slot is back once its channel is open: " + a.inFlight());
                    // the garbage connection may run out of wait at the moment the silent one is closed: either way
                    // it is gone, and every other connection was admitted
                    // (the miner, whose own handshake timeout is 2 s too, may have given up once and come back)
                    assertTrue(a.admitted() + a.timedOut() >= 3, "silent, garbage, miner: " + a.admitted() + " admitted");
                    assertTrue(a.paced() >= 2, "the garbage connection and the miner waited: " + a.paced());
                    assertEquals(0, a.waiting());
                    // the silent connection's slot is freed by its hold timeout (handshake_timeout_ms from the slot)
                    // or by the handshake deadline closing it (as long, from just after): whichever runs first
                    assertTrue(a.expired() <= 1, "only the silent connection's slot can expire: " + a.expired());
                }
                finally
                {
                    miner.close();
                }
            }
        }
    }
}
