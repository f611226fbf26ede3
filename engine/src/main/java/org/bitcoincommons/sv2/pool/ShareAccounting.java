package org.bitcoincommons.sv2.pool;

/**
 * Where accepted work goes. Every call is made on the pool logic thread, and an accepted share is
 * handed here before its SubmitShares.Success is queued, so an implementation that journals durably
 * guarantees that no acknowledged share is lost.
 */
public interface ShareAccounting
{
    /** The stable worker id for a user identity, registering it when new. Cold path. */
    int workerId(String userIdentity);

    /** One accepted share worth {@code difficulty} (diff-1 units), credited to the chains in {@code chainMask}. */
    void shareAccepted(int workerId, int channelId, int sequenceNumber, int jobId, double difficulty, long chainMask);

    /** A share met the network target of chain {@code chainIndex} (0 = bitcoin). */
    void blockFound(int chainIndex, int workerId, long height, byte[] blockHash);

    /** End of a batch of shares: make everything above durable before acknowledgements are sent. */
    void flush();
}
