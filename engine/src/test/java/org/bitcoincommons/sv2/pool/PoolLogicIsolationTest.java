package org.bitcoincommons.sv2.pool;

import static org.bitcoincommons.sv2.pool.PoolFixture.MAX_TARGET;
import static org.bitcoincommons.sv2.pool.PoolFixture.header;
import static org.bitcoincommons.sv2.pool.PoolFixture.le;
import static org.bitcoincommons.sv2.pool.PoolFixture.sha256d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: what one client sends can never stop the logic thread's work for the others. Client targets and hashrates
 * are validated before any target math (SRI's error codes), a fault in one downstream's work closes only that
 * connection, worker state is created on a channel's first accepted share, and SetGroupChannel grows by the new
 * channel only.
 */
class PoolLogicIsolationTest
{
    private static final int BITS = 0x1f0fffff;
    private static final byte[] ZERO = new byte[32];
    private PoolFixture f;

    @BeforeEach
    void setUp()
    {
        f = new PoolFixture(BITS, 8);
    }

    private RecordingDownstream connect(final long id, final boolean standardJobs)
    {
        final RecordingDownstream d = new RecordingDownstream(id);
        f.logic.connectionOpened(d, standardJobs);
        return d;
    }

    /** A new chain tip's job goes to every channel (as the template source announces one). */
    private void newTip()
    {
        f.logic.newJob(f.jobs.create(f.chain.currentTemplate()), true);
    }

    private static byte[] leTarget(final BigInteger t)
    {
        return Target.toLittleEndian(t);
    }

    @Test
    void zeroOneAndUnminableMaximumTargetsAreRefusedWithSrisCode()
    {
        final RecordingDownstream d = connect(1, true);
        final byte[][] refused = {ZERO, leTarget(BigInteger.ONE), leTarget(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))};
        int request = 1;
        for (final byte[] t : refused)
        {
            f.logic.openStandardChannel(d, request, "attacker", 1.0e6f, t);
            assertEquals("max-target-out-of-range", d.last("OpenMiningChannel.Error").text());
            assertEquals(request++, d.last("OpenMiningChannel.Error").a());
            f.logic.openExtendedChannel(d, request, "attacker", 1.0e6f, t, 0);
            assertEquals("max-target-out-of-range", d.last("OpenMiningChannel.Error").text());
            assertEquals(request++, d.last("OpenMiningChannel.Error").a());
        }
        assertEquals(0, f.logic.channelCount());
        assertTrue(d.named("OpenStandardMiningChannel.Success").isEmpty());
        // 2^128 is the hardest maximum target a client may ask for; the channel gets exactly it and a job
        f.logic.openStandardChannel(d, 99, "hard", 1.0e6f, leTarget(ChannelTargets.MIN_TARGET));
        assertEquals(ChannelTargets.MIN_TARGET, le(d.last("OpenStandardMiningChannel.Success").bytes()));
        assertNotNull(d.last("NewMiningJob"));
    }

    @Test
    void updateChannelToAZeroTargetIsRefusedAndJobsStillReachEveryone()
    {
        final RecordingDownstream attacker = connect(1, true);
        final RecordingDownstream good = connect(2, true);
        f.logic.openStandardChannel(attacker, 1, "attacker", 1.0e6f, MAX_TARGET);
        final int ch = attacker.last("OpenStandardMiningChannel.Success").channelId();
        f.logic.openStandardChannel(good, 1, "good", 1.0e6f, MAX_TARGET);
        f.logic.updateChannel(attacker, ch, 1.0e6f, ZERO);
        assertEquals("max-target-out-of-range", attacker.last("UpdateChannel.Error").text());
        assertEquals(ch, attacker.last("UpdateChannel.Error").channelId());
        f.logic.updateChannel(attacker, ch, 1.0e6f, leTarget(BigInteger.ONE));
        assertEquals(2, attacker.named("UpdateChannel.Error").size());
        assertTrue(attacker.named("SetTarget").isEmpty(), "the channel keeps its target");
        f.logic.tick();
        attacker.clear();
        good.clear();
        newTip();
        assertEquals(1, good.named("NewMiningJob").size());
        assertEquals(1, good.named("SetNewPrevHash").size());
        assertEquals(1, attacker.named("NewMiningJob").size(), "the refused update left a working channel");
    }

    @Test
    void extremeNominalHashratesNeverBreakTheTargetMath()
    {
        final RecordingDownstream d = connect(1, true);
        for (final float h : new float[] {0.0f, Float.MIN_VALUE, 1.0e30f, Float.MAX_VALUE})
        {
            f.logic.openStandardChannel(d, 1, "rig", h, MAX_TARGET);
            final BigInteger target = le(d.last("OpenStandardMiningChannel.Success").bytes());
            assertTrue(target.compareTo(ChannelTargets.MIN_TARGET) >= 0, "hashrate " + h + " gave target " + target.toString(16));
            final int ch = d.last("OpenStandardMiningChannel.Success").channelId();
            assertEquals(ch, d.last("NewMiningJob").channelId(), "hashrate " + h + " got no job");
            f.logic.updateChannel(d, ch, Float.MAX_VALUE, MAX_TARGET);
        }
        for (final float h : new float[] {-1.0f, Float.NaN, Float.POSITIVE_INFINITY})
        {
            f.logic.openStandardChannel(d, 5, "rig", h, MAX_TARGET);
            assertEquals("invalid-nominal-hashrate", d.last("OpenMiningChannel.Error").text());
        }
        assertEquals(4, f.logic.channelCount());
        assertEquals(0, f.logic.faults());
    }

    /** A downstream whose job sending throws, as a bug in one channel's work would. */
    private static final class FaultyDownstream extends RecordingDownstream
    {
        boolean armed;

        FaultyDownstream(final long id)
        {
            super(id);
        }

        @Override
        public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
            final byte[] merkleRoot, final int merkleRootOffset)
        {
            if (armed)
            {
                throw new IllegalStateException("injected fault in channel " + channelId);
            }
            super.newMiningJob(channelId, jobId, minNtime, version, merkleRoot, merkleRootOffset);
        }
    }

    @Test
    void aFaultInOneDownstreamsWorkClosesOnlyThatConnection()
    {
        final List<RecordingDownstream> good = new ArrayList<>();
        final List<FaultyDownstream> faulty = new ArrayList<>();
        // several of each, so that whatever the iteration order, faulty ones come before good ones
        for (int i = 0; i < 8; i++)
        {
            final FaultyDownstream bad = new FaultyDownstream(100 + i);
            f.logic.connectionOpened(bad, true);
            f.logic.openStandardChannel(bad, 1, "bad", 1.0e6f, MAX_TARGET);
            faulty.add(bad);
            final RecordingDownstream ok = connect(i, true);
            f.logic.openStandardChannel(ok, 1, "good", 1.0e6f, MAX_TARGET);
            good.add(ok);
        }
        faulty.forEach(b -> b.armed = true);
        for (int block = 1; block <= 3; block++)
        {
            good.forEach(RecordingDownstream::clear);
            newTip();
            for (final RecordingDownstream ok : good)
            {
                assertEquals(1, ok.named("NewMiningJob").size(), "block " + block + ": connection " + ok.connectionId());
                assertEquals(1, ok.named("SetNewPrevHash").size());
                assertNull(ok.disconnectReason);
            }
        }
        for (final FaultyDownstream bad : faulty)
        {
            assertNotNull(bad.disconnectReason, "the faulty connection is closed");
            assertTrue(bad.disconnectReason.contains("injected fault"), bad.disconnectReason);
        }
        assertEquals(8, f.logic.faults());
        assertEquals(8, f.logic.channelCount(), "only the good connections' channels are left");
    }

    @Test
    void workerStateIsCreatedOnTheFirstAcceptedShareNotOnChannelOpen()
    {
        final RecordingDownstream d = connect(1, true);
        for (int i = 0; i < 5; i++)
        {
            f.logic.openStandardChannel(d, i, "idle.rig" + i, 1.0f, MAX_TARGET);
        }
        f.logic.openStandardChannel(d, 9, "busy.rig", 1.0f, MAX_TARGET);
        assertTrue(f.accounting.workers.isEmpty(), "no worker before any share: " + f.accounting.workers);
        final RecordingDownstream.Msg ok = d.last("OpenStandardMiningChannel.Success");
        final RecordingDownstream.Msg job = d.last("NewMiningJob");
        final RecordingDownstream.Msg prev = d.last("SetNewPrevHash");
        final BigInteger target = le(ok.bytes());
        final BigInteger network = Target.fromCompact(BITS);
        int nonce = 0;
        while (true)
        {
            final BigInteger h = le(sha256d(header((int)job.c(), prev.bytes(), job.bytes(), (int)prev.b(), BITS, nonce)));
            if (h.compareTo(target) <= 0 && h.compareTo(network) > 0)
            {
                break;
            }
            nonce++;
        }
        f.logic.shares().submitStandard(d, ok.channelId(), 1, (int)job.a(), nonce, (int)prev.b(), (int)job.c());
        f.logic.shares().endOfBatch();
        assertEquals(1, d.named("SubmitShares.Success").size());
        assertEquals(java.util.Set.of("busy.rig"), f.accounting.workers.keySet());
        assertEquals(f.accounting.workers.get("busy.rig").doubleValue(), f.accounting.shares.get(0)[0]);
    }

    @Test
    void channelsWithoutAcceptedSharesAreBoundedPerConnection()
    {
        f.logic.maxChannelsWithoutShares(3);
        final RecordingDownstream d = connect(1, true);
        for (int i = 0; i < 3; i++)
        {
            f.logic.openStandardChannel(d, i, "rig", 1.0f, MAX_TARGET);
        }
        f.logic.openStandardChannel(d, 7, "rig", 1.0f, MAX_TARGET);
        assertEquals("max-channels-reached", d.last("OpenMiningChannel.Error").text());
        assertEquals(3, f.logic.channelCount());
        // closing one frees its place
        f.logic.closeChannel(d, d.named("OpenStandardMiningChannel.Success").get(0).channelId());
        f.logic.openStandardChannel(d, 8, "rig", 1.0f, MAX_TARGET);
        assertEquals(8, d.last("OpenStandardMiningChannel.Success").a());
        // another connection has its own allowance
        final RecordingDownstream other = connect(2, true);
        f.logic.openStandardChannel(other, 1, "rig", 1.0f, MAX_TARGET);
        assertEquals(1, other.named("OpenStandardMiningChannel.Success").size());
    }

    @Test
    void setGroupChannelListsOnlyTheNewChannel()
    {
        final RecordingDownstream proxy = connect(1, false);
        for (int i = 0; i < 50; i++)
        {
            f.logic.openStandardChannel(proxy, i, "dev" + i, 1.0f, MAX_TARGET);
        }
        final List<RecordingDownstream.Msg> groups = proxy.named("SetGroupChannel");
        assertEquals(50, groups.size());
        final List<RecordingDownstream.Msg> opened = proxy.named("OpenStandardMiningChannel.Success");
        for (int i = 0; i < 50; i++)
        {
            assertEquals(1, groups.get(i).a(), "one channel id per SetGroupChannel, not the whole list");
            assertEquals(opened.get(i).b(), groups.get(i).channelId(), "the group");
        }
    }
}
