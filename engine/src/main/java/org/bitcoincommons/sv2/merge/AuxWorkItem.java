package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.config.AuxChainConfig;

/**
 * One aux chain's work as a node handed it out, for carrying it elsewhere (a cluster's aux feeder polls it, the
 * cluster's log carries it, a frontend mines it through {@link AuxWorkSource}). Immutable; never modify the arrays.
 *
 * @param chain    the chain's name ({@code [[merge.chains]] name})
 * @param kind     AuxPoW or RSK
 * @param chainId  the AuxPoW chain id the node reports (-1 for RSK)
 * @param hash     AuxPoW: aux block hash, internal order; RSK: hashForMergedMining as given
 * @param targetLe 32-byte little-endian target
 * @param reward   what a block earns, the chain's smallest unit
 * @param height   the block's height, -1 when the node does not say
 */
public record AuxWorkItem(String chain, AuxChainConfig.Kind kind, int chainId, byte[] hash, byte[] targetLe,
    long reward, long height)
{
}
