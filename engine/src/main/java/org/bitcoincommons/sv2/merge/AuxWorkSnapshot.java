package org.bitcoincommons.sv2.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.AuxChainConfig;

/**
 * The aux work one job commits to: for every chain that was up when the job was made, its block hash, target and
 * (AuxPoW) slot and chain branch; the one aux merkle tree and its commitment; the RSK hash. Immutable: a job keeps
 * its snapshot, so shares for an old job are evaluated against the work that job's coinbase committed to.
 */
public final class AuxWorkSnapshot
{
    /**
     * One chain's work inside a snapshot.
     *
     * @param chainIndex  journal chain index (1..63)
     * @param blockHash   AuxPoW: the aux block hash, internal order; RSK: hashForMergedMining as given
     * @param targetLe    32-byte little-endian target
     * @param reward      what an accepted block earns, in the chain's smallest unit (AuxPoW: coinbasevalue;
     *                    RSK: feesPaidToMiner in wei)
     * @param height      the aux block's height as the node gave it (AuxPoW), -1 when not given (RSK)
     * @param workId      increases each time this chain's work changes
     * @param slot        AuxPoW slot in the aux tree (-1 for RSK)
     * @param chainBranch AuxPoW chain branch of the slot (empty for RSK)
     */
    public record ChainWork(int chainIndex, String name, AuxChainConfig.Kind kind, int chainId, byte[] blockHash,
        byte[] targetLe, long reward, long height, long workId, int slot, byte[] chainBranch)
    {
        ChainWork placed(final int newSlot, final byte[] branch)
        {
            return new ChainWork(chainIndex, name, kind, chainId, blockHash, targetLe, reward, height, workId, newSlot,
                branch);
        }
    }

    public static final AuxWorkSnapshot EMPTY = new AuxWorkSnapshot(List.of(), null, null, 0L, null);

    private static final int NONCES_PER_SIZE = 64;

    private final List<ChainWork> chains;
    private final AuxMerkleTree tree;
    private final ChainWork rsk;
    private final long chainMask;
    private final byte[] maxTargetLe;

    private AuxWorkSnapshot(final List<ChainWork> chains, final AuxMerkleTree tree, final ChainWork rsk,
        final long chainMask, final byte[] maxTargetLe)
    {
        this.chains = chains;
        this.tree = tree;
        this.rsk = rsk;
        this.chainMask = chainMask;
        this.maxTargetLe = maxTargetLe;
    }

    /**
     * Lays out the AuxPoW chains in the smallest collision-free tree and orders every chain loosest target first.
     * At most one RSK chain is committed (the first given).
     */
    public static AuxWorkSnapshot build(final List<ChainWork> work)
    {
        if (work.isEmpty())
        {
            return EMPTY;
        }
        final List<ChainWork> auxpow = new ArrayList<>();
        ChainWork rsk = null;
        for (final ChainWork w : work)
        {
            if (w.kind() == AuxChainConfig.Kind.AUXPOW)
            {
                auxpow.add(w);
            }
            else if (rsk == null)
            {
                rsk = w;
            }
        }
        final List<ChainWork> all = new ArrayList<>();
        AuxMerkleTree tree = null;
        if (!auxpow.isEmpty())
        {
            final int[] ids = new int[auxpow.size()];
            final byte[][] leaves = new byte[auxpow.size()][];
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = auxpow.get(i).chainId();
                leaves[i] = auxpow.get(i).blockHash();
            }
            final AuxMerkleTree.Layout layout = AuxMerkleTree.layout(ids, 0, NONCES_PER_SIZE);
            tree = new AuxMerkleTree(layout.height(), layout.nonce(), layout.slots(), leaves);
            for (int i = 0; i < ids.length; i++)
            {
                all.add(auxpow.get(i).placed(layout.slots()[i], tree.branch(layout.slots()[i])));
            }
        }
        if (rsk != null)
        {
            all.add(rsk.placed(-1, new byte[0]));
        }
        all.sort(Comparator.comparing((ChainWork w) -> Target.fromLittleEndian(w.targetLe(), 0)).reversed());
        long mask = 0;
        for (final ChainWork w : all)
        {
            mask |= 1L << w.chainIndex();
        }
        return new AuxWorkSnapshot(List.copyOf(all), tree, rsk, mask, all.get(0).targetLe().clone());
    }

    /**
     * The same work with only the AuxPoW chains ({@code auxPow}) and/or the RSK chain ({@code rsk}) kept: what a custom
     * job whose coinbase carries only some of the commitments is credited on. Slots, branches and the aux tree are
     * unchanged (the commitment is the same bytes); {@link #EMPTY} when nothing is kept. Cold path.
     */
    public AuxWorkSnapshot restrictedTo(final boolean auxPow, final boolean rsk)
    {
        if (auxPow && rsk)
        {
            return this;
        }
        final List<ChainWork> kept = new ArrayList<>(chains.size());
        long mask = 0;
        for (final ChainWork w : chains)
        {
            if (w.kind() == AuxChainConfig.Kind.AUXPOW ? auxPow : rsk)
            {
                kept.add(w);
                mask |= 1L << w.chainIndex();
            }
        }
        if (kept.isEmpty())
        {
            return EMPTY;
        }
        return new AuxWorkSnapshot(List.copyOf(kept), auxPow ? tree : null, rsk ? this.rsk : null, mask,
            kept.get(0).targetLe().clone());
    }

    /** Every committed chain, loosest target first. */
    public List<ChainWork> chains()
    {
        return chains;
    }

    /** The AuxPoW commitment, or null when no AuxPoW chain is committed. */
    public AuxCommitment commitment()
    {
        return tree == null ? null : AuxCommitment.of(tree);
    }

    /** The committed RSK work, or null. */
    public ChainWork rsk()
    {
        return rsk;
    }

    /** Bit i set for every committed chain index i (bit 0, Bitcoin, is added by the job). */
    public long chainMask()
    {
        return chainMask;
    }

    /** The loosest committed target (little-endian), or null when nothing is committed. */
    public byte[] maxTargetLe()
    {
        return maxTargetLe == null ? null : maxTargetLe.clone();
    }

    public boolean isEmpty()
    {
        return chains.isEmpty();
    }
}
