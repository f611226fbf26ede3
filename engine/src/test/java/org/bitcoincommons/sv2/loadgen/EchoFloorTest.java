package org.bitcoincommons.sv2.loadgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.DataInputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The echo floor's server and clients over loopback, for both kinds of server thread and the event-loop server. Behaviour only: the rate and
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

    @ParameterizedTest
    @EnumSource(EchoFloor.Threads.class)
    void clientsOnOnePacerAndOneReaderLoopTimeEveryEcho(final EchoFloor.Threads threads) throws Exception
    {
        for (final boolean loopServer : new boolean[] {false, true})
        {
            final InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (ServerSocket server = loopServer ? EchoFloor.serveOnLoop(any) : EchoFloor.serve(any, threads))
            {
                final InetSocketAddress address = (InetSocketAddress)server.getLocalSocketAddress();
                // 5 connections x 200 messages/s of 62 bytes. How many come back in the interval is not bounded by
                // its length (a backlog from the warm-up, the pacer catching up after a stall, can land in it): the
                // count and the rate are bench echo's to report.
                final EchoFloor.Result r = EchoFloor.measureOnLoop(address, 5, 1000, 62, 300, 600);
                assertTrue(r.messages() > 0, "echoed " + r.messages());
                assertEquals(r.messages() / r.seconds(), r.messagesPerSecond(), 1e-6, r.toString());
                assertTrue(r.connectSeconds() > 0, r.toString());
                assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs()
                    && r.maxUs() < 10_000_000, r.toString());
            }
        }
    }

    @Test
    void theEventLoopServerEchoesEveryByteInOrderAlsoWhenTheClientReadsLate() throws Exception
    {
        try (ServerSocket server = EchoFloor.serveOnLoop(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final InetSocketAddress address = (InetSocketAddress)server.getLocalSocketAddress();
            final EchoFloor.Result r = EchoFloor.measure(address, 4, 1000, 1000, 200, 600, EchoFloor.Threads.VIRTUAL);
            assertTrue(r.messages() > 0, "echoed " + r.messages());

            // 4 MB sent before a byte is read back: the server's writes fill the socket, it stops reading that
            // connection until they drain, and every byte still comes back in order.
            final byte[] sent = new byte[4 << 20];
            new Random(7).nextBytes(sent);
            try (Socket s = new Socket())
            {
                s.connect(address, 2000);
                s.setSoTimeout(10_000);
                final Thread writer = Thread.ofVirtual().start(() ->
                {
                    try
                    {
                        s.getOutputStream().write(sent);
                    }
                    catch (final java.io.IOException ignored)
                    {
                        // the read side below fails the test
                    }
                });
                Thread.sleep(300);
                final byte[] back = new DataInputStream(s.getInputStream()).readNBytes(sent.length);
                writer.join();
                assertArrayEquals(sent, back);
            }
        }
    }
}
