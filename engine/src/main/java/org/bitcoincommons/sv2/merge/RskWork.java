package org.bitcoincommons.sv2.merge;

/**
 * One unit of RSK merged-mining work from {@code mnr_getWork}. Immutable.
 *
 * @param hashForMergedMining the 32 bytes to commit after {@code RSKBLOCK:} (as the node gives them)
 * @param targetLe            32-byte little-endian target (the node sends it big-endian)
 * @param feesPaidToMinerWei  fees in wei (1 RBTC = 10^18 wei; a long holds up to about 9.2 RBTC)
 * @param newWork             the node's {@code notify}: true on the first answer for new work
 * @param parentBlockHash     the RSK parent block hash (32 bytes as given)
 */
public record RskWork(byte[] hashForMergedMining, byte[] targetLe, long feesPaidToMinerWei, boolean newWork,
    byte[] parentBlockHash)
{
}
