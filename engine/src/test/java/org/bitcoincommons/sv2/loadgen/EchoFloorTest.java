package org.bitcoincommons.sv2.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The echo floor's server and clients over loopback, for both kinds of server thread. Behaviour only: the rate and
 * the round-trip times it reaches are what {@code bin/sv2 bench echo} measures, not something a test can assert.
 */
class EchoFloorTest
{
    @ParameterizedTest
    @EnumSource(EchoFloor.Threads.class)
    void everyMessageComesBackAndIsTimed(final EchoFloor.Threads threads) throws Exception
    {
        try (ServerSocket server = EchoFloor.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), threads))
        {
            final InetSocketAddress address = (InetSocketAddress)server.getLocalSocketAddress();
            // 4 connections x 250 messages/s of 1,000 bytes for 0.6 s.
            final EchoFloor.Result r = EchoFloor.measure(address, 4, 1000, 1000, 200, 600, threads);
            assertTrue(r.messages() > 0, "echoed " + r.messages());
            assertTrue(r.seconds() > 0, r.toString());
            assertEquals(r.messages() / r.seconds(), r.messagesPerSecond(), 1e-6, r.toString());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p90Us() && r.p90Us() <= r.p99Us() && r.p99Us() <= r.p999Us()
                && r.p999Us() <= r.maxUs(), r.toString());
        }
    }
}
