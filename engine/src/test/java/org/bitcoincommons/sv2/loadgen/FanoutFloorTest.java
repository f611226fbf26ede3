package org.bitcoincommons.sv2.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broadcast floor in one process: every trigger reaches every connection once, each fan-out is stamped after its
 * trigger, and none waits for the next trigger (a lost wake-up shows as a fan-out of 10 s, the measurement's give-up
 * time, as it did once on CI before the writer's thread was known ahead of its hello).
 */
class FanoutFloorTest
{
    @Test
    @Timeout(60)
    void everyConnectionGetsEveryFanOutWithoutWaitingForTheNext() throws Exception
    {
        try (ServerSocket server = FanoutFloor.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 169))
        {
            final InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            for (int round = 0; round < 3; round++)   // a fresh set of clients each round, as bench tip's warm-up
            {
                final long[][] f = FanoutFloor.measure(at, 16, 169, 40, 0);
                assertEquals(40, f.length);
                for (final long[] fanout : f)
                {
                    assertEquals(16, fanout.length);
                    for (final long ns : fanout)
                    {
                        assertTrue(ns > 0, "arrived after its trigger");
                        assertTrue(ns < 5_000_000_000L, () -> "not held until a later trigger: " + ns + " ns");
                    }
                }
            }
        }
    }
}
