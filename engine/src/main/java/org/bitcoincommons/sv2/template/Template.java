package org.bitcoincommons.sv2.template;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.TxOut;

/**
 * A block template: everything the pool needs to build jobs and, when a share meets the network target,
 * the full block. Immutable; arrays are never modified after construction.
 *
 * @param id                    the source's template id, increasing
 * @param height                height of the block being built
 * @param version               block version (before version rolling)
 * @param prevHash              previous block hash, 32 bytes internal byte order
 * @param nbits                 compact network target
 * @param minNtime              lowest valid header time (median time past + 1, or the template's curtime)
 * @param coinbaseValue         subsidy plus fees available to the coinbase, satoshis (what the required outputs
 *                              take is already subtracted)
 * @param merklePath            the coinbase's merkle branch, 32-byte hashes concatenated, internal order
 * @param transactions          the non-coinbase transactions in block order, witness serialization; every one of
 *                              them goes into the block
 * @param witnessCommitment     the 38-byte witness commitment output script (6a24aa21a9ed...), or null
 * @param requiredOutputs       outputs the source requires in the coinbase besides the witness commitment (an SV2
 *                              Template Provider's {@code coinbase_tx_outputs}); empty for bitcoind and the
 *                              embedded chain
 * @param coinbaseLockTime      the coinbase's nLockTime (BIP54: height - 1, as Bitcoin Core's own templates)
 * @param coinbaseSequence      the coinbase input's nSequence (BIP54: not 0xffffffff; Core uses 0xfffffffe)
 */
public record Template(
    long id,
    int height,
    int version,
    byte[] prevHash,
    int nbits,
    int minNtime,
    long coinbaseValue,
    byte[] merklePath,
    List<byte[]> transactions,
    byte[] witnessCommitment,
    List<TxOut> requiredOutputs,
    int coinbaseLockTime,
    int coinbaseSequence)
{
    /** Bitcoin Core's coinbase nSequence (BIP54 forward compatibility: anything but 0xffffffff). */
    public static final int CORE_COINBASE_SEQUENCE = 0xfffffffe;

    public Template
    {
        requiredOutputs = List.copyOf(requiredOutputs);
    }

    /**
     * A template whose source requires no coinbase outputs besides the witness commitment, and whose coinbase follows
     * Bitcoin Core: nLockTime = height - 1, nSequence = 0xfffffffe.
     */
    public Template(final long id, final int height, final int version, final byte[] prevHash, final int nbits,
        final int minNtime, final long coinbaseValue, final byte[] merklePath, final List<byte[]> transactions,
        final byte[] witnessCommitment)
    {
        this(id, height, version, prevHash, nbits, minNtime, coinbaseValue, merklePath, transactions,
            witnessCommitment, List.of());
    }

    /** A template with outputs its source requires, and Bitcoin Core's coinbase nLockTime and nSequence. */
    public Template(final long id, final int height, final int version, final byte[] prevHash, final int nbits,
        final int minNtime, final long coinbaseValue, final byte[] merklePath, final List<byte[]> transactions,
        final byte[] witnessCommitment, final List<TxOut> requiredOutputs)
    {
        this(id, height, version, prevHash, nbits, minNtime, coinbaseValue, merklePath, transactions,
            witnessCommitment, requiredOutputs, height - 1, CORE_COINBASE_SEQUENCE);
    }

    public int merklePathCount()
    {
        return merklePath.length / 32;
    }
}
