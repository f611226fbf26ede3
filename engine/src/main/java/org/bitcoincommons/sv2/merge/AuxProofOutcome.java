package org.bitcoincommons.sv2.merge;

/**
 * What an aux node made of one proof submitted on a frontend's behalf (by a cluster's aux feeder): the node's verdict
 * and, for a block it took, where the block is. Immutable.
 *
 * @param detail        the node's words, for the log and the journal
 * @param height        the block's height when known (else -1)
 * @param nodeBlockHash the block's hash as the node names it (AuxPoW: the aux block hash; RSK: the RSK block hash),
 *                      or null
 */
public record AuxProofOutcome(Verdict verdict, Placement placement, String detail, long height, byte[] nodeBlockHash)
{
    /** The node's answer to the submission ({@link AuxNode.Verdict}). */
    public enum Verdict
    {
        /** Imported as the node's best block. */
        BEST,
        /** Taken; its place in the chain is {@link #placement}. */
        TAKEN,
        /** Refused by the node's checks (or a JSON-RPC error). */
        REFUSED
    }

    /** Where a taken block is, as far as the node said right after taking it ({@link AuxNode.Placement}). */
    public enum Placement
    {
        MAIN_CHAIN, NOT_MAIN_CHAIN, CANNOT_TELL
    }

    /** True when the node took the block (BEST or TAKEN). */
    public boolean accepted()
    {
        return verdict != Verdict.REFUSED;
    }
}
