package org.bitcoincommons.sv2.merge;

/**
 * A read-only view of one aux chain's channel, as the seed's {@code MergeMiningChannel} names it, plus health.
 *
 * @param chainId         AuxPoW chain id (-1 for RSK)
 * @param channelId       the chain's journal index (1..63), which identifies it everywhere in accounting
 * @param currentJobId    increases each time the chain's work changes (0 before the first work)
 * @param totalRewards    rewards recorded for the chain, smallest unit
 * @param sharesSubmitted proofs submitted to the chain's node
 * @param up              whether the node answered the last poll
 */
public record MergeMiningChannel(String name, int chainId, int channelId, long currentJobId, long totalRewards,
    long sharesSubmitted, long accepted, long rejected, boolean up)
{
}
