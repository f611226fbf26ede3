package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.noise.NoiseInitiator;
import org.bitcoincommons.sv2.noise.TransportCipher;
import org.bitcoincommons.sv2.noise.TransportCiphers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake and SetupConnection done on the pool's event loop (the default): whatever way the bytes are cut on
 * the wire the pool answers the same, and each way a client can stop short (part of act 1, no SetupConnection) is
 * counted as its own failure at its own deadline while a real miner keeps mining.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class LoopHandshakeTest
{
    private Path dir;
    private PoolHarness h;
    private MinerClient miner;

    @BeforeAll
    void start() throws Exception
    {
        dir = Files.createTempDirectory("loop-handshake");
        h = new PoolHarness(dir, 1000.0, "io_loops = 1");
        miner = h.miner("good.miner", 1, false);
        assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >= 2));
    }

    @AfterAll
    void stop() throws Exception
    {
        miner.close();
        h.close();
        try (var files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void minerStillMining()
    {
        final long before = miner.stats().sharesAccepted.sum();
        assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() > before),
            "the good miner stopped getting shares accepted");
    }

    /** Writes {@code bytes} one at a time, each in its own segment (no delay, a pause every 16 bytes). */
    private static void dribble(final OutputStream out, final byte[] bytes) throws Exception
    {
        for (int i = 0; i < bytes.length; i++)
        {
            out.write(bytes[i]);
            out.flush();
            if (i % 16 == 15)
            {
                Thread.sleep(2);
            }
        }
    }

    @Test
    void actOneAndSetupConnectionInSingleBytesAreAnsweredAsAWhole() throws Exception
    {
        try (Socket s = new Socket())
        {
            s.connect(h.address(), 2000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            final InputStream in = s.getInputStream();
            final OutputStream out = s.getOutputStream();
            // The initiator checks act 2's certificate against the pool's authority key: a real handshake.
            final NoiseInitiator initiator = new NoiseInitiator(
                org.bitcoincommons.sv2.crypto.SchnorrPublicKey.of(AuthorityKeys.decodePublic(h.pool.authorityPublicKey())),
                new NoiseConfig().conclude().random(), InstantSource.system());
            final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
            initiator.writeAct1(act1, 0);
            dribble(out, act1);
            final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
            new DataInputStream(in).readFully(act2);
            final TransportCipher cipher = initiator.readAct2(act2, 0);

            // SetupConnection encrypted aside, then sent a byte at a time; the answer is read from the socket.
            final ByteArrayOutputStream wire = new ByteArrayOutputStream();
            final NoiseChannel channel = TransportCiphers.channel(in, wire, s, cipher, NoiseConfig.DEFAULT_MAX_PAYLOAD_LENGTH);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
            int n = new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS,
                "127.0.0.1", 0, "test", "", "", "").encodeFrame(scratch, 0);
            channel.writeFrame(scratch, 0, n);
            dribble(out, wire.toByteArray());
            channel.readFrame();
            assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS,
                FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0));

            // Set up: a channel opens as for any miner.
            wire.reset();
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            n = new OpenStandardMiningChannel(7, "dribbler", 1.0f, max).encodeFrame(scratch, 0);
            channel.writeFrame(scratch, 0, n);
            out.write(wire.toByteArray());
            out.flush();
            int type;
            do
            {
                channel.readFrame();
                type = FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0);
            }
            while (type != MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS
                && type != MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR);
            assertEquals(MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS, type);
            assertTrue(h.pool.ioLoopConnections() >= 2, "the miner and this client run on the loop");
        }
        minerStillMining();
    }

    @Test
    void aClientThatNeverSendsSetupConnectionIsDroppedAtTheTimeout() throws Exception
    {
        final long failures = h.pool.metrics().setupFailures.sum();
        final long handshakeFailures = h.pool.metrics().handshakeFailures.sum();
        try (RawClient c = new RawClient(h.address()).handshake())
        {
            final long t0 = System.currentTimeMillis();
            assertTrue(c.closedByPool());
            final long took = System.currentTimeMillis() - t0;
            // Not before the configured 2,000 ms from the handshake's end; how late is the sweep's (about a second).
            assertTrue(took >= 1500, "closed after " + took + " ms, timeout is 2000 ms");
        }
        assertTrue(PoolHarness.await(2000, () -> h.pool.metrics().setupFailures.sum() == failures + 1));
        assertEquals(handshakeFailures, h.pool.metrics().handshakeFailures.sum(), "the handshake itself succeeded");
        minerStillMining();
    }

    /**
     * The transport ciphers of loop-served connections keep their native contexts in the pool's reused off-heap slots
     * (two a connection): each connection gives its two back at its end, whether it ended set up, after the handshake,
     * or while its curve work was still running (act 1 sent, then gone at once).
     */
    @Test
    void everyConnectionGivesItsCipherContextsBackAtItsEnd() throws Exception
    {
        assertTrue(PoolHarness.await(10_000, () -> h.pool.cipherContextsInUse() == 2),
            "the mining miner holds two, got " + h.pool.cipherContextsInUse());
        final java.util.List<RawClient> open = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                open.add(new RawClient(h.address()).handshake());
            }
            assertTrue(PoolHarness.await(10_000, () -> h.pool.cipherContextsInUse() == 12),
                "five more handshakes: 12 contexts, got " + h.pool.cipherContextsInUse());
        }
        finally
        {
            for (final RawClient c : open)
            {
                c.close();
            }
        }
        for (int i = 0; i < 20; i++)
        {
            try (Socket s = new Socket())
            {
                s.connect(h.address(), 2000);
                final NoiseInitiator initiator = new NoiseInitiator(
                    org.bitcoincommons.sv2.crypto.SchnorrPublicKey.of(AuthorityKeys.decodePublic(h.pool.authorityPublicKey())),
                    new NoiseConfig().conclude().random(), InstantSource.system());
                final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
                initiator.writeAct1(act1, 0);
                s.getOutputStream().write(act1);
                s.getOutputStream().flush();
            }   // gone before act 2: the curve may still be running when the loop ends the connection
        }
        assertTrue(PoolHarness.await(10_000, () -> h.pool.cipherContextsInUse() == 2),
            "back to the miner's two, got " + h.pool.cipherContextsInUse());
        assertEquals(0, h.pool.cipherContextOverflows());
        minerStillMining();
    }

    @Test
    void partOfActOneThenTheEndIsOneHandshakeFailure() throws Exception
    {
        final long failures = h.pool.metrics().handshakeFailures.sum();
        final long setupFailures = h.pool.metrics().setupFailures.sum();
        try (RawClient c = new RawClient(h.address()))
        {
            c.sendRaw(new byte[30]);
        }
        assertTrue(PoolHarness.await(5000, () -> h.pool.metrics().handshakeFailures.sum() == failures + 1));
        Thread.sleep(3000);   // past the handshake timeout: the sweep must not count the same connection again
        assertEquals(failures + 1, h.pool.metrics().handshakeFailures.sum());
        assertEquals(setupFailures, h.pool.metrics().setupFailures.sum());
        minerStillMining();
    }
}
