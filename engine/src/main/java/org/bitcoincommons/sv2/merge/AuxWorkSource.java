package org.bitcoincommons.sv2.merge;

import java.util.function.Consumer;

/**
 * Where a {@link MergeMiningCoordinator}'s chains take their work from, and send their proofs to, when they do not
 * talk to aux nodes themselves: a cluster frontend's ({@code [cluster] aux = "cluster"}) work comes from the cluster's
 * log and its proofs go back through it to the leader's aux feeder, which submits them to the aux node that made the
 * work. The coordinator builds the same commitments, checks the same targets and journals the same events as with
 * its own nodes; only the transport differs ({@link RemoteAuxNode}).
 * <p>
 * Thread: every method from any thread.
 */
public interface AuxWorkSource
{
    /** The latest work for the chain named, or null when none has arrived. */
    AuxWorkItem work(String chain);

    /**
     * How long ago the chain's work was last confirmed (received anew, or confirmed unchanged by whoever polls its
     * node); Long.MAX_VALUE when none arrived. Work older than the chain's {@code max_work_age_ms} is not mined: the
     * chain goes down as it does when its own node stops answering.
     */
    long workAgeMs(String chain);

    /** {@code listener} is told the chain's name each time new work for it arrives (on the source's thread). */
    void onWork(Consumer<String> listener);

    /**
     * Sends a proof for the work {@code blockHash} of {@code chain} and waits for the node's outcome.
     *
     * @param height    the work's height (-1 when unknown): the feeder confirms the block's place with it
     * @param proof     {@link AuxPowNode#proof} or {@link RskNode#proof}
     * @param timeoutMs how long to wait for the outcome
     * @return the outcome, or null when none arrived within {@code timeoutMs} (the proof may still be submitted: a
     *         later call for the same hash is answered with the same outcome, never submitted twice)
     */
    AuxProofOutcome submit(String chain, byte[] blockHash, long height, byte[] proof, long timeoutMs)
        throws InterruptedException;
}
