package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.merge.CoinbaseCommitments;

/**
 * Fuzz target (Jazzer) for {@code bin/sv2 coinbase inspect}: the transaction parser and the commitment scanner it
 * runs on the bytes of a file (aux merkle root, RSK tag, witness commitment). What must hold: the only exception is
 * the IllegalArgumentException (MalformedDataException) the command turns into exit code BAD_INPUT; what parses
 * serializes back to the same bytes and parses again to an equal transaction; the scan never throws.
 */
class CoinbaseInspectFuzzTest
{
    @FuzzTest
    void coinbase(final byte[] data)
    {
        final Transaction tx;
        try
        {
            tx = Transaction.parse(data);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        final byte[] again = tx.serialize(tx.hasWitness() ? TxSerialization.WITNESS : TxSerialization.LEGACY);
        assertArrayEquals(data, again, "coinbase parse->serialize changed the bytes");
        assertEquals(tx, Transaction.parse(again));
        tx.txid();
        tx.isCoinbase();
        CoinbaseCommitments.of(tx);
    }
}
