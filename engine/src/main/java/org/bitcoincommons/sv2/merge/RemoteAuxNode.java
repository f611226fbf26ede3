package org.bitcoincommons.sv2.merge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.work.BlockCandidate;

/**
 * An aux chain whose node is reached through an {@link AuxWorkSource} (a cluster frontend's): the work is the
 * source's latest for the chain; a proof is built here exactly as {@link AuxPowNode} / {@link RskNode} build it and
 * handed to the source, which has the node's outcome (verdict and placement) decided where the node is. No request
 * goes to an aux node from here.
 * <p>
 * Thread-safe: {@link #work} on the chain's poller thread, the rest on its submitter thread.
 */
final class RemoteAuxNode implements AuxNode
{
    private final AuxChainConfig config;
    private final AuxWorkSource source;
    /** Placement the source reported with each outcome, by block hash, until {@link #placement} takes it. */
    private final Map<String, AuxProofOutcome.Placement> placements = new ConcurrentHashMap<>();

    RemoteAuxNode(final AuxChainConfig config, final AuxWorkSource source)
    {
        this.config = config;
        this.source = source;
    }

    @Override
    public Work work() throws RpcException
    {
        final AuxWorkItem w = source.work(config.name());
        if (w == null)
        {
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, config.name() + ": no aux work from the cluster yet",
                null);
        }
        final long ageMs = source.workAgeMs(config.name());
        if (ageMs > config.maxWorkAgeMs())
        {
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, config.name() + ": the cluster's aux work was last " +
                "confirmed " + ageMs + " ms ago (max_work_age_ms " + config.maxWorkAgeMs() + "): the feeder's node does " +
                "not answer, or there is no leader", null);
        }
        return new Work(w.hash(), w.targetLe(), w.reward(), w.height(),
            config.kind() == AuxChainConfig.Kind.AUXPOW ? w.chainId() : -1);
    }

    @Override
    public Answer submit(final AuxWorkSnapshot.ChainWork w, final BlockCandidate c) throws RpcException
    {
        final byte[] proof;
        if (config.kind() == AuxChainConfig.Kind.AUXPOW)
        {
            proof = AuxPowNode.proof(w, c);
        }
        else
        {
            final String layout = RskNode.layoutProblem(c);
            if (layout != null)
            {
                return new Answer(Verdict.REFUSED, "coinbase layout: " + layout, -1, null);
            }
            proof = RskNode.proof(c);
        }
        return submitProof(w, proof);
    }

    @Override
    public Answer submitProof(final AuxWorkSnapshot.ChainWork w, final byte[] proof) throws RpcException
    {
        final AuxProofOutcome o;
        try
        {
            o = source.submit(config.name(), w.blockHash(), w.height(), proof, config.timeoutMs());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, config.name() + ": interrupted", ex);
        }
        if (o == null)
        {
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, config.name() + ": no outcome from the cluster " +
                "within " + config.timeoutMs() + " ms", null);
        }
        if (o.verdict() == AuxProofOutcome.Verdict.TAKEN)
        {
            placements.put(Hex.encode(w.blockHash()), o.placement()); // only a taken block's place is asked for
        }
        final Verdict v = switch (o.verdict())
        {
            case BEST -> Verdict.BEST;
            case TAKEN -> Verdict.TAKEN;
            case REFUSED -> Verdict.REFUSED;
        };
        return new Answer(v, o.detail() + " (through the cluster)", o.height(), o.nodeBlockHash());
    }

    @Override
    public Placement placement(final AuxWorkSnapshot.ChainWork w, final Answer answer)
    {
        final AuxProofOutcome.Placement p = placements.remove(Hex.encode(w.blockHash()));
        if (p == null)
        {
            return Placement.CANNOT_TELL;
        }
        return switch (p)
        {
            case MAIN_CHAIN -> Placement.MAIN_CHAIN;
            case NOT_MAIN_CHAIN -> Placement.NOT_MAIN_CHAIN;
            case CANNOT_TELL -> Placement.CANNOT_TELL;
        };
    }
}
