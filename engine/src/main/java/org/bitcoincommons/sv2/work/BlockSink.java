package org.bitcoincommons.sv2.work;

/**
 * Receives block candidates from the logic thread. Implementations must return at once (queue the work to
 * another thread): they run on the hot path.
 */
public interface BlockSink
{
    /** The share's hash meets the job's network (bitcoin) target. */
    void blockFound(BlockCandidate candidate);

    /** The share's hash meets the job's loosest aux-chain target: the merged-mining layer checks each chain. */
    default void auxCandidate(final BlockCandidate candidate)
    {
    }
}
