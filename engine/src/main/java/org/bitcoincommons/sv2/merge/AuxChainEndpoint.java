package org.bitcoincommons.sv2.merge;

import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.EngineConfig;

/**
 * One aux chain's node as a cluster's aux feeder uses it: the same JSON-RPC node a pool's {@link AuxChain} polls
 * ({@code createauxblock}/{@code getauxblock}, {@code mnr_getWork}), the same chain id check, and the same submission
 * of a proof a frontend built ({@code submitauxblock}, {@code mnr_submitBitcoinBlockPartialMerkle}) followed by one
 * question about the block's place in the chain.
 * <p>
 * Thread: one caller at a time per method kind (the feeder's poller, its submitter); the node client is thread-safe.
 */
public final class AuxChainEndpoint
{
    private final AuxChainConfig config;
    private final AuxNode node;

    AuxChainEndpoint(final AuxChainConfig config, final AuxNode node)
    {
        this.config = config;
        this.node = node;
    }

    /** One endpoint per chain the pool would mine ({@code [[merge.chains]]} named in {@code secondary_chains}). */
    public static List<AuxChainEndpoint> of(final EngineConfig config)
    {
        final List<AuxChainEndpoint> out = new ArrayList<>();
        if (!config.stratumV2().mergeMiningEnabled())
        {
            return out;
        }
        for (final AuxChainConfig c : config.merge().enabled(config.stratumV2()))
        {
            out.add(new AuxChainEndpoint(c, AuxChain.connect(c)));
        }
        return out;
    }

    /** An endpoint for {@code config}'s node (tests, and feeders built from a chain list). */
    public static AuxChainEndpoint of(final AuxChainConfig config)
    {
        return new AuxChainEndpoint(config, AuxChain.connect(config));
    }

    public AuxChainConfig config()
    {
        return config;
    }

    public String name()
    {
        return config.name();
    }

    /**
     * The node's current work.
     *
     * @throws RpcException when the node did not answer with usable work, or (AuxPoW) reports another chain id
     */
    public AuxWorkItem work() throws RpcException
    {
        final AuxNode.Work w = node.work();
        if (config.kind() == AuxChainConfig.Kind.AUXPOW && w.chainId() != config.chainId())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, config.name() + ": node reports chain id " +
                w.chainId() + ", configured " + config.chainId(), null);
        }
        return new AuxWorkItem(config.name(), config.kind(), config.kind() == AuxChainConfig.Kind.AUXPOW
            ? w.chainId() : -1, w.hash(), w.targetLe(), w.reward(), w.height());
    }

    /**
     * Submits a proof for the work {@code blockHash} once and, when the node takes it without saying it is the best
     * block, asks once where the block is ({@link AuxProofOutcome.Placement#CANNOT_TELL} when that fails).
     *
     * @throws RpcException when the node gave no answer (the outcome is unknown: the caller may try again); a JSON-RPC
     *                      error is returned as a refusal
     */
    public AuxProofOutcome submit(final byte[] blockHash, final long height, final byte[] proof) throws RpcException
    {
        final AuxWorkSnapshot.ChainWork w = new AuxWorkSnapshot.ChainWork(0, config.name(), config.kind(),
            config.chainId(), blockHash, new byte[32], 0, height, 0, -1, new byte[0]);
        final AuxNode.Answer a;
        try
        {
            a = node.submitProof(w, proof);
        }
        catch (final RpcException ex)
        {
            if (ex.kind() == RpcException.Kind.RPC_ERROR)
            {
                return new AuxProofOutcome(AuxProofOutcome.Verdict.REFUSED, AuxProofOutcome.Placement.CANNOT_TELL,
                    ex.getMessage(), height, null);
            }
            throw ex;
        }
        return switch (a.verdict())
        {
            case BEST -> new AuxProofOutcome(AuxProofOutcome.Verdict.BEST, AuxProofOutcome.Placement.MAIN_CHAIN,
                a.detail(), a.height(), a.nodeBlockHash());
            case REFUSED -> new AuxProofOutcome(AuxProofOutcome.Verdict.REFUSED, AuxProofOutcome.Placement.CANNOT_TELL,
                a.detail(), a.height(), a.nodeBlockHash());
            case TAKEN -> new AuxProofOutcome(AuxProofOutcome.Verdict.TAKEN, placement(w, a), a.detail(), a.height(),
                a.nodeBlockHash());
        };
    }

    private AuxProofOutcome.Placement placement(final AuxWorkSnapshot.ChainWork w, final AuxNode.Answer a)
    {
        try
        {
            return switch (node.placement(w, a))
            {
                case MAIN_CHAIN -> AuxProofOutcome.Placement.MAIN_CHAIN;
                case NOT_MAIN_CHAIN -> AuxProofOutcome.Placement.NOT_MAIN_CHAIN;
                case CANNOT_TELL -> AuxProofOutcome.Placement.CANNOT_TELL;
            };
        }
        catch (final RpcException ex)
        {
            return AuxProofOutcome.Placement.CANNOT_TELL;
        }
    }
}
