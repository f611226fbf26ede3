package org.bitcoincommons.sv2.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.Test;

/** A Template Provider's required coinbase outputs end up in every job's coinbase, before the pool's own. */
class JobFactoryRequiredOutputsTest
{
    @Test
    void requiredOutputsFollowThePayoutAndPrecedeTheDecorationAndTheCommitment()
    {
        final byte[] payout = {0x51};
        final TxOut required = new TxOut(300, new byte[] {0x6a, 0x53});
        final JobFactory.Output rsk = new JobFactory.Output(0, new byte[] {0x6a, 0x01, 0x02});
        final byte[] commitment = Merkle.witnessCommitmentScript(new byte[32]);
        final Template t = new Template(1, 100, 0x20000000, new byte[32], 0x207fffff, 1, 5_000_000_000L, new byte[0],
            List.of(), commitment, List.of(required));
        final JobFactory jobs = new JobFactory(payout, "/t/".getBytes(), 8,
            template -> new JobFactory.Decoration(new byte[0], List.of(rsk), 1L, null, null));
        final Job job = jobs.create(t);
        final Transaction cb = job.coinbase().transaction(new byte[8]);
        assertEquals(List.of(new TxOut(5_000_000_000L, payout), required, new TxOut(0, rsk.scriptPubKey()),
            new TxOut(0, commitment)), cb.outputs());
        assertArrayEquals(new byte[32], cb.inputs().get(0).witness().get(0));
    }
}
