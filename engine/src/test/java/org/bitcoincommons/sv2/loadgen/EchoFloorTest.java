package org.bitcoincommons.sv2.loadgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EchoFloorTest
{
    @ParameterizedTest
    @EnumSource(EchoFloor.Threads.class)
    void everyMessageComesBackAndIsTimed(final EchoFloor.Threads threads) throws Exception
    {
        try (ServerSocket server = EchoFloor.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), threads))
        {
            final InetSocketAddress address = (InetSocketAddress)server.getLocalSocketAddress();
            // 4 connections x 250 messages/s of 1,000 bytes for 0.6 s: about 600 echoes.
            final EchoFloor.Result r = EchoFloor.measure(address, 4, 1000, 1000, 200, 600, threads);
            assertTrue(r.messages() >= 400 && r.messages() <= 800, "echoed " + r.messages());
            assertTrue(r.messagesPerSecond() > 600 && r.messagesPerSecond() < 1400, "rate " + r.messagesPerSecond());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p90Us() && r.p90Us() <= r.p99Us() && r.p99Us() <= r.p999Us()
                && r.p999Us() <= r.maxUs(), r.toString());
            // A loopback echo of 1 KB takes microseconds to milliseconds, never seconds.
            assertTrue(r.p50Us() < 1_000_000, r.toString());
        }
    }
}
