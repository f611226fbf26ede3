package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.Job;

/**
 * A mining channel as the pool logic thread keeps it. Owned by that thread only.
 */
final class Channel implements Vardiff.HashrateOfTarget
{
    /** Jobs remembered per channel: the current chain tip's recent jobs. */
    static final int JOB_SLOTS = 8;

    final int channelId;
    final MiningDownstream downstream;
    final boolean extended;
    /**
     * The worker credited with this channel's shares, registered on its first accepted share (or block); -1 until
     * then, so a channel that never submits work leaves no worker state and no journal record.
     */
    int workerId = -1;
    /** Named at open; a Stratum V1 channel is named at mining.authorize, before it can have shares. */
    String userIdentity;
    /** The prefix jobs sent from now on use (replaced by SetExtranoncePrefix; arrays are never modified). */
    byte[] extranoncePrefix;
    /** Rollable extranonce bytes the miner must send (extended channels); 0 for standard channels. */
    final int extranonceSize;
    final int groupChannelId;
    final Vardiff vardiff;
    /** The channel's target policy (the pool's, or its endpoint's, e.g. Stratum V1's). */
    final ChannelTargets targets;
    /** The hardest target ever set, LE, or null for no cap. */
    final byte[] minTarget;
    /** Re-issue the current work under a fresh job id after each retarget (see {@link ChannelPolicy}). */
    final boolean newJobOnRetarget;
    /** 0, or the significant digits targets are snapped to as difficulties (see {@link ChannelPolicy}). */
    final int difficultyDigits;

    final byte[] maxTarget = new byte[32];
    final byte[] target = new byte[32];
    /** Its connection's merged-mining account subscription (extension 0x4D4D), or null. */
    MergeMiningAccounts.Subscription account;
    /** The hashrate {@link #target} stands for at {@link #hashrateSpm}, kept until either changes (vardiff's tick). */
    private final byte[] hashrateTarget = new byte[32];
    private double hashrateOfTarget = Double.NaN;
    private double hashrateSpm;
    double hashrate;

    /**
     * Per-job state, a small ring keyed by job id. Every array is allocated with the channel and kept for its life;
     * 32-byte values of all slots share one array ({@code slot * 32}), and the arrays only one kind of channel uses
     * are null for the other: a channel is about 16 objects, not 45, which is what a reconnect storm's young
     * collections copy per new miner (jmh-results/load.md, session 15).
     */
    final int[] slotJobId = new int[JOB_SLOTS];
    final Job[] slotJob = new Job[JOB_SLOTS];
    /** The extranonce prefix each job was sent under: shares on a job keep it after a SetExtranoncePrefix. */
    final byte[][] slotPrefix = new byte[JOB_SLOTS][];
    /** The target each job was sent under, LE, at {@code slot * 32}. */
    final byte[] slotTarget = new byte[JOB_SLOTS * 32];
    final double[] slotDifficulty = new double[JOB_SLOTS];
    final boolean[] slotFuture = new boolean[JOB_SLOTS];
    /**
     * Standard channels: the job's merkle root with this channel's extranonce at {@code slot * 32}, computed on first
     * use.
     */
    final byte[] slotMerkleRoot;
    final boolean[] slotMerkleReady;
    /**
     * Standard channels: SHA-256 midstate of the header's first 64 bytes for the last version seen per job, at
     * {@code slot * 32}.
     */
    final byte[] slotMidstate;
    final int[] slotMidstateVersion;
    final boolean[] slotMidstateReady;
    /**
     * Extended channels: the job's coinbase context (hash.CoinbaseDescriptor: midstate of the coinbase up to the
     * miner's extranonce, tail, suffix, merkle path), written on first use; its length, or -1 when the job's coinbase
     * does not fit a context (its roots are then folded in Java). Arrays are reused across jobs when large enough.
     */
    final byte[][] slotContext;
    final int[] slotContextLength;
    final boolean[] slotContextReady;
    /** Extended channels: the batch whose context table holds a copy of the slot's context, and where. */
    final long[] slotContextBatch;
    final int[] slotContextOffset;
    int nextSlot;

    /** Successes of the current batch, flushed as one SubmitShares.Success. */
    int pendingCount;
    long pendingSum;
    double pendingDifficulty;
    int pendingLastSequence;
    boolean pendingQueued;

    long sharesAccepted;
    long sharesRejected;
    /** Rejections by {@link ShareError} ordinal, for the per-worker view. */
    final long[] rejectsByReason = new long[ShareError.values().length];
    /** Wall clock of the last accepted share, ms (0: none yet). */
    long lastShareMs;
    /** Sum of the difficulties of accepted shares, for the per-worker view. */
    double acceptedWork;
    final long openedMs;
    long blocksFound;
    /**
     * Merged-mining credit by chain index (bit i of a job's chain mask; 0 is Bitcoin and is not kept here): shares
     * accepted on jobs that committed to that aux chain, and their difficulty sum, exactly what the journal's
     * accounting credits the chain with. Null until the channel's first share on a job with aux work (allocated once).
     */
    long[] auxShares;
    double[] auxWork;
    /** Hashrate from accepted work, as moving averages over about 1 min, 15 min and 1 h (H/s); updated each tick. */
    final double[] hashrateAverage = new double[HASHRATE_WINDOWS_SEC.length];
    private double workAtLastTick;
    private long lastTickMs;
    boolean closed;

    /** The time constants of the hashrate averages, seconds. */
    static final double[] HASHRATE_WINDOWS_SEC = {60, 900, 3600};

    Channel(final int channelId, final MiningDownstream downstream, final boolean extended, final String userIdentity, final byte[] extranoncePrefix, final int extranonceSize, final int groupChannelId,
        final long nowMs, final ChannelTargets targets, final double minHashrate, final byte[] minTarget,
        final boolean newJobOnRetarget, final int difficultyDigits)
    {
        this.difficultyDigits = difficultyDigits;
        this.channelId = channelId;
        this.downstream = downstream;
        this.extended = extended;
        this.userIdentity = userIdentity;
        this.extranoncePrefix = extranoncePrefix;
        this.extranonceSize = extranonceSize;
        this.groupChannelId = groupChannelId;
        this.vardiff = new Vardiff(nowMs / 1000, minHashrate);
        this.targets = targets;
        this.minTarget = minTarget;
        this.newJobOnRetarget = newJobOnRetarget;
        this.openedMs = nowMs;
        this.slotMerkleRoot = extended ? null : new byte[JOB_SLOTS * 32];
        this.slotMerkleReady = extended ? null : new boolean[JOB_SLOTS];
        this.slotMidstate = extended ? null : new byte[JOB_SLOTS * 32];
        this.slotMidstateVersion = extended ? null : new int[JOB_SLOTS];
        this.slotMidstateReady = extended ? null : new boolean[JOB_SLOTS];
        this.slotContext = extended ? new byte[JOB_SLOTS][] : null;
        this.slotContextLength = extended ? new int[JOB_SLOTS] : null;
        this.slotContextReady = extended ? new boolean[JOB_SLOTS] : null;
        this.slotContextBatch = extended ? new long[JOB_SLOTS] : null;
        this.slotContextOffset = extended ? new int[JOB_SLOTS] : null;
        java.util.Arrays.fill(slotJobId, -1);
    }

    /**
     * Folds the work accepted since the last tick into the hashrate averages (exponential, time constants
     * {@link #HASHRATE_WINDOWS_SEC}); a channel younger than a window averages over its age, so a new worker's figure
     * is not diluted by the time before it existed. Logic thread, once per tick.
     */
    void tickHashrate(final long nowMs)
    {
        if (lastTickMs == 0)
        {
            lastTickMs = openedMs;
        }
        final double dt = (nowMs - lastTickMs) / 1000.0;
        if (dt <= 0)
        {
            return;
        }
        final double rate = (acceptedWork - workAtLastTick) * 4294967296.0 / dt;
        final double age = (nowMs - openedMs) / 1000.0;
        for (int i = 0; i < HASHRATE_WINDOWS_SEC.length; i++)
        {
            final double tau = Math.min(HASHRATE_WINDOWS_SEC[i], Math.max(age, dt));
            final double alpha = 1.0 - Math.exp(-dt / tau);
            hashrateAverage[i] += alpha * (rate - hashrateAverage[i]);
        }
        workAtLastTick = acceptedWork;
        lastTickMs = nowMs;
    }

    /** Credits one accepted share of {@code difficulty} to every aux chain in {@code auxMask} (bit 0 clear). */
    void creditAux(final long auxMask, final double difficulty)
    {
        if (auxShares == null)
        {
            auxShares = new long[64];
            auxWork = new double[64];
        }
        long m = auxMask;
        while (m != 0)
        {
            final int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            auxShares[i]++;
            auxWork[i] += difficulty;
        }
    }

    /** True once a share (or block) of this channel has been credited to its worker. */
    boolean proven()
    {
        return workerId >= 0;
    }

    /** The slot holding {@code jobId}, or -1. */
    int slotOf(final int jobId)
    {
        for (int i = 0; i < JOB_SLOTS; i++)
        {
            if (slotJobId[i] == jobId)
            {
                return i;
            }
        }
        return -1;
    }

    /** Records a job sent to this channel with the channel's current target; returns its slot. */
    int addJob(final Job job, final boolean future, final double difficulty)
    {
        final int slot = nextSlot;
        nextSlot = (nextSlot + 1) % JOB_SLOTS;
        slotJobId[slot] = job.jobId();
        slotJob[slot] = job;
        slotPrefix[slot] = extranoncePrefix;
        System.arraycopy(target, 0, slotTarget, slot * 32, 32);
        slotDifficulty[slot] = difficulty;
        slotFuture[slot] = future;
        if (extended)
        {
            slotContextReady[slot] = false;
            slotContextBatch[slot] = 0;
        }
        else
        {
            slotMerkleReady[slot] = false;
            slotMidstateReady[slot] = false;
        }
        return slot;
    }

    /** SetTarget applies to jobs not yet active (future jobs), never to active ones. */
    void retargetFutureJobs(final double difficulty)
    {
        for (int i = 0; i < JOB_SLOTS; i++)
        {
            if (slotJobId[i] >= 0 && slotFuture[i])
            {
                System.arraycopy(target, 0, slotTarget, i * 32, 32);
                slotDifficulty[i] = difficulty;
            }
        }
    }

    void activate(final int jobId)
    {
        final int slot = slotOf(jobId);
        if (slot >= 0)
        {
            slotFuture[slot] = false;
        }
    }

    /**
     * {@link ChannelTargets#hashrateOf} of the current target, computed again only when the target or the share rate
     * changed: the division is in 128-digit decimals, and the tick asks it of every channel every round.
     */
    double hashrateOfTarget(final double sharesPerMinute)
    {
        return hashrate(sharesPerMinute);
    }

    /** Vardiff's view of {@link #hashrateOfTarget}: the channel is its own estimator, so the tick captures nothing. */
    @Override
    public double hashrate(final double sharesPerMinute)
    {
        if (Double.isNaN(hashrateOfTarget) || sharesPerMinute != hashrateSpm
            || !java.util.Arrays.equals(hashrateTarget, target))
        {
            hashrateOfTarget = ChannelTargets.hashrateOf(target, sharesPerMinute);
            hashrateSpm = sharesPerMinute;
            System.arraycopy(target, 0, hashrateTarget, 0, 32);
        }
        return hashrateOfTarget;
    }
}
