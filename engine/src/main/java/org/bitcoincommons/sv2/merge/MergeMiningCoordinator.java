package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.revenue.RevenueSplit;
import org.bitcoincommons.sv2.revenue.MergeAccounting;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.work.WorkLayer;
import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.bitcoincommons.sv2.template.Template;

/**
 * Merge-mines the configured aux chains on top of the pool's Bitcoin jobs.
 * <ul>
 *   <li>Each enabled chain is polled on its own virtual thread ({@link ChainPoller}) every {@code poll_interval_ms};
 *       when any chain's work changes, or a chain goes down or comes back, {@link AuxWorkBoard} builds a new
 *       immutable {@link AuxWorkSnapshot} and runs {@code refreshJobs} (the pool then makes new jobs without waiting
 *       for a Bitcoin tip change).</li>
 *   <li>As the job factory's {@link JobFactory.Decorator} (template thread), it puts ONE fabe6d6d commitment for all
 *       AuxPoW chains in the scriptSig, the RSK tag output, and with auto_distribute the fee output paying
 *       commons_address; the job carries the snapshot, a chain mask and the loosest aux target.</li>
 *   <li>{@link #blockSink(BlockSink)}: a share meeting the loosest aux target, or a Bitcoin block, is checked on the
 *       pool logic thread against each chain's target in its job's snapshot (loosest first, no allocation) and
 *       queued to every chain it meets; the logic thread returns at once. Each chain has its own submission path
 *       ({@link ChainSubmitter}: queue, virtual thread, each aux block submitted once) and its own poller, so a
 *       slow node delays only its own chain; each submission is one state machine ({@link AuxSubmission}).</li>
 *   <li>A chain goes down ({@link ChainHealth}) only after {@code down_after_failures} consecutive failed requests or
 *       when its work is older than {@code max_work_age_ms}; a down chain is left out of new jobs until a poll
 *       succeeds. Only changes of state are logged. Bitcoin mining never waits on an aux node.</li>
 *   <li>Accounting goes through {@link MergeAccounting}; rewards through {@link RewardRecorder}.</li>
 *   <li>{@link #close()} stops the pollers, lets submissions in flight finish for up to the longest
 *       {@code timeout_ms} (at most {@link #MAX_DRAIN_MS}), then interrupts them: each one still waiting is
 *       journaled as unknown.</li>
 * </ul>
 */
public final class MergeMiningCoordinator implements WorkLayer
{
    /**
     * The pool's merged-mining layer: a coordinator when {@code stratum_v2.merge_mining_enabled} names at least one
     * chain, else none.
     */
    public static final WorkLayerFactory FACTORY = factory(() -> null);

    /**
     * The pool's merged-mining layer with its chains' work from {@code source} (asked when the pool starts; null:
     * each chain polls its own node).
     */
    public static WorkLayerFactory factory(final java.util.function.Supplier<AuxWorkSource> source)
    {
        return (config, network, accounting, refreshJobs) ->
            config.stratumV2().mergeMiningEnabled() && !config.merge().enabled(config.stratumV2()).isEmpty()
                ? create(config, network, accounting, refreshJobs, source.get()) : null;
    }

    /** The longest shutdown waits for submissions in flight. */
    public static final long MAX_DRAIN_MS = 10_000;

    private final List<AuxChain> chains = new ArrayList<>();
    private final ChainSubmitter[] submitters = new ChainSubmitter[64];
    private final ChainPoller[] pollers = new ChainPoller[64];
    private final MergeMiningFeeConfig fee;
    private final byte[] commonsScript;
    private final MergeAccounting accounting;
    private final RewardRecorder recorder;
    private final MergeMetrics metrics = new MergeMetrics();
    private final AuxWorkBoard board;
    private final long drainMs;
    private volatile boolean running;
    /** Long.MAX_VALUE while running; once closing, when submissions in flight must be done. */
    private volatile long drainDeadlineMs = Long.MAX_VALUE;

    /**
     * @param configured    every {@code [[merge.chains]]} table in file order: chain i gets journal index i + 1
     * @param enabled       names of the chains to mine (empty when merge mining is disabled)
     * @param fee           the merged-mining fee
     * @param commonsScript scriptPubKey paying commons_address (needed when the fee is auto-distributed), or null
     * @param accounting    receives every accounting event, from the coordinator's threads
     * @param refreshJobs   asks the pool for new jobs (called from poller threads: hand it to the template thread)
     */
    public MergeMiningCoordinator(final List<AuxChainConfig> configured, final List<String> enabled,
        final MergeMiningFeeConfig fee, final byte[] commonsScript, final MergeAccounting accounting,
        final Runnable refreshJobs)
    {
        this(configured, enabled, fee, commonsScript, accounting, refreshJobs, null);
    }

    /**
     * @param source where the chains take work from and send proofs to instead of their own nodes (a cluster
     *               frontend's, {@code [cluster] aux = "cluster"}), or null: each chain polls its {@code rpc_url}
     */
    public MergeMiningCoordinator(final List<AuxChainConfig> configured, final List<String> enabled,
        final MergeMiningFeeConfig fee, final byte[] commonsScript, final MergeAccounting accounting,
        final Runnable refreshJobs, final AuxWorkSource source)
    {
        if (configured.size() > 63)
        {
            throw new IllegalArgumentException("at most 63 aux chains");
        }
        final java.util.Map<Integer, String> ids = new java.util.HashMap<>();
        for (int i = 0; i < configured.size(); i++)
        {
            final AuxChainConfig c = configured.get(i);
            if (enabled.contains(c.name()))
            {
                final String other = c.kind() == AuxChainConfig.Kind.AUXPOW ? ids.putIfAbsent(c.chainId(), c.name()) : null;
                if (other != null)
                {
                    throw new IllegalArgumentException("aux chains \"" + other + "\" and \"" + c.name()
                        + "\" share chain id " + c.chainId() + ": they cannot be in one aux merkle tree");
                }
                final AuxChain chain = new AuxChain(c, i + 1,
                    source == null ? AuxChain.connect(c) : new RemoteAuxNode(c, source));
                chains.add(chain);
            }
        }
        if (fee.enabled() && fee.autoDistribute() && commonsScript == null)
        {
            throw new IllegalArgumentException("auto_distribute needs the commons_address script");
        }
        this.fee = fee;
        this.commonsScript = commonsScript == null ? null : commonsScript.clone();
        this.accounting = accounting;
        this.recorder = new RewardRecorder(accounting, fee);
        this.board = new AuxWorkBoard(chains, metrics, refreshJobs);
        long longestTimeoutMs = 0;
        for (final AuxChain chain : chains)
        {
            pollers[chain.index] = new ChainPoller(chain, board, metrics);
            submitters[chain.index] = new ChainSubmitter(chain, accounting, recorder, metrics, System::currentTimeMillis,
                () -> drainDeadlineMs, board::changed, c -> pollers[c.index].wake());
            longestTimeoutMs = Math.max(longestTimeoutMs, chain.config.timeoutMs());
        }
        this.drainMs = Math.min(MAX_DRAIN_MS, longestTimeoutMs);
        if (source != null)
        {
            // new work from the source: the chain's poller takes it now rather than at its next interval
            source.onWork(name ->
            {
                for (final AuxChain c : chains)
                {
                    if (c.config.name().equals(name))
                    {
                        pollers[c.index].wake();
                    }
                }
            });
        }
    }

    /**
     * The coordinator the pool runs: chains from {@code [[merge.chains]]}, mined when
     * {@code stratum_v2.merge_mining_enabled} and named in {@code secondary_chains}; the fee from
     * {@code [stratum_v2.merge_mining_fee]}, its commons_address decoded for {@code network} when auto-distributed.
     *
     * @throws IllegalArgumentException when commons_address is not an address of {@code network}
     */
    public static MergeMiningCoordinator create(final EngineConfig config, final Network network,
        final MergeAccounting accounting, final Runnable refreshJobs)
    {
        return create(config, network, accounting, refreshJobs, null);
    }

    /**
     * As {@link #create(EngineConfig, Network, MergeAccounting, Runnable)}, the chains' work and submissions going
     * through {@code source} when it is not null.
     */
    public static MergeMiningCoordinator create(final EngineConfig config, final Network network,
        final MergeAccounting accounting, final Runnable refreshJobs, final AuxWorkSource source)
    {
        final MergeMiningFeeConfig fee = config.stratumV2().mergeMiningFee();
        byte[] commons = null;
        if (fee.enabled() && fee.autoDistribute())
        {
            try
            {
                commons = new AddressCodec(network, Base58::decodeCheck).scriptPubKey(fee.commonsAddress());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("stratum_v2.merge_mining_fee.commons_address: " + ex.getMessage(), ex);
            }
        }
        final List<String> enabled = config.merge().enabled(config.stratumV2()).stream()
            .map(AuxChainConfig::name).toList();
        return new MergeMiningCoordinator(config.merge().chains(), enabled, fee, commons, accounting, refreshJobs,
            source);
    }

    /** Names the chains in the journal and starts one poller and one submitter per chain. */
    @Override
    public synchronized void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        for (final AuxChain c : chains)
        {
            accounting.chain(c.index, c.config.name());
        }
        for (final AuxChain c : chains)
        {
            submitters[c.index].start();
            pollers[c.index].start();
        }
    }

    /**
     * Stops polling and taking candidates, lets each chain finish what it has (queued candidates and submissions in
     * flight) until the drain deadline, then interrupts what is left: a submission still waiting for its node is
     * journaled as unknown, candidates never submitted are counted as dropped.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (!running)
            {
                return;
            }
            running = false;
            drainDeadlineMs = System.currentTimeMillis() + drainMs;
        }
        for (final AuxChain c : chains)
        {
            submitters[c.index].stop();
        }
        try
        {
            for (final AuxChain c : chains)
            {
                pollers[c.index].stop();
            }
            for (final AuxChain c : chains)
            {
                submitters[c.index].awaitOrInterrupt(drainDeadlineMs);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------- decorator

    @Override
    public JobFactory.Decoration decorate(final Template template)
    {
        final AuxWorkSnapshot s = board.snapshot();
        final List<JobFactory.Output> outputs = new ArrayList<>(2);
        if (fee.enabled() && fee.autoDistribute())
        {
            final long feeSats = RevenueSplit.percentOf(template.coinbaseValue(), fee.feePercentage());
            if (feeSats > 0)
            {
                outputs.add(new JobFactory.Output(feeSats, commonsScript));
            }
        }
        if (s.rsk() != null)
        {
            // last of our outputs: only the witness commitment and the locktime follow it (RSK allows 128 bytes)
            outputs.add(new JobFactory.Output(0, RskCommitment.outputScript(s.rsk().blockHash())));
        }
        final AuxCommitment commitment = s.commitment();
        final byte[] scriptSig = commitment == null ? new byte[0] : commitment.scriptSigPush();
        if (s.isEmpty() && outputs.isEmpty())
        {
            return JobFactory.Decoration.NONE;
        }
        return new JobFactory.Decoration(scriptSig, List.copyOf(outputs), s.chainMask(), s.isEmpty() ? null : s,
            s.maxTargetLe());
    }

    // ---------------------------------------------------------------------------------------------- custom jobs

    /** The carrier and RSK outputs of the current aux work, for AllocateMiningJobToken.Success (any thread). */
    @Override
    public List<JobFactory.Output> customJobOutputs()
    {
        return CustomJobCommitments.outputs(board.snapshot());
    }

    /** The current or previous aux work a custom job's coinbase commits to ({@link CustomJobCommitments}). */
    @Override
    public JobFactory.Decoration customJobWork(final byte[] scriptSigPrefix,
        final org.bitcoincommons.sv2.bitcoin.Coinbase coinbase)
    {
        return CustomJobCommitments.match(board.generations(), scriptSigPrefix, coinbase);
    }

    @Override
    public int auxChainsMined()
    {
        return chains.size();
    }

    // ---------------------------------------------------------------------------------------------- candidates

    /**
     * Wraps the pool's Bitcoin block sink: Bitcoin blocks still go to it first, and every candidate (Bitcoin block
     * or aux candidate) is also queued for the aux chains. Returns at once on the logic thread.
     */
    @Override
    public BlockSink blockSink(final BlockSink bitcoin)
    {
        return new BlockSink()
        {
            @Override
            public void blockFound(final BlockCandidate candidate)
            {
                bitcoin.blockFound(candidate);
                enqueue(candidate);
            }

            @Override
            public void auxCandidate(final BlockCandidate candidate)
            {
                enqueue(candidate);
            }
        };
    }

    /**
     * Hands a candidate to every chain of its job's snapshot whose target it meets (loosest first). Runs on the pool
     * logic thread: compares targets and offers to bounded queues, never blocks, allocates nothing.
     */
    public void enqueue(final BlockCandidate candidate)
    {
        metrics.candidates.increment();
        if (!(candidate.job().auxWork() instanceof AuxWorkSnapshot s) || s.isEmpty())
        {
            return;
        }
        if (!running)
        {
            metrics.candidatesDropped.increment();
            return;
        }
        final byte[] header = candidate.header();
        final int version = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16
            | (header[3] & 0xff) << 24;
        final List<AuxWorkSnapshot.ChainWork> work = s.chains();
        for (int i = 0; i < work.size(); i++)
        {
            final AuxWorkSnapshot.ChainWork w = work.get(i);
            if (!Target.hashMeetsTarget(candidate.hash(), 0, w.targetLe(), 0))
            {
                break; // loosest first: every later target is tighter
            }
            final ChainSubmitter submitter = submitters[w.chainIndex()];
            if (submitter == null)
            {
                continue;
            }
            // The aux chain refuses a parent with the auxpow flag, or in which it reads its own chain id.
            if (w.kind() == AuxChainConfig.Kind.AUXPOW && ((version & AuxPowVerifier.VERSION_AUXPOW) != 0 ||
                ChainIdRule.forChainId(w.chainId()).parentHasOurChainId(version, w.chainId())))
            {
                metrics.auxPowSkippedVersionBit.increment();
                continue;
            }
            submitter.offer(candidate);
        }
    }

    // ---------------------------------------------------------------------------------------------- views

    /** The current aux work (what the next job will commit to). */
    public AuxWorkSnapshot snapshot()
    {
        return board.snapshot();
    }

    public MergeMetrics metrics()
    {
        return metrics;
    }

    /** The reward recorder; the pool also records Bitcoin (chain 0) blocks through it. */
    @Override
    public RewardRecorder recorder()
    {
        return recorder;
    }

    @Override
    public int chainCount()
    {
        return chains.size();
    }

    @Override
    public List<java.util.Map<String, Object>> chainStatus(final long nowMs)
    {
        final List<java.util.Map<String, Object>> out = new ArrayList<>(chains.size());
        for (final AuxChain c : chains)
        {
            final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", c.config.name());
            m.put("kind", c.config.kind().name().toLowerCase(java.util.Locale.ROOT));
            m.put("chain_id", c.config.chainId());
            m.put("up", c.up());
            final AuxWorkSnapshot.ChainWork w = c.work();
            m.put("height", w == null ? -1 : w.height());
            final long age = c.health.workAgeMs(nowMs);
            m.put("work_age_ms", age == Long.MAX_VALUE ? -1 : age);
            m.put("last_error", c.lastError() == null ? "" : c.lastError());
            m.put("proofs_submitted", c.submitted.get());
            m.put("proofs_accepted", c.accepted.get());
            m.put("proofs_rejected", c.rejected.get());
            m.put("proofs_unknown", c.unknown.get());
            m.put("proofs_in_flight", c.inFlight.get());
            m.put("duplicates_ignored", c.duplicates.get());
            m.put("rewards", recorder.totalRewards(c.index));
            out.add(m);
        }
        return out;
    }

    @Override
    public java.util.SortedMap<Integer, String> chainNames()
    {
        final java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
        for (final AuxChain c : chains)
        {
            out.put(c.index, c.config.name());
        }
        return out;
    }

    /** One view per enabled chain. */
    public List<MergeMiningChannel> channels()
    {
        final List<MergeMiningChannel> out = new ArrayList<>(chains.size());
        for (final AuxChain c : chains)
        {
            out.add(new MergeMiningChannel(c.config.name(), c.config.chainId(), c.index, c.workId(),
                recorder.totalRewards(c.index), c.submitted.get(), c.accepted.get(), c.rejected.get(), c.unknown.get(),
                c.inFlight.get(), c.duplicates.get(), c.up()));
        }
        return out;
    }
}
