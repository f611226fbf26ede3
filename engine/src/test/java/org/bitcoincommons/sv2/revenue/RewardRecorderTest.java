package org.bitcoincommons.sv2.revenue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.junit.jupiter.api.Test;

class RewardRecorderTest
{
    /** Applies each event to an accounting state, as the pool's journaling accounting does, and lists them. */
    private static final class Applying implements MergeAccounting
    {
        final AccountingState state = new AccountingState();
        final List<String> events = new ArrayList<>();

        @Override
        public void chain(final int chainIndex, final String name)
        {
            state.chain(0, chainIndex, name);
        }

        @Override
        public void auxSubmitted(final int chainIndex, final byte[] hash)
        {
            state.auxSubmitted(0, chainIndex, hash);
        }

        @Override
        public void auxAccepted(final int chainIndex, final byte[] hash)
        {
            state.auxAccepted(0, chainIndex, hash);
        }

        @Override
        public void auxRejected(final int chainIndex, final byte[] hash, final String reason)
        {
            state.auxRejected(0, chainIndex, hash, reason);
        }

        @Override
        public void auxUnknown(final int chainIndex, final byte[] hash, final String reason)
        {
            state.auxUnknown(0, chainIndex, hash, reason);
        }

        @Override
        public void reward(final int chainIndex, final long amount, final byte[] hash)
        {
            events.add("reward " + chainIndex);
            state.reward(0, chainIndex, amount, hash);
        }

        @Override
        public void fee(final int chainIndex, final long amount, final String contributorId)
        {
            events.add("fee " + chainIndex);
            state.fee(0, chainIndex, amount, contributorId);
        }

        @Override
        public void distribution(final int chainIndex, final long core, final long grants, final long audits,
            final long operations)
        {
            events.add("distribution " + chainIndex);
            state.distribution(0, chainIndex, core, grants, audits, operations);
        }
    }

    @Test
    void eachBlockIsRewardedOncePerChain()
    {
        final Applying a = new Applying();
        final RewardRecorder r = new RewardRecorder(a, new MergeMiningFeeConfig(true, 1, "", "commons", false));
        final byte[] block = new byte[32];
        Arrays.fill(block, (byte)9);
        assertNotNull(r.record(1, 1_000_000, block));
        assertNull(r.record(1, 1_000_000, block), "the same chain and hash again: nothing recorded");
        assertNotNull(r.record(2, 1_000_000, block), "another chain's block with the same bytes is its own");
        assertEquals(List.of("reward 1", "fee 1", "distribution 1", "reward 2", "fee 2", "distribution 2"), a.events);
        assertEquals(1, r.blocks(1));
        assertEquals(1_000_000, r.totalRewards(1));
        assertEquals(1, r.duplicates(1));
        assertEquals(1_000_000, a.state.chainStats(1).rewards());
        assertEquals(0, a.state.chainStats(1).unallocated());
    }
}
