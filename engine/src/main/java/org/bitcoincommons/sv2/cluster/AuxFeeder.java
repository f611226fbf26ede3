package org.bitcoincommons.sv2.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.merge.AuxChainEndpoint;
import org.bitcoincommons.sv2.merge.AuxProofOutcome;
import org.bitcoincommons.sv2.merge.AuxWorkItem;
import org.bitcoincommons.sv2.merge.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aux feeder beside a cluster node ({@code [cluster] aux = "cluster"} on a node): while this node's service is the
 * leader, it polls the node's {@code [[merge.chains]]} aux nodes (the merge layer's own requests, through {@link
 * AuxChainEndpoint}) and sends each chain's new work as an AUX_WORK command over its own client session (ingress, never
 * {@code Cluster.offer}: aeron issue 1903), stamped with this member id, the leadership term the session sees and a
 * sequence within it; the cluster keeps per chain only work above the latest (height, term, sequence); unchanged work
 * is sent again every quarter of the chain's {@code max_work_age_ms} while its node answers, so that a frontend can
 * tell work still current from work of a node that stopped answering (it leaves a chain whose work is older than that
 * out of new jobs, as with its own node). It also submits the proofs frontends send (AUX_PROOF on its egress) to the
 * aux node, each once per stint unless the node never answered it (a frontend's retry brings it back), and reports each
 * outcome (AUX_RESULT), which the cluster records and hands to every frontend. After connecting it says it is a feeder
 * (AUX_FEEDER) and is sent every proof still waiting: a proof whose work the previous leader's feeder fetched is
 * submitted by this one, which is why every node's {@code rpc_url} of a chain must reach the same aux node (an aux
 * block lives only in the node that made it). When the node stops being leader it stops polling and closes its session;
 * submissions already under way finish and their outcomes are dropped (the next feeder submits again: a node answers a
 * repeat as it answered the first).
 * <p>
 * The session's life cycle (leader following, connect, back-off, keep-alive) is its {@link FeederSession}'s.
 * <p>
 * Thread: the session's platform thread for Aeron; one virtual thread per chain polls while feeding; each proof is
 * submitted on a virtual thread of its own. {@link #status()} from any thread.
 * <p>
 * Counters: as the template feeder's, Aeron counters on the node's media driver (type {@link #COUNTER_TYPE_ID}, key:
 * member id then the index of the name in {@link #COUNTER_NAMES}), copied from the counts by the feeder's thread on
 * every duty cycle, so {@code bin/sv2 cluster status} reads them from another process; they go away with the feeder's
 * Aeron client.
 */
public final class AuxFeeder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AuxFeeder.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1000;
    /** The term length of the feeder's own ingress and egress: a proof (at most 256 KiB) fits one message. */
    private static final int TERM_LENGTH = 4 << 20;

    /** Aeron counter type of the aux feeder's counters (the template feeder's is 1701). */
    public static final int COUNTER_TYPE_ID = 1_702;
    /**
     * The counters, by index: 1 while this node leads and the feeder feeds, else 0; new work its pollers fetched; failed
     * polls; work (new or re-sent) the cluster's ingress took; proofs frontends sent it; proofs it submitted to aux
     * nodes; proofs they accepted; proofs they rejected; submissions the node never answered; outcomes the cluster's
     * ingress took.
     */
    public static final List<String> COUNTER_NAMES = List.of("feeding", "work_polled", "poll_failures", "work_fed",
        "proofs_received", "proofs_submitted", "proofs_accepted", "proofs_rejected", "proofs_unanswered",
        "results_fed");

    private final ClusterConfig config;
    private final List<AuxChainEndpoint> chains;
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(4 * 1024);
    private final FeederSession session;
    private volatile boolean running = true;

    private boolean helloDue;
    /** The newest work each chain's poller fetched (written by the pollers). */
    private final AuxWorkItem[] polled;
    /** The work last taken by ingress on this session and term, per chain; null: send {@link #polled}. */
    private final AuxWorkItem[] sent;
    private final Semaphore[] wake;
    /** When each chain's work was last taken by ingress (the feeder's thread). */
    private final long[] offeredAtNs;
    /** When each chain's poller last had an answer (its thread). */
    private final java.util.concurrent.atomic.AtomicLongArray confirmedAtNs;
    private final long[] confirmIntervalNs;
    private Thread[] pollers;
    /** Proofs taken up in this stint (chain/hash): each is submitted once per stint. */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    /** AUX_RESULT messages waiting to be sent, in the order the outcomes came. */
    private final ConcurrentLinkedQueue<byte[]> results = new ConcurrentLinkedQueue<>();

    private volatile int stint;
    private final AtomicLong workPolled = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private volatile long workOffered;
    private volatile long proofsReceived;
    private final AtomicLong proofsSubmitted = new AtomicLong();
    private final AtomicLong proofsAccepted = new AtomicLong();
    private final AtomicLong proofsRejected = new AtomicLong();
    private final AtomicLong proofsUnanswered = new AtomicLong();
    private volatile long resultsOffered;

    private final FeederSession.Feed feed = new FeederSession.Feed()
    {
        @Override
        public void onStartFeeding(final long nowNs)
        {
            startFeeding();
        }

        @Override
        public void onStopFeeding()
        {
            stopFeeding();
        }

        @Override
        public void onNewSession()
        {
            Arrays.fill(sent, null);
            helloDue = true;
        }

        @Override
        public void onEgress(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length > 0 && buffer.getByte(offset + Protocol.TYPE_OFFSET) == Protocol.AUX_PROOF)
            {
                onProof(buffer, offset, length);
            }
        }

        @Override
        public void onConnectFailed()
        {
            // not counted: the aux feeder has no session counter
        }

        @Override
        public void onSessionLost()
        {
            // not counted or logged: the connect that follows logs the new session
        }

        @Override
        public int doSend(final long nowNs)
        {
            return send(nowNs);
        }

        @Override
        public void onDutyCycleEnd()
        {
            publishCounters();
        }
    };

    private AuxFeeder(final ClusterNode node, final List<AuxChainEndpoint> chains)
    {
        this.config = node.config();
        this.chains = List.copyOf(chains);
        this.polled = new AuxWorkItem[chains.size()];
        this.sent = new AuxWorkItem[chains.size()];
        this.wake = new Semaphore[chains.size()];
        this.offeredAtNs = new long[chains.size()];
        this.confirmedAtNs = new java.util.concurrent.atomic.AtomicLongArray(chains.size());
        this.confirmIntervalNs = new long[chains.size()];
        for (int i = 0; i < chains.size(); i++)
        {
            confirmIntervalNs[i] = TimeUnit.MILLISECONDS.toNanos(Math.max(1, chains.get(i).config().maxWorkAgeMs() / 4));
        }
        for (int i = 0; i < wake.length; i++)
        {
            wake[i] = new Semaphore(0);
        }
        this.session = new FeederSession(LOG, "aux feeder", node, TERM_LENGTH, feed, COUNTER_TYPE_ID, COUNTER_NAMES);
    }

    /** Starts the aux feeder of {@code node} for {@code chains}. */
    public static AuxFeeder start(final ClusterNode node, final List<AuxChainEndpoint> chains)
    {
        final AuxFeeder f = new AuxFeeder(node, chains);
        f.session.start();
        return f;
    }

    /** Starts the aux feeder of {@code node} for the chains {@code config} merge-mines. */
    public static AuxFeeder start(final EngineConfig config, final ClusterNode node)
    {
        return start(node, AuxChainEndpoint.of(config));
    }

    /** The open session's sends (the session's thread): the hello when due, new or re-sent work, then outcomes. */
    private int send(final long nowNs)
    {
        int work = 0;
        if (helloDue)
        {
            final int n = AuxCodec.encodeHello(command, Protocol.AUX_FEEDER, config.memberId());
            if (session.offer(command, 0, n, nowNs) > 0)
            {
                helloDue = false;
                work++;
            }
        }
        for (int i = 0; i < chains.size(); i++)
        {
            final AuxWorkItem w = polled[i];
            // new work; or the same work again once a quarter of max_work_age_ms went by and a poll since confirmed
            // it: frontends leave a chain out of new jobs when its work is older than that
            if (w != null && (w != sent[i] || (nowNs - offeredAtNs[i] > confirmIntervalNs[i] &&
                confirmedAtNs.get(i) - offeredAtNs[i] > 0)))
            {
                work += offerWork(i, w, nowNs);
            }
        }
        for (byte[] r = results.peek(); r != null; r = results.peek())
        {
            command.putBytes(0, r);
            if (session.offer(command, 0, r.length, nowNs) <= 0)
            {
                break;
            }
            results.poll();
            resultsOffered++;
            work++;
        }
        return work;
    }

    private int offerWork(final int i, final AuxWorkItem w, final long nowNs)
    {
        final long term = session.stampTerm();
        final int length = AuxCodec.encodeWork(command, 0, config.memberId(), term, session.nextSequence(), w);
        if (session.offerStamped(command, 0, length, nowNs) > 0)
        {
            sent[i] = w;
            offeredAtNs[i] = nowNs;
            workOffered++;
            return 1;
        }
        return 0;
    }

    private void startFeeding()
    {
        final int myStint = ++stint;
        Arrays.fill(polled, null);
        Arrays.fill(sent, null);
        taken.clear();
        results.clear();
        LOG.info("aux feeder {}: this node is the leader; feeding aux work of {} chain(s)", config.memberId(),
            chains.size());
        pollers = new Thread[chains.size()];
        for (int i = 0; i < chains.size(); i++)
        {
            final int chain = i;
            pollers[i] = Thread.ofVirtual().name("sv2-aux-poll-" + chains.get(i).name())
                .start(() -> poll(chain, myStint));
        }
    }

    private void stopFeeding()
    {
        stint++;
        if (pollers != null)
        {
            for (final Thread t : pollers)
            {
                t.interrupt();
            }
            pollers = null;
        }
    }

    /** One chain's poller: the node's work every {@code poll_interval_ms}, or at once after a submission. */
    private void poll(final int i, final int myStint)
    {
        final AuxChainEndpoint chain = chains.get(i);
        boolean failing = false;
        while (running && stint == myStint)
        {
            try
            {
                final AuxWorkItem w = chain.work();
                confirmedAtNs.set(i, System.nanoTime());
                final AuxWorkItem last = polled[i];
                if (last == null || !Arrays.equals(last.hash(), w.hash()) || !Arrays.equals(last.targetLe(),
                    w.targetLe()))
                {
                    workPolled.incrementAndGet();
                    polled[i] = w;
                }
                if (failing)
                {
                    LOG.info("aux feeder {}: aux chain {} answers again", config.memberId(), chain.name());
                    failing = false;
                }
            }
            catch (final RpcException ex)
            {
                pollFailures.incrementAndGet();
                if (!failing)
                {
                    LOG.warn("aux feeder {}: aux chain {}: {}", config.memberId(), chain.name(), ex.getMessage());
                    failing = true;
                }
            }
            catch (final RuntimeException ex)
            {
                pollFailures.incrementAndGet();
                LOG.error("aux feeder {}: aux chain {}: unexpected failure while polling", config.memberId(),
                    chain.name(), ex);
            }
            try
            {
                wake[i].tryAcquire(chain.config().pollIntervalMs(), TimeUnit.MILLISECONDS);
                wake[i].drainPermits();
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** AUX_PROOF from egress (the feeder's thread): submitted on a thread of its own, once per stint. */
    private void onProof(final DirectBuffer buffer, final int offset, final int length)
    {
        final AuxCodec.Submit s;
        try
        {
            s = AuxCodec.decodeSubmit(buffer, offset, length, Protocol.AUX_PROOF);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            LOG.warn("aux feeder {}: a malformed proof of {} bytes: {}", config.memberId(), length, ex.getMessage());
            return;
        }
        proofsReceived++;
        int index = -1;
        for (int i = 0; i < chains.size(); i++)
        {
            if (chains.get(i).name().equals(s.chain()))
            {
                index = i;
            }
        }
        if (index < 0)
        {
            LOG.warn("aux feeder {}: a proof for chain {}, which this node does not mine; left to another feeder",
                config.memberId(), s.chain());
            return;
        }
        if (!taken.add(ReplicatedAccounting.proofKey(s.chain(), s.hash())))
        {
            return;
        }
        final int chain = index;
        final int myStint = stint;
        Thread.ofVirtual().name("sv2-aux-submit-" + s.chain()).start(() -> submit(chain, s, myStint));
    }

    /** Submits one proof, retrying an unanswered attempt until the chain's {@code max_work_age_ms}; reports it. */
    private void submit(final int i, final AuxCodec.Submit s, final int myStint)
    {
        final AuxChainEndpoint chain = chains.get(i);
        final long deadlineMs = System.currentTimeMillis() + chain.config().maxWorkAgeMs();
        long backoffMs = FIRST_BACKOFF_MS;
        AuxProofOutcome o = null;
        String lastFailure = "";
        proofsSubmitted.incrementAndGet();
        while (o == null && running && stint == myStint)
        {
            try
            {
                o = chain.submit(s.hash(), s.height(), s.proof());
            }
            catch (final RpcException ex)
            {
                lastFailure = ex.getMessage();
                if (System.currentTimeMillis() + backoffMs >= deadlineMs)
                {
                    break;
                }
                try
                {
                    Thread.sleep(backoffMs);
                }
                catch (final InterruptedException ie)
                {
                    break;
                }
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
        if (o == null)
        {
            // no outcome: the frontend's submission ends as unknown at its own deadline, or a later feeder tries
            proofsUnanswered.incrementAndGet();
            LOG.warn("aux feeder {}: aux chain {}: no answer to a proof: {}", config.memberId(), s.chain(),
                lastFailure);
            taken.remove(ReplicatedAccounting.proofKey(s.chain(), s.hash())); // the frontend's retry brings it back
            return;
        }
        (o.accepted() ? proofsAccepted : proofsRejected).incrementAndGet();
        LOG.info("aux feeder {}: aux chain {}: proof from frontend {} {}: {}", config.memberId(), s.chain(),
            s.frontend(), o.accepted() ? "accepted" : "rejected", o.detail());
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(AuxCodec.RESULT_HEADER_LENGTH + 2048);
        final int n = AuxCodec.encodeResult(b, 0, config.memberId(), s.chain(), s.hash(), o);
        final byte[] r = new byte[n];
        b.getBytes(0, r);
        if (stint == myStint)
        {
            results.add(r);
        }
        wake[i].release(); // the chain's work is about to change
    }

    /** For a node's status: whether it feeds, and its counts. Any thread. */
    public Map<String, Object> status()
    {
        final long[] values = new long[COUNTER_NAMES.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = counter(i);
        }
        final Map<String, Object> m = status(values);
        m.put("chains", chains.size());
        return m;
    }

    /**
     * The status map of counter values indexed as {@link #COUNTER_NAMES} (here or read by another process): {@code
     * state} ("leading" while it feeds, else "idle") and every counter by its name ({@code feeding} as a boolean).
     */
    static Map<String, Object> status(final long[] values)
    {
        return FeederSession.status(COUNTER_NAMES, values);
    }

    /** Counter {@code index} of {@link #COUNTER_NAMES} from the feeder's own counts; any thread, also after close. */
    public long counter(final int index)
    {
        return switch (index)
        {
            case 0 -> session.feeding() ? 1 : 0;
            case 1 -> workPolled.get();
            case 2 -> pollFailures.get();
            case 3 -> workOffered;
            case 4 -> proofsReceived;
            case 5 -> proofsSubmitted.get();
            case 6 -> proofsAccepted.get();
            case 7 -> proofsRejected.get();
            case 8 -> proofsUnanswered.get();
            case 9 -> resultsOffered;
            default -> throw new IllegalArgumentException("no aux feeder counter " + index);
        };
    }

    /** Feeder's thread: copies the counts into the Aeron counters (a plain store each, nothing allocated). */
    private void publishCounters()
    {
        for (int i = 0; i < COUNTER_NAMES.size(); i++)
        {
            session.publish(i, counter(i));
        }
    }

    public boolean feeding()
    {
        return session.feeding();
    }

    public long workOffered()
    {
        return workOffered;
    }

    public long proofsSubmitted()
    {
        return proofsSubmitted.get();
    }

    /** Stops feeding (the pollers and the session), the thread, and the feeder's Aeron client. */
    @Override
    public void close()
    {
        running = false;
        session.close();
    }
}
