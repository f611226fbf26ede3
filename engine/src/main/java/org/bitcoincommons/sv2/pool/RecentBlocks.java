package org.bitcoincommons.sv2.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.journal.AccountingListener;

/**
 * The most recent parent and aux blocks with their status, for {@code /api/blocks}, built from the accounting events
 * (and from the journal at start-up, so it survives a restart): a block is "found" when a share met its chain's target,
 * an aux block "submitted" then "accepted", "rejected" or "unknown", a parent block "accepted" when its reward is
 * recorded or "rejected" with the node's reason. Shares are ignored (the hot event costs nothing here). Events arrive
 * on the logic thread (or the replaying thread); the API reads a copy; both under this object's lock, taken only for
 * block events.
 */
public final class RecentBlocks implements AccountingListener
{
    /** Blocks kept, newest last. */
    public static final int CAPACITY = 200;

    private static final class Entry
    {
        final int chainIndex;
        final String hash;
        long height = -1;
        String worker = "";
        long foundMs;
        long updatedMs;
        String status;
        String reason = "";
        long reward = -1;

        Entry(final int chainIndex, final String hash)
        {
            this.chainIndex = chainIndex;
            this.hash = hash;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<String, Entry> byHash = new HashMap<>();
    private final Int2ObjectHashMap<String> chainNames = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<String> workerNames = new Int2ObjectHashMap<>();

    /** The blocks, newest first, at most {@code limit}. */
    public synchronized List<Map<String, Object>> list(final int limit)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        final Iterator<Entry> it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit)
        {
            final Entry e = it.next();
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("chain", chainName(e.chainIndex));
            m.put("chain_index", e.chainIndex);
            m.put("hash", e.hash);
            m.put("height", e.height);
            m.put("worker", e.worker);
            m.put("status", e.status);
            m.put("reason", e.reason);
            m.put("reward", e.reward);
            m.put("found_time", e.foundMs);
            m.put("updated_time", e.updatedMs);
            out.add(m);
        }
        return out;
    }

    private String chainName(final int index)
    {
        final String n = chainNames.get(index);
        return n != null ? n : index == 0 ? "bitcoin" : "chain-" + index;
    }

    private Entry entry(final int chainIndex, final byte[] hash, final long timeMs)
    {
        final String hex = hash == null ? "" : HashOrder.toDisplayHex(hash);
        final String key = chainIndex + ":" + hex;
        Entry e = byHash.get(key);
        if (e == null)
        {
            e = new Entry(chainIndex, hex);
            e.foundMs = timeMs;
            e.status = "found";
            entries.addLast(e);
            byHash.put(key, e);
            if (entries.size() > CAPACITY)
            {
                final Entry old = entries.removeFirst();
                byHash.remove(old.chainIndex + ":" + old.hash);
            }
        }
        e.updatedMs = timeMs;
        return e;
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        // not a block
    }

    @Override
    public synchronized void worker(final long timeMs, final int workerId, final String name)
    {
        workerNames.put(workerId, name);
    }

    @Override
    public synchronized void chain(final long timeMs, final int chainIndex, final String name)
    {
        chainNames.put(chainIndex, name);
    }

    @Override
    public synchronized void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] hash)
    {
        final Entry e = entry(chainIndex, hash, timeMs);
        e.height = height;
        final String w = workerNames.get(workerId);
        e.worker = w == null ? "" : w;
    }

    @Override
    public synchronized void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        entry(chainIndex, hash, timeMs).status = "submitted";
    }

    @Override
    public synchronized void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        entry(chainIndex, hash, timeMs).status = "accepted";
    }

    @Override
    public synchronized void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        final Entry e = entry(chainIndex, hash, timeMs);
        e.status = "rejected";
        e.reason = reason;
    }

    @Override
    public synchronized void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        final Entry e = entry(chainIndex, hash, timeMs);
        e.status = "unknown";
        e.reason = reason;
    }

    @Override
    public synchronized void blockRejected(final long timeMs, final int chainIndex, final byte[] hash,
        final String reason)
    {
        final Entry e = entry(chainIndex, hash, timeMs);
        e.status = "rejected";
        e.reason = reason;
    }

    @Override
    public synchronized void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        final Entry e = entry(chainIndex, hash, timeMs);
        e.reward = amount;
        e.status = "accepted";
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        // not a block
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        // not a block
    }
}
