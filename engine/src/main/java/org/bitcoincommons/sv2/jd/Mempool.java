package org.bitcoincommons.sv2.jd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDS's view of the node's mempool, by wtxid: refreshed by polling {@code getrawmempool true} (Bitcoin Core's
 * verbose form is the one that names wtxids, which DeclareMiningJob carries), with each new transaction's bytes
 * fetched once with {@code getrawtransaction} and kept while it stays in the mempool. Readers see an immutable
 * snapshot; one thread refreshes at a time.
 */
public final class Mempool
{
    /** One transaction: its txid (for the merkle tree) and its witness serialization (for the block). */
    public record Tx(byte[] txid, byte[] data)
    {
    }

    private final JdNode node;
    private volatile Map<TxKey, Tx> byWtxid = Map.of();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();

    public Mempool(final JdNode node)
    {
        this.node = node;
    }

    /** Reads the node's mempool again; transactions already known are not fetched again. */
    public synchronized void refresh() throws JdNode.NodeException
    {
        final List<JdNode.MempoolEntry> entries = node.rawMempool();
        final Map<TxKey, Tx> old = byWtxid;
        final Map<TxKey, Tx> next = new HashMap<>(entries.size() * 2);
        for (final JdNode.MempoolEntry e : entries)
        {
            final TxKey key = TxKey.of(e.wtxid());
            Tx tx = old.get(key);
            if (tx == null)
            {
                final byte[] data = node.rawTransaction(e.txid());
                if (data == null)
                {
                    continue;   // left the mempool between the two calls
                }
                fetched.incrementAndGet();
                tx = new Tx(e.txid(), data);
            }
            next.put(key, tx);
        }
        byWtxid = next;
        refreshes.incrementAndGet();
    }

    /** The transaction with this wtxid (internal byte order), or null when the mempool does not have it. */
    public Tx get(final byte[] wtxid)
    {
        return byWtxid.get(TxKey.of(wtxid));
    }

    public int size()
    {
        return byWtxid.size();
    }

    /** Completed refreshes. */
    public long refreshes()
    {
        return refreshes.get();
    }

    /** Transactions fetched with getrawtransaction so far. */
    public long fetched()
    {
        return fetched.get();
    }
}
