package org.bitcoincommons.sv2.merge;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the merged-mining layer (Aeron style: counters, not logs). Written from the coordinator's threads,
 * read by the API at any time.
 */
public final class MergeMetrics
{
    /** Candidates handed over by the pool (aux candidates plus Bitcoin blocks). */
    public final LongAdder candidates = new LongAdder();
    /** Candidates dropped because the hand-off queue was full. */
    public final LongAdder candidatesDropped = new LongAdder();
    /**
     * Shares whose rolled version had bit 8 (0x100) set, or in which an aux chain reads its own chain id
     * ({@link ChainIdRule}): valid for Bitcoin and RSK, never an AuxPoW proof for that chain.
     */
    public final LongAdder auxPowSkippedVersionBit = new LongAdder();
    /** Proofs submitted to aux nodes. */
    public final LongAdder submissions = new LongAdder();
    public final LongAdder accepted = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    /** Accepted by submitauxblock but not the node's best block afterwards (stale or duplicate). */
    public final LongAdder acceptedNotTip = new LongAdder();
    /** Work polls that failed (node down, slow, auth, protocol). */
    public final LongAdder pollFailures = new LongAdder();
    /** Transitions of any chain from up to down. */
    public final LongAdder chainsWentDown = new LongAdder();
    /** Times any chain's work changed (each asks for a job refresh). */
    public final LongAdder workChanges = new LongAdder();
}
