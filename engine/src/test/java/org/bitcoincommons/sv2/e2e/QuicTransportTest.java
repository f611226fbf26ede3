package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.Wire;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.QuicByteStream;
import org.bitcoincommons.sv2.transport.QuicClient;
import org.bitcoincommons.sv2.transport.QuicServer;
import org.bitcoincommons.sv2.transport.QuicTls;
import org.bitcoincommons.sv2.transport.TransportStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SV2 over QUIC against a live pool with transport_preference = "both": N channels on N streams each with its own
 * jobs and acknowledgements, a reset or garbage on one stream closing that channel only, the TLS identity persisted,
 * a MITM relay with its own certificate and a pool of another authority refused, SetupConnection required first.
 */
@Timeout(60)
class QuicTransportTest
{
    @TempDir
    static Path dir;
    static PoolHarness harness;
    static byte[] authority;

    @BeforeAll
    static void start() throws Exception
    {
        authority = new byte[32];
        authority[31] = 7;
        harness = new PoolHarness(dir, 1.0e12, """
            transport_preference = "both"
            quic_listen_addr = "127.0.0.1:0"
            quic_tls_key_path = "%s"
            quic_tls_cert_path = "%s"
            quic_max_streams = 8
            """.formatted(dir.resolve("tls/key.pem").toString().replace("\\", "/"),
            dir.resolve("tls/cert.pem").toString().replace("\\", "/")), "", authority);
    }

    @AfterAll
    static void stop() throws Exception
    {
        harness.close();
    }

    /** A QUIC SV2 client: control stream with the bound Noise handshake, then one stream per channel. */
    static final class Client implements AutoCloseable
    {
        final QuicClient quic;
        final FrameStream control;

        Client(final InetSocketAddress address, final byte[] authorityPublic) throws IOException
        {
            quic = QuicClient.connect(address, PoolServer.QUIC_ALPN, Duration.ofSeconds(5), Duration.ofSeconds(30), null);
            final QuicByteStream c = quic.openStream();
            NoiseChannel.connect(c, new NoiseConfig().handshakeTimeoutMs(5000)
                .authorityPublicKey(AuthorityKeys.publicOf(authorityPublic)), quic.serverCertificateFingerprint());
            control = new FrameStream(c, 1 << 20);
        }

        Client setup() throws IOException
        {
            send(control, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, 0, "127.0.0.1", 0, "test", "", "",
                ""));
            readUntil(control, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS);
            return this;
        }

        /** Opens a channel on a new stream; returns the stream with Success and the first job read. */
        Chan open(final int requestId) throws IOException
        {
            final FrameStream s = new FrameStream(quic.openStream(), 1 << 20);
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            send(s, new OpenStandardMiningChannel(requestId, "quic-" + requestId, 1.0e9f, max));
            readUntil(s, MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS);
            final int channelId = (int)Wire.u32(s.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH + 4);
            readUntil(s, MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB);
            final int jobId = (int)Wire.u32(s.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH + 4);
            return new Chan(s, channelId, jobId);
        }

        @Override
        public void close()
        {
            quic.close();
        }
    }

    record Chan(FrameStream stream, int channelId, int jobId)
    {
        /** Submits a share and waits for its acknowledgement (Success or Error) on this channel's stream. */
        int submitAndAck(final int sequence, final int forChannel) throws IOException
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[30]);
            b.putBytes(0, new byte[] {0x00, (byte)0x80, 0x1a, 0x18, 0x00, 0x00});
            Wire.u32(b, 6, forChannel & 0xffffffffL);
            Wire.u32(b, 10, sequence);
            Wire.u32(b, 14, jobId & 0xffffffffL);
            Wire.u32(b, 18, sequence * 7919L);
            Wire.u32(b, 22, System.currentTimeMillis() / 1000);
            Wire.u32(b, 26, 0x20000000L);
            stream.write(b, 0, 30);
            stream.flush();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline)
            {
                stream.readFrame();
                final int type = FrameHeaderFlyweight.msgType(stream.frameBuffer(), 0);
                if (type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS
                    || type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR)
                {
                    return (int)Wire.u32(stream.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH);
                }
            }
            throw new IOException("no acknowledgement within 10 s");
        }
    }

    static void send(final FrameStream s, final Message m) throws IOException
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        final int n = m.encodeFrame(b, 0);
        s.write(b, 0, n);
        s.flush();
    }

    static void readUntil(final FrameStream s, final int type) throws IOException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline)
        {
            s.readFrame();
            final DirectBuffer b = s.frameBuffer();
            if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) == 0
                && FrameHeaderFlyweight.msgType(b, 0) == type)
            {
                return;
            }
        }
        throw new IOException("no message of type 0x" + Integer.toHexString(type) + " within 10 s");
    }

    @Test
    @Timeout(30)
    void workSelectionIsRefusedOverQuicWhenThePoolRunsNoJds() throws Exception
    {
        try (Client c = new Client(harness.pool.quicAddress(), authority))
        {
            send(c.control, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
                CommonProtocol.FLAG_REQUIRES_WORK_SELECTION, "127.0.0.1", 0, "test", "", "", ""));
            readUntil(c.control, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
            final DirectBuffer b = c.control.frameBuffer();
            final org.bitcoincommons.sv2.codec.common.SetupConnectionError e =
                org.bitcoincommons.sv2.codec.common.SetupConnectionError.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
                    (int)FrameHeaderFlyweight.msgLength(b, 0));
            assertEquals("unsupported-feature-flags", e.errorCode());
            assertEquals(CommonProtocol.FLAG_REQUIRES_WORK_SELECTION, e.flags(), "the flag it cannot support");
        }
    }

    @Test
    void nChannelsOnNStreamsEachWithItsOwnJobsAndAcks() throws Exception
    {
        assertTrue(Files.exists(dir.resolve("tls/key.pem")) && Files.exists(dir.resolve("tls/cert.pem")),
            "the TLS key and certificate are generated on first start");
        try (Client c = new Client(harness.pool.quicAddress(), authority).setup())
        {
            final List<Chan> chans = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                chans.add(c.open(100 + i));
            }
            assertEquals(4, chans.stream().mapToInt(Chan::channelId).distinct().count());
            for (int round = 1; round <= 3; round++)
            {
                for (final Chan ch : chans)
                {
                    assertEquals(ch.channelId(), ch.submitAndAck(round, ch.channelId()), "ack on the channel's stream");
                }
            }
            final TransportStats q = harness.pool.quicStats();
            assertTrue(q.bytesIn.sum() > 0 && q.bytesOut.sum() > 0 && q.openConnections() >= 1);
        }
    }

    @Test
    void resetOrGarbageOrAForeignChannelIdClosesThatStreamOnly() throws Exception
    {
        try (Client c = new Client(harness.pool.quicAddress(), authority).setup())
        {
            final Chan a = c.open(1);
            final Chan b = c.open(2);
            final Chan d = c.open(3);
            final Chan e = c.open(4);
            // a: reset by the client
            ((QuicByteStream)a.stream().stream()).reset(5);
            // b: garbage (an unknown core message type) closes only b
            final UnsafeBuffer g = new UnsafeBuffer(new byte[] {0x00, 0x00, 0x7f, 0x01, 0x00, 0x00, 0x42});
            try
            {
                b.stream().write(g, 0, 7);
                b.stream().flush();
            }
            catch (final IOException ex)
            {
                // the pool may already have read the garbage and reset b (STOP_SENDING) before the flush returns
            }
            assertThrows(IOException.class, () -> readUntil(b.stream(), 0x7e));
            // d: a share for another channel's id closes only d
            assertThrows(IOException.class, () -> d.submitAndAck(1, e.channelId()));
            // e keeps its acknowledgements, and new channels still open on the same connection
            assertEquals(e.channelId(), e.submitAndAck(1, e.channelId()));
            final Chan f = c.open(5);
            assertEquals(f.channelId(), f.submitAndAck(1, f.channelId()));
        }
    }

    @Test
    void aTruncatedFrameThenFinClosesThatStreamOnly() throws Exception
    {
        try (Client c = new Client(harness.pool.quicAddress(), authority).setup())
        {
            final Chan a = c.open(1);
            final Chan b = c.open(2);
            final UnsafeBuffer half = new UnsafeBuffer(new byte[] {0x00, (byte)0x80, 0x1a, 0x18, 0x00, 0x00, 1, 2});
            a.stream().write(half, 0, half.capacity());
            a.stream().stream().closeOutput();
            assertThrows(IOException.class, () -> readUntil(a.stream(), 0x7e));
            assertEquals(b.channelId(), b.submitAndAck(1, b.channelId()));
        }
    }

    @Test
    void aChannelStreamBeforeSetupIsRefused() throws Exception
    {
        try (Client c = new Client(harness.pool.quicAddress(), authority))
        {
            final FrameStream s = new FrameStream(c.quic.openStream(), 1 << 20);
            send(s, new OpenStandardMiningChannel(1, "early", 1.0e9f, new byte[32]));
            assertThrows(IOException.class, () -> readUntil(s, MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS));
        }
        // and the pool goes on serving others: reconnect works
        try (Client c = new Client(harness.pool.quicAddress(), authority).setup())
        {
            final Chan a = c.open(1);
            assertEquals(a.channelId(), a.submitAndAck(1, a.channelId()));
        }
    }

    @Test
    void aPoolSignedByAnotherAuthorityIsRefused()
    {
        final byte[] other = new byte[32];
        other[31] = 9;
        final NoiseException ex = assertThrows(NoiseException.class,
            () -> new Client(harness.pool.quicAddress(), other).close());
        assertTrue(ex.getMessage().toLowerCase().contains("cert") || ex.getMessage().toLowerCase().contains("sign")
            || ex.getMessage().toLowerCase().contains("act"), ex.getMessage());
    }

    @Test
    void aManInTheMiddleRelayWithItsOwnCertificateFails() throws Exception
    {
        final InetSocketAddress pool = harness.pool.quicAddress();
        final TransportStats stats = new TransportStats("relay");
        try (QuicServer relay = new QuicServer(new InetSocketAddress("127.0.0.1", 0), PoolServer.QUIC_ALPN,
            QuicTls.generate("mitm"), new QuicServer.Limits(4, 8, 10, 1 << 18, 1 << 20), stats, (peer, stream, first) ->
            {
                // Relays every stream byte for byte to the real pool over its own QUIC connection.
                if (!(peer.attachment() instanceof QuicClient))
                {
                    peer.attach(QuicClient.connect(pool, PoolServer.QUIC_ALPN, Duration.ofSeconds(5),
                        Duration.ofSeconds(10), null));
                }
                final QuicByteStream up = ((QuicClient)peer.attachment()).openStream();
                final Thread back = Thread.ofVirtual().start(() -> pump(up.input(), stream.output()));
                pump(stream.input(), up.output());
                back.join(5000);
            }))
        {
            relay.start();
            final NoiseException ex = assertThrows(NoiseException.class,
                () -> new Client(relay.localAddress(), authority).close());
            assertTrue(stats.bytesIn.sum() >= 64, "the relay did carry the handshake: " + stats.bytesIn.sum());
            assertTrue(ex.getMessage() != null, ex.toString());
        }
        // the real pool is still fine for honest clients
        try (Client c = new Client(pool, authority).setup())
        {
            assertTrue(c.open(1).channelId() >= 0);
        }
    }

    private static void pump(final InputStream in, final OutputStream out)
    {
        final byte[] buf = new byte[4096];
        try
        {
            int n;
            while ((n = in.read(buf)) > 0)
            {
                out.write(buf, 0, n);
                out.flush();
            }
        }
        catch (final IOException ignored)
        {
            // one side closed
        }
    }

    @Test
    void bothTransportsServeAtOnce()
    {
        assertTrue(harness.pool.sv2Address() != null && harness.pool.quicAddress() != null);
        assertArrayEquals(new byte[] {127, 0, 0, 1}, harness.pool.quicAddress().getAddress().getAddress(),
            "bound exactly to the configured loopback address");
    }
}
