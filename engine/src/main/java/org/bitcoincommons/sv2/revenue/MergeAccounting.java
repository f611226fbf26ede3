package org.bitcoincommons.sv2.revenue;

/**
 * The accounting events of merged mining, named as the journal's. The coordinator calls these from its own
 * (virtual) threads; the pool implements them by handing each call to the pool logic thread, where it is appended
 * to the journal and applied to the accounting state, so that a replay reproduces the live counters.
 * Chain index 0 is Bitcoin; aux chains are 1..63. Amounts are in the chain's smallest unit.
 */
public interface MergeAccounting
{
    /** Names a chain index (once per start, before any other event of that chain). */
    void chain(int chainIndex, String name);

    /** A proof for aux block {@code hash} (internal order) is being submitted. */
    void auxSubmitted(int chainIndex, byte[] hash);

    /** The node accepted the proof submitted for {@code hash}: the submission's one outcome. */
    void auxAccepted(int chainIndex, byte[] hash);

    /** The node refused the proof submitted for {@code hash}: the submission's one outcome. */
    void auxRejected(int chainIndex, byte[] hash, String reason);

    /**
     * The node's verdict on the proof submitted for {@code hash} could not be learned within the aux work's lifetime
     * (or before the pool stopped): the submission's one outcome.
     */
    void auxUnknown(int chainIndex, byte[] hash, String reason);

    void reward(int chainIndex, long amount, byte[] hash);

    void fee(int chainIndex, long amount, String contributorId);

    void distribution(int chainIndex, long core, long grants, long audits, long operations);
}
