package org.bitcoincommons.sv2.bitcoin;

import java.util.Arrays;

/**
 * A transaction output: value in satoshis and its scriptPubKey. Immutable.
 */
public final class TxOut
{
    private final long valueSats;
    private final byte[] scriptPubKey;

    public TxOut(final long valueSats, final byte[] scriptPubKey)
    {
        this.valueSats = valueSats;
        this.scriptPubKey = scriptPubKey.clone();
    }

    /**
     * @return value in satoshis (int64 on the wire; consensus limits it to 0..21e14, not enforced here).
     */
    public long valueSats()
    {
        return valueSats;
    }

    public byte[] scriptPubKey()
    {
        return scriptPubKey.clone();
    }

    int scriptLength()
    {
        return scriptPubKey.length;
    }

    void writeTo(final ByteWriter out)
    {
        out.int64(valueSats).varBytes(scriptPubKey);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof TxOut other && other.valueSats == valueSats &&
            Arrays.equals(other.scriptPubKey, scriptPubKey);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(valueSats) * 31 + Arrays.hashCode(scriptPubKey);
    }

    @Override
    public String toString()
    {
        return "TxOut{valueSats=" + valueSats + ", scriptPubKey=" + Hex.encode(scriptPubKey) + "}";
    }
}
