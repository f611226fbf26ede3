package org.bitcoincommons.sv2.jd;

/**
 * The chain tip the JDS validates declarations on: the pool's newest template's previous block, its nbits, the height
 * of the block being built and the earliest valid header time.
 */
public record ChainTip(byte[] prevHash, int nbits, int height, int minNtime)
{
}
