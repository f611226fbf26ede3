package org.bitcoincommons.sv2.bitcoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction input: previous outpoint (txid in internal order, output index), scriptSig, sequence and its
 * BIP141 witness stack (empty when none). Immutable.
 */
public final class TxIn
{
    /** Output index of the coinbase's null prevout. */
    public static final int NULL_INDEX = 0xffff_ffff;

    private final byte[] prevTxid;
    private final int prevIndex;
    private final byte[] scriptSig;
    private final int sequence;
    private final List<byte[]> witness;

    public TxIn(
        final byte[] prevTxid, final int prevIndex, final byte[] scriptSig, final int sequence,
        final List<byte[]> witness)
    {
        if (prevTxid.length != HashOrder.HASH_LENGTH)
        {
            throw new IllegalArgumentException("prevout txid must be 32 bytes");
        }
        this.prevTxid = prevTxid.clone();
        this.prevIndex = prevIndex;
        this.scriptSig = scriptSig.clone();
        this.sequence = sequence;
        final List<byte[]> copy = new ArrayList<>(witness.size());
        for (final byte[] item : witness)
        {
            copy.add(item.clone());
        }
        this.witness = copy;
    }

    public byte[] prevTxid()
    {
        return prevTxid.clone();
    }

    /**
     * @return the previous output index as a raw 32-bit pattern (0xffffffff for a coinbase).
     */
    public int prevIndex()
    {
        return prevIndex;
    }

    public byte[] scriptSig()
    {
        return scriptSig.clone();
    }

    public int sequence()
    {
        return sequence;
    }

    /**
     * @return copies of the witness stack items, bottom first.
     */
    public List<byte[]> witness()
    {
        final List<byte[]> out = new ArrayList<>(witness.size());
        for (final byte[] item : witness)
        {
            out.add(item.clone());
        }
        return out;
    }

    public boolean hasWitness()
    {
        return !witness.isEmpty();
    }

    public boolean isNullPrevout()
    {
        return prevIndex == NULL_INDEX && Arrays.equals(prevTxid, new byte[HashOrder.HASH_LENGTH]);
    }

    TxIn withoutWitness()
    {
        return new TxIn(prevTxid, prevIndex, scriptSig, sequence, List.of());
    }

    void writeTo(final ByteWriter out)
    {
        out.bytes(prevTxid).int32(prevIndex).varBytes(scriptSig).int32(sequence);
    }

    void writeWitnessTo(final ByteWriter out)
    {
        out.compactSize(witness.size());
        for (final byte[] item : witness)
        {
            out.varBytes(item);
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof TxIn other) || other.prevIndex != prevIndex || other.sequence != sequence ||
            !Arrays.equals(other.prevTxid, prevTxid) || !Arrays.equals(other.scriptSig, scriptSig) ||
            other.witness.size() != witness.size())
        {
            return false;
        }
        for (int i = 0; i < witness.size(); i++)
        {
            if (!Arrays.equals(other.witness.get(i), witness.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        return (Arrays.hashCode(prevTxid) * 31 + prevIndex) * 31 + Arrays.hashCode(scriptSig);
    }
}
