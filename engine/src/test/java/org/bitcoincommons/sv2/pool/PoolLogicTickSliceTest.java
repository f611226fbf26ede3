package org.bitcoincommons.sv2.pool;

import static org.bitcoincommons.sv2.pool.PoolFixture.MAX_TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Issue 22: with 15,000 channels a vardiff round is cut into slices (each its own ring event) so that shares are not
 * held behind the whole round. Every channel open at the start of a round is retargeted exactly once, a channel closed
 * during the round is skipped, and the round reports its end.
 */
class PoolLogicTickSliceTest
{
    @Test
    void aRoundRetargetsEveryChannelOnceSliceBySliceAndSkipsOneClosedMeanwhile()
    {
        final PoolFixture f = new PoolFixture(0x1f0fffff, 8);
        final RecordingDownstream d = new RecordingDownstream(1);
        f.logic.connectionOpened(d, true);
        for (int i = 0; i < 5; i++)
        {
            f.logic.openStandardChannel(d, i + 1, "w" + i, 1.0e6f, MAX_TARGET);
        }
        d.clear();
        f.nowMs[0] += 20_000;   // no shares for 20 s: vardiff eases every channel's target

        final long slices = f.logic.tickSlices();
        f.logic.requestTick();
        assertTrue(f.logic.tickInProgress());
        f.logic.startTick();
        assertTrue(f.logic.tickSlice(2), "3 channels left");
        assertEquals(2, d.named("SetTarget").size(), "one slice retargets 2 channels");
        final Set<Integer> retargeted = new HashSet<>();
        d.named("SetTarget").forEach(m -> retargeted.add(m.channelId()));
        int closed = -1;
        for (int id : f.logic.channels.keySet())
        {
            if (!retargeted.contains(id))
            {
                closed = id;
                break;
            }
        }
        f.logic.closeChannel(d, closed);
        assertTrue(f.logic.tickSlice(2), "1 channel left");
        assertTrue(f.logic.tickInProgress());
        assertFalse(f.logic.tickSlice(2), "the round is over");
        assertFalse(f.logic.tickInProgress());
        assertEquals(slices + 3, f.logic.tickSlices());
        final Set<Integer> all = new HashSet<>();
        d.named("SetTarget").forEach(m -> assertTrue(all.add(m.channelId()), "a channel retargeted twice"));
        assertEquals(4, all.size(), "every channel but the closed one, once");
        assertFalse(all.contains(closed));

        // A slice after the end changes nothing; the whole-round tick() still does every channel in one go.
        assertFalse(f.logic.tickSlice(2));
        d.clear();
        f.nowMs[0] += 20_000;
        f.logic.tick();
        assertEquals(4, d.named("SetTarget").size());
    }
}
