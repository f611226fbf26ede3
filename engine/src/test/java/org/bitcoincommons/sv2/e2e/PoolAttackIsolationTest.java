package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.UpdateChannel;
import org.bitcoincommons.sv2.codec.mining.UpdateChannelError;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1: one client's targets must never stop job distribution to the others. A real miner keeps getting
 * shares accepted and new blocks across three block changes while attackers open channels with a zero (or 1) maximum
 * target and update open channels to a zero maximum target; each attacker gets {@code max-target-out-of-range}.
 */
class PoolAttackIsolationTest
{
    private static final int ATTACKERS_PER_WAVE = 6;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void zeroTargetsFromAttackersDoNotStopTheMinersJobsAcrossThreeBlocks() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 0.0005, ""); MinerClient miner = h.miner("good.miner", 1, false))
        {
            assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() >= 1), "the miner never mined");
            final List<RawClient> attackers = new ArrayList<>();
            try
            {
                attack(h, attackers);
                final long startHeight = h.pool.chain().tipHeight();
                for (int block = 1; block <= 3; block++)
                {
                    final long height = startHeight + block;
                    assertTrue(PoolHarness.await(30_000, () -> h.pool.chain().tipHeight() >= height),
                        "the chain stopped at " + h.pool.chain().tipHeight() + " (waiting for " + height + "); miner " +
                            miner.stats().sharesAccepted.sum() + " accepted, rejects " + miner.stats().rejectReasons);
                    // shares on the new tip: the miner got the new block's job
                    final long accepted = miner.stats().sharesAccepted.sum();
                    assertTrue(PoolHarness.await(20_000, () -> miner.stats().sharesAccepted.sum() > accepted),
                        "no share accepted after block " + height + "; rejects " + miner.stats().rejectReasons);
                    attack(h, attackers);
                }
            }
            finally
            {
                for (final RawClient a : attackers)
                {
                    a.close();
                }
            }
            // a second block found at the same height is stale; nothing else may be rejected
            final var reasons = h.pool.chain().rejectReasons();
            reasons.remove("stale-prevblk");
            assertEquals(java.util.Map.of(), reasons, "every block the miner found passed the chain's checks");
            assertEquals(0, h.pool.logicFaults(), "no fault closed a connection: every attack was refused by validation");
        }
    }

    /** A wave of attackers: zero and 1 maximum targets on open, a zero maximum target on update. They stay connected. */
    private static void attack(final PoolHarness h, final List<RawClient> attackers) throws Exception
    {
        final byte[] zero = new byte[32];
        final byte[] one = new byte[32];
        one[0] = 1;
        final byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte)0xff);
        for (int i = 0; i < ATTACKERS_PER_WAVE; i++)
        {
            final boolean standardJobs = i % 2 == 0;
            final RawClient a = new RawClient(h.address()).handshake()
                .setup(standardJobs ? CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS : 0);
            attackers.add(a);
            a.send(new OpenStandardMiningChannel(1, "attacker", 1.0e6f, zero));
            assertOpenRefused(a, 1);
            a.send(new OpenExtendedMiningChannel(2, "attacker", 1.0e6f, zero, 0));
            assertOpenRefused(a, 2);
            a.send(new OpenStandardMiningChannel(3, "attacker", 1.0e6f, one));
            assertOpenRefused(a, 3);
            // a channel with an ordinary target, then an update to zero
            a.send(new OpenStandardMiningChannel(4, "attacker", 1.0e6f, max));
            final int n = a.readUntil(MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS);
            final long channel = OpenStandardMiningChannelSuccess.decode(a.channel.frameBuffer(),
                FrameHeaderFlyweight.HEADER_LENGTH, n - FrameHeaderFlyweight.HEADER_LENGTH).channelId();
            a.send(new UpdateChannel(channel, 1.0e6f, zero));
            final int u = a.readUntil(MiningProtocol.MESSAGE_TYPE_UPDATE_CHANNEL_ERROR);
            final UpdateChannelError e = UpdateChannelError.decode(a.channel.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH,
                u - FrameHeaderFlyweight.HEADER_LENGTH);
            assertEquals(channel, e.channelId());
            assertEquals("max-target-out-of-range", e.errorCode());
        }
    }

    private static void assertOpenRefused(final RawClient a, final long requestId) throws Exception
    {
        final int n = a.readUntil(MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR);
        final OpenMiningChannelError e = OpenMiningChannelError.decode(a.channel.frameBuffer(),
            FrameHeaderFlyweight.HEADER_LENGTH, n - FrameHeaderFlyweight.HEADER_LENGTH);
        assertEquals(requestId, e.requestId());
        assertEquals("max-target-out-of-range", e.errorCode());
    }
}
