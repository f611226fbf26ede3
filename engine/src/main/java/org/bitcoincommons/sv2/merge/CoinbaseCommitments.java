package org.bitcoincommons.sv2.merge;

import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;

/**
 * What a parent coinbase commits to: the AuxPoW commitment in the scriptSig, the RSK hash after the last
 * {@code RSKBLOCK:} tag, and the BIP141 witness commitment (the last output whose script starts
 * {@code 6a24aa21a9ed}). Each is null when absent. Cold path.
 *
 * @param aux               the fabe6d6d commitment, or null
 * @param rskHash           the 32-byte RSK hash for merged mining, or null
 * @param witnessCommitment the 32-byte witness commitment, or null
 */
public record CoinbaseCommitments(AuxCommitment aux, byte[] rskHash, byte[] witnessCommitment)
{
    private static final byte[] WITNESS_PREFIX = {0x6a, 0x24, (byte)0xaa, 0x21, (byte)0xa9, (byte)0xed};

    public static CoinbaseCommitments of(final Transaction coinbase)
    {
        final AuxCommitment aux = coinbase.inputs().isEmpty()
            ? null : AuxCommitment.find(coinbase.inputs().get(0).scriptSig());
        final byte[] rsk = RskCommitment.find(coinbase.serialize(TxSerialization.LEGACY));
        byte[] witness = null;
        final List<TxOut> outputs = coinbase.outputs();
        for (int i = outputs.size() - 1; i >= 0 && witness == null; i--)
        {
            final byte[] s = outputs.get(i).scriptPubKey();
            if (s.length >= 38 && Arrays.equals(s, 0, WITNESS_PREFIX.length, WITNESS_PREFIX, 0, WITNESS_PREFIX.length))
            {
                witness = Arrays.copyOfRange(s, 6, 38);
            }
        }
        return new CoinbaseCommitments(aux, rsk, witness);
    }
}
