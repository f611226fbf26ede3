package org.bitcoincommons.sv2.bitcoin;

/**
 * Which transaction encoding to write.
 */
public enum TxSerialization
{
    /** Pre-segwit form, no marker/flag/witness: what txid hashes and what SV2 extended jobs carry. */
    LEGACY,

    /**
     * BIP144 form {@code version | 0x00 0x01 | inputs | outputs | witnesses | locktime} when any input has a
     * witness, else identical to {@link #LEGACY} (as Bitcoin Core serializes). What wtxid hashes and what blocks carry.
     */
    WITNESS
}
