package org.bitcoincommons.sv2.work;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Coinbase;

/**
 * What merged mining offers a custom job (Job Declaration): the outputs the pool asks a JD client to place in its
 * coinbase (sent in AllocateMiningJobToken.Success after the pool's payout output), and, for a custom job the pool
 * accepted, the aux work its coinbase commits to. The pool sees only this interface; the merged-mining layer
 * implements it ({@link WorkLayer}), so jd, pool and merge never import each other.
 */
public interface CustomJobWork
{
    /** No merged mining: no extra outputs, every custom job earns Bitcoin credit only. */
    CustomJobWork NONE = new CustomJobWork()
    {
    };

    /**
     * The zero-value outputs a JD client is asked to include, after the pool's payout output, in the order given: the
     * AuxPoW carrier (an OP_RETURN whose push is the scriptSig push to copy, see the merge package's
     * {@code CustomJobCommitments}) and the RSK commitment. Empty when nothing is merge-mined. Any thread.
     */
    default List<JobFactory.Output> customJobOutputs()
    {
        return List.of();
    }

    /**
     * The aux work a custom job's coinbase commits to: the chain mask, the aux work snapshot restricted to the
     * committed chains, and their loosest target (the decoration's scriptSig and outputs are empty). A coinbase that
     * commits to none of the pool's current or previous aux work gets {@link JobFactory.Decoration#NONE}
     * (Bitcoin only). Called on the pool logic thread once per custom job (cold path).
     *
     * @param scriptSigPrefix the coinbase scriptSig bytes before the extranonce
     * @param coinbase        the custom job's coinbase, split around the extranonce
     */
    default JobFactory.Decoration customJobWork(final byte[] scriptSigPrefix, final Coinbase coinbase)
    {
        return JobFactory.Decoration.NONE;
    }

    /** The number of aux chains merge-mined (0: custom jobs cannot earn aux credit). */
    default int auxChainsMined()
    {
        return 0;
    }
}
