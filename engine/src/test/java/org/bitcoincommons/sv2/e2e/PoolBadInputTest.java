package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Misbehaving clients against a live pool while a real miner mines: each fault ends only its own connection with a
 * counted reason, and the miner keeps getting shares accepted throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolBadInputTest
{
    /** Made here, not by @TempDir: a per-class instance's directory field is not filled before @BeforeAll. */
    private Path dir;
    private PoolHarness h;
    private MinerClient miner;

    /** The [pool] keys of the pool under test (a subclass runs every case with the other I/O model). */
    String poolToml()
    {
        return "outbound_queue_bytes = 4096";
    }

    @BeforeAll
    void start() throws Exception
    {
        dir = java.nio.file.Files.createTempDirectory("pool-bad-input");
        h = new PoolHarness(dir, 1000.0, poolToml());
        miner = h.miner("good.miner", 1, false);
        assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >= 2));
    }

    @AfterAll
    void stop() throws Exception
    {
        final long acked = miner.stats().sharesAccepted.sum();
        miner.close();
        h.close();
        final AccountingState s = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(s);
        }
        assertTrue(s.sharesAccepted() >= acked, "journal " + s.sharesAccepted() + " < acknowledged " + acked);
        try (var files = java.nio.file.Files.walk(dir))
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

    @Test
    void silentClientIsDroppedAtTheHandshakeTimeout() throws Exception
    {
        final long failures = h.pool.metrics().handshakeFailures.sum();
        try (RawClient c = new RawClient(h.address()))
        {
            final long t0 = System.currentTimeMillis();
            assertTrue(c.closedByPool());
            final long took = System.currentTimeMillis() - t0;
            // Not before the configured 2,000 ms (a lower bound a slow machine cannot break); how late is not a test's.
            assertTrue(took >= 1500, "closed after " + took + " ms, timeout is 2000 ms");
        }
        assertTrue(PoolHarness.await(2000, () -> h.pool.metrics().handshakeFailures.sum() > failures));
        minerStillMining();
    }

    @Test
    void garbageInsteadOfAHandshakeEndsTheConnection() throws Exception
    {
        final byte[] junk = new byte[300];
        new Random(1).nextBytes(junk);
        try (RawClient c = new RawClient(h.address()))
        {
            c.sendRaw(junk);
            assertTrue(c.closedByPool());
        }
        minerStillMining();
    }

    @Test
    void garbageAfterTheHandshakeEndsTheConnection() throws Exception
    {
        final long errors = h.pool.metrics().protocolErrors.sum();
        try (RawClient c = new RawClient(h.address()).handshake())
        {
            final byte[] junk = new byte[100];
            new Random(2).nextBytes(junk);
            c.sendRaw(junk);
            assertTrue(c.closedByPool());
        }
        assertTrue(PoolHarness.await(2000, () -> h.pool.metrics().protocolErrors.sum() > errors));
        minerStillMining();
    }

    @Test
    void messagesInTheWrongStateEndTheConnection() throws Exception
    {
        final byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte)0xff);
        try (RawClient c = new RawClient(h.address()).handshake())
        {
            c.send(new OpenStandardMiningChannel(1, "early", 1.0f, max));   // before SetupConnection
            assertTrue(c.closedByPool());
        }
        try (RawClient c = new RawClient(h.address()).handshake().setup(CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS))
        {
            // a message only a server sends
            final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
            final SubmitSharesError e = new SubmitSharesError().wrapForEncode(b, 6).channelId(1).sequenceNumber(1)
                .errorCode("x".getBytes());
            final int len = e.writeHeader(b, 0);
            c.channel.writeFrame(b, 0, len);
            assertTrue(c.closedByPool());
        }
        minerStillMining();
    }

    @Test
    void oversizeFrameEndsTheConnection() throws Exception
    {
        try (RawClient c = new RawClient(h.address()).handshake().setup(0))
        {
            final int payload = 20_000;   // over this pool's max_frame_bytes? no: the frame is fine, but it is not a mining message
            final UnsafeBuffer b = new UnsafeBuffer(new byte[6 + payload]);
            FrameHeaderFlyweight.write(b, 0, 0, true, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD, payload);
            c.channel.writeFrame(b, 0, 6 + payload);
            assertTrue(c.closedByPool(), "a SubmitSharesStandard with 20 KB of trailing garbage is malformed");
        }
        minerStillMining();
    }

    @Test
    void unknownChannelIdGetsAnErrorAndTheConnectionStays() throws Exception
    {
        try (RawClient c = new RawClient(h.address()).handshake().setup(CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS))
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < 3; i++)
            {
                new SubmitSharesStandard().wrapForEncode(b, 6).channelId(999_999).sequenceNumber(i).jobId(1).nonce(1)
                    .ntime(1).version(0x20000000).writeHeader(b, 0);
                c.channel.writeFrame(b, 0, 6 + SubmitSharesStandard.BLOCK_LENGTH);
            }
            for (int i = 0; i < 3; i++)
            {
                final int n = c.channel.readFrame();
                assertEquals(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR, FrameHeaderFlyweight.msgType(c.channel.frameBuffer(), 0));
                final SubmitSharesError e = new SubmitSharesError().wrap(c.channel.frameBuffer(), 6, n - 6);
                assertEquals("invalid-channel-id", e.errorCode());
                assertEquals(i, e.sequenceNumber());
            }
        }
        minerStillMining();
    }

    @Test
    void framesSentRightBehindSetupConnectionAreServedInOrder() throws Exception
    {
        // One write carries SetupConnection, OpenStandardMiningChannel and a share: the connection's reader reads the
        // last two ahead while it sets up, and they must still be handled, in order, wherever the connection goes next
        // (its own threads, or an event loop that takes over what was read ahead).
        try (RawClient c = new RawClient(h.address()).handshake())
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
            final byte[] max = new byte[32];
            java.util.Arrays.fill(max, (byte)0xff);
            int n = new org.bitcoincommons.sv2.codec.common.SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
                CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS, "127.0.0.1", 0, "test", "", "", "").encodeFrame(b, 0);
            c.channel.queueFrame(b, 0, n);
            n = new OpenStandardMiningChannel(7, "pipelined", 1.0f, max).encodeFrame(b, 0);
            c.channel.queueFrame(b, 0, n);
            new SubmitSharesStandard().wrapForEncode(b, 6).channelId(999_999).sequenceNumber(41).jobId(1).nonce(1)
                .ntime(1).version(0x20000000).writeHeader(b, 0);
            c.channel.queueFrame(b, 0, 6 + SubmitSharesStandard.BLOCK_LENGTH);
            c.channel.flush();
            assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, firstType(c));
            c.readUntil(MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS);
            int len = c.readUntil(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR);
            SubmitSharesError e = new SubmitSharesError().wrap(c.channel.frameBuffer(), 6, len - 6);
            assertEquals(41, e.sequenceNumber());
            assertEquals("invalid-channel-id", e.errorCode());
            // and what comes after the set-up, read where the connection lives now
            new SubmitSharesStandard().wrapForEncode(b, 6).channelId(999_999).sequenceNumber(42).jobId(1).nonce(1)
                .ntime(1).version(0x20000000).writeHeader(b, 0);
            c.channel.writeFrame(b, 0, 6 + SubmitSharesStandard.BLOCK_LENGTH);
            len = c.readUntil(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR);
            e = new SubmitSharesError().wrap(c.channel.frameBuffer(), 6, len - 6);
            assertEquals(42, e.sequenceNumber());
        }
        minerStillMining();
    }

    private static int firstType(final RawClient c) throws java.io.IOException
    {
        c.channel.readFrame();
        return FrameHeaderFlyweight.msgType(c.channel.frameBuffer(), 0);
    }

    @Test
    void slowReaderIsDisconnected() throws Exception
    {
        final long slow = h.pool.metrics().slowReaders.sum();
        try (RawClient c = new RawClient(h.address()))
        {
            c.socket.setReceiveBufferSize(4096);
            c.handshake().setup(CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS);
            final UnsafeBuffer b = new UnsafeBuffer(new byte[64 * 1024]);
            // Each invalid share earns a SubmitShares.Error; never read them.
            final int frame = 6 + SubmitSharesStandard.BLOCK_LENGTH;
            int sent = 0;
            try
            {
                while (sent < 2_000_000 && h.pool.metrics().slowReaders.sum() == slow)
                {
                    int off = 0;
                    for (int i = 0; i < 64 * 1024 / frame; i++)
                    {
                        new SubmitSharesStandard().wrapForEncode(b, off + 6).channelId(7).sequenceNumber(sent++).jobId(1)
                            .nonce(1).ntime(1).version(0x20000000).writeHeader(b, off);
                        c.channel.queueFrame(b, off, frame);
                        off += frame;
                    }
                    c.channel.flush();
                }
            }
            catch (final java.io.IOException expected)
            {
                // the pool hung up on us
            }
            assertTrue(PoolHarness.await(10_000, () -> h.pool.metrics().slowReaders.sum() > slow),
                "slow reader not disconnected after " + sent + " shares");
        }
        minerStillMining();
    }
}
