package org.bitcoincommons.sv2.revenue;

import java.util.concurrent.atomic.AtomicLongArray;

import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.HashWindow;
import org.bitcoincommons.sv2.journal.JournalEvent;

/**
 * Records one found block's reward as three accounting events: REWARD, then FEE (when the merged-mining fee is
 * enabled and non-zero), then DISTRIBUTION of the rest by {@link RevenueSplit}; reward == fee + distribution, so
 * nothing vanishes. Each block (chain and hash) is rewarded at most once: a second record of it records nothing and
 * is counted, as replay ignores a repeated REWARD. Keeps per-chain totals for the API. Thread-safe: one record's
 * three events are handed over together, so they stay in order for their chain.
 */
public final class RewardRecorder
{
    private final MergeAccounting accounting;
    private final MergeMiningFeeConfig fee;
    private final AtomicLongArray rewards = new AtomicLongArray(64);
    private final AtomicLongArray fees = new AtomicLongArray(64);
    private final AtomicLongArray blocks = new AtomicLongArray(64);
    private final AtomicLongArray duplicates = new AtomicLongArray(64);
    private final HashWindow[] rewarded = new HashWindow[JournalEvent.MAX_CHAINS];

    public RewardRecorder(final MergeAccounting accounting, final MergeMiningFeeConfig fee)
    {
        this.accounting = accounting;
        this.fee = fee;
    }

    /** The fee percent applied to rewards: the configured one when enabled, else 0. */
    public int feePercent()
    {
        return fee.enabled() ? fee.feePercentage() : 0;
    }

    /**
     * @param chainIndex 0 for Bitcoin, 1..63 for aux chains
     * @param amount     the block's reward in the chain's smallest unit
     * @param blockHash  internal order (RSK: the hash for merged mining of the work the block solved)
     * @return the split that was recorded, or null when this chain's block {@code blockHash} was already rewarded
     *         (nothing is recorded)
     */
    public synchronized RevenueSplit.Shares record(final int chainIndex, final long amount, final byte[] blockHash)
    {
        if (chainIndex < 0 || chainIndex >= 64)
        {
            throw new IllegalArgumentException("chain index must be 0..63, got " + chainIndex);
        }
        if (rewarded[chainIndex] == null)
        {
            rewarded[chainIndex] = new HashWindow(AccountingState.HASH_WINDOW);
        }
        if (!rewarded[chainIndex].add(blockHash))
        {
            duplicates.incrementAndGet(chainIndex);
            return null;
        }
        final RevenueSplit.Shares s = RevenueSplit.split(amount, feePercent());
        accounting.reward(chainIndex, amount, blockHash);
        if (s.fee() > 0)
        {
            accounting.fee(chainIndex, s.fee(), fee.contributorId());
        }
        accounting.distribution(chainIndex, s.coreDevelopment(), s.grants(), s.audits(), s.operations());
        rewards.addAndGet(chainIndex, amount);
        fees.addAndGet(chainIndex, s.fee());
        blocks.incrementAndGet(chainIndex);
        return s;
    }

    public long totalRewards(final int chainIndex)
    {
        return rewards.get(chainIndex);
    }

    public long totalFees(final int chainIndex)
    {
        return fees.get(chainIndex);
    }

    public long blocks(final int chainIndex)
    {
        return blocks.get(chainIndex);
    }

    /** Records refused because the chain's block was already rewarded. */
    public long duplicates(final int chainIndex)
    {
        return duplicates.get(chainIndex);
    }
}
