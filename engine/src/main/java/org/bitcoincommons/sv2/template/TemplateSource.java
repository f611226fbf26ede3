package org.bitcoincommons.sv2.template;

/**
 * Where block templates come from and where found blocks go: the embedded chain, bitcoind over JSON-RPC,
 * or an SV2 Template Provider.
 */
public interface TemplateSource extends AutoCloseable
{
    /** Starts delivering templates; the first one arrives before this returns or soon after. */
    void start(TemplateListener listener);

    /**
     * Submits a full serialized block; blocking, called off the hot path.
     *
     * @return null when the block was accepted, else the node's reason (bitcoind's submitblock strings)
     */
    String submitBlock(byte[] block);

    /** A short name for logs and {@code bin/sv2 version}: "embedded", "bitcoind". */
    String name();

    /** Height of the current chain tip. */
    long tipHeight();

    @Override
    void close();
}
