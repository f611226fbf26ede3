package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.noise.PartialFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 2: a frame header's declared length must not buy memory. 30 connections announce 16 MiB frames and
 * stall; a real miner keeps mining throughout. With the default limits the headers are refused at once; with the
 * Mining limit raised to the protocol maximum, the pool holds only what arrived (heap after GC moves by less than
 * 64 MiB) and closes each stalled frame at the frame deadline (default 10 s), well within 30 s.
 */
class PoolFrameMemoryTest
{
    private static final int CONNECTIONS = 30;
    private static final int DECLARED = 0xffffff;
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private static List<RawClient> connect(final PoolHarness h) throws Exception
    {
        final List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++)
        {
            clients.add(new RawClient(h.address()).handshake().setup(CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS));
        }
        return clients;
    }

    private static void minerStillMining(final MinerClient miner)
    {
        final long before = miner.stats().sharesAccepted.sum();
        assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() > before),
            "the miner stopped getting shares accepted");
    }

    @Test
    @Timeout(60)
    void sixteenMebibyteHeadersAreRefusedBeforeAnyPayloadByDefault() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1000.0, ""); MinerClient miner = h.miner("good.miner", 1, false))
        {
            assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >= 1));
            final long errors = h.pool.metrics().protocolErrors.sum();
            final List<RawClient> clients = connect(h);
            for (final RawClient c : clients)
            {
                c.sendRaw(PartialFrames.start(c.channel, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD, DECLARED, 0));
            }
            for (final RawClient c : clients)
            {
                assertTrue(c.closedByPool(), "a 16 MiB header from a mining client is refused at once");
                c.close();
            }
            assertTrue(PoolHarness.await(5_000, () -> h.pool.metrics().protocolErrors.sum() >= errors + CONNECTIONS));
            minerStillMining(miner);
        }
    }

    @Test
    @Timeout(120)
    void stalledSixteenMebibyteFramesCostWhatArrivedAndCloseAtTheFrameDeadline() throws Exception
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (PoolHarness h = new PoolHarness(dir, 1000.0, "max_mining_payload_bytes = 16777215", "", null);
            MinerClient miner = h.miner("good.miner", 1, false))
        {
            assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >= 1));
            final List<RawClient> clients = connect(h);
            memory.gc();
            final long baseline = memory.getHeapMemoryUsage().getUsed();
            for (final RawClient c : clients)
            {
                // the header and 4 chunks (256 KiB) of a 16 MiB SubmitSharesStandard, then nothing more
                c.sendRaw(PartialFrames.start(c.channel, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD, DECLARED, 4));
                c.socket.setSoTimeout(20);
            }
            final long sentAt = System.currentTimeMillis();
            long maxDelta = 0;
            final List<RawClient> open = new ArrayList<>(clients);
            while (!open.isEmpty() && System.currentTimeMillis() - sentAt < 30_000)
            {
                memory.gc();
                maxDelta = Math.max(maxDelta, memory.getHeapMemoryUsage().getUsed() - baseline);
                open.removeIf(RawClient::closedByPool);
            }
            final long took = System.currentTimeMillis() - sentAt;
            System.out.printf("stalled 16 MiB frames: heap after GC grew by at most %.1f MiB; all closed %d ms after sending%n",
                maxDelta / (double)MIB, took);
            for (final RawClient c : clients)
            {
                c.close();
            }
            assertEquals(List.of(), open.stream().map(c -> c.socket.getLocalPort()).toList(),
                "stalled connections still open " + took + " ms after their frames started");
            assertTrue(maxDelta < 64 * MIB, "heap after GC grew by " + maxDelta / MIB + " MiB while 30 frames were stalled");
            assertEquals(CONNECTIONS, h.pool.metrics().frameTimeouts.sum());
            minerStillMining(miner);
        }
    }
}
