package org.bitcoincommons.sv2.merge;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the merged-mining layer (Aeron style: counters, not logs). Written from the coordinator's threads,
 * read by the API at any time. Submissions add up over all chains: {@code submissions == accepted + rejected +
 * unknown + (in flight)}, see {@link MergeMiningChannel#inFlight()} per chain.
 */
public final class MergeMetrics
{
    /** Candidates handed over by the pool (aux candidates plus Bitcoin blocks). */
    public final LongAdder candidates = new LongAdder();
    /** Candidates dropped: a chain's queue was full, or the pool stopped before they were submitted. */
    public final LongAdder candidatesDropped = new LongAdder();
    /** Candidates for an aux block already submitted to its chain: never submitted twice. */
    public final LongAdder duplicatesSuppressed = new LongAdder();
    /**
     * Shares whose rolled version had bit 8 (0x100) set, or in which an aux chain reads its own chain id
     * ({@link ChainIdRule}): valid for Bitcoin and RSK, never an AuxPoW proof for that chain.
     */
    public final LongAdder auxPowSkippedVersionBit = new LongAdder();
    /** Proofs submitted to aux nodes (each aux block once). */
    public final LongAdder submissions = new LongAdder();
    public final LongAdder accepted = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    /** Submissions whose outcome could not be learned within the work's lifetime or before shutdown. */
    public final LongAdder unknown = new LongAdder();
    /** Accepted by the node but not in its main chain (a side-chain or sibling block): no reward. */
    public final LongAdder acceptedNotTip = new LongAdder();
    /** Accepted blocks rewarded although the node could not confirm their place in the chain in time. */
    public final LongAdder rewardsUnconfirmed = new LongAdder();
    /** Submission attempts repeated after a transient failure (no answer, reset, 5xx). */
    public final LongAdder submitRetries = new LongAdder();
    /** Confirmation requests repeated after a transient failure. */
    public final LongAdder confirmRetries = new LongAdder();
    /** Work polls that failed (node down, slow, auth, protocol, JSON-RPC error). */
    public final LongAdder pollFailures = new LongAdder();
    /** Transitions of any chain from up to down. */
    public final LongAdder chainsWentDown = new LongAdder();
    /** Up/down state changes logged (one log line each, never one per failed request). */
    public final LongAdder stateChanges = new LongAdder();
    /** Times any chain's work changed (each asks for a job refresh). */
    public final LongAdder workChanges = new LongAdder();
}
