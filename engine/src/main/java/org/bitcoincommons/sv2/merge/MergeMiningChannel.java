package org.bitcoincommons.sv2.merge;

/**
 * A read-only view of one aux chain's channel, as the seed's {@code MergeMiningChannel} names it, plus health.
 * Submissions add up: {@code sharesSubmitted == accepted + rejected + unknown + inFlight} when read at a quiet moment
 * (the counters are read one after the other).
 *
 * @param chainId         AuxPoW chain id (-1 for RSK)
 * @param channelId       the chain's journal index (1..63), which identifies it everywhere in accounting
 * @param currentJobId    increases each time the chain's work changes (0 before the first work)
 * @param totalRewards    rewards recorded for the chain, smallest unit
 * @param sharesSubmitted proofs submitted to the chain's node (each aux block once)
 * @param unknown         submissions whose outcome could not be learned in time
 * @param inFlight        submissions still waiting for their outcome
 * @param duplicates      candidates for an aux block already submitted (not submitted again)
 * @param up              whether the chain is in new jobs (its node answered recently enough)
 */
public record MergeMiningChannel(String name, int chainId, int channelId, long currentJobId, long totalRewards,
    long sharesSubmitted, long accepted, long rejected, long unknown, long inFlight, long duplicates, boolean up)
{
}
