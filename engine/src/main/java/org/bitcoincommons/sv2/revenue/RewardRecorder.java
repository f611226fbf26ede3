package org.bitcoincommons.sv2.revenue;

import java.util.concurrent.atomic.AtomicLongArray;

import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;

/**
 * Records one found block's reward as three accounting events: REWARD, then FEE (when the merged-mining fee is
 * enabled and non-zero), then DISTRIBUTION of the rest by {@link RevenueSplit}; reward == fee + distribution, so
 * nothing vanishes. Keeps per-chain totals for the API. Thread-safe.
 */
public final class RewardRecorder
{
    private final MergeAccounting accounting;
    private final MergeMiningFeeConfig fee;
    private final AtomicLongArray rewards = new AtomicLongArray(64);
    private final AtomicLongArray fees = new AtomicLongArray(64);
    private final AtomicLongArray blocks = new AtomicLongArray(64);

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
     * @param blockHash  internal order
     * @return the split that was recorded
     */
    public RevenueSplit.Shares record(final int chainIndex, final long amount, final byte[] blockHash)
    {
        if (chainIndex < 0 || chainIndex >= 64)
        {
            throw new IllegalArgumentException("chain index must be 0..63, got " + chainIndex);
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
}
