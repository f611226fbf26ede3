package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.QuicClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * QUIC limits against a live pool ({@code quic_idle_timeout_s = 4}, {@code quic_max_streams = 3}): a silent connection
 * is closed after the idle limit while a miner that only sends keep-alive PINGs stays; a client that opens more
 * streams than allowed loses its connection (STREAM_LIMIT_ERROR) while another client's channels keep their
 * acknowledgements; a connection whose TLS handshake never completes is dropped, and a miner mines on meanwhile.
 * Nothing already accepted is lost in any case.
 */
@Timeout(90)
class QuicLimitsTest
{
    static final int IDLE_S = 4;

    @TempDir
    static Path dir;
    static PoolHarness harness;
    static byte[] authority;

    @BeforeAll
    static void start() throws Exception
    {
        authority = new byte[32];
        authority[31] = 11;
        harness = new PoolHarness(dir, 1.0e12, QuicMinerEndToEndTest.quicToml(dir, 0) + """
            quic_max_streams = 3
            quic_idle_timeout_s = %d
            """.formatted(IDLE_S), "", authority);
    }

    @AfterAll
    static void stop()
    {
        harness.close();
    }

    private static StratumV2Miner idleMiner(final String user) throws InterruptedException
    {
        final StratumV2Miner m = StratumV2Miner.builder("quic://127.0.0.1:" + harness.pool.quicAddress().getPort())
            .authorityKey(AuthorityKeys.encodePublic(AuthorityKeys.publicOf(authority))).user(user).threads(0).build();
        assertTrue(m.connect(), "the miner connects over QUIC");
        return m;
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleLimitWhileAKeptAliveOneStays() throws Exception
    {
        try (StratumV2Miner miner = idleMiner("idle.keepalive"))
        {
            final long open0 = harness.pool.quicStats().openConnections();
            final long t0 = System.nanoTime();
            try (QuicClient silent = QuicClient.connect(harness.pool.quicAddress(), PoolServer.QUIC_ALPN,
                Duration.ofSeconds(5), Duration.ofSeconds(60), null))
            {
                assertTrue(PoolHarness.await(5_000, () -> harness.pool.quicStats().openConnections() == open0 + 1));
                assertTrue(PoolHarness.await(20_000, () -> !silent.connected()
                    && harness.pool.quicStats().openConnections() == open0), "the silent connection is closed");
                final double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds >= IDLE_S - 0.5, "closed by the idle limit, not before it: " + seconds + " s");
            }
            // The miner was just as quiet (no hashing threads) but its PINGs kept its connection; it never reconnected.
            assertTrue(miner.connected());
            assertEquals(open0, harness.pool.quicStats().openConnections());
        }
    }

    @Test
    void aClientOpeningMoreStreamsThanAllowedLosesItsConnectionOnly() throws Exception
    {
        try (QuicTransportTest.Client good = new QuicTransportTest.Client(harness.pool.quicAddress(), authority).setup();
             QuicTransportTest.Client bad = new QuicTransportTest.Client(harness.pool.quicAddress(), authority).setup())
        {
            final QuicTransportTest.Chan g1 = good.open(1);
            final QuicTransportTest.Chan g2 = good.open(2);
            final QuicTransportTest.Chan b1 = bad.open(1);
            final QuicTransportTest.Chan b2 = bad.open(2);
            assertEquals(b1.channelId(), b1.submitAndAck(1, b1.channelId()));
            assertEquals(b2.channelId(), b2.submitAndAck(1, b2.channelId()));
            final long accepted = harness.pool.status().sharesAccepted();
            // The bad client ignores the pool's MAX_STREAMS (3: control + 2 channels) and opens a fourth stream.
            streamPermits(bad.quic).release(8);
            final FrameStream extra = new FrameStream(bad.quic.openStream(), 1 << 20);
            try
            {
                QuicTransportTest.send(extra, new OpenStandardMiningChannel(3, "too-many", 1.0e9f, new byte[32]));
            }
            catch (final java.io.IOException closedAlready)
            {
                // the pool may close the connection on the new stream's first frame before our write returns
            }
            assertTrue(PoolHarness.await(10_000, () -> !bad.quic.connected()),
                "the pool closes a connection that exceeds its stream limit (STREAM_LIMIT_ERROR)");
            // The good client's channels go on, and what was accepted before stays counted.
            assertEquals(g1.channelId(), g1.submitAndAck(1, g1.channelId()));
            assertEquals(g2.channelId(), g2.submitAndAck(1, g2.channelId()));
            assertTrue(harness.pool.status().sharesAccepted() >= accepted, "nothing accepted is lost");
        }
    }

    @Test
    void aConnectionThatNeverCompletesTlsIsDropped() throws Exception
    {
        try (StratumV2Miner miner = idleMiner("tls.bystander");
             DatagramSocket capture = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket stuck = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            // A real client's first flight (the Initial with its ClientHello), caught on the way...
            final Thread client = Thread.ofVirtual().start(() ->
            {
                try
                {
                    QuicClient.connect((InetSocketAddress)capture.getLocalSocketAddress(), PoolServer.QUIC_ALPN,
                        Duration.ofSeconds(2), Duration.ofSeconds(10), null).close();
                }
                catch (final IOException expected)
                {
                    // nobody answers the capture socket
                }
            });
            capture.setSoTimeout(10_000);
            final DatagramPacket initial = new DatagramPacket(new byte[2048], 2048);
            capture.receive(initial);
            // ...sent to the pool from a socket that never answers: the server's handshake flight goes unacknowledged.
            // QUIC v1 long header: flags (1), version (4), DCID length (1), DCID: the server keys the attempt by it.
            final byte[] dcid = Arrays.copyOfRange(initial.getData(), 6, 6 + (initial.getData()[5] & 0xff));
            final long open0 = harness.pool.quicStats().openConnections();
            stuck.send(new DatagramPacket(Arrays.copyOf(initial.getData(), initial.getLength()), initial.getLength(),
                harness.pool.quicAddress()));
            stuck.setSoTimeout(10_000);
            stuck.receive(new DatagramPacket(new byte[2048], 2048));   // the pool did answer: a connection is pending
            assertTrue(PoolHarness.await(5_000, () -> kwikConnections(harness.pool, dcid) > 0),
                "Kwik holds the half-open connection");
            assertTrue(PoolHarness.await(30_000, () -> kwikConnections(harness.pool, dcid) == 0),
                "the half-open connection is dropped");
            // It never reached the pool logic, and the bystander miner kept its connection throughout.
            assertEquals(open0, harness.pool.quicStats().openConnections());
            assertTrue(miner.connected());
            client.join(10_000);
        }
    }

    /** The Kwik client's own count of streams the peer allows (a test hook, by reflection: Kwik has no API for it). */
    private static Semaphore streamPermits(final QuicClient client) throws ReflectiveOperationException
    {
        final Field f = QuicClient.class.getDeclaredField("connection");
        f.setAccessible(true);
        final Object connection = f.get(client);
        Method m = null;
        for (Class<?> c = connection.getClass(); c != null && m == null; c = c.getSuperclass())
        {
            m = Stream.of(c.getDeclaredMethods()).filter(x -> x.getName().equals("getStreamManager")
                && x.getParameterCount() == 0).findFirst().orElse(null);
        }
        m.setAccessible(true);
        final Object streams = m.invoke(connection);
        final Field permits = streams.getClass().getDeclaredField("openBidirectionalStreams");
        permits.setAccessible(true);
        return (Semaphore)permits.get(streams);
    }

    /** Entries in Kwik's server connection registry for one client's original DCID (a test hook, by reflection). */
    static long kwikConnections(final PoolServer pool, final byte[] originalDcid)
    {
        try
        {
            final Object quic = field(pool, "quic");
            final Object connector = field(quic, "connector");
            final Object registry = field(connector, "connectionRegistry");
            final Method all = registry.getClass().getMethod("getAllConnections");
            final Method odcid = Class.forName("tech.kwik.core.server.impl.ServerConnectionProxy")
                .getMethod("getOriginalDestinationConnectionId");
            return ((Stream<?>)all.invoke(registry)).filter(p ->
            {
                try
                {
                    return Arrays.equals(originalDcid, (byte[])odcid.invoke(p));
                }
                catch (final ReflectiveOperationException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }).count();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Object field(final Object o, final String name) throws ReflectiveOperationException
    {
        final Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }
}
