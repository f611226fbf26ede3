package org.bitcoincommons.sv2.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.Cluster;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.slf4j.Logger;

/**
 * The client session a cluster feeder ({@link TemplateFeeder}, {@link AuxFeeder}) sends into the cluster log with, and
 * the thread that runs it: it follows whether this node's service leads, starts the feeder's {@link Feed} when it
 * does and stops it when it no longer does, opens its own Aeron Cluster client session asynchronously (ingress, never
 * {@code Cluster.offer}: aeron issue 1903), connects again after a back-off of a quarter of the leader heartbeat
 * timeout (10 to 500 ms) when a connect fails or the session closes, polls the session's egress, lets the feed send,
 * and sends a keep-alive when nothing was sent for a quarter of the session timeout. Messages are stamped with the
 * leadership term the session sees and a sequence within it ({@link #stampTerm()}, {@link #nextSequence()}); the
 * sequence restarts at each new term, not at each session.
 * <p>
 * It owns the feeder's Aeron client on the node's media driver and, on it, the feeder's Aeron counters (key: member
 * id, then the index of the name in the feeder's list of names, {@link #COUNTER_KEY_LENGTH} bytes), written with
 * {@link #publish(int, long)} and closed before the client.
 * <p>
 * Thread: one platform thread of its own ({@link #start()}) calls every {@link Feed} method and every method here but
 * {@link #feeding()}, {@link #publish(int, long)} and {@link #close()}, which any thread may call.
 */
final class FeederSession implements AutoCloseable
{
    /** Key length of a feeder counter: the member id, then the index of its name. */
    static final int COUNTER_KEY_LENGTH = 2 * Integer.BYTES;

    /** What a feeder does at each step of the session's life cycle; each method on the session's thread. */
    interface Feed
    {
        /** This node's service became leader: start fetching what is to be fed (a connect follows). */
        void onStartFeeding(long nowNs);

        /** This node's service is no longer leader, or the feeder closes: stop; the session closes right after. */
        void onStopFeeding();

        /** A new session with the cluster, or a new leader on the open one: nothing counts as sent on it yet. */
        void onNewSession();

        /** A message the cluster sent on the session's egress ({@code length} bytes at {@code offset}). */
        void onEgress(DirectBuffer buffer, int offset, int length);

        /** A connect failed (logged by the session); the next is tried after the back-off. */
        void onConnectFailed();

        /** The open session closed; the session closes it and connects again after the back-off. */
        void onSessionLost();

        /**
         * The session is open and its egress polled: offer what is due ({@link #offer}, {@link #offerStamped}).
         *
         * @return the work done, for the idle strategy.
         */
        int doSend(long nowNs);

        /** End of every duty cycle, feeding or not. */
        void onDutyCycleEnd();
    }

    private final Logger log;
    private final String name;
    private final ClusterConfig config;
    private final AccountingService service;
    private final Aeron aeron;
    private final int termLength;
    private final EgressListener egress = new EgressListener()
    {
        @Override
        public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header)
        {
            feed.onEgress(buffer, offset, length);
        }

        @Override
        public void onNewLeader(final long clusterSessionId, final long termId, final int leaderId,
            final String ingressEndpoints)
        {
            feed.onNewSession();
        }
    };
    private final Feed feed;
    private final Thread thread;
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
    private final long keepAliveIntervalNs;
    private final long reconnectBackoffNs;
    private final Counter[] counters;
    private volatile boolean countersOpen;
    private volatile boolean running = true;
    private volatile boolean feeding;

    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long nextConnectNs;
    private long lastSendNs;
    private long sequence;
    private long sentTerm = -1;

    /**
     * Connects the feeder's Aeron client to {@code node}'s media driver and adds the feeder's counters on it; the
     * thread waits for {@link #start()}. Aeron's default error handler exits the JVM when the driver goes away; the
     * node's driver stopping first (a shutdown in either order) must not take the process with it, so the client's
     * errors are logged instead.
     *
     * @param log           the feeder's logger; the session's lines start with {@code name} and the member id.
     * @param name          the feeder's name in log lines, counter labels and the thread's name ("template feeder":
     *                      thread {@code sv2-template-feeder-<member id>}).
     * @param node          the node beside which the feeder runs.
     * @param termLength    term length of the session's ingress and egress channels, bytes.
     * @param feed          the feeder's steps of the life cycle.
     * @param counterTypeId Aeron counter type of the feeder's counters.
     * @param counterNames  the names of the feeder's counters, by index.
     */
    FeederSession(final Logger log, final String name, final ClusterNode node, final int termLength, final Feed feed,
        final int counterTypeId, final List<String> counterNames)
    {
        this.log = log;
        this.name = name;
        this.config = node.config();
        this.service = node.service();
        this.termLength = termLength;
        this.feed = feed;
        this.keepAliveIntervalNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, config.sessionTimeoutMs() / 4));
        this.reconnectBackoffNs = TimeUnit.MILLISECONDS.toNanos(Math.min(500, Math.max(10,
            config.leaderHeartbeatTimeoutMs() / 4)));
        this.counters = new Counter[counterNames.size()];
        this.aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(ClusterNode.aeronDir(config))
            .errorHandler(ex -> log.warn("{} {}: {}", name, config.memberId(), ex.toString())));
        try
        {
            addCounters(name, counterTypeId, counterNames);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(counters);
            CloseHelper.quietClose(aeron);
            throw ex;
        }
        this.countersOpen = true;
        this.thread = Thread.ofPlatform().daemon().name("sv2-" + name.replace(' ', '-') + "-" + config.memberId())
            .unstarted(this::run);
    }

    private void addCounters(final String name, final int counterTypeId, final List<String> counterNames)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[COUNTER_KEY_LENGTH]);
        final UnsafeBuffer label = new UnsafeBuffer(new byte[256]);
        key.putInt(0, config.memberId());
        for (int i = 0; i < counters.length; i++)
        {
            key.putInt(Integer.BYTES, i);
            final int labelLength = label.putStringWithoutLengthAscii(0, "sv2 " + name + " " + counterNames.get(i) +
                ": member=" + config.memberId());
            counters[i] = aeron.addCounter(counterTypeId, key, 0, COUNTER_KEY_LENGTH, label, 0, labelLength);
        }
    }

    /**
     * The status map of a feeder's counter values indexed as {@code names}, whose first is {@code feeding}: {@code
     * state} ("leading" while it feeds, else "idle") and every counter by its name ({@code feeding} as a boolean).
     */
    static Map<String, Object> status(final List<String> names, final long[] values)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", values[0] == 1 ? "leading" : "idle");
        for (int i = 0; i < values.length; i++)
        {
            m.put(names.get(i), i == 0 ? (Object)(values[i] == 1) : (Object)values[i]);
        }
        return m;
    }

    /** Starts the session's thread. */
    void start()
    {
        thread.start();
    }

    /** Whether this node leads and the feed was started; any thread. */
    boolean feeding()
    {
        return feeding;
    }

    /** Writes {@code value} to the feeder's counter {@code index} unless the counters are closed; any thread. */
    void publish(final int index, final long value)
    {
        if (countersOpen)
        {
            counters[index].setRelease(value);
        }
    }

    /**
     * The leadership term to stamp the next message with: the term the open session sees; a term other than the one
     * last stamped restarts the sequence.
     */
    long stampTerm()
    {
        final long term = cluster.leadershipTermId();
        if (term != sentTerm)
        {
            sentTerm = term;
            sequence = 0;
        }
        return term;
    }

    /** The sequence to stamp the next message with in the term of {@link #stampTerm()}. */
    long nextSequence()
    {
        return sequence + 1;
    }

    /** The largest message the open session's ingress takes, bytes (the session header excluded). */
    int maxMessageLength()
    {
        return cluster.ingressPublication().maxMessageLength() - AeronCluster.SESSION_HEADER_LENGTH;
    }

    /**
     * Offers a message on the open session; taken, it defers the keep-alive; a closed or full publication closes the
     * session (connected again on the next duty cycle).
     *
     * @return the result of {@link AeronCluster#offer}: a position when taken, else a {@link Publication} code.
     */
    long offer(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final long r = cluster.offer(buffer, offset, length);
        if (r > 0)
        {
            lastSendNs = nowNs;
        }
        else if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
        {
            CloseHelper.quietClose(cluster);
        }
        return r;
    }

    /** {@link #offer} of a message stamped with {@link #nextSequence()}; taken, the sequence moves on. */
    long offerStamped(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final long r = offer(buffer, offset, length, nowNs);
        if (r > 0)
        {
            sequence++;
        }
        return r;
    }

    private void run()
    {
        try
        {
            while (running)
            {
                idle.idle(doWork(System.nanoTime()));
                feed.onDutyCycleEnd();
            }
        }
        finally
        {
            stopFeeding();
        }
    }

    private int doWork(final long nowNs)
    {
        if (service.role() != Cluster.Role.LEADER)
        {
            if (feeding)
            {
                log.info("{} {}: this node is no longer the leader; stopped", name, config.memberId());
                stopFeeding();
                return 1;
            }
            return 0;
        }
        if (!feeding)
        {
            feeding = true;
            nextConnectNs = nowNs;
            feed.onStartFeeding(nowNs);
            return 1;
        }
        if (cluster == null)
        {
            return connect(nowNs);
        }
        if (cluster.isClosed())
        {
            feed.onSessionLost();
            CloseHelper.quietClose(cluster);
            cluster = null;
            nextConnectNs = nowNs + reconnectBackoffNs;
            return 1;
        }
        int work = cluster.pollEgress();
        if (cluster.isClosed())
        {
            return work;
        }
        work += feed.doSend(nowNs);
        if (nowNs - lastSendNs > keepAliveIntervalNs && cluster.sendKeepAlive())
        {
            lastSendNs = nowNs;
        }
        return work;
    }

    private void stopFeeding()
    {
        feeding = false;
        feed.onStopFeeding();
        CloseHelper.quietCloseAll(connecting, cluster);
        connecting = null;
        cluster = null;
    }

    private int connect(final long nowNs)
    {
        if (connecting == null)
        {
            if (nowNs - nextConnectNs < 0)
            {
                return 0;
            }
            final String host = config.host(config.memberId());
            connecting = AeronCluster.asyncConnect(new AeronCluster.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .ingressChannel("aeron:udp?term-length=" + termLength)
                .ingressEndpoints(config.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) +
                    ":0|term-length=" + termLength)
                .egressListener(egress)
                .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Math.max(1000, config.leaderHeartbeatTimeoutMs())))
                .newLeaderTimeoutNs(TimeUnit.MILLISECONDS.toNanos(2 * config.leaderHeartbeatTimeoutMs())));
        }
        try
        {
            final AeronCluster c = connecting.poll();
            if (c == null)
            {
                return 0;
            }
            connecting = null;
            cluster = c;
            lastSendNs = nowNs;
            feed.onNewSession();
            log.info("{} {}: session {} with leader {} (term {})", name, config.memberId(), c.clusterSessionId(),
                c.leaderMemberId(), c.leadershipTermId());
            return 1;
        }
        catch (final RuntimeException ex)
        {
            log.warn("{} {}: cannot connect to the cluster yet: {}", name, config.memberId(), ex.toString());
            feed.onConnectFailed();
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = nowNs + reconnectBackoffNs;
            return 1;
        }
    }

    /** Stops feeding (the feed, then the session) and the thread, then the counters and the Aeron client. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        countersOpen = false;
        CloseHelper.quietCloseAll(counters);
        CloseHelper.quietClose(aeron);
    }
}
