package org.bitcoincommons.sv2.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured template sources in priority order ({@code [template] sources}), seen by the pool as one source.
 * The pool mines on the <em>active</em> source: the first in priority order that is {@link SourceHealth#HEALTHY} and
 * has delivered a template. When the active source reports a failure, the next healthy one takes over at once with
 * its newest template (so within the failing source's own deadline, one poll interval for bitcoind); when a better
 * source is healthy again, the pool switches back to it. While no source is healthy the pool keeps the last work.
 *
 * <p>A found block goes to every source that has served a template on the block's parent (a block found just as
 * the sources switch reaches both); the first to accept it wins.
 *
 * <p>Threads: each source calls in on its own threads; this object's lock serialises the choice and the forwarding, so
 * the pool's listener sees one template at a time. Lock order: source, then this, then the pool.
 */
public final class FailoverSource implements TemplateSource
{
    private static final Logger LOG = LoggerFactory.getLogger(FailoverSource.class);
    /**
     * At start, a source that has not reported yet holds back the ones after it for this long, so that a pool whose
     * first source is healthy does not begin on a lower one for a moment, ms.
     */
    static final long START_GRACE_MS = 5_000;
    /** Previous-block hashes remembered per source (a block's parent is among the recent tips). */
    private static final int KNOWN_PARENTS = 16;

    /** One source and what the failover knows of it (guarded by the failover's lock). */
    private static final class Slot
    {
        final TemplateSource source;
        final byte[][] parents = new byte[KNOWN_PARENTS][];
        int nextParent;
        Template latest;
        SourceHealth health = SourceHealth.STARTING;

        Slot(final TemplateSource source)
        {
            this.source = source;
        }

        void rememberParent(final byte[] prev)
        {
            for (final byte[] p : parents)
            {
                if (p != null && Arrays.equals(p, prev))
                {
                    return;
                }
            }
            parents[nextParent] = prev.clone();
            nextParent = (nextParent + 1) % parents.length;
        }

        boolean knowsParent(final byte[] prev)
        {
            for (final byte[] p : parents)
            {
                if (p != null && Arrays.equals(p, prev))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Slot> slots;
    private final EpochClock clock;
    private final ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor();
    private TemplateListener listener;
    private int active = -1;
    private byte[] lastForwardedPrev;
    private long switches;
    private boolean idleLogged;
    private long startedMs;

    /** @param sources in priority order, at least one */
    public FailoverSource(final List<TemplateSource> sources, final EpochClock clock)
    {
        if (sources.isEmpty())
        {
            throw new IllegalArgumentException("no template source");
        }
        this.slots = new ArrayList<>(sources.size());
        for (final TemplateSource s : sources)
        {
            slots.add(new Slot(s));
        }
        this.clock = clock;
    }

    @Override
    public String name()
    {
        final Slot a = activeSlot();
        return a == null ? "none" : a.source.name();
    }

    /** The sources in priority order. */
    public List<TemplateSource> sources()
    {
        final List<TemplateSource> out = new ArrayList<>(slots.size());
        for (final Slot s : slots)
        {
            out.add(s.source);
        }
        return out;
    }

    /** The active source's name, or "none" while no source is healthy. */
    public synchronized String activeName()
    {
        return active < 0 ? "none" : slots.get(active).source.name();
    }

    /** How often the active source changed (including the first choice). */
    public synchronized long switches()
    {
        return switches;
    }

    /** Every source's state, in priority order. */
    public List<SourceState> states()
    {
        final List<SourceState> out = new ArrayList<>(slots.size());
        for (final Slot s : slots)
        {
            out.add(s.source.state());
        }
        return out;
    }

    @Override
    public void start(final TemplateListener listener)
    {
        synchronized (this)
        {
            this.listener = listener;
            this.startedMs = clock.time();
        }
        Thread.ofVirtual().name("template-failover-grace").start(() ->
        {
            try
            {
                Thread.sleep(START_GRACE_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            synchronized (FailoverSource.this)
            {
                choose("start-up grace over");
            }
        });
        for (int i = 0; i < slots.size(); i++)
        {
            final int index = i;
            slots.get(i).source.start(new TemplateListener()
            {
                @Override
                public void onTemplate(final Template template, final boolean newTip)
                {
                    templateFrom(index, template);
                }

                @Override
                public void onStateChange(final SourceState state)
                {
                    stateOf(index, state);
                }
            });
        }
    }

    private synchronized void templateFrom(final int index, final Template t)
    {
        final Slot s = slots.get(index);
        s.latest = t;
        s.rememberParent(t.prevHash());
        if (s.health != SourceHealth.HEALTHY)
        {
            s.health = SourceHealth.HEALTHY;   // a template is proof of health, whatever the order of the calls
        }
        if (!choose("healthy") && index == active)
        {
            forward(t);
        }
    }

    private synchronized void stateOf(final int index, final SourceState state)
    {
        final Slot s = slots.get(index);
        s.health = state.health();
        if (!state.health().usable())
        {
            s.latest = null;   // on recovery, wait for a fresh template rather than reuse one from before the failure
        }
        choose(state.error().isEmpty() ? state.health().name().toLowerCase(java.util.Locale.ROOT) : state.error());
    }

    /**
     * Makes the best usable source active; when that changes, forwards its newest template.
     *
     * @return true when the active source changed (its template was forwarded)
     */
    private boolean choose(final String why)
    {
        int best = -1;
        final boolean grace = clock.time() - startedMs < START_GRACE_MS;
        for (int i = 0; i < slots.size(); i++)
        {
            final Slot s = slots.get(i);
            if (s.health.usable() && s.latest != null)
            {
                best = i;
                break;
            }
            if (grace && s.health == SourceHealth.STARTING)
            {
                return false;   // a better source may still come up: wait for it (or for the grace to end)
            }
        }
        if (best == active)
        {
            return false;
        }
        if (best < 0)
        {
            if (!idleLogged)
            {
                LOG.error("no template source is healthy ({}: {}); miners keep the last work",
                    active < 0 ? "none yet" : slots.get(active).source.name(), why);
                idleLogged = true;
            }
            active = -1;
            return false;
        }
        final String from = active < 0 ? "none" : slots.get(active).source.name();
        active = best;
        switches++;
        idleLogged = false;
        final Slot s = slots.get(best);
        if (switches > 1 || slots.size() > 1)
        {
            LOG.warn("template source: {} -> {} ({}), height {}", from, s.source.name(), why, s.latest.height());
        }
        forward(s.latest);
        return true;
    }

    private void forward(final Template t)
    {
        final boolean newTip = lastForwardedPrev == null || !Arrays.equals(lastForwardedPrev, t.prevHash());
        lastForwardedPrev = t.prevHash();
        listener.onTemplate(t, newTip);
    }

    /**
     * Submits to every source that served a template on the block's parent (the active source when none did), all at
     * once.
     *
     * @return null when any source accepted the block, else the reason of the first (highest-priority) one
     */
    @Override
    public String submitBlock(final byte[] block)
    {
        final byte[] parent = Arrays.copyOfRange(block, 4, 36);
        final List<Slot> targets = new ArrayList<>();
        synchronized (this)
        {
            for (final Slot s : slots)
            {
                if (s.knowsParent(parent))
                {
                    targets.add(s);
                }
            }
            if (targets.isEmpty() && active >= 0)
            {
                targets.add(slots.get(active));
            }
        }
        if (targets.isEmpty())
        {
            return "no-source";
        }
        if (targets.size() == 1)
        {
            return targets.get(0).source.submitBlock(block);
        }
        final List<CompletableFuture<String>> answers = new ArrayList<>(targets.size());
        for (final Slot s : targets)
        {
            answers.add(CompletableFuture.supplyAsync(() -> s.source.submitBlock(block), submitters));
        }
        String first = null;
        boolean accepted = false;
        for (int i = 0; i < answers.size(); i++)
        {
            String reason;
            try
            {
                reason = answers.get(i).join();
            }
            catch (final RuntimeException ex)
            {
                reason = "submit-failed";
            }
            LOG.info("block with parent {} submitted to {}: {}", HashOrder.toDisplayHex(parent),
                targets.get(i).source.name(), reason == null ? "accepted" : reason);
            accepted |= reason == null;
            if (first == null)
            {
                first = reason == null ? "" : reason;
            }
        }
        return accepted ? null : first;
    }

    @Override
    public long tipHeight()
    {
        final Slot a = activeSlot();
        return a == null ? -1 : a.source.tipHeight();
    }

    private synchronized Slot activeSlot()
    {
        return active < 0 ? null : slots.get(active);
    }

    /** The active source's state; while none is healthy, a DOWN state naming the failover. */
    @Override
    public SourceState state()
    {
        final Slot a = activeSlot();
        return a != null ? a.source.state()
            : new SourceState("none", SourceHealth.DOWN, -1, "", -1, "no template source is healthy", clock.time(),
                java.util.Map.of());
    }

    /** Probes every source in priority order and returns the first healthy answer (else the first answer). */
    @Override
    public SourceState probe(final long timeoutMs)
    {
        SourceState first = null;
        for (final SourceState s : probeAll(timeoutMs))
        {
            if (s.health().usable())
            {
                return s;
            }
            first = first == null ? s : first;
        }
        return first;
    }

    /** Probes every source, in priority order. */
    public List<SourceState> probeAll(final long timeoutMs)
    {
        final List<SourceState> out = new ArrayList<>(slots.size());
        for (final Slot s : slots)
        {
            out.add(s.source.probe(timeoutMs));
        }
        return out;
    }

    @Override
    public void close()
    {
        for (final Slot s : slots)
        {
            try
            {
                s.source.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("closing template source {}: {}", s.source.name(), ex.toString());
            }
        }
        submitters.shutdown();
    }
}
