package org.bitcoincommons.sv2.jd;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Transaction;

/**
 * A job the JDS accepted (DeclareMiningJob.Success), as SetCustomMiningJob is checked against it and as PushSolution
 * and a block found by the pool rebuild it. Immutable.
 *
 * @param connectionId     the JDS connection that declared it
 * @param version          the declared block version
 * @param prevHash         the chain tip it was validated on, internal byte order
 * @param nbits            that tip's next compact target
 * @param height           the height of the block being built
 * @param coinbasePrefix   the declared coinbase_tx_prefix (with its BIP141 fields)
 * @param coinbaseSuffix   the declared coinbase_tx_suffix
 * @param extranonceLength the full extranonce length between them (read from the scriptSig length)
 * @param coinbase         the declared coinbase with a zero extranonce
 * @param txids            the block's transactions' txids, block order, coinbase excluded
 * @param transactions     their witness serializations, same order
 * @param merklePath       the coinbase's merkle path from {@code txids}, 32 bytes per level
 */
public record Declaration(long connectionId, int version, byte[] prevHash, int nbits, int height,
    byte[] coinbasePrefix, byte[] coinbaseSuffix, int extranonceLength, Transaction coinbase, List<byte[]> txids,
    List<byte[]> transactions, byte[] merklePath)
{
}
