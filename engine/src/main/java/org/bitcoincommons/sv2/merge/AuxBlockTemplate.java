package org.bitcoincommons.sv2.merge;

/**
 * One unit of AuxPoW work from {@code createauxblock}/{@code getauxblock}. Immutable.
 *
 * @param hash              aux block hash, internal order (the node prints it in display order)
 * @param chainId           the chain id the node reports
 * @param previousBlockHash internal order, or 32 zero bytes when the node does not say
 * @param coinbaseValue     the aux block's coinbase value in the chain's smallest unit (0 when not given)
 * @param bits              compact target, or 0 when the node gave only a target
 * @param height            the aux block's height (-1 when not given)
 * @param targetLe          32-byte little-endian target (expanded from bits, else the node's target)
 */
public record AuxBlockTemplate(byte[] hash, int chainId, byte[] previousBlockHash, long coinbaseValue, int bits,
    long height, byte[] targetLe)
{
}
