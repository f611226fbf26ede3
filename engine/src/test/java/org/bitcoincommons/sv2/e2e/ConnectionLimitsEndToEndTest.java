package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.transport.ConnectionLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits at accept on a live pool: connections past max_connections_per_ip from one address are reset before any byte
 * is read, while a miner from another loopback address (127.0.0.2) mines on; and idle unauthenticated connections
 * beyond max_unauthenticated keep everyone out only until the handshake timeout closes them.
 */
@Timeout(60)
class ConnectionLimitsEndToEndTest
{
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private static boolean closedByPool(final Socket s) throws Exception
    {
        s.setSoTimeout(5_000);
        try (InputStream in = s.getInputStream())
        {
            return in.read() < 0;
        }
        catch (final java.net.SocketException reset)
        {
            return true;
        }
        catch (final java.net.SocketTimeoutException open)
        {
            return false;
        }
    }

    private static PoolHarness pool(final Path dir, final String limits) throws Exception
    {
        return new PoolHarness(dir, 1e9, """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = 0.00001
            min_difficulty = 0.000001
            """, "min_hashrate = 0.000001\n" + limits, null);
    }

    private static void mineOneShare(final PoolHarness h, final InetAddress from, final String name) throws Exception
    {
        try (Sv1EndpointTest.Client c = new Sv1EndpointTest.Client(h.pool.sv1Address(), from))
        {
            c.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n" +
                "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + name + "\",\"x\"]}\n");
            final byte[] en1 = HEX.parseHex(c.reply(1).get("result").get(1).asText());
            assertTrue(c.reply(2).get("result").asBoolean());
            final JsonNode notify = c.next("mining.notify");
            final String[] s = Sv1EndpointTest.grind(notify, en1, 4, 0.00001, 0);
            c.send("{\"id\":3,\"method\":\"mining.submit\",\"params\":[\"" + name + "\",\"" + s[0] + "\",\"" + s[1] +
                "\",\"" + s[2] + "\",\"" + s[3] + "\"]}\n");
            assertTrue(c.reply(3).get("result").asBoolean(), name + "'s share");
        }
    }

    @Test
    void perAddressLimitRefusesOnlyThatAddress() throws Exception
    {
        try (PoolHarness h = pool(dir, "max_connections_per_ip = 3"))
        {
            final List<Socket> held = new ArrayList<>();
            try
            {
                final InetAddress flooder = InetAddress.getByName("127.0.0.1");
                for (int i = 0; i < 3; i++)
                {
                    held.add(new Socket(h.address().getAddress(), h.address().getPort(), flooder, 0));
                }
                // the three are accepted by the SV2 listener's thread; the fourth goes to the SV1 listener's
                assertTrue(PoolHarness.await(5_000, () -> h.pool.connectionLimits().unauthenticated() == 3));
                // the SV2 and SV1 listeners share the limit: the fourth from this address, on either, is reset
                try (Socket fourth = new Socket(h.pool.sv1Address().getAddress(), h.pool.sv1Address().getPort(), flooder, 0))
                {
                    assertTrue(closedByPool(fourth), "the fourth connection from 127.0.0.1 is closed at once");
                }
                assertTrue(h.pool.connectionLimits().refused(ConnectionLimits.Reason.PER_IP) >= 1);
                mineOneShare(h, InetAddress.getByName("127.0.0.2"), "other.address");
            }
            finally
            {
                for (final Socket s : held)
                {
                    s.close();
                }
            }
        }
    }

    @Test
    void unauthenticatedConnectionsHoldTheDoorOnlyUntilTheirHandshakeTimesOut() throws Exception
    {
        try (PoolHarness h = pool(dir, "max_unauthenticated = 2"))
        {
            final InetAddress idle = InetAddress.getByName("127.0.0.3");
            try (Socket a = new Socket(h.address().getAddress(), h.address().getPort(), idle, 0);
                 Socket b = new Socket(h.address().getAddress(), h.address().getPort(), idle, 0))
            {
                assertTrue(PoolHarness.await(5_000, () -> h.pool.connectionLimits().unauthenticated() == 2));
                try (Socket third = new Socket(h.pool.sv1Address().getAddress(), h.pool.sv1Address().getPort(),
                    InetAddress.getByName("127.0.0.2"), 0))
                {
                    assertTrue(closedByPool(third), "no room while two handshakes are pending");
                }
                assertEquals(1, h.pool.connectionLimits().refused(ConnectionLimits.Reason.UNAUTHENTICATED));
                // the harness's handshake timeout (2 s) closes the idle two; then a miner gets in and mines
                assertTrue(PoolHarness.await(10_000, () -> h.pool.connectionLimits().unauthenticated() == 0));
                mineOneShare(h, InetAddress.getByName("127.0.0.2"), "patient.miner");
                assertTrue(PoolHarness.await(5_000, () -> h.pool.connectionLimits().unauthenticated() == 0),
                    "an authorized SV1 miner is not unauthenticated");
            }
        }
    }
}
