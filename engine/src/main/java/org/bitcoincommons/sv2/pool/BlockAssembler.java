package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.Job;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;

/**
 * Builds the full block of a winning share: its header, the job's coinbase with the share's extranonce in the
 * witness serialization, then the template's transactions. Cold path.
 */
public final class BlockAssembler
{
    private BlockAssembler()
    {
    }

    public static byte[] assemble(final BlockCandidate candidate)
    {
        final Job job = candidate.job();
        final List<byte[]> txs = new ArrayList<>(1 + job.template().transactions().size());
        txs.add(job.coinbase().serialize(candidate.extranonce(), TxSerialization.WITNESS));
        txs.addAll(job.template().transactions());
        return Block.serialize(candidate.header(), txs);
    }
}
