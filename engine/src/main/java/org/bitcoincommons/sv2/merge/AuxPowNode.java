package org.bitcoincommons.sv2.merge;

import java.util.Arrays;

import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.work.BlockCandidate;

/**
 * A Namecoin-style node. Its {@code submitauxblock} answers {@code ProcessNewBlock}'s result: true for a new valid
 * block, but true again for a block it already has and true for a valid block off its main chain, so true alone
 * neither proves a new block nor a reward: {@link #placement} asks {@code getblockhash <height>} (or
 * {@code getbestblockhash} when the node gave no height) whether the block is in the main chain.
 */
final class AuxPowNode implements AuxNode
{
    private final AuxPowNodeClient client;

    AuxPowNode(final AuxPowNodeClient client)
    {
        this.client = client;
    }

    @Override
    public Work work() throws RpcException
    {
        final AuxBlockTemplate t = client.createAuxBlock();
        return new Work(t.hash(), t.targetLe(), t.coinbaseValue(), t.height(), t.chainId());
    }

    @Override
    public Answer submit(final AuxWorkSnapshot.ChainWork w, final BlockCandidate c) throws RpcException
    {
        return submit(w, auxPow(w, c));
    }

    @Override
    public Answer submitProof(final AuxWorkSnapshot.ChainWork w, final byte[] proof) throws RpcException
    {
        final AuxPow auxPow;
        try
        {
            auxPow = AuxPow.parse(proof);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            return new Answer(Verdict.REFUSED, "malformed auxpow: " + ex.getMessage(), w.height(), null);
        }
        return submit(w, auxPow);
    }

    /** The candidate's AuxPoW for {@code w}, serialized as {@code submitauxblock} takes it (any thread). */
    static byte[] proof(final AuxWorkSnapshot.ChainWork w, final BlockCandidate c)
    {
        return auxPow(w, c).withLegacyCoinbase().serialize();
    }

    private static AuxPow auxPow(final AuxWorkSnapshot.ChainWork w, final BlockCandidate c)
    {
        final byte[] coinbase = c.job().coinbase().serialize(c.extranonce(), TxSerialization.LEGACY);
        return new AuxPow(coinbase, c.hash(), c.job().template().merklePath(), 0, w.chainBranch(), w.slot(),
            c.header());
    }

    private Answer submit(final AuxWorkSnapshot.ChainWork w, final AuxPow proof) throws RpcException
    {
        return client.submitAuxBlock(w.blockHash(), proof)
            ? new Answer(Verdict.TAKEN, "submitauxblock returned true", w.height(), w.blockHash())
            : new Answer(Verdict.REFUSED, "rejected by the node (submitauxblock returned false)", w.height(), null);
    }

    @Override
    public Placement placement(final AuxWorkSnapshot.ChainWork w, final Answer answer) throws RpcException
    {
        if (w.height() < 0)
        {
            return Arrays.equals(client.bestBlockHash(), w.blockHash()) ? Placement.MAIN_CHAIN : Placement.NOT_MAIN_CHAIN;
        }
        try
        {
            return Arrays.equals(client.blockHash(w.height()), w.blockHash()) ? Placement.MAIN_CHAIN
                : Placement.NOT_MAIN_CHAIN;
        }
        catch (final RpcException ex)
        {
            if (ex.kind() == RpcException.Kind.RPC_ERROR)
            {
                return Placement.NOT_MAIN_CHAIN; // "Block height out of range": the chain never reached that height
            }
            throw ex;
        }
    }
}
