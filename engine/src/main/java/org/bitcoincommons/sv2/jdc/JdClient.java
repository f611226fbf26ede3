package org.bitcoincommons.sv2.jdc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.JobDeclarationProtocol;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SetTarget;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.config.JdcConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.work.WorkLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job Declaration client: see the package documentation for the design. One control thread connects to the JDS
 * and the pool, declares the local pool's jobs and sets them as custom jobs on the upstream channel, and falls back to
 * solo mining (and back) on refusals and lost connections; one sender thread forwards shares and PushSolution (the
 * local pool's logic thread only queues them); the two links' reader threads only decode and queue replies.
 */
public final class JdClient implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JdClient.class);
    /** Offset of the scriptSig length in a segwit coinbase: version 4, marker+flag 2, input count 1, outpoint 36. */
    private static final int WITNESS_SCRIPT_SIG_LENGTH_OFFSET = 43;
    /** Local job ids remembered with their upstream custom job id (older ones are stale for the pool too). */
    private static final int MAX_MAPPED_JOBS = 64;
    /** SRI's error code for a token that is unknown, expired, another connection's or already used. */
    private static final String INVALID_TOKEN = "invalid-mining-job-token";
    /**
     * How long a job refused as stale-chain-tip waits before it is declared again when no job on another tip came
     * meanwhile: the refusal also comes from a JDS or pool that has not yet seen a block the client's own node has
     * (each follows its node on its own schedule), and then the client's newest job is the right one.
     */
    private static final long STALE_TIP_RETRY_NS = 1_000_000_000L;

    /** What the client is doing. */
    public enum Mode
    {
        /** Not connected yet: the farm mines solo meanwhile. */
        STARTING,
        /** Declaring the own templates to the JDS, shares go to the pool. */
        DECLARING,
        /** Fallback: the own templates pay {@code pool.coinbase_address}, blocks go to the own node only. */
        SOLO,
        /** Fallback: the farm mines the pool's own jobs through the upstream channel. */
        POOL
    }

    /**
     * The upstream channel a job was made for (its identity marks the job as declared work: {@link Job#auxWork()}).
     *
     * @param lead the bytes before the local extranonce inside the upstream one: the channel's prefix, then zero padding
     * @param pad  how many of {@code lead}'s last bytes are padding (they go into each share's extranonce)
     */
    record Upstream(long channelId, byte[] prefix, int rollable, byte[] lead, int pad)
    {
    }

    /** A job of the pool's, as NewExtendedMiningJob gave it (BIP141-stripped coinbase parts). */
    record PoolJob(long jobId, boolean future, long minNtime, int version, byte[] merklePath, byte[] prefix,
        byte[] suffix)
    {
    }

    /** What SetNewPrevHash said. */
    record SetNewPrevHashParts(long jobId, byte[] prevHash, long minNtime, int nbits)
    {
    }

    /** Marks a local job made from a pool job (its auxWork): shares forwarded, blocks left to the pool. */
    record PoolWork(Upstream upstream)
    {
    }

    /** A test hook run on the control thread between DeclareMiningJob.Success and SetCustomMiningJob. */
    public interface BeforeSetCustomJob
    {
        void run(Job job) throws Exception;
    }

    private final EngineConfig config;
    private final JdcConfig jc;
    private final EpochClock clock;
    /** The configured upstreams in the order they are tried, and each one's decoded authority key. */
    private final List<JdcConfig.Upstream> upstreams;
    private final byte[][] authorities;
    private final PoolServer local;
    private final BeforeSetCustomJob beforeSetCustomJob;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "jdc-sender");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> jdsReplies = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> upstreamReplies = new LinkedBlockingQueue<>();
    private final java.util.concurrent.BlockingDeque<AllocateMiningJobTokenSuccess> tokens =
        new java.util.concurrent.LinkedBlockingDeque<>();
    private final Map<Integer, Long> upstreamJobIds = new ConcurrentHashMap<>();
    private final UnsafeBuffer shareFrame = new UnsafeBuffer(new byte[256]);
    private final SubmitSharesExtended shareEncoder = new SubmitSharesExtended();
    /** Sender thread: a forwarded share's upstream extranonce (an SV2 extranonce is at most 32 bytes). */
    private final byte[] shareExtranonce = new byte[32];
    private final UnsafeBuffer shareExtranonceBuffer = new UnsafeBuffer(shareExtranonce);
    private final Object lock = new Object();

    private volatile boolean running;
    /** True while the local pool serves the pool's jobs instead of jobs from the own templates. */
    private volatile boolean poolJobs;
    /** The pool's jobs on the upstream channel by the pool's job id (reader thread writes; guarded by itself). */
    private final Map<Long, PoolJob> poolWork = new LinkedHashMap<>();
    /** The pool's current prev hash, nbits and min ntime (guarded by {@link #poolWork}), or null before the first. */
    private SetNewPrevHashParts poolTip;
    private long poolActiveJobId = -1;
    private volatile Mode mode = Mode.STARTING;
    private volatile Runnable refreshJobs = () -> { };
    private volatile Upstream upstream;
    private volatile byte[] upstreamTarget;
    private volatile byte[] poolScript;
    private volatile Link jds;
    private volatile Link mining;
    private volatile String lastError = "";
    /** Upstream share rejections by error code (a few codes exist). */
    private final Map<String, AtomicLong> shareErrors = new ConcurrentHashMap<>();
    private volatile int[] lastMissingPositions = new int[0];
    private Thread control;
    private long requestIds = 1;
    /** The upstream ({@link #upstreams} index) the client connects to or works with; written by the control thread. */
    private volatile int upstreamIndex;
    /** Control thread: the upstream whose pool {@link #mining} is connected to (kept across a "pool" fallback). */
    private int miningIndex = -1;
    /**
     * Control thread: this attempt got as far as work the pool took (a custom job; coinbase-only: the channel open
     * and a token), which resets the backoff.
     */
    private boolean reachedWork;
    /** Control thread: a fallback since the last custom job. */
    private boolean recovering;
    /**
     * Control thread: the prev hash a stale-chain-tip named; jobs still on it are not declared, except the newest
     * once a second ({@link #STALE_TIP_RETRY_NS}).
     */
    private byte[] staleTip;
    /** Control thread: when {@link #staleTip} was set. */
    private long staleAtNs;
    /** Control thread: the newest job taken from the queue (declared or not). */
    private Job newestJob;
    /** Control thread: when the declaration of the current job began. */
    private long declareStartNs;
    /** The last job's time from its declaration's start to SetCustomMiningJob.Success, microseconds. */
    private volatile long lastDeclareToCustomJobUs = -1;
    private long tokenAtMs;
    private int shareSequence;

    private final AtomicLong declared = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong missingTxsProvided = new AtomicLong();
    private final AtomicLong customJobs = new AtomicLong();
    private final AtomicLong customJobsRefused = new AtomicLong();
    private final AtomicLong staleChainTip = new AtomicLong();
    private final AtomicLong tokensRefused = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong upstreamSwitches = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();
    private final AtomicLong sharesForwarded = new AtomicLong();
    private final AtomicLong sharesNotForwarded = new AtomicLong();
    private final AtomicLong belowUpstreamTarget = new AtomicLong();
    private final AtomicLong sharesAcceptedUpstream = new AtomicLong();
    private final AtomicLong sharesRejectedUpstream = new AtomicLong();
    private final AtomicLong blocksFound = new AtomicLong();
    private final AtomicLong pushSolutions = new AtomicLong();
    private final AtomicLong poolJobsPublished = new AtomicLong();
    private final AtomicLong poolSharesForwarded = new AtomicLong();

    /**
     * @param config             a configuration with {@code [jdc]}
     * @param beforeSetCustomJob null, or a hook (tests: a tip change in the race window)
     * @throws ConfigException when the configuration is not a client's or the local pool cannot be assembled
     */
    public JdClient(final EngineConfig config, final EpochClock clock, final BeforeSetCustomJob beforeSetCustomJob)
    {
        if (!config.jdc().enabled())
        {
            throw new ConfigException("jdc.upstream_addr: this configuration has no [jdc] section");
        }
        this.config = config;
        this.jc = config.jdc();
        this.clock = clock;
        this.upstreams = jc.upstreams();
        this.authorities = new byte[upstreams.size()][];
        for (int i = 0; i < upstreams.size(); i++)
        {
            try
            {
                authorities[i] = AuthorityKeys.decodePublic(upstreams.get(i).authorityKey());
            }
            catch (final RuntimeException ex)
            {
                throw new ConfigException(upstreams.get(i).configKey() + ".authority_public_key: not an authority "
                    + "public key (" + ex.getMessage() + ")");
            }
        }
        this.beforeSetCustomJob = beforeSetCustomJob;
        this.local = new PoolServer(config, clock, (c, network, accounting, refresh) ->
        {
            refreshJobs = refresh;
            return new Layer(new RewardRecorder(accounting, c.stratumV2().mergeMiningFee()));
        });
    }

    /** Starts the local pool (the farm can mine solo at once), then the control thread. */
    public synchronized void start() throws IOException
    {
        local.start();
        running = true;
        control = new Thread(this::controlLoop, "jdc-control");
        control.setDaemon(true);
        control.start();
    }

    /** The local pool the farm's miners connect to. */
    public PoolServer localPool()
    {
        return local;
    }

    /** Where the farm's SV2 miners connect. */
    public InetSocketAddress downstreamAddress()
    {
        return local.sv2Address();
    }

    public Mode mode()
    {
        return mode;
    }

    /** Live counters (any thread). */
    public Map<String, Object> status()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        final int index = upstreamIndex;
        m.put("upstream_index", index);
        m.put("upstream_addr", hostPort(upstreams.get(index).upstreamAddr()));
        m.put("jds_addr", hostPort(upstreams.get(index).jdsAddr()));
        m.put("upstreams", upstreams.size());
        m.put("upstream_switches", upstreamSwitches.get());
        m.put("upstream_connected", mining != null && !mining.closed());
        m.put("jds_connected", jds != null && !jds.closed());
        m.put("jobs_declared", declared.get());
        m.put("declarations_refused", refused.get());
        m.put("missing_txs_provided", missingTxsProvided.get());
        m.put("custom_jobs", customJobs.get());
        m.put("custom_jobs_refused", customJobsRefused.get());
        m.put("last_declare_to_custom_job_us", lastDeclareToCustomJobUs);
        m.put("stale_chain_tip", staleChainTip.get());
        m.put("tokens_refused", tokensRefused.get());
        m.put("fallbacks", fallbacks.get());
        m.put("recoveries", recoveries.get());
        m.put("shares_forwarded", sharesForwarded.get());
        m.put("shares_not_forwarded", sharesNotForwarded.get());
        m.put("shares_below_upstream_target", belowUpstreamTarget.get());
        m.put("shares_accepted_upstream", sharesAcceptedUpstream.get());
        m.put("shares_rejected_upstream", sharesRejectedUpstream.get());
        m.put("share_errors", new java.util.TreeMap<>(shareErrors));
        m.put("blocks_found", blocksFound.get());
        m.put("push_solutions", pushSolutions.get());
        m.put("pool_jobs_mined", poolJobsPublished.get());
        m.put("shares_forwarded_on_pool_jobs", poolSharesForwarded.get());
        m.put("last_error", lastError);
        return m;
    }

    private static String hostPort(final InetSocketAddress a)
    {
        return a.getHostString() + ":" + a.getPort();
    }

    /** The index (in configuration order) of the upstream the client works with or tries next. */
    public int upstreamIndex()
    {
        return upstreamIndex;
    }

    /** The upstream the client works with or tries next. */
    public JdcConfig.Upstream currentUpstream()
    {
        return upstreams.get(upstreamIndex);
    }

    /** Moves from one upstream to the next after a failure (never with a single upstream). */
    public long upstreamSwitches()
    {
        return upstreamSwitches.get();
    }

    public long jobsDeclared()
    {
        return declared.get();
    }

    public long customJobs()
    {
        return customJobs.get();
    }

    public long tokensRefused()
    {
        return tokensRefused.get();
    }

    public long staleChainTips()
    {
        return staleChainTip.get();
    }

    public long fallbacks()
    {
        return fallbacks.get();
    }

    public long recoveries()
    {
        return recoveries.get();
    }

    public long sharesForwarded()
    {
        return sharesForwarded.get();
    }

    public long sharesAcceptedUpstream()
    {
        return sharesAcceptedUpstream.get();
    }

    /** Jobs of the pool's given to the farm during "pool" fallbacks. */
    public long poolJobsMined()
    {
        return poolJobsPublished.get();
    }

    /** Shares forwarded on the pool's own jobs (during "pool" fallbacks). */
    public long poolSharesForwarded()
    {
        return poolSharesForwarded.get();
    }

    public long pushSolutions()
    {
        return pushSolutions.get();
    }

    /** The positions the JDS's last ProvideMissingTransactions asked for (0-based, coinbase excluded). */
    public int[] lastMissingPositions()
    {
        return lastMissingPositions.clone();
    }

    public long missingTxsProvided()
    {
        return missingTxsProvided.get();
    }

    // ------------------------------------------------------------------------------------------------ control thread

    /** A reason to stop declaring: the farm falls back until the JDS and the pool take declarations again. */
    private static final class Fallback extends Exception
    {
        Fallback(final String message)
        {
            super(message, null, false, false);
        }
    }

    private void controlLoop()
    {
        long backoffMs = jc.retryMinMs();
        String failure = null;
        while (running)
        {
            try
            {
                if (failure != null && upstreams.size() > 1)
                {
                    switchUpstream(failure);
                }
                failure = null;
                reachedWork = false;
                connect();
                if (jc.coinbaseOnly())
                {
                    reachedWork = true;   // the channel is open and the JDS gave a token
                }
                if (mode != Mode.DECLARING)
                {
                    LOG.info("jdc: declaring to upstream #{} (JDS {}, pool {}, upstream channel {})", upstreamIndex,
                        currentUpstream().jdsAddr(), currentUpstream().upstreamAddr(), upstream.channelId());
                    mode = Mode.DECLARING;
                }
                poolJobs = false;
                refreshJobs.run();
                serve();
            }
            catch (final Fallback | IOException | RuntimeException ex)
            {
                if (!running)
                {
                    break;
                }
                lastError = String.valueOf(ex.getMessage());
                failure = lastError;
                // "pool": while the pool's channel is still up, the farm mines the pool's own jobs through it
                final boolean keepPool = jc.poolFallback() && mining != null && !mining.closed() &&
                    upstream != null;
                if (keepPool)
                {
                    closeJds();
                }
                else
                {
                    disconnect();
                }
                if (reachedWork)
                {
                    backoffMs = jc.retryMinMs();   // this upstream worked for a while: retry soon
                }
                final Mode target = keepPool ? Mode.POOL : Mode.SOLO;
                if (mode != target)
                {
                    if (mode == Mode.DECLARING || mode == Mode.STARTING)
                    {
                        fallbacks.incrementAndGet();
                        recovering = true;
                    }
                    LOG.warn("jdc: falling back to {} mining: {}", keepPool ? "the pool's jobs" : "solo",
                        ex.getMessage());
                    mode = target;
                    poolJobs = keepPool;
                    if (keepPool)
                    {
                        publishPoolJob(true);
                    }
                    else
                    {
                        refreshJobs.run();
                    }
                }
                try
                {
                    Thread.sleep(backoffMs);   // retry backoff, not a synchronisation
                }
                catch (final InterruptedException ie)
                {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, jc.retryMaxMs());
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /**
     * Control thread, between attempts: the next upstream in configuration order (wrapping around). The farm keeps
     * mining what the fallback gave it until the attempt on the next upstream connects.
     */
    private void switchUpstream(final String reason)
    {
        final int from = upstreamIndex;
        final int to = (from + 1) % upstreams.size();
        upstreamSwitches.incrementAndGet();
        LOG.warn("jdc: switching from upstream #{} (pool {}, JDS {}) to #{} (pool {}, JDS {}): {}", from,
            upstreams.get(from).upstreamAddr(), upstreams.get(from).jdsAddr(), to, upstreams.get(to).upstreamAddr(),
            upstreams.get(to).jdsAddr(), reason);
        upstreamIndex = to;
    }

    /**
     * Connects what is not connected: the current upstream's pool channel (kept across a "pool" fallback when the
     * upstream stays the same), then its JDS.
     */
    private void connect() throws IOException, Fallback, InterruptedException
    {
        final int index = upstreamIndex;
        final JdcConfig.Upstream target = upstreams.get(index);
        if (mining == null || mining.closed() || upstream == null || miningIndex != index)
        {
            disconnect();
            connectMining();
        }
        else
        {
            closeJds();
        }
        jdsReplies.clear();
        tokens.clear();
        final Link j = new Link("jds", target.jdsAddr(), authorities[index], CommonProtocol.PROTOCOL_JOB_DECLARATION,
            jc.coinbaseOnly() ? 0 : CommonProtocol.FLAG_DECLARE_TX_DATA, jc.responseTimeoutMs());
        jds = j;
        // frames a previous connection's reader still decodes after its close are not this upstream's
        j.startReader((type, b, offset, length) ->
        {
            if (jds == j)
            {
                onJdsFrame(type, b, offset, length);
            }
        }, reason -> onLinkClosed(j, jdsReplies, reason));
        final AllocateMiningJobTokenSuccess first = takeToken();
        tokens.addFirst(first);
    }

    private void connectMining() throws IOException, Fallback, InterruptedException
    {
        upstreamReplies.clear();
        synchronized (poolWork)
        {
            poolWork.clear();
            poolTip = null;
            poolActiveJobId = -1;
        }
        final long timeoutMs = jc.responseTimeoutMs();
        final int index = upstreamIndex;
        final JdcConfig.Upstream target = upstreams.get(index);
        final Link m = new Link("pool", target.upstreamAddr(), authorities[index], CommonProtocol.PROTOCOL_MINING,
            CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING, timeoutMs);
        mining = m;
        miningIndex = index;
        m.startReader((type, b, offset, length) ->
        {
            if (mining == m)
            {
                onMiningFrame(type, b, offset, length);
            }
        }, reason -> onLinkClosed(m, upstreamReplies, reason));
        final int localLength = PoolLogic.CHANNEL_PREFIX_LENGTH + config.pool().extranonceSize();
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        final long req = nextRequestId();
        m.send(new OpenExtendedMiningChannel(req, target.userIdentity(), (float)jc.nominalHashrate(), max,
            localLength));
        final Object reply = await(upstreamReplies, m, timeoutMs, "OpenExtendedMiningChannel");
        if (reply instanceof OpenMiningChannelError e)
        {
            throw new Fallback("the pool refused the upstream channel: " + e.errorCode());
        }
        final OpenExtendedMiningChannelSuccess open = (OpenExtendedMiningChannelSuccess)reply;
        if (open.extranonceSize() < localLength)
        {
            throw new Fallback("the pool's channel rolls " + open.extranonceSize() + " extranonce bytes, the local "
                + "channels need " + localLength);
        }
        final int pad = open.extranonceSize() - localLength;
        final byte[] lead = Arrays.copyOf(open.extranoncePrefix(), open.extranoncePrefix().length + pad);
        upstreamTarget = open.target().clone();
        upstreamJobIds.clear();
        upstream = new Upstream(open.channelId(), open.extranoncePrefix().clone(), open.extranonceSize(), lead, pad);
    }

    private void closeJds()
    {
        final Link j = jds;
        if (j != null)
        {
            j.close();
        }
    }

    private void disconnect()
    {
        final Link j = jds;
        final Link m = mining;
        upstream = null;
        if (j != null)
        {
            j.close();
        }
        if (m != null)
        {
            m.close();
        }
    }

    private void onLinkClosed(final Link link, final BlockingQueue<Object> replies, final String reason)
    {
        if (running)
        {
            LOG.info("jdc: {} connection closed: {}", link.name(), reason);
        }
        // wakes the control thread if it waits for an answer on this link
        replies.offer(new LinkClosed(link));
    }

    private void serve() throws Fallback, IOException, InterruptedException
    {
        while (running)
        {
            if (jds.closed() || mining.closed())
            {
                throw new Fallback((jds.closed() ? "the JDS" : "the pool") + " closed the connection");
            }
            Job job = jobs.poll(100, TimeUnit.MILLISECONDS);
            if (job == null)
            {
                // Still refused as stale and nothing newer: the JDS or the pool may have been the one behind (it
                // follows its node on its own schedule); the newest job is declared again once it had time to catch
                // up. Had our job been the stale one, a job on the new tip would have come from our node by now.
                final Job last = newestJob;
                if (last == null || staleTip == null || !Arrays.equals(last.prevHash(), staleTip)
                    || System.nanoTime() - staleAtNs < STALE_TIP_RETRY_NS)
                {
                    continue;
                }
                staleTip = null;
                job = last;
            }
            for (Job newer = jobs.poll(); newer != null; newer = jobs.poll())
            {
                job = newer;   // only the newest job is worth declaring
            }
            newestJob = job;
            final Upstream u = upstream;
            if (u != null && job.auxWork() == u && !Arrays.equals(job.prevHash(), staleTip))
            {
                declare(job, u);
            }
        }
    }

    /**
     * Declares {@code job} and sets it as a custom job. A token the JDS or the pool no longer takes (expired, already
     * used) is a timing problem, not a refusal of the work: the job is declared once more with a fresh token.
     */
    private void declare(final Job job, final Upstream u) throws Fallback, IOException, InterruptedException
    {
        declareStartNs = System.nanoTime();
        if (!declareOnce(job, u, false))
        {
            tokensRefused.incrementAndGet();
            tokens.clear();
            LOG.info("jdc: a token was refused as {}; declaring job {} again with a fresh one", INVALID_TOKEN,
                job.jobId());
            declareOnce(job, u, true);
        }
    }

    /** @return false when a token was refused and {@code lastAttempt} is false */
    private boolean declareOnce(final Job job, final Upstream u, final boolean lastAttempt)
        throws Fallback, IOException, InterruptedException
    {
        final Template t = job.template();
        final byte[] witnessPrefix = job.coinbase().witnessPrefix();
        final byte[] declaredPrefix = Arrays.copyOf(witnessPrefix, witnessPrefix.length - u.lead().length);
        AllocateMiningJobTokenSuccess token = takeToken();
        if (!jc.coinbaseOnly())
        {
            final List<byte[]> wtxids = new ArrayList<>(t.transactions().size());
            for (final byte[] tx : t.transactions())
            {
                wtxids.add(Sha256d.hash(tx));
            }
            final long req = nextRequestId();
            jds.send(new DeclareMiningJob(req, token.miningJobToken(), job.version() & 0xffffffffL, declaredPrefix,
                job.coinbase().witnessSuffix(), wtxids, new byte[0]));
            byte[] active = null;
            while (active == null)
            {
                final Object r = await(jdsReplies, jds, jc.responseTimeoutMs(), "DeclareMiningJob");
                if (r instanceof ProvideMissingTransactions ask && ask.requestId() == req)
                {
                    final List<byte[]> txs = new ArrayList<>(ask.unknownTxPositionList().length);
                    for (final int p : ask.unknownTxPositionList())
                    {
                        if (p < 0 || p >= t.transactions().size())
                        {
                            throw new Fallback("the JDS asked for transaction " + p + " of " + t.transactions().size());
                        }
                        txs.add(t.transactions().get(p));
                    }
                    lastMissingPositions = ask.unknownTxPositionList().clone();
                    jds.send(new ProvideMissingTransactionsSuccess(req, txs));
                    missingTxsProvided.addAndGet(txs.size());
                }
                else if (r instanceof DeclareMiningJobSuccess ok && ok.requestId() == req)
                {
                    active = ok.newMiningJobToken();
                }
                else if (r instanceof DeclareMiningJobError e && e.requestId() == req)
                {
                    if ("stale-chain-tip".equals(e.errorCode()))
                    {
                        // a race with a new block, not a refusal: the job on the new tip is declared next
                        staleChainTip.incrementAndGet();
                        staleTip = job.prevHash().clone();
                        staleAtNs = System.nanoTime();
                        return true;
                    }
                    if (INVALID_TOKEN.equals(e.errorCode()) && !lastAttempt)
                    {
                        return false;
                    }
                    refused.incrementAndGet();
                    throw new Fallback("DeclareMiningJob.Error " + e.errorCode() + ": " +
                        new String(e.errorDetails(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            declared.incrementAndGet();
            token = new AllocateMiningJobTokenSuccess(token.requestId(), active, token.coinbaseTxOutputs());
        }
        if (beforeSetCustomJob != null)
        {
            try
            {
                beforeSetCustomJob.run(job);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("beforeSetCustomJob hook failed", ex);
            }
        }
        return setCustomJob(job, u, token.miningJobToken(), witnessPrefix, lastAttempt);
    }

    /** @return false when the token was refused and {@code lastAttempt} is false */
    private boolean setCustomJob(final Job job, final Upstream u, final byte[] token, final byte[] witnessPrefix,
        final boolean lastAttempt) throws Fallback, IOException, InterruptedException
    {
        final Template t = job.template();
        final int scriptSigStart = WITNESS_SCRIPT_SIG_LENGTH_OFFSET + 1;
        final byte[] scriptSigPrefix = Arrays.copyOfRange(witnessPrefix, scriptSigStart,
            witnessPrefix.length - u.lead().length);
        final byte[] legacySuffix = job.coinbaseSuffix();
        // legacy suffix: nSequence (4) | outputs (CompactSize count, outputs) | nLockTime (4)
        final byte[] outputs = Arrays.copyOfRange(legacySuffix, 4, legacySuffix.length - 4);
        final long txVersion = (witnessPrefix[0] & 0xffL) | (witnessPrefix[1] & 0xffL) << 8 |
            (witnessPrefix[2] & 0xffL) << 16 | (witnessPrefix[3] & 0xffL) << 24;
        final List<byte[]> path = new ArrayList<>(job.merklePathCount());
        for (int i = 0; i < job.merklePathCount(); i++)
        {
            path.add(Arrays.copyOfRange(job.merklePath(), i * 32, i * 32 + 32));
        }
        final long req = nextRequestId();
        mining.send(new SetCustomMiningJob(u.channelId(), req, token, job.version() & 0xffffffffL, job.prevHash(),
            job.minNtime() & 0xffffffffL, job.nbits() & 0xffffffffL, txVersion, scriptSigPrefix,
            t.coinbaseSequence() & 0xffffffffL, outputs, t.coinbaseLockTime() & 0xffffffffL, path));
        while (true)
        {
            final Object r = await(upstreamReplies, mining, jc.responseTimeoutMs(), "SetCustomMiningJob");
            if (r instanceof SetCustomMiningJobSuccess ok && ok.requestId() == req)
            {
                if (upstreamJobIds.size() >= MAX_MAPPED_JOBS)
                {
                    upstreamJobIds.clear();
                }
                upstreamJobIds.put(job.jobId(), ok.jobId());
                if (recovering)
                {
                    // counted before the custom job, so that whoever sees the job counted sees the recovery too
                    recovering = false;
                    recoveries.incrementAndGet();
                    LOG.info("jdc: the JDS takes declarations again");
                }
                customJobs.incrementAndGet();
                lastDeclareToCustomJobUs = (System.nanoTime() - declareStartNs) / 1000;
                LOG.info("jdc: job {} ({} transactions) is the pool's custom job {}, {} us after its declaration began",
                    job.jobId(), job.template().transactions().size(), ok.jobId(), lastDeclareToCustomJobUs);
                reachedWork = true;
                return true;
            }
            if (r instanceof SetCustomMiningJobError e && e.requestId() == req)
            {
                customJobsRefused.incrementAndGet();
                if ("stale-chain-tip".equals(e.errorCode()))
                {
                    // the pool moved to a new block between our declaration and this: the own source's job on the
                    // new tip is declared when it arrives (jobs still on this tip would be refused)
                    staleChainTip.incrementAndGet();
                    staleTip = job.prevHash().clone();
                    staleAtNs = System.nanoTime();
                    LOG.info("jdc: SetCustomMiningJob on a stale tip; declaring again on the new one");
                    return true;
                }
                if (INVALID_TOKEN.equals(e.errorCode()) && !lastAttempt)
                {
                    return false;
                }
                throw new Fallback("SetCustomMiningJob.Error " + e.errorCode());
            }
        }
    }

    /** A token allocated ahead of need, fresh enough; asks for the next one at once. */
    private AllocateMiningJobTokenSuccess takeToken() throws Fallback, IOException, InterruptedException
    {
        AllocateMiningJobTokenSuccess t = tokens.poll();
        if (t != null && clock.time() - tokenAtMs > jc.tokenMaxAgeSec() * 1000)
        {
            t = null;
            tokens.clear();
        }
        if (t == null)
        {
            jds.send(new AllocateMiningJobToken(currentUpstream().userIdentity(), nextRequestId()));
            t = tokens.poll(jc.responseTimeoutMs(), TimeUnit.MILLISECONDS);
            if (t == null)
            {
                throw new Fallback("no AllocateMiningJobToken.Success within " + jc.responseTimeoutMs() + " ms");
            }
        }
        acceptOutputs(t.coinbaseTxOutputs());
        jds.send(new AllocateMiningJobToken(currentUpstream().userIdentity(), nextRequestId()));
        tokenAtMs = clock.time();
        return t;
    }

    /** The pool's payout script: the first of the token's outputs (CompactSize count, then value 8 | script). */
    private void acceptOutputs(final byte[] outputs) throws Fallback
    {
        if (outputs.length < 10 || (outputs[0] & 0xff) < 1 || (outputs[9] & 0xff) >= 0xfd ||
            10 + (outputs[9] & 0xff) > outputs.length)
        {
            throw new Fallback("AllocateMiningJobToken.Success without a payout output");
        }
        final byte[] script = Arrays.copyOfRange(outputs, 10, 10 + (outputs[9] & 0xff));
        final byte[] before = poolScript;
        poolScript = script;
        if (before != null && !Arrays.equals(before, script))
        {
            refreshJobs.run();
        }
    }

    private long nextRequestId()
    {
        synchronized (lock)
        {
            return requestIds++ & 0xffffffffL;
        }
    }

    /**
     * The next reply on {@code q} for a request sent on {@code link}. A previous connection's close, which its reader
     * thread may report after the queue was cleared for a new connection, is skipped: only {@code link}'s close ends
     * the wait.
     */
    private Object await(final BlockingQueue<Object> q, final Link link, final long timeoutMs, final String what)
        throws Fallback, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final Object r = q.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null)
            {
                throw new Fallback("no answer to " + what + " within " + timeoutMs + " ms");
            }
            if (r instanceof LinkClosed closed)
            {
                if (closed.link() != link)
                {
                    continue;   // an earlier connection's
                }
                throw new Fallback("connection closed while waiting for the answer to " + what);
            }
            return r;
        }
    }

    /** A reader thread's report that its connection ended (queued to wake a control thread waiting on it). */
    private record LinkClosed(Link link)
    {
    }

    // -------------------------------------------------------------------------------------------------- reader threads

    private void onJdsFrame(final int type, final DirectBuffer b, final int offset, final int length)
    {
        switch (type)
        {
            case JobDeclarationProtocol.MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN_SUCCESS ->
                tokens.offer(AllocateMiningJobTokenSuccess.decode(b, offset, length));
            case JobDeclarationProtocol.MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS ->
                jdsReplies.offer(ProvideMissingTransactions.decode(b, offset, length));
            case JobDeclarationProtocol.MESSAGE_TYPE_DECLARE_MINING_JOB_SUCCESS ->
                jdsReplies.offer(DeclareMiningJobSuccess.decode(b, offset, length));
            case JobDeclarationProtocol.MESSAGE_TYPE_DECLARE_MINING_JOB_ERROR ->
                jdsReplies.offer(DeclareMiningJobError.decode(b, offset, length));
            default ->
            {
                // nothing else is addressed to a client
            }
        }
    }

    private final SetTarget setTarget = new SetTarget();
    private final SubmitSharesSuccess submitSuccess = new SubmitSharesSuccess();
    private final SubmitSharesError submitError = new SubmitSharesError();

    private void onMiningFrame(final int type, final DirectBuffer b, final int offset, final int length)
    {
        switch (type)
        {
            case MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS ->
                upstreamReplies.offer(OpenExtendedMiningChannelSuccess.decode(b, offset, length));
            case MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR ->
                upstreamReplies.offer(OpenMiningChannelError.decode(b, offset, length));
            case MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS ->
                upstreamReplies.offer(SetCustomMiningJobSuccess.decode(b, offset, length));
            case MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR ->
                upstreamReplies.offer(SetCustomMiningJobError.decode(b, offset, length));
            case MiningProtocol.MESSAGE_TYPE_SET_TARGET ->
            {
                setTarget.wrap(b, offset, length);
                final byte[] target = new byte[32];
                setTarget.getMaximumTarget(new UnsafeBuffer(target), 0);
                upstreamTarget = target;
            }
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS ->
                sharesAcceptedUpstream.addAndGet(submitSuccess.wrap(b, offset, length).newSubmitsAcceptedCount());
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR ->
            {
                final String code = submitError.wrap(b, offset, length).errorCode();
                shareErrors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
                sharesRejectedUpstream.incrementAndGet();
            }
            case MiningProtocol.MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB -> onPoolJob(b, offset, length);
            case MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH -> onPoolPrevHash(b, offset, length);
            default ->
            {
                // nothing else is needed here
            }
        }
    }

    /** Reader thread: the pool's own job on the channel, kept for the "pool" fallback (the last few only). */
    private void onPoolJob(final DirectBuffer b, final int offset, final int length)
    {
        final NewExtendedMiningJob m = newExtendedJob.wrap(b, offset, length);
        final byte[] path = new byte[m.merklePathCount() * 32];
        b.getBytes(m.merklePathOffset(), path);
        final byte[] prefix = new byte[m.coinbaseTxPrefixLength()];
        b.getBytes(m.coinbaseTxPrefixOffset(), prefix);
        final byte[] suffix = new byte[m.coinbaseTxSuffixLength()];
        b.getBytes(m.coinbaseTxSuffixOffset(), suffix);
        final PoolJob job = new PoolJob(m.jobId(), !m.hasMinNtime(), m.hasMinNtime() ? m.minNtime() : 0,
            (int)m.version(), path, prefix, suffix);
        synchronized (poolWork)
        {
            poolWork.put(job.jobId(), job);
            while (poolWork.size() > 8)
            {
                poolWork.remove(poolWork.keySet().iterator().next());
            }
            if (job.future())
            {
                return;
            }
            poolActiveJobId = job.jobId();
        }
        if (poolJobs)
        {
            publishPoolJob(false);
        }
    }

    /** Reader thread: the pool moved to a new block; its future job becomes the active one. */
    private void onPoolPrevHash(final DirectBuffer b, final int offset, final int length)
    {
        final SetNewPrevHash m = setNewPrevHash.wrap(b, offset, length);
        final byte[] prev = new byte[32];
        b.getBytes(m.prevHashOffset(), prev);
        synchronized (poolWork)
        {
            poolTip = new SetNewPrevHashParts(m.jobId(), prev, m.minNtime(), (int)m.nbits());
            poolActiveJobId = m.jobId();
        }
        if (poolJobs)
        {
            publishPoolJob(true);
        }
    }

    /**
     * Gives the farm the pool's active job (reader or control thread): the pool's coinbase with the upstream channel's
     * extranonce prefix and padding moved into the local coinbase prefix, so the local extranonces nest as for
     * declared jobs. The local job's id maps to the pool's job id for forwarding. The reader thread (a new job of the
     * pool's) and the control thread (the fallback begins) may publish at once: the lock keeps the farm's last job the
     * pool's newest, not an older one read first and published last, whose shares the pool would refuse as stale.
     */
    private void publishPoolJob(final boolean newTip)
    {
        synchronized (poolPublishLock)
        {
            publishPoolJobLocked(newTip);
        }
    }

    private final Object poolPublishLock = new Object();

    private void publishPoolJobLocked(final boolean newTip)
    {
        final Upstream u = upstream;
        final PoolJob j;
        final SetNewPrevHashParts tip;
        synchronized (poolWork)
        {
            j = poolWork.get(poolActiveJobId);
            tip = poolTip;
        }
        if (u == null || j == null || tip == null)
        {
            return;   // the pool has not sent work yet: published when it does
        }
        final int localLength = PoolLogic.CHANNEL_PREFIX_LENGTH + config.pool().extranonceSize();
        final byte[] prefix = Arrays.copyOf(j.prefix(), j.prefix().length + u.lead().length);
        System.arraycopy(u.lead(), 0, prefix, j.prefix().length, u.lead().length);
        final org.bitcoincommons.sv2.bitcoin.Coinbase coinbase =
            org.bitcoincommons.sv2.bitcoin.Coinbase.fromParts(prefix, j.suffix(), localLength);
        final long minNtime = j.future() ? tip.minNtime() : Math.max(j.minNtime(), tip.minNtime());
        final Template t = new Template(0, 0, j.version(), tip.prevHash(), tip.nbits(), (int)minNtime, 0,
            j.merklePath(), List.of(), null);
        final Job job = new Job(local.allocateJobId(), t, coinbase, 1L, new PoolWork(u), upstreamTarget);
        if (upstreamJobIds.size() >= MAX_MAPPED_JOBS)
        {
            upstreamJobIds.clear();
        }
        upstreamJobIds.put(job.jobId(), j.jobId());
        poolJobsPublished.incrementAndGet();
        local.publishJob(job, newTip);
    }

    private final NewExtendedMiningJob newExtendedJob = new NewExtendedMiningJob();
    private final SetNewPrevHash setNewPrevHash = new SetNewPrevHash();

    // ----------------------------------------------------------------------------------------------- the local pool

    /**
     * Plugged into the local pool as its work layer: decorates every job for the current mode, learns each job, and
     * sees every share that meets the upstream channel's target (the aux-candidate path) and every block.
     */
    private final class Layer implements WorkLayer
    {
        private final RewardRecorder recorder;

        Layer(final RewardRecorder recorder)
        {
            this.recorder = recorder;
        }

        @Override
        public JobFactory.Decoration decorate(final Template template)
        {
            final Upstream u = upstream;
            final byte[] script = poolScript;
            if (mode != Mode.DECLARING || u == null || script == null)
            {
                return JobFactory.Decoration.NONE;
            }
            return new JobFactory.Decoration(new byte[0], List.of(), 1L, u, upstreamTarget, script, u.lead());
        }

        @Override
        public boolean templateJobs()
        {
            return !poolJobs;
        }

        @Override
        public void jobCreated(final Job job)
        {
            if (job.auxWork() instanceof Upstream)
            {
                jobs.offer(job);
            }
        }

        @Override
        public BlockSink blockSink(final BlockSink bitcoin)
        {
            return new BlockSink()
            {
                @Override
                public void blockFound(final BlockCandidate candidate)
                {
                    blocksFound.incrementAndGet();
                    if (candidate.job().auxWork() instanceof PoolWork pw)
                    {
                        // the pool's job: the local side lacks its transactions, the pool builds the block
                        sender.execute(() -> forward(candidate, pw.upstream()));
                        return;
                    }
                    bitcoin.blockFound(candidate);
                    if (candidate.job().auxWork() instanceof Upstream u)
                    {
                        sender.execute(() ->
                        {
                            forward(candidate, u);
                            pushSolution(candidate, u);
                        });
                    }
                }

                @Override
                public void auxCandidate(final BlockCandidate candidate)
                {
                    if (candidate.job().auxWork() instanceof Upstream u)
                    {
                        sender.execute(() -> forward(candidate, u));
                    }
                    else if (candidate.job().auxWork() instanceof PoolWork pw)
                    {
                        sender.execute(() -> forward(candidate, pw.upstream()));
                    }
                }
            };
        }

        @Override
        public RewardRecorder recorder()
        {
            return recorder;
        }

        @Override
        public void start()
        {
        }

        @Override
        public int chainCount()
        {
            return 0;
        }

        @Override
        public void close()
        {
        }
    }

    /** Sender thread: the share on the upstream custom job, with the upstream channel's rollable extranonce. */
    private void forward(final BlockCandidate c, final Upstream u)
    {
        final Long upstreamJob = upstreamJobIds.get(c.job().jobId());
        final Link m = mining;
        if (upstreamJob == null || u != upstream || m == null)
        {
            sharesNotForwarded.incrementAndGet();
            return;
        }
        final byte[] target = upstreamTarget;
        if (!Target.hashMeetsTarget(c.hash(), 0, target, 0))
        {
            // the job was made under an easier upstream target than the pool's SetTarget since
            belowUpstreamTarget.incrementAndGet();
            return;
        }
        final byte[] h = c.header();
        final int rollable = u.rollable();
        java.util.Arrays.fill(shareExtranonce, 0, u.pad(), (byte)0);
        System.arraycopy(c.extranonce(), 0, shareExtranonce, u.pad(), c.extranonce().length);
        final int len = shareEncoder.wrapForEncode(shareFrame, FrameHeaderFlyweight.HEADER_LENGTH)
            .channelId(u.channelId()).sequenceNumber(++shareSequence & 0xffffffffL).jobId(upstreamJob)
            .nonce(le32(h, 76)).ntime(le32(h, 68)).version(le32(h, 0))
            .extranonce(shareExtranonceBuffer, 0, rollable).encodedLength();
        FrameHeaderFlyweight.write(shareFrame, 0, 0, true, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED, len);
        try
        {
            m.sendFrame(shareFrame, FrameHeaderFlyweight.HEADER_LENGTH + len);
            sharesForwarded.incrementAndGet();
            if (c.job().auxWork() instanceof PoolWork)
            {
                poolSharesForwarded.incrementAndGet();
            }
        }
        catch (final IOException ex)
        {
            sharesNotForwarded.incrementAndGet();
        }
    }

    /** Sender thread: the block to the JDS too (Full-Template mode), which rebuilds it and submits it to its node. */
    private void pushSolution(final BlockCandidate c, final Upstream u)
    {
        final Link j = jds;
        if (jc.coinbaseOnly() || j == null)
        {
            return;
        }
        final byte[] h = c.header();
        final byte[] full = new byte[u.prefix().length + u.rollable()];
        System.arraycopy(u.prefix(), 0, full, 0, u.prefix().length);
        System.arraycopy(c.extranonce(), 0, full, u.prefix().length + u.pad(), c.extranonce().length);
        try
        {
            j.send(new PushSolution(full, c.job().prevHash(), le32(h, 76), le32(h, 68), c.job().nbits() & 0xffffffffL,
                le32(h, 0)));
            pushSolutions.incrementAndGet();
        }
        catch (final IOException ex)
        {
            LOG.warn("jdc: PushSolution failed: {}", ex.getMessage());
        }
    }

    private static long le32(final byte[] b, final int o)
    {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    @Override
    public void close()
    {
        running = false;
        final Thread t = control;
        if (t != null)
        {
            t.interrupt();
            try
            {
                t.join(5000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
        sender.shutdown();
        local.close();
    }
}
