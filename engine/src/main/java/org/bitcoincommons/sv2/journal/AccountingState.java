package org.bitcoincommons.sv2.journal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * Every accounting counter, built only by applying events. The live pool applies each event right after
 * journaling it, and {@code bin/sv2 replay} applies the journal: the two therefore agree to the last share
 * and satoshi. Single-threaded (the owner is the accounting thread, or the replay); other threads read a
 * {@link #toMap()} copy the owner publishes.
 */
public final class AccountingState implements AccountingListener
{
    /**
     * Per chain, how many distinct aux hashes (submitted, finished, rewarded) are remembered to recognise a repeat;
     * repeats come within seconds of the first event, far inside this window.
     */
    public static final int HASH_WINDOW = 4096;

    /**
     * Per-chain counters; amounts are in the chain's smallest unit. Aux submissions add up:
     * {@code auxSubmitted == auxAccepted + auxRejected + auxUnknown + auxInFlight}.
     */
    public static final class ChainStats
    {
        String name;
        long shares;
        double shareDifficultySum;
        long blocksFound;
        long blocksRejected;
        long auxSubmitted;
        long auxAccepted;
        long auxRejected;
        long auxUnknown;
        long auxRepeatsIgnored;
        long rewards;
        long duplicateRewardsIgnored;
        long fees;
        long core;
        long grants;
        long audits;
        long operations;
        /** Aux hashes submitted, and those with an outcome (the last {@link #HASH_WINDOW} of each). */
        final HashWindow submittedHashes = new HashWindow(HASH_WINDOW);
        final HashWindow finishedHashes = new HashWindow(HASH_WINDOW);
        /** Hashes of the last {@link #HASH_WINDOW} rewarded blocks. */
        final HashWindow rewardedHashes = new HashWindow(HASH_WINDOW);
        /** True between an ignored (repeated) REWARD and its DISTRIBUTION: its FEE and DISTRIBUTION are ignored. */
        boolean skippingRepeatedReward;

        public long shares()
        {
            return shares;
        }

        public long rewards()
        {
            return rewards;
        }

        public long fees()
        {
            return fees;
        }

        public long auxSubmitted()
        {
            return auxSubmitted;
        }

        public long auxAccepted()
        {
            return auxAccepted;
        }

        public long auxRejected()
        {
            return auxRejected;
        }

        public long auxUnknown()
        {
            return auxUnknown;
        }

        /** Submissions journaled without an outcome yet (0 after a clean stop). */
        public long auxInFlight()
        {
            return auxSubmitted - auxAccepted - auxRejected - auxUnknown;
        }

        /** Repeated submissions of a hash, and outcomes without a submission in flight: ignored. */
        public long auxRepeatsIgnored()
        {
            return auxRepeatsIgnored;
        }

        /** Rewards of a chain and hash already rewarded (with their fee and distribution): ignored. */
        public long duplicateRewardsIgnored()
        {
            return duplicateRewardsIgnored;
        }

        /** Rewards not (yet) covered by a fee or a distribution; 0 in a balanced journal. */
        public long unallocated()
        {
            return rewards - fees - core - grants - audits - operations;
        }
    }

    /** Per-worker counters. */
    public static final class WorkerStats
    {
        final String name;
        long shares;
        double shareDifficultySum;
        long blocksFound;

        WorkerStats(final String name)
        {
            this.name = name;
        }

        public long shares()
        {
            return shares;
        }
    }

    // package-private for AccountingStateCodec (snapshots)
    final ChainStats[] chains = new ChainStats[JournalEvent.MAX_CHAINS];
    final Int2ObjectHashMap<WorkerStats> workers = new Int2ObjectHashMap<>();
    long events;
    long sharesAccepted;
    double shareDifficultySum;
    long lastTimeMs;
    int maxWorkerId = -1;

    public AccountingState()
    {
        chains[JournalEvent.BITCOIN] = new ChainStats();
        chains[JournalEvent.BITCOIN].name = "bitcoin";
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        tick(timeMs);
        sharesAccepted++;
        shareDifficultySum += difficulty;
        final WorkerStats w = workers.get(workerId);
        if (w != null)
        {
            w.shares++;
            w.shareDifficultySum += difficulty;
        }
        long mask = chainMask | 1L;
        while (mask != 0)
        {
            final int i = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            final ChainStats c = chain(i);
            c.shares++;
            c.shareDifficultySum += difficulty;
        }
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        tick(timeMs);
        workers.put(workerId, new WorkerStats(name));
        maxWorkerId = Math.max(maxWorkerId, workerId);
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        tick(timeMs);
        chain(chainIndex).name = name;
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height, final byte[] hash)
    {
        tick(timeMs);
        chain(chainIndex).blocksFound++;
        final WorkerStats w = workers.get(workerId);
        if (w != null)
        {
            w.blocksFound++;
        }
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (c.submittedHashes.add(hash))
        {
            c.auxSubmitted++;
        }
        else
        {
            c.auxRepeatsIgnored++;
        }
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (outcome(c, hash))
        {
            c.auxAccepted++;
        }
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (outcome(c, hash))
        {
            c.auxRejected++;
        }
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (outcome(c, hash))
        {
            c.auxUnknown++;
        }
    }

    /** True when {@code hash} has a submission in flight (which this outcome ends); else the outcome is ignored. */
    private static boolean outcome(final ChainStats c, final byte[] hash)
    {
        if (c.submittedHashes.contains(hash) && c.finishedHashes.add(hash))
        {
            return true;
        }
        c.auxRepeatsIgnored++;
        return false;
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        tick(timeMs);
        chain(chainIndex).blocksRejected++;
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (!c.rewardedHashes.add(hash))
        {
            c.duplicateRewardsIgnored++;
            c.skippingRepeatedReward = true;
            return;
        }
        c.skippingRepeatedReward = false;
        c.rewards = Math.addExact(c.rewards, amount);
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (c.skippingRepeatedReward)
        {
            return;
        }
        c.fees = Math.addExact(c.fees, amount);
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        tick(timeMs);
        final ChainStats c = chain(chainIndex);
        if (c.skippingRepeatedReward)
        {
            c.skippingRepeatedReward = false; // the distribution ends the ignored reward's events
            return;
        }
        c.core = Math.addExact(c.core, core);
        c.grants = Math.addExact(c.grants, grants);
        c.audits = Math.addExact(c.audits, audits);
        c.operations = Math.addExact(c.operations, operations);
    }

    public long events()
    {
        return events;
    }

    public long sharesAccepted()
    {
        return sharesAccepted;
    }

    public double shareDifficultySum()
    {
        return shareDifficultySum;
    }

    /** The chain's counters, or null when no event named it. */
    public ChainStats chainStats(final int chainIndex)
    {
        return chains[chainIndex];
    }

    public WorkerStats workerStats(final int workerId)
    {
        return workers.get(workerId);
    }

    /** The worker id registered under {@code name}, or -1. Cold path (restart). */
    public int workerId(final String name)
    {
        for (final Map.Entry<Integer, WorkerStats> e : workers.entrySet())
        {
            if (e.getValue().name.equals(name))
            {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Every registered worker, id to name. Cold path (restart). */
    public Map<Integer, String> workerNames()
    {
        final Map<Integer, String> out = new TreeMap<>();
        for (final Map.Entry<Integer, WorkerStats> e : workers.entrySet())
        {
            out.put(e.getKey(), e.getValue().name);
        }
        return out;
    }

    /** The highest worker id registered so far, -1 when none: a restarted pool continues after it. */
    public int maxWorkerId()
    {
        return maxWorkerId;
    }

    /**
     * The totals as an ordered map, ready for JSON: the same shape from the live pool's API and from
     * {@code bin/sv2 replay}. Cold path.
     */
    public Map<String, Object> toMap()
    {
        return freeze().toMap();
    }

    /**
     * The totals as of now, copied cheaply on the thread that owns this state: the per-chain part as a small map,
     * the per-worker numbers into flat arrays. The worker map (sorted by name, the expensive part with many workers)
     * is built by the first reader of {@link Frozen#toMap()}, off the owning thread.
     */
    public Frozen freeze()
    {
        final int n = workers.size();
        final String[] names = new String[n];
        final long[] shares = new long[n];
        final double[] difficulty = new double[n];
        final long[] blocks = new long[n];
        int i = 0;
        for (final WorkerStats w : workers.values())
        {
            names[i] = w.name;
            shares[i] = w.shares;
            difficulty[i] = w.shareDifficultySum;
            blocks[i] = w.blocksFound;
            i++;
        }
        return new Frozen(headMap(), names, shares, difficulty, blocks, lastTimeMs);
    }

    /** See {@link #freeze()}: immutable once made; {@link #toMap()} builds the map once and keeps it. */
    public static final class Frozen
    {
        private final Map<String, Object> head;
        private final String[] names;
        private final long[] shares;
        private final double[] difficulty;
        private final long[] blocks;
        private final long lastTimeMs;
        private volatile Map<String, Object> map;

        Frozen(final Map<String, Object> head, final String[] names, final long[] shares, final double[] difficulty,
            final long[] blocks, final long lastTimeMs)
        {
            this.head = head;
            this.names = names;
            this.shares = shares;
            this.difficulty = difficulty;
            this.blocks = blocks;
            this.lastTimeMs = lastTimeMs;
        }

        /** The totals in the shape {@code bin/sv2 replay --json} prints. */
        public Map<String, Object> toMap()
        {
            Map<String, Object> m = map;
            if (m == null)
            {
                m = build();
                map = m;
            }
            return m;
        }

        private Map<String, Object> build()
        {
            final Map<String, Object> out = new LinkedHashMap<>(head);
            final Map<String, Object> workerMap = new TreeMap<>();
            for (int i = 0; i < names.length; i++)
            {
                final Map<String, Object> w = new LinkedHashMap<>();
                w.put("shares", shares[i]);
                w.put("share_difficulty_sum", difficulty[i]);
                w.put("blocks_found", blocks[i]);
                workerMap.put(names[i], w);
            }
            out.put("workers", workerMap);
            out.put("last_event_time_ms", lastTimeMs);
            return out;
        }
    }

    /** Everything of {@link #toMap()} before "workers": totals and the per-chain maps. */
    private Map<String, Object> headMap()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("shares_accepted", sharesAccepted);
        out.put("share_difficulty_sum", shareDifficultySum);
        long blocks = 0;
        long rewards = 0;
        long fees = 0;
        long core = 0;
        long grants = 0;
        long audits = 0;
        long operations = 0;
        final Map<String, Object> chainMap = new LinkedHashMap<>();
        for (final ChainStats c : chains)
        {
            if (c == null)
            {
                continue;
            }
            blocks += c.blocksFound;
            rewards += c.rewards;
            fees += c.fees;
            core += c.core;
            grants += c.grants;
            audits += c.audits;
            operations += c.operations;
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("shares", c.shares);
            m.put("share_difficulty_sum", c.shareDifficultySum);
            m.put("blocks_found", c.blocksFound);
            m.put("blocks_rejected", c.blocksRejected);
            m.put("aux_submitted", c.auxSubmitted);
            m.put("aux_accepted", c.auxAccepted);
            m.put("aux_rejected", c.auxRejected);
            m.put("aux_unknown", c.auxUnknown);
            m.put("aux_in_flight", c.auxInFlight());
            m.put("aux_repeats_ignored", c.auxRepeatsIgnored);
            m.put("rewards", c.rewards);
            m.put("duplicate_rewards_ignored", c.duplicateRewardsIgnored);
            m.put("fees", c.fees);
            m.put("distribution", buckets(c.core, c.grants, c.audits, c.operations));
            m.put("unallocated", c.unallocated());
            chainMap.put(c.name == null ? "chain-" + indexOf(c) : c.name, m);
        }
        out.put("blocks_found", blocks);
        out.put("rewards_total", rewards);
        out.put("fees_total", fees);
        out.put("distribution", buckets(core, grants, audits, operations));
        out.put("chains", chainMap);
        return out;
    }

    private static Map<String, Object> buckets(final long core, final long grants, final long audits, final long operations)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("core_development", core);
        m.put("grants", grants);
        m.put("audits", audits);
        m.put("operations", operations);
        return m;
    }

    private int indexOf(final ChainStats c)
    {
        for (int i = 0; i < chains.length; i++)
        {
            if (chains[i] == c)
            {
                return i;
            }
        }
        return -1;
    }

    private ChainStats chain(final int i)
    {
        if (i < 0 || i >= chains.length)
        {
            throw new JournalException("chain index out of range: " + i);
        }
        ChainStats c = chains[i];
        if (c == null)
        {
            c = new ChainStats();
            chains[i] = c;
        }
        return c;
    }

    private void tick(final long timeMs)
    {
        events++;
        lastTimeMs = timeMs;
    }
}
