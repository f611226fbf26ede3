package org.bitcoincommons.sv2.jd;

import java.util.List;

/**
 * What the Job Declaration Server needs from a Bitcoin node: its mempool (by wtxid), raw transactions, block proposal
 * (BIP23 {@code getblocktemplate} proposal mode) and block submission. An interface so that the server is tested
 * against a node speaking real JSON-RPC and benchmarked without one.
 */
public interface JdNode
{
    /** One mempool entry: txid and wtxid, internal byte order. */
    record MempoolEntry(byte[] txid, byte[] wtxid)
    {
    }

    /** A node call that failed (transport, auth, malformed answer, RPC error). */
    final class NodeException extends Exception
    {
        public NodeException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    /** {@code getrawmempool true}: every mempool transaction's txid and wtxid. */
    List<MempoolEntry> rawMempool() throws NodeException;

    /** {@code getrawtransaction txid}: the witness serialization, or null when the node does not know it. */
    byte[] rawTransaction(byte[] txid) throws NodeException;

    /** {@code getblocktemplate {"mode":"proposal"}}: null when the node would accept the block, else its reason. */
    String proposeBlock(byte[] block) throws NodeException;

    /** {@code submitblock}: null when accepted, else the node's reason. */
    String submitBlock(byte[] block) throws NodeException;
}
