package org.bitcoincommons.sv2.engine;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.HdrHistogram.ConcurrentHistogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalEvent;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one {@link ServerListener} on a thread of its own: accounting events from a live tail of the journal (so they
 * are never lost, however slow the listener), lifecycle events from a bounded queue filled by the logic thread (full:
 * dropped and counted). Before each journal document the queue is drained, so a channel's opening precedes its shares.
 */
final class ListenerDelivery implements AccountingListener
{
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDelivery.class);
    private static final long FAILURE_LOG_INTERVAL_NS = 10_000_000_000L;
    private static final HexFormat HEX = HexFormat.of();

    private final ServerListener listener;
    private final BatchClock clock;
    private final OneToOneConcurrentArrayQueue<Object> lifecycle;
    private final AcceptedShares batch = new AcceptedShares();
    private final Map<Integer, String> workers = new HashMap<>();
    private final String[] chains = new String[JournalEvent.MAX_CHAINS];
    private final ConcurrentHistogram lag = new ConcurrentHistogram(3_600_000_000_000L, 2);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong shares = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private Thread thread;
    private volatile boolean closing;
    private volatile boolean abandon;
    private long batchesSeen;
    private long lastFailureLogNs;
    private long failuresSinceLog;

    ListenerDelivery(final ServerListener listener, final BatchClock clock, final int queueCapacity)
    {
        this.listener = listener;
        this.clock = clock;
        this.lifecycle = new OneToOneConcurrentArrayQueue<>(queueCapacity);
        chains[JournalEvent.BITCOIN] = "bitcoin";
    }

    /** Starts the delivery thread and returns once its journal tail is in place (nothing appended is missed). */
    void start(final Journal journal, final Map<Integer, String> replayedWorkers, final int index)
    {
        workers.putAll(replayedWorkers);
        thread = Thread.ofPlatform().daemon().name("sv2-listener-" + index).start(() -> run(journal));
        try
        {
            if (!ready.await(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("listener delivery thread did not start");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting listener delivery", ex);
        }
    }

    /** Logic thread: a lifecycle event for this listener; dropped and counted when its queue is full. */
    void offer(final Object event)
    {
        if (!lifecycle.offer(event))
        {
            dropped.incrementAndGet();
        }
    }

    /** Delivers what is journaled, then stops; gives up (and says so) after {@code timeoutMs}. */
    void drainAndStop(final long timeoutMs)
    {
        closing = true;
        if (thread == null)
        {
            return;
        }
        try
        {
            thread.join(timeoutMs);
            if (thread.isAlive())
            {
                LOG.warn("listener {} did not catch up within {} ms of shutdown; its remaining events are not delivered",
                    name(), timeoutMs);
                abandon = true;
                thread.join(1000);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            abandon = true;
        }
    }

    ListenerStats stats()
    {
        final boolean any = lag.getTotalCount() > 0;
        return new ListenerStats(name(), events.get(), shares.get(), failures.get(), dropped.get(),
            any ? lag.getValueAtPercentile(50) / 1000.0 : 0.0, any ? lag.getValueAtPercentile(99) / 1000.0 : 0.0,
            any ? lag.getMaxValue() / 1000.0 : 0.0);
    }

    /** Forgets the lag measured so far (a benchmark's warm-up). */
    void resetLag()
    {
        lag.reset();
    }

    private String name()
    {
        return listener.getClass().getName();
    }

    private void run(final Journal journal)
    {
        final JournalReader reader;
        try
        {
            reader = journal.tailReader();
        }
        finally
        {
            ready.countDown();
        }
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        try (reader)
        {
            while (!abandon)
            {
                int work = drainLifecycle();
                for (int i = 0; i < 64 && !abandon; i++)
                {
                    work += drainLifecycle();
                    if (reader.read(this, 1) == 0)
                    {
                        break;
                    }
                    work++;
                    if (batch.count() > 0)
                    {
                        deliverBatch();
                    }
                }
                if (work == 0)
                {
                    if (closing)
                    {
                        return;
                    }
                    idle.idle();
                }
                else
                {
                    idle.reset();
                }
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("listener {}: delivery stopped: cannot read the journal: {}", name(), ex.toString(), ex);
        }
    }

    private int drainLifecycle()
    {
        int n = 0;
        Object e;
        while ((e = lifecycle.poll()) != null)
        {
            n++;
            final Object event = e;
            switch (event)
            {
                case Lifecycle.Opened o -> call(l -> l.onConnectionOpened(o.connection()));
                case Lifecycle.Closed c -> call(l -> l.onConnectionClosed(c.connection()));
                case Lifecycle.ChannelOpened o -> call(l -> l.onChannelOpened(o.channel()));
                case Lifecycle.ChannelClosed c -> call(l -> l.onChannelClosed(c.channel()));
                default -> LOG.warn("unknown lifecycle event {}", event);
            }
        }
        return n;
    }

    private void deliverBatch()
    {
        final long n = ++batchesSeen;
        final long at = clock.journaledAt(n);
        if (at > 0)
        {
            lag.recordValue(Math.max(0, System.nanoTime() - at));
        }
        shares.addAndGet(batch.count());
        events.incrementAndGet();
        try
        {
            listener.onSharesAccepted(batch);
        }
        catch (final Throwable t)
        {
            failed(t);
        }
        batch.clear(0);
    }

    private void call(final Consumer<ServerListener> c)
    {
        events.incrementAndGet();
        try
        {
            c.accept(listener);
        }
        catch (final Throwable t)
        {
            failed(t);
        }
    }

    private void failed(final Throwable t)
    {
        failures.incrementAndGet();
        failuresSinceLog++;
        final long now = System.nanoTime();
        if (lastFailureLogNs == 0 || now - lastFailureLogNs >= FAILURE_LOG_INTERVAL_NS)
        {
            LOG.warn("listener {} threw ({} failure(s) since the last report): {}", name(), failuresSinceLog,
                t.toString(), t);
            lastFailureLogNs = now;
            failuresSinceLog = 0;
        }
        if (t instanceof VirtualMachineError vme)
        {
            throw vme;
        }
    }

    private String chain(final int index)
    {
        final String name = index >= 0 && index < chains.length ? chains[index] : null;
        return name == null ? "chain-" + index : name;
    }

    /** Display order (reversed internal order), as block explorers and nodes print hashes. */
    private static String hash(final byte[] internal)
    {
        final byte[] r = new byte[internal.length];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = internal[internal.length - 1 - i];
        }
        return HEX.formatHex(r);
    }

    // ------------------------------------------------------------------------- journal events (delivery thread)

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        if (batch.count() == 0)
        {
            batch.clear(timeMs);
        }
        final String w = workers.get(workerId);
        batch.add(w == null ? "" : w, channelId, sequenceNumber, jobId, difficulty, chainMask);
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        workers.put(workerId, name);
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        if (chainIndex >= 0 && chainIndex < chains.length)
        {
            chains[chainIndex] = name;
        }
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] h)
    {
        final String w = workers.get(workerId);
        final ServerListener.Block b = new ServerListener.Block(timeMs, chain(chainIndex), height, hash(h),
            w == null ? "" : w, "");
        call(l -> l.onBlockFound(b));
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        final ServerListener.Block b = new ServerListener.Block(timeMs, chain(chainIndex), -1, hash(h), "", reason);
        call(l -> l.onBlockRejected(b));
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] h)
    {
        final ServerListener.AuxBlock b = new ServerListener.AuxBlock(timeMs, chain(chainIndex), hash(h), "");
        call(l -> l.onAuxBlockSubmitted(b));
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] h)
    {
        final ServerListener.AuxBlock b = new ServerListener.AuxBlock(timeMs, chain(chainIndex), hash(h), "");
        call(l -> l.onAuxBlockAccepted(b));
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        final ServerListener.AuxBlock b = new ServerListener.AuxBlock(timeMs, chain(chainIndex), hash(h), reason);
        call(l -> l.onAuxBlockRejected(b));
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        final ServerListener.AuxBlock b = new ServerListener.AuxBlock(timeMs, chain(chainIndex), hash(h), reason);
        call(l -> l.onAuxBlockUnknown(b));
    }

    /** A bitcoin block's reward is recorded only once a template source accepted it: that is its acceptance. */
    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] h)
    {
        final String hex = hash(h);
        if (chainIndex == JournalEvent.BITCOIN)
        {
            final ServerListener.Block b = new ServerListener.Block(timeMs, chain(chainIndex), -1, hex, "", "");
            call(l -> l.onBlockAccepted(b));
        }
        final ServerListener.Reward r = new ServerListener.Reward(timeMs, chain(chainIndex), amount, hex);
        call(l -> l.onReward(r));
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        final ServerListener.Fee f = new ServerListener.Fee(timeMs, chain(chainIndex), amount, contributorId);
        call(l -> l.onFee(f));
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        final ServerListener.Distribution d = new ServerListener.Distribution(timeMs, chain(chainIndex), core, grants,
            audits, operations);
        call(l -> l.onDistribution(d));
    }

    /** Lifecycle events as queued by the logic thread. */
    static final class Lifecycle
    {
        record Opened(ServerListener.Connection connection)
        {
        }

        record Closed(ServerListener.Connection connection)
        {
        }

        record ChannelOpened(ServerListener.Channel channel)
        {
        }

        record ChannelClosed(ServerListener.Channel channel)
        {
        }

        private Lifecycle()
        {
        }
    }
}
