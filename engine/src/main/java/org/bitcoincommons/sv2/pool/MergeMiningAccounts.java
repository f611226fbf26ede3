package org.bitcoincommons.sv2.pool;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;

/**
 * The merged-mining account extension (0x4D4D) on the pool side: which connections subscribed, what each has been
 * credited per aux chain since it subscribed, and the pool's own totals per chain to set it beside. Every account is
 * pushed at its interval as one {@link MergeMiningAccount} per chain. Owned by the logic thread: shares are credited
 * where they are accepted, subscriptions arrive as ring tasks, pushes happen on the tick.
 */
public final class MergeMiningAccounts
{
    /** Where one subscriber's messages go: the connection (TCP) or its account stream (QUIC). Logic thread. */
    @FunctionalInterface
    public interface Sink extends Predicate<Message>
    {
        /** Queues {@code m}; false when the queue is full (the connection or stream is then closed by its owner). */
        @Override
        boolean test(Message m);
    }

    /** One subscribed connection's account. */
    static final class Subscription
    {
        final Sink sink;
        final long intervalMs;
        long nextDueMs;
        long sequence;
        final long[] shares = new long[64];
        final double[] work = new double[64];
        final long[] poolShares0 = new long[64];
        final double[] poolWork0 = new double[64];
        final long[] blocks0 = new long[64];
        final long[] rewards0 = new long[64];

        Subscription(final Sink sink, final long intervalMs)
        {
            this.sink = sink;
            this.intervalMs = intervalMs;
        }

        void credit(final long auxMask, final double difficulty)
        {
            long m = auxMask;
            while (m != 0)
            {
                final int i = Long.numberOfTrailingZeros(m);
                m &= m - 1;
                shares[i]++;
                work[i] += difficulty;
            }
        }
    }

    private final Supplier<Map<Integer, String>> chains;
    private final IntToLongFunction rewardsOf;
    private final IntToLongFunction blocksOf;
    private final Map<MiningDownstream, Subscription> subscriptions = new IdentityHashMap<>();
    /** Subscriptions, for readers on other threads (the map itself is the logic thread's). */
    private volatile int subscriberCount;
    private final long[] poolShares = new long[64];
    private final double[] poolWork = new double[64];
    private long pushed;

    /**
     * @param chains    the aux chains merged-mined now, index to name (read at each subscription and push)
     * @param rewardsOf a chain's rewards booked by the pool so far, smallest unit (any thread may have booked them)
     * @param blocksOf  a chain's rewarded blocks so far
     */
    public MergeMiningAccounts(final Supplier<Map<Integer, String>> chains, final IntToLongFunction rewardsOf,
        final IntToLongFunction blocksOf)
    {
        this.chains = chains;
        this.rewardsOf = rewardsOf;
        this.blocksOf = blocksOf;
    }

    /** One accepted share of {@code difficulty} whose job carried the aux chains in {@code auxMask} (pool totals). */
    void creditPool(final long auxMask, final double difficulty)
    {
        long m = auxMask;
        while (m != 0)
        {
            final int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            poolShares[i]++;
            poolWork[i] += difficulty;
        }
    }

    /**
     * A subscription request of {@code wire}; answers on {@code sink}. Returns the new subscription, or null when it was
     * refused (the reason was sent).
     */
    Subscription subscribe(final MiningDownstream wire, final Sink sink, final SubscribeMergeMiningAccount request,
        final long nowMs)
    {
        if (subscriptions.containsKey(wire))
        {
            sink.test(new SubscribeMergeMiningAccountError(request.requestId(), "already-subscribed"));
            return null;
        }
        final Map<Integer, String> names = chains.get();
        if (names.isEmpty())
        {
            sink.test(new SubscribeMergeMiningAccountError(request.requestId(), "no-merged-mining"));
            return null;
        }
        final long asked = request.updateIntervalMs();
        final long interval = asked == 0 ? MergeMiningAccountProtocol.DEFAULT_INTERVAL_MS
            : Math.max(MergeMiningAccountProtocol.MIN_INTERVAL_MS, Math.min(MergeMiningAccountProtocol.MAX_INTERVAL_MS, asked));
        final Subscription s = new Subscription(sink, interval);
        for (final int i : names.keySet())
        {
            s.poolShares0[i] = poolShares[i];
            s.poolWork0[i] = poolWork[i];
            s.rewards0[i] = rewardsOf.applyAsLong(i);
            s.blocks0[i] = blocksOf.applyAsLong(i);
        }
        s.nextDueMs = nowMs + interval;
        subscriptions.put(wire, s);
        subscriberCount = subscriptions.size();
        sink.test(new SubscribeMergeMiningAccountSuccess(request.requestId(), interval, names.size()));
        return s;
    }

    /** The connection closed (or its account stream ended): nothing more is pushed to it. */
    void unsubscribe(final MiningDownstream wire)
    {
        subscriptions.remove(wire);
        subscriberCount = subscriptions.size();
    }

    Subscription subscription(final MiningDownstream wire)
    {
        return subscriptions.get(wire);
    }

    /** Subscribed connections (any thread). */
    public int subscribers()
    {
        return subscriberCount;
    }

    /** Account messages queued so far (one per chain per update); logic thread. */
    public long pushed()
    {
        return pushed;
    }

    /** Pushes every account that is due (logic thread, once per tick). */
    void push(final long nowMs)
    {
        if (subscriptions.isEmpty())
        {
            return;
        }
        Map<Integer, String> names = null;
        for (final Subscription s : subscriptions.values())
        {
            if (nowMs < s.nextDueMs)
            {
                continue;
            }
            if (names == null)
            {
                names = chains.get();
            }
            s.nextDueMs = nowMs + s.intervalMs;
            s.sequence = (s.sequence + 1) & 0xffffffffL;
            for (final Map.Entry<Integer, String> e : names.entrySet())
            {
                if (!s.sink.test(account(s, e.getKey(), e.getValue())))
                {
                    break;   // full: the owner closes the connection or stream
                }
                pushed++;
            }
        }
    }

    /** One chain's account of subscription {@code s}, from its subscription on. */
    MergeMiningAccount account(final Subscription s, final int i, final String name)
    {
        final long poolSharesSince = poolShares[i] - s.poolShares0[i];
        final java.math.BigInteger work = hashes(s.work[i]);
        final java.math.BigInteger pool = hashes(poolWork[i] - s.poolWork0[i]);
        final long rewards = Math.max(0, rewardsOf.applyAsLong(i) - s.rewards0[i]);
        final long blocks = Math.max(0, blocksOf.applyAsLong(i) - s.blocks0[i]);
        // Exact in integers: rewards in wei (RSK) pass 2^53, where a double would round.
        final long attributed = pool.signum() <= 0 ? 0 : java.math.BigInteger.valueOf(rewards)
            .multiply(work.min(pool)).divide(pool).longValueExact();
        return new MergeMiningAccount(s.sequence, i, name.length() > 255 ? name.substring(0, 255) : name, s.shares[i],
            MergeMiningAccount.work(work), poolSharesSince, MergeMiningAccount.work(pool), blocks, rewards, attributed);
    }

    /** Expected hashes of a difficulty sum: sum x 2^32, rounded down. */
    static java.math.BigInteger hashes(final double difficultySum)
    {
        if (!(difficultySum > 0))
        {
            return java.math.BigInteger.ZERO;
        }
        return new java.math.BigDecimal(difficultySum)
            .multiply(java.math.BigDecimal.valueOf(1L << MergeMiningAccountProtocol.WORK_HASHES_PER_DIFFICULTY_LOG2))
            .toBigInteger();
    }
}
