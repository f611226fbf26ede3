package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.work.BlockCandidate;

/**
 * One aux chain's node as the coordinator uses it: its current work, one attempt to submit a proof, and where a
 * submitted block ended up. The two kinds differ in RPCs and answers ({@link AuxPowNode}: Namecoin-style
 * {@code createauxblock}/{@code submitauxblock}/{@code getblockhash}; {@link RskNode}: {@code mnr_getWork},
 * {@code mnr_submitBitcoinBlockPartialMerkle}, {@code eth_getBlockByNumber}); {@link AuxSubmission} drives either
 * through one state machine. Thread-safe; cold path.
 */
sealed interface AuxNode permits AuxPowNode, RskNode, RemoteAuxNode
{
    /**
     * The node's current work.
     *
     * @param hash     AuxPoW: aux block hash, internal order; RSK: hashForMergedMining as given
     * @param targetLe 32-byte little-endian target
     * @param reward   what a block earns, the chain's smallest unit
     * @param height   the block's height, -1 when the node does not say
     * @param chainId  the AuxPoW chain id the node reports (-1 for RSK)
     */
    record Work(byte[] hash, byte[] targetLe, long reward, long height, int chainId)
    {
    }

    /** What the node made of one submission. */
    enum Verdict
    {
        /** Imported as the node's best block (RSK's IMPORTED_BEST): in the main chain, no confirmation needed. */
        BEST,
        /** Taken (Namecoin's true, RSK's IMPORTED_NOT_BEST or EXIST): its place in the chain is to be confirmed. */
        TAKEN,
        /** Refused: the node's checks failed (Namecoin's false, RSK's INVALID_BLOCK, a bad coinbase layout). */
        REFUSED
    }

    /**
     * The node's answer to one submission.
     *
     * @param detail         the node's words, for the log and the journal
     * @param height         the block's height when known (else -1)
     * @param nodeBlockHash  the block's hash as the node names it (AuxPoW: the aux block hash; RSK: the RSK block
     *                       hash, which covers the Bitcoin header), or null
     */
    record Answer(Verdict verdict, String detail, long height, byte[] nodeBlockHash)
    {
    }

    /** Where a submitted block is, as far as the node says. */
    enum Placement
    {
        MAIN_CHAIN, NOT_MAIN_CHAIN, CANNOT_TELL
    }

    Work work() throws RpcException;

    /**
     * Builds the chain's proof from {@code candidate} for work {@code w} and submits it once.
     *
     * @throws RpcException a JSON-RPC error is the node's refusal; any other kind leaves the outcome unknown
     */
    Answer submit(AuxWorkSnapshot.ChainWork w, BlockCandidate candidate) throws RpcException;

    /**
     * Submits a proof already serialized ({@link AuxPowNode#proof}, {@link RskNode#proof}) once: what a cluster's aux
     * feeder does with a proof a frontend built. Only {@code w}'s block hash and height are used.
     *
     * @throws RpcException a JSON-RPC error is the node's refusal; any other kind leaves the outcome unknown
     */
    Answer submitProof(AuxWorkSnapshot.ChainWork w, byte[] proof) throws RpcException;

    /**
     * Asks the node whether the block for {@code w} is in its main chain.
     *
     * @param answer the node's answer to the submission, or null when no attempt was answered
     * @throws RpcException when the node could not be asked (transport, authentication, malformed answer)
     */
    Placement placement(AuxWorkSnapshot.ChainWork w, Answer answer) throws RpcException;
}
