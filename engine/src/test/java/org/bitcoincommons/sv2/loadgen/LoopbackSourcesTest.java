package org.bitcoincommons.sv2.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoopbackSourcesTest
{
    @Test
    void minersSpreadOverAThousandLoopbackAddresses() throws Exception
    {
        assertEquals(InetAddress.getByName("127.0.0.1"), LoopbackSources.address(0));
        assertEquals(InetAddress.getByName("127.0.0.250"), LoopbackSources.address(249));
        assertEquals(InetAddress.getByName("127.0.1.1"), LoopbackSources.address(250));
        assertEquals(InetAddress.getByName("127.0.3.250"), LoopbackSources.address(999));
        assertEquals(LoopbackSources.address(7), LoopbackSources.address(1007), "wraps after 1000");
        final Set<InetAddress> seen = new HashSet<>();
        for (int i = 0; i < 15_000; i++)
        {
            final InetAddress a = LoopbackSources.address(i);
            assertTrue(a.isLoopbackAddress(), a.toString());
            seen.add(a);
        }
        assertEquals(LoopbackSources.ADDRESSES, seen.size());
    }

    @Test
    void aMinerConnectsFromItsAddressAndThePoolSeesIt() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")))
        {
            final InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            for (final int index : new int[] {0, 3, 611})
            {
                try (Socket s = new Socket(java.net.Proxy.NO_PROXY))
                {
                    LoopbackSources.bind(s, target, index);
                    s.connect(target, 5_000);
                    try (Socket accepted = server.accept())
                    {
                        assertEquals(LoopbackSources.address(index), accepted.getInetAddress(), "miner " + index);
                        assertEquals(LoopbackSources.address(index), s.getLocalAddress());
                    }
                }
            }
        }
    }

    @Test
    void otherTargetsAreLeftUnbound() throws Exception
    {
        try (Socket s = new Socket(java.net.Proxy.NO_PROXY))
        {
            LoopbackSources.bind(s, new InetSocketAddress("::1", 3333), 5);
            assertFalse(s.isBound(), "IPv6 loopback has one address");
        }
        try (Socket s = new Socket(java.net.Proxy.NO_PROXY))
        {
            LoopbackSources.bind(s, new InetSocketAddress("192.0.2.1", 3333), 5);
            assertFalse(s.isBound(), "a remote pool: the host's own route picks the source");
        }
        assertNotEquals(LoopbackSources.address(1), LoopbackSources.address(2));
    }
}
