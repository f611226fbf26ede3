package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.Job;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.hash.HeaderHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's business logic: channels, jobs, targets and vardiff. Single-threaded: every call comes from the
 * share pipeline's handler thread, in ring order, so a SetTarget, a new job and the shares around them are
 * always seen in the order they happened. Shares themselves are staged and validated by {@link ShareProcessor}.
 */
public final class PoolLogic
{
    private static final Logger LOG = LoggerFactory.getLogger(PoolLogic.class);

    /** Bytes of extranonce prefix the pool gives each channel (the channel id, little-endian). */
    public static final int CHANNEL_PREFIX_LENGTH = 4;
    /** BIP323: the 24 version bits miners may roll. */
    public static final int VERSION_ROLLING_MASK = 0x1fffffe0;

    /** A downstream connection and its group channel. */
    static final class Downstream
    {
        final MiningDownstream wire;
        final boolean requiresStandardJobs;
        int groupChannelId;
        final List<Channel> channels = new ArrayList<>();
        /** Open channels that have not had a share accepted yet (bounded by maxChannelsWithoutShares). */
        int channelsWithoutShares;
        /** The merged-mining account subscription (extension 0x4D4D), or null. */
        MergeMiningAccounts.Subscription account;

        Downstream(final MiningDownstream wire, final boolean requiresStandardJobs)
        {
            this.wire = wire;
            this.requiresStandardJobs = requiresStandardJobs;
        }
    }

    final Int2ObjectHashMap<Channel> channels = new Int2ObjectHashMap<>();
    private final Map<MiningDownstream, Downstream> downstreams = new IdentityHashMap<>();
    private final ShareAccounting accounting;
    /** The merged-mining account extension's state, or null when it is not offered. */
    private MergeMiningAccounts accounts;
    private final EpochClock clock;
    private final double sharesPerMinute;
    private final int extranonceSize;
    private final double minHashrate;
    private final ChannelTargets targets;
    private int maxChannelsPerConnection = 4096;
    private int maxChannelsWithoutShares = 64;
    private final ShareProcessor shares;
    private int nextChannelId = 1;
    /** Downstreams whose work threw during a fan-out (new job, vardiff), dropped once the loop is done. */
    private final List<Downstream> faulted = new ArrayList<>();
    private final List<Throwable> faultErrors = new ArrayList<>();
    private final int[] oneChannel = new int[1];
    private java.util.function.IntSupplier jobIds;
    /** Lifecycle observer (the public engine API's listeners); {@link PoolEvents#NONE} when nobody listens. */
    private PoolEvents events = PoolEvents.NONE;
    /** Written by the logic thread only; volatile so that metrics may read it. */
    private volatile long faults;

    /** The newest job, and the first job id of the current chain tip (older ids are stale). */
    Job currentJob;
    int tipFirstJobId = Integer.MAX_VALUE;

    public PoolLogic(final ShareAccounting accounting, final HeaderHasher hasher, final BlockSink blockSink,
        final EpochClock clock, final double sharesPerMinute, final int extranonceSize, final int maxBatch,
        final int duplicateWindow, final double minHashrate)
    {
        this.minHashrate = minHashrate;
        this.accounting = accounting;
        this.clock = clock;
        this.sharesPerMinute = sharesPerMinute;
        this.extranonceSize = extranonceSize;
        this.targets = new ChannelTargets(sharesPerMinute, minHashrate);
        this.shares = new ShareProcessor(this, accounting, hasher, blockSink, clock, maxBatch, duplicateWindow);
    }

    /** Offers the merged-mining account extension (0x4D4D) with these accounts; null (the default) does not. */
    public PoolLogic mergeMiningAccounts(final MergeMiningAccounts accounts)
    {
        this.accounts = accounts;
        return this;
    }

    /** The accounts to credit aux shares to (ShareProcessor), or null. */
    MergeMiningAccounts accounts()
    {
        return accounts;
    }

    /** The merged-mining accounts when the extension is offered, else null. */
    public MergeMiningAccounts mergeMiningAccounts()
    {
        return accounts;
    }

    /**
     * SubscribeMergeMiningAccount from {@code wire} (logic thread, a ring task): subscribes it and answers on
     * {@code sink}, or refuses with the reason.
     */
    public void subscribeAccount(final MiningDownstream wire, final MergeMiningAccounts.Sink sink,
        final org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount request)
    {
        final Downstream d = downstreams.get(wire);
        if (d == null)
        {
            return;   // closed meanwhile
        }
        if (accounts == null)
        {
            sink.test(new org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError(request.requestId(),
                "extension-not-negotiated"));
            return;
        }
        final MergeMiningAccounts.Subscription s = accounts.subscribe(wire, sink, request, clock.time());
        if (s != null)
        {
            d.account = s;
            for (final Channel c : d.channels)
            {
                c.account = s;
            }
        }
    }

    /** The account stream of {@code wire} ended (QUIC): nothing more is pushed to it (logic thread). */
    public void unsubscribeAccount(final MiningDownstream wire)
    {
        if (accounts == null)
        {
            return;
        }
        accounts.unsubscribe(wire);
        final Downstream d = downstreams.get(wire);
        if (d != null)
        {
            d.account = null;
            for (final Channel c : d.channels)
            {
                c.account = null;
            }
        }
    }

    /** Channels one connection may hold open; further OpenMiningChannel requests get "max-channels-reached". */
    public PoolLogic maxChannelsPerConnection(final int max)
    {
        this.maxChannelsPerConnection = max;
        return this;
    }

    /**
     * Channels one connection may hold open that have not had a share accepted yet; further OpenMiningChannel requests
     * get "max-channels-reached" until one of them has. Bounds what a client that never submits work can make the pool
     * keep (channels, and worker state, which is created on a channel's first accepted share).
     */
    public PoolLogic maxChannelsWithoutShares(final int max)
    {
        this.maxChannelsWithoutShares = max;
        return this;
    }

    /** Tells {@code observer} of connections and channels opening and closing (on this logic thread). */
    public PoolLogic events(final PoolEvents observer)
    {
        this.events = observer == null ? PoolEvents.NONE : observer;
        return this;
    }

    /** Faults in one downstream's work that closed its connection (each logged with its reason). */
    public long faults()
    {
        return faults;
    }

    public ShareProcessor shares()
    {
        return shares;
    }

    public int extranonceLength()
    {
        return CHANNEL_PREFIX_LENGTH + extranonceSize;
    }

    public int channelCount()
    {
        return channels.size();
    }

    /** A downstream has completed SetupConnection for the mining protocol. */
    public void connectionOpened(final MiningDownstream wire, final boolean requiresStandardJobs)
    {
        downstreams.put(wire, new Downstream(wire, requiresStandardJobs));
        events.connectionOpened(wire.connectionId(), wire.protocol());
    }

    public void openStandardChannel(final MiningDownstream wire, final int requestId, final String userIdentity,
        final float nominalHashrate, final byte[] maxTarget)
    {
        final Downstream d = downstream(wire);
        if (d == null)
        {
            return;
        }
        if (!admit(d, requestId, nominalHashrate, maxTarget))
        {
            return;
        }
        final int channelId = nextChannelId++;
        // A standard channel's prefix is its whole extranonce: the channel id, zero-padded (as SRI does).
        final byte[] prefix = new byte[extranonceLength()];
        writeChannelPrefix(prefix, channelId);
        int group = 0;
        if (!d.requiresStandardJobs)
        {
            if (d.groupChannelId == 0)
            {
                d.groupChannelId = nextChannelId++;
            }
            group = d.groupChannelId;
        }
        final Channel c = new Channel(channelId, wire, false, userIdentity, prefix, 0, group, clock.time(), targets,
            minHashrate, null, false, 0);
        initTarget(c, nominalHashrate, maxTarget);
        register(d, c);
        wire.openStandardMiningChannelSuccess(requestId, channelId, c.target, prefix, group);
        if (group != 0)
        {
            // SetGroupChannel lists the channels whose group is being (re)defined: only the new one.
            oneChannel[0] = channelId;
            wire.setGroupChannel(group, oneChannel, 1);
        }
        sendFirstJob(c);
    }

    public void openExtendedChannel(final MiningDownstream wire, final int requestId, final String userIdentity,
        final float nominalHashrate, final byte[] maxTarget, final int minExtranonceSize)
    {
        openExtendedChannel(wire, requestId, userIdentity, nominalHashrate, maxTarget, minExtranonceSize, null);
    }

    /**
     * OpenExtendedMiningChannel with the channel's own difficulty policy ({@code policy} null: the pool's). The
     * Stratum V1 endpoint opens one such channel per connection.
     */
    public void openExtendedChannel(final MiningDownstream wire, final int requestId, final String userIdentity,
        final float nominalHashrate, final byte[] maxTarget, final int minExtranonceSize, final ChannelPolicy policy)
    {
        final Downstream d = downstream(wire);
        if (d == null)
        {
            return;
        }
        if (!admit(d, requestId, nominalHashrate, maxTarget))
        {
            return;
        }
        if (minExtranonceSize > extranonceSize)
        {
            wire.openMiningChannelError(requestId, "min-extranonce-size-too-large");
            return;
        }
        final int channelId = nextChannelId++;
        final byte[] prefix = new byte[CHANNEL_PREFIX_LENGTH];
        writeChannelPrefix(prefix, channelId);
        final Channel c = policy == null
            ? new Channel(channelId, wire, true, userIdentity, prefix, extranonceSize, 0, clock.time(), targets,
                minHashrate, null, false, 0)
            : new Channel(channelId, wire, true, userIdentity, prefix, extranonceSize, 0, clock.time(),
                new ChannelTargets(policy.sharesPerMinute(), policy.minHashrate()), policy.minHashrate(),
                policy.minTargetLe() == null ? null : policy.minTargetLe().clone(), policy.newJobOnRetarget(),
                policy.difficultyDigits());
        initTarget(c, nominalHashrate, maxTarget);
        register(d, c);
        wire.openExtendedMiningChannelSuccess(requestId, channelId, c.target, extranonceSize, prefix, 0);
        sendFirstJob(c);
    }

    /**
     * Names a channel that has no accepted share yet (a Stratum V1 channel is opened at mining.subscribe and named at
     * mining.authorize). Returns false when there is no such channel of {@code wire} or it already has shares.
     */
    public boolean nameChannel(final MiningDownstream wire, final int channelId, final String userIdentity)
    {
        final Channel c = channels.get(channelId);
        if (c == null || c.downstream != wire || c.proven())
        {
            return false;
        }
        c.userIdentity = userIdentity;
        events.channelRenamed(wire.connectionId(), channelId, userIdentity, c.extended);
        return true;
    }

    /** Counts a share its endpoint refused before it reached validation (e.g. Stratum V1 hex that does not parse). */
    public void recordReject(final MiningDownstream wire, final int channelId, final ShareError error)
    {
        final Channel c = channels.get(channelId);
        if (c != null && c.downstream == wire)
        {
            c.sharesRejected++;
            c.rejectsByReason[error.ordinal()]++;
            shares.countRejected();
        }
    }

    /**
     * One row per open channel, for the per-worker view ({@code /api/workers}): name, transport, channel, shares,
     * rejects by reason, difficulty, hashrate from accepted work (1 min, 15 min, 1 h moving averages) and the vardiff
     * belief, last share time (epoch ms, 0 = none), blocks found, and the merged-mining credit per aux chain (every
     * chain in {@code auxChains}, index to name, zero where the channel's shares were on jobs without that chain's
     * work). On the logic thread.
     */
    public List<Map<String, Object>> workers(final Map<Integer, String> auxChains)
    {
        return workerRows(workerSnapshots(), auxChains);
    }

    /**
     * One channel's figures copied on the logic thread: plain fields and array copies, nothing derived, so that a
     * scrape of 15,000 channels holds the logic thread only for the copy; {@link #workerRows} builds the view anywhere.
     */
    public record WorkerSnapshot(String name, String transport, int channelId, long connectionId, boolean extended,
        long sharesAccepted, long sharesRejected, long[] rejectsByReason, byte[] target, double hashrate1m,
        double hashrate15m, double hashrate1h, double hashrateVardiff, long lastShareMs, long blocksFound,
        long openSeconds, long[] auxShares, double[] auxWork)
    {
    }

    /** Every open channel's figures, copied. On the logic thread. */
    public List<WorkerSnapshot> workerSnapshots()
    {
        final long now = clock.time();
        final List<WorkerSnapshot> rows = new ArrayList<>(channels.size());
        for (final Channel c : channels.values())
        {
            rows.add(new WorkerSnapshot(c.userIdentity, c.downstream.protocol(), c.channelId,
                c.downstream.connectionId(), c.extended, c.sharesAccepted, c.sharesRejected, c.rejectsByReason.clone(),
                c.target.clone(), c.hashrateAverage[0], c.hashrateAverage[1], c.hashrateAverage[2], c.hashrate,
                c.lastShareMs, c.blocksFound, (now - c.openedMs) / 1000,
                c.auxShares == null ? null : c.auxShares.clone(), c.auxWork == null ? null : c.auxWork.clone()));
        }
        return rows;
    }

    /** The per-worker view of {@link #workerSnapshots}; any thread. */
    public static List<Map<String, Object>> workerRows(final List<WorkerSnapshot> snapshots,
        final Map<Integer, String> auxChains)
    {
        final List<Map<String, Object>> rows = new ArrayList<>(snapshots.size());
        final ShareError[] errors = ShareError.values();
        for (final WorkerSnapshot c : snapshots)
        {
            final Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("name", c.name());
            r.put("transport", c.transport());
            r.put("channel_id", c.channelId());
            r.put("connection_id", c.connectionId());
            r.put("extended", c.extended());
            r.put("shares_accepted", c.sharesAccepted());
            r.put("shares_rejected", c.sharesRejected());
            final Map<String, Object> why = new java.util.TreeMap<>();
            for (final ShareError e : errors)
            {
                if (c.rejectsByReason()[e.ordinal()] > 0)
                {
                    why.put(e.code(), c.rejectsByReason()[e.ordinal()]);
                }
            }
            r.put("rejects_by_reason", why);
            r.put("difficulty", Target.difficultyFromLittleEndian(c.target(), 0));
            r.put("hashrate_1m", c.hashrate1m());
            r.put("hashrate_15m", c.hashrate15m());
            r.put("hashrate_1h", c.hashrate1h());
            r.put("hashrate_vardiff", c.hashrateVardiff());
            r.put("last_share_time", c.lastShareMs());
            r.put("blocks_found", c.blocksFound());
            r.put("open_seconds", c.openSeconds());
            final Map<String, Object> aux = new java.util.LinkedHashMap<>();
            for (final Map.Entry<Integer, String> e : auxChains.entrySet())
            {
                final int i = e.getKey();
                final Map<String, Object> credit = new java.util.LinkedHashMap<>();
                credit.put("shares", c.auxShares() == null ? 0L : c.auxShares()[i]);
                credit.put("share_difficulty_sum", c.auxWork() == null ? 0.0 : c.auxWork()[i]);
                aux.put(e.getValue(), credit);
            }
            r.put("aux_credit", aux);
            rows.add(r);
        }
        return rows;
    }

    /** UpdateChannel: a new nominal hashrate and maximum target; the upstream must honour a lower maximum. */
    public void updateChannel(final MiningDownstream wire, final int channelId, final float nominalHashrate,
        final byte[] maxTarget)
    {
        final Channel c = channels.get(channelId);
        if (c == null || c.downstream != wire)
        {
            wire.updateChannelError(channelId, "invalid-channel-id");
            return;
        }
        if (!ChannelTargets.validHashrate(nominalHashrate))
        {
            wire.updateChannelError(channelId, "invalid-nominal-hashrate");
            return;
        }
        if (!ChannelTargets.minable(maxTarget))
        {
            wire.updateChannelError(channelId, "max-target-out-of-range");
            return;
        }
        System.arraycopy(maxTarget, 0, c.maxTarget, 0, 32);
        c.hashrate = c.targets.belief(nominalHashrate);
        c.vardiff.reset(clock.time() / 1000);
        applyTarget(c, targetOf(c));
    }

    /**
     * Moves a standard or extended channel to a fresh extranonce prefix (SetExtranoncePrefix), e.g. when an operator
     * re-partitions search space. The new prefix is a channel id never used by any channel, so it cannot overlap
     * another channel's space. Jobs sent from now on use it; shares on jobs sent before keep the prefix those jobs
     * were sent under (and stay valid). The caller then sends a new job so the miner has work under the new prefix.
     *
     * @return the new prefix, or null when there is no such channel
     */
    public byte[] setExtranoncePrefix(final int channelId)
    {
        final Channel c = channels.get(channelId);
        if (c == null)
        {
            return null;
        }
        shares.flushChannel(c);
        final byte[] prefix = new byte[c.extranoncePrefix.length];
        writeChannelPrefix(prefix, nextChannelId++);
        c.extranoncePrefix = prefix;
        c.downstream.setExtranoncePrefix(channelId, prefix);
        return prefix.clone();
    }

    public void closeChannel(final MiningDownstream wire, final int channelId)
    {
        final Channel c = channels.get(channelId);
        if (c == null || c.downstream != wire)
        {
            return;
        }
        shares.flushChannel(c);
        final Downstream d = downstreams.get(wire);
        if (d != null)
        {
            d.channels.remove(c);
            if (!c.proven())
            {
                d.channelsWithoutShares--;
            }
        }
        remove(c);
    }

    /** The connection is gone: every channel of it closes; accepted work was already accounted. */
    public void connectionClosed(final MiningDownstream wire)
    {
        final Downstream d = downstreams.remove(wire);
        if (d != null)
        {
            drop(d);
            events.connectionClosed(wire.connectionId());
        }
    }

    /**
     * A fault in the work of one downstream (an exception from its channels' job, target or share handling): that
     * connection is closed with a logged reason and its channels are gone; every other downstream carries on. Called on
     * the logic thread, also from inside a fan-out or a share batch (it never flushes the batch itself).
     */
    void fault(final MiningDownstream wire, final String during, final Throwable error)
    {
        faults = faults + 1;
        LOG.warn("connection {}: closed after a fault while {}: {}", wire.connectionId(), during, error.toString(), error);
        final Downstream d = downstreams.remove(wire);
        if (d != null)
        {
            drop(d);
            events.connectionClosed(wire.connectionId());
        }
        try
        {
            wire.disconnect("pool logic fault while " + during + ": " + error);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("connection {}: closing after a fault failed: {}", wire.connectionId(), ex.toString());
        }
    }

    private void drop(final Downstream d)
    {
        if (accounts != null && d.account != null)
        {
            accounts.unsubscribe(d.wire);
            d.account = null;
        }
        for (final Channel c : d.channels)
        {
            remove(c);
        }
        d.channels.clear();
        d.channelsWithoutShares = 0;
    }

    /** The first accepted share of a channel: it no longer counts against maxChannelsWithoutShares. */
    void channelProven(final Channel c)
    {
        final Downstream d = downstreams.get(c.downstream);
        if (d != null && !c.closed)
        {
            d.channelsWithoutShares--;
        }
    }

    /**
     * Publishes a job to every channel. {@code newTip}: the job builds on a new previous block, so it is sent
     * as a future job followed by SetNewPrevHash, and every older job becomes stale.
     */
    public void newJob(final Job job, final boolean newTip)
    {
        shares.flushAll();
        if (newTip || currentJob == null)
        {
            tipFirstJobId = job.jobId();
            shares.newTip();
        }
        currentJob = job;
        for (final Downstream d : downstreams.values())
        {
            try
            {
                sendJob(d, job, newTip);
            }
            catch (final RuntimeException ex)
            {
                collectFault(d, ex);
            }
        }
        dropFaulted("sending job " + job.jobId());
    }

    /** Channels retargeted per slice of a tick round: the longest a share waits behind vardiff. */
    public static final int TICK_SLICE = 256;

    private int[] tickIds = new int[64];
    private int tickCount;
    private int tickCursor;
    private long tickNowMs;
    /** True from the ticker's request of a round until the logic thread has finished it. */
    private volatile boolean tickInProgress;
    /** Slices run so far (the ticker waits for each before asking for the next). */
    private volatile long tickSlices;

    /** Periodic work: vardiff for every channel, the whole round at once (tests, small pools). */
    public void tick()
    {
        startTick();
        while (tickSlice(Integer.MAX_VALUE))
        {
            // one slice takes every channel
        }
    }

    /** Ticker thread: a round is wanted; the logic thread clears this when it has retargeted every channel. */
    public void requestTick()
    {
        tickInProgress = true;
    }

    public boolean tickInProgress()
    {
        return tickInProgress;
    }

    public long tickSlices()
    {
        return tickSlices;
    }

    /**
     * Starts a vardiff round over the channels open now (logic thread). The round then runs in slices of
     * {@link #TICK_SLICE} channels ({@link #tickSlice}), each its own ring event, so that with 15,000 channels the
     * shares that arrive meanwhile wait for one slice, not for the whole round.
     */
    public void startTick()
    {
        tickNowMs = clock.time();
        if (accounts != null)
        {
            accounts.push(tickNowMs);
        }
        if (tickIds.length < channels.size())
        {
            tickIds = new int[Math.max(channels.size(), tickIds.length * 2)];
        }
        int n = 0;
        for (final Int2ObjectHashMap<Channel>.KeyIterator it = channels.keySet().iterator(); it.hasNext(); )
        {
            tickIds[n++] = it.nextInt();
        }
        tickCount = n;
        tickCursor = 0;
    }

    /** Retargets up to {@code max} more channels of the round; returns true while some remain (logic thread). */
    public boolean tickSlice(final int max)
    {
        final long nowMs = tickNowMs;
        final long nowSec = nowMs / 1000;
        final int end = (int)Math.min(tickCount, (long)tickCursor + max);
        for (int i = tickCursor; i < end; i++)
        {
            final Channel c = channels.get(tickIds[i]);
            if (c == null)
            {
                continue;   // closed since the round started
            }
            try
            {
                c.tickHashrate(nowMs);
                final double next = c.vardiff.evaluate(nowSec, c.hashrate, c);
                if (!Double.isNaN(next))
                {
                    c.hashrate = c.targets.belief(next);
                    applyTarget(c, targetOf(c));
                }
            }
            catch (final RuntimeException ex)
            {
                final Downstream d = downstreams.get(c.downstream);
                if (d != null)
                {
                    collectFault(d, ex);
                }
            }
        }
        tickCursor = end;
        dropFaulted("retargeting (vardiff)");
        tickSlices++;
        final boolean more = tickCursor < tickCount;
        if (!more)
        {
            tickInProgress = false;
        }
        return more;
    }

    private void collectFault(final Downstream d, final Throwable error)
    {
        if (!faulted.contains(d))
        {
            faulted.add(d);
            faultErrors.add(error);
        }
    }

    /** Drops every downstream collected during a fan-out, once the loop over the maps is done. */
    private void dropFaulted(final String during)
    {
        if (faulted.isEmpty())
        {
            return;
        }
        for (int i = 0; i < faulted.size(); i++)
        {
            fault(faulted.get(i).wire, during, faultErrors.get(i));
        }
        faulted.clear();
        faultErrors.clear();
    }

    public double sharesPerMinute()
    {
        return sharesPerMinute;
    }

    Downstream downstream(final MiningDownstream wire)
    {
        final Downstream d = downstreams.get(wire);
        if (d == null)
        {
            LOG.debug("message from connection {} before SetupConnection or after close", wire.connectionId());
        }
        return d;
    }

    private void register(final Downstream d, final Channel c)
    {
        channels.put(c.channelId, c);
        d.channels.add(c);
        c.account = d.account;
        d.channelsWithoutShares++;
        events.channelOpened(d.wire.connectionId(), c.channelId, c.userIdentity == null ? "" : c.userIdentity,
            c.extended);
    }

    private void remove(final Channel c)
    {
        c.closed = true;
        channels.remove(c.channelId);
        events.channelClosed(c.downstream.connectionId(), c.channelId);
    }

    private void sendFirstJob(final Channel c)
    {
        final Job job = currentJob;
        if (job == null)
        {
            return;
        }
        sendChannelJob(c, job, true);
        c.downstream.setNewPrevHash(c.channelId, job.jobId(), job.prevHash(), job.minNtime(), job.nbits());
        c.activate(job.jobId());
    }

    private void sendJob(final Downstream d, final Job job, final boolean newTip)
    {
        boolean groupSent = false;
        for (final Channel c : d.channels)
        {
            if (c.groupChannelId != 0)
            {
                recordJob(c, job, newTip);
                if (!groupSent)
                {
                    groupSent = true;
                    d.wire.newExtendedMiningJob(c.groupChannelId, job.jobId(), newTip ? -1 : job.minNtime() & 0xffffffffL,
                        job.version(), true, job.merklePath(), job.merklePathCount(), job.coinbasePrefix(), job.coinbaseSuffix());
                }
            }
            else
            {
                sendChannelJob(c, job, newTip);
            }
        }
        if (newTip)
        {
            if (groupSent)
            {
                d.wire.setNewPrevHash(d.groupChannelId, job.jobId(), job.prevHash(), job.minNtime(), job.nbits());
            }
            for (final Channel c : d.channels)
            {
                if (c.groupChannelId == 0)
                {
                    c.downstream.setNewPrevHash(c.channelId, job.jobId(), job.prevHash(), job.minNtime(), job.nbits());
                }
                c.activate(job.jobId());
            }
        }
    }

    private void sendChannelJob(final Channel c, final Job job, final boolean future)
    {
        final int slot = recordJob(c, job, future);
        final long minNtime = future ? -1 : job.minNtime() & 0xffffffffL;
        if (c.extended)
        {
            c.downstream.newExtendedMiningJob(c.channelId, job.jobId(), minNtime, job.version(), true,
                job.merklePath(), job.merklePathCount(), job.coinbasePrefix(), job.coinbaseSuffix());
        }
        else
        {
            c.downstream.newMiningJob(c.channelId, job.jobId(), minNtime, job.version(), shares.merkleRoot(c, slot),
                slot * 32);
        }
    }

    private int recordJob(final Channel c, final Job job, final boolean future)
    {
        return c.addJob(job, future, Target.difficultyFromLittleEndian(c.target, 0));
    }

    private void initTarget(final Channel c, final float nominalHashrate, final byte[] maxTarget)
    {
        System.arraycopy(maxTarget, 0, c.maxTarget, 0, 32);
        c.hashrate = c.targets.belief(nominalHashrate);
        System.arraycopy(targetOf(c), 0, c.target, 0, 32);
    }

    /** The target for the channel's hashrate belief: within its maximum target and, when it has one, its cap. */
    private static byte[] targetOf(final Channel c)
    {
        byte[] t = c.targets.targetFor(c.hashrate, c.maxTarget);
        if (c.minTarget != null && Target.fromLittleEndian(t, 0).compareTo(Target.fromLittleEndian(c.minTarget, 0)) < 0)
        {
            t = c.minTarget.clone();
        }
        if (c.difficultyDigits > 0)
        {
            final double d = Target.difficultyFromLittleEndian(t, 0);
            final double snapped = new java.math.BigDecimal(d).round(new java.math.MathContext(c.difficultyDigits,
                java.math.RoundingMode.HALF_UP)).doubleValue();
            t = Target.toLittleEndian(Target.fromDifficulty(snapped));
        }
        return t;
    }

    private void applyTarget(final Channel c, final byte[] target)
    {
        if (java.util.Arrays.equals(target, c.target))
        {
            return;
        }
        System.arraycopy(target, 0, c.target, 0, 32);
        c.retargetFutureJobs(Target.difficultyFromLittleEndian(target, 0));
        c.downstream.setTarget(c.channelId, c.target);
        if (c.newJobOnRetarget)
        {
            reissueJob(c);
        }
    }

    /**
     * Sends the current work again to one channel under a fresh job id, active at once, carrying the channel's current
     * target: for a Stratum V1 worker, whose new difficulty takes effect only with its next job, and as a keepalive job
     * for clients that reconnect when no job came for a while. The copy is the same block (same template and coinbase),
     * so a share found on either is the same header and the duplicate check sees it once.
     *
     * @return false when there is no such channel or no work yet
     */
    public boolean reissueJob(final int channelId)
    {
        final Channel c = channels.get(channelId);
        return c != null && reissueJob(c);
    }

    private boolean reissueJob(final Channel c)
    {
        final Job job = currentJob;
        if (job == null || jobIds == null)
        {
            return false;
        }
        shares.flushChannel(c);
        sendChannelJob(c, job.withJobId(jobIds.getAsInt()), false);
        return true;
    }

    /**
     * Where re-issued jobs get their ids: the same increasing sequence as the job factory's, so that a re-issued job
     * is stale exactly when the job it copies is.
     */
    public PoolLogic jobIds(final java.util.function.IntSupplier ids)
    {
        this.jobIds = ids;
        return this;
    }

    /**
     * Accept SetCustomMiningJob (Job Declaration): custom jobs are checked against what their token names in
     * {@code tokens}, the JDS's. Without this call every SetCustomMiningJob gets jd-not-supported.
     *
     * @param payoutScript the pool's payout script, which Coinbase-only custom jobs must pay
     */
    public PoolLogic customJobs(final org.bitcoincommons.sv2.jd.JobTokens tokens, final byte[] payoutScript)
    {
        return customJobs(tokens, payoutScript, org.bitcoincommons.sv2.work.CustomJobWork.NONE);
    }

    /**
     * As {@link #customJobs(org.bitcoincommons.sv2.jd.JobTokens, byte[])}, with the merged-mining layer's view of
     * custom jobs: a custom job whose coinbase commits to its current or previous aux work is credited on those chains.
     */
    public PoolLogic customJobs(final org.bitcoincommons.sv2.jd.JobTokens tokens, final byte[] payoutScript,
        final org.bitcoincommons.sv2.work.CustomJobWork auxWork)
    {
        this.customTokens = tokens;
        this.customPayout = payoutScript.clone();
        this.customAux = auxWork;
        return this;
    }

    private org.bitcoincommons.sv2.jd.JobTokens customTokens;
    private byte[] customPayout;
    private org.bitcoincommons.sv2.work.CustomJobWork customAux = org.bitcoincommons.sv2.work.CustomJobWork.NONE;
    /** Custom jobs accepted while aux chains are mined, with and without aux credit (logic thread writes). */
    private volatile long customJobsWithAux;
    private volatile long customJobsWithoutAux;

    /** Custom jobs accepted whose coinbase committed to some aux work (they earn aux credit on those chains). */
    public long customJobsWithAux()
    {
        return customJobsWithAux;
    }

    /** Custom jobs accepted, while aux chains are mined, whose coinbase committed to no current aux work (Bitcoin only). */
    public long customJobsWithoutAux()
    {
        return customJobsWithoutAux;
    }
    /** Custom jobs accepted and refused (logic thread writes; volatile for metrics). */
    private volatile long customJobsAccepted;
    private volatile long customJobsRefused;

    public long customJobsAccepted()
    {
        return customJobsAccepted;
    }

    public long customJobsRefused()
    {
        return customJobsRefused;
    }

    /**
     * SetCustomMiningJob on an extended channel of a work-selection connection: checked against the declaration its
     * token names and the pool's current tip; on success the custom work becomes a job of this channel, active at once,
     * under a pool job id, so that its shares go through the same validation, journal and accounting, and a block
     * found on it is submitted by the pool (Full-Template declarations carry the transactions). It is credited on the
     * aux chains whose current or previous work its coinbase commits to (the merged-mining layer judges that,
     * {@link org.bitcoincommons.sv2.work.CustomJobWork}); committed to none, it mines Bitcoin only and is counted.
     */
    public void setCustomMiningJob(final MiningDownstream wire,
        final org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob m)
    {
        final int channelId = (int)m.channelId();
        final int requestId = (int)m.requestId();
        if (customTokens == null || jobIds == null)
        {
            wire.setCustomMiningJobError(channelId, requestId, "jd-not-supported");
            return;
        }
        final Channel c = channels.get(channelId);
        if (c == null || c.downstream != wire || !c.extended)
        {
            wire.setCustomMiningJobError(channelId, requestId, "invalid-channel-id");
            return;
        }
        final Job tip = currentJob;
        final org.bitcoincommons.sv2.jd.CustomJobCheck.Result r = org.bitcoincommons.sv2.jd.CustomJobCheck.check(m,
            customTokens.take(m.miningJobToken(), clock.time()), tip == null ? null : tip.prevHash(),
            tip == null ? 0 : tip.nbits(), c.extranoncePrefix.length + c.extranonceSize, customPayout);
        if (r.error() != null)
        {
            customJobsRefused++;
            LOG.debug("channel {}: SetCustomMiningJob {} refused: {}", channelId, requestId, r.error());
            wire.setCustomMiningJobError(channelId, requestId, r.error());
            return;
        }
        final org.bitcoincommons.sv2.work.JobFactory.Decoration aux =
            customAux.customJobWork(m.coinbasePrefix(), r.coinbase());
        if (customAux.auxChainsMined() > 0)
        {
            if (aux.chainMask() == 1L)
            {
                customJobsWithoutAux++;
            }
            else
            {
                customJobsWithAux++;
            }
        }
        final Job job = new Job(jobIds.getAsInt(), r.template(), r.coinbase(), aux.chainMask(), aux.auxWork(),
            aux.auxMaxTarget());
        shares.flushChannel(c);
        recordJob(c, job, false);
        customJobsAccepted++;
        wire.setCustomMiningJobSuccess(channelId, requestId, job.jobId());
    }

    /** The checks every OpenMiningChannel passes before any target math: SRI's error codes. */
    private boolean admit(final Downstream d, final int requestId, final float nominalHashrate, final byte[] maxTarget)
    {
        if (!ChannelTargets.validHashrate(nominalHashrate))
        {
            d.wire.openMiningChannelError(requestId, "invalid-nominal-hashrate");
            return false;
        }
        if (!ChannelTargets.minable(maxTarget))
        {
            d.wire.openMiningChannelError(requestId, "max-target-out-of-range");
            return false;
        }
        if (d.channels.size() >= maxChannelsPerConnection || d.channelsWithoutShares >= maxChannelsWithoutShares)
        {
            d.wire.openMiningChannelError(requestId, "max-channels-reached");
            return false;
        }
        return true;
    }

    private static void writeChannelPrefix(final byte[] prefix, final int channelId)
    {
        prefix[0] = (byte)channelId;
        prefix[1] = (byte)(channelId >>> 8);
        prefix[2] = (byte)(channelId >>> 16);
        prefix[3] = (byte)(channelId >>> 24);
    }
}
