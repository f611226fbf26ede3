package org.bitcoincommons.sv2.journal;

/**
 * Receives accounting events, live (from the pool, after they are journaled) or replayed from the journal.
 * Both paths drive the same implementation, so that replay reproduces the live counters exactly.
 * Hashes are 32 bytes in internal byte order; the array is only valid during the call.
 */
public interface AccountingListener
{
    void shareAccepted(long timeMs, int workerId, int channelId, int sequenceNumber, int jobId,
        double difficulty, long chainMask);

    void worker(long timeMs, int workerId, String name);

    void chain(long timeMs, int chainIndex, String name);

    void blockFound(long timeMs, int chainIndex, int workerId, long height, byte[] hash);

    void auxSubmitted(long timeMs, int chainIndex, byte[] hash);

    void auxAccepted(long timeMs, int chainIndex, byte[] hash);

    void auxRejected(long timeMs, int chainIndex, byte[] hash, String reason);

    /** The outcome of an aux submission could not be learned (the node did not answer in time, or shutdown). */
    void auxUnknown(long timeMs, int chainIndex, byte[] hash, String reason);
    /** A found block that no template source accepted ({@code reason} is the node's answer). */
    void blockRejected(long timeMs, int chainIndex, byte[] hash, String reason);

    void reward(long timeMs, int chainIndex, long amount, byte[] hash);

    void fee(long timeMs, int chainIndex, long amount, String contributorId);

    void distribution(long timeMs, int chainIndex, long core, long grants, long audits, long operations);
}
