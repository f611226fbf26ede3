package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.Cluster;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FailoverSource;
import org.bitcoincommons.sv2.template.SourceHealth;
import org.bitcoincommons.sv2.template.SourceState;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.template.TemplateListener;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.bitcoincommons.sv2.template.TemplateSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template feeder beside a cluster node ({@code [cluster] templates = "cluster"} on a node): while this node's
 * service is the leader, it runs the node's template source ({@code [template] sources}: bitcoind or a Template
 * Provider) and sends each template, with its transactions, to the cluster as a TEMPLATE command over its own client
 * session (ingress, never {@code Cluster.offer}: aeron issue 1903). When the node stops being leader it closes the
 * source and the session; the next leader's feeder takes over. Each template is stamped with this member id, the
 * leadership term the session sees and a sequence within it, and the cluster keeps only templates above the latest
 * (height, term, sequence): two feeders during an election cannot make the frontends go backwards. The latest template
 * is sent again after a new leader event (the service ignores it when it already has it).
 * <p>
 * A template must fit one message: 1/8 of {@code log_term_length} (the feeder's ingress and egress use that term
 * length too), less the headers; a larger one is not sent and counted ({@link #status()}); the frontends keep mining
 * the previous template until one that fits arrives.
 * <p>
 * Counters: Aeron counters on the node's media driver (type {@link #COUNTER_TYPE_ID}, key: member id then the index
 * of the name in {@link #COUNTER_NAMES}), so {@code bin/sv2 cluster status} reads them from another process as it reads
 * the consensus module's; they go away with the feeder's Aeron client.
 * <p>
 * Thread: one platform thread of its own; the source delivers on its thread into a volatile slot and counts what it
 * delivers; {@link #status()} from any thread.
 */
public final class TemplateFeeder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TemplateFeeder.class);

    /** Aeron counter type of the feeder's counters (Aeron keeps types below 1000 for itself). */
    public static final int COUNTER_TYPE_ID = 1_701;
    /** Key of a feeder counter: the member id, then the index of its name in {@link #COUNTER_NAMES}. */
    static final int COUNTER_KEY_LENGTH = 2 * Integer.BYTES;
    /**
     * The counters, by index: 1 while this node leads and the feeder feeds, else 0; times it started feeding;
     * templates the source delivered; templates the cluster's ingress took; templates too large for one message (not
     * sent); times the source went down or not ready; failed connects and lost sessions to the cluster; the height of
     * the last template fed (-1: none); the leadership term the last template was fed in (-1: none).
     */
    public static final java.util.List<String> COUNTER_NAMES = java.util.List.of("feeding", "stints",
        "templates_received", "templates_fed", "templates_too_large", "source_failures", "session_failures",
        "last_height", "leadership_term_id");
    private static final int FEEDING = 0;
    private static final int STINTS = 1;
    private static final int RECEIVED = 2;
    private static final int FED = 3;
    private static final int TOO_LARGE = 4;
    private static final int SOURCE_FAILURES = 5;
    private static final int SESSION_FAILURES = 6;
    private static final int LAST_HEIGHT = 7;
    private static final int TERM = 8;

    private final ClusterConfig config;
    private final AccountingService service;
    private final Supplier<TemplateSource> sources;
    private final Aeron aeron;
    private final Thread thread;
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64 * 1024);
    private final long keepAliveIntervalNs;
    private final long reconnectBackoffNs;
    private volatile boolean running = true;

    private TemplateSource source;
    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long nextConnectNs;
    private long lastSendNs;
    /** The newest template of the source, written by its thread. */
    private volatile Template pending;
    /** The template last taken by the cluster's ingress on this session and term; null: send {@link #pending}. */
    private Template sent;
    /** The last template found too large (counted once however often it is taken up again). */
    private Template tooLarge;
    private long sequence;
    private long sentTerm = -1;

    private volatile boolean feeding;
    /**
     * The counts, indexed as {@link #COUNTER_NAMES} (the feeder's thread writes all but RECEIVED and SOURCE_FAILURES,
     * the source's), and their copies in Aeron counters for other processes, written while {@link #countersOpen}.
     */
    private final java.util.concurrent.atomic.AtomicLongArray values =
        new java.util.concurrent.atomic.AtomicLongArray(COUNTER_NAMES.size());
    private final Counter[] counters;
    private volatile boolean countersOpen = true;

    private final EgressListener egress = new EgressListener()
    {
        @Override
        public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header)
        {
            // the service broadcasts TEMPLATE_UPDATE to every session, this one too; the feeder needs none
        }

        @Override
        public void onNewLeader(final long clusterSessionId, final long termId, final int leaderId,
            final String ingressEndpoints)
        {
            sent = null;
        }
    };

    private TemplateFeeder(final ClusterConfig config, final AccountingService service,
        final Supplier<TemplateSource> sources, final Aeron aeron)
    {
        this.config = config;
        this.service = service;
        this.sources = sources;
        this.aeron = aeron;
        this.counters = new Counter[COUNTER_NAMES.size()];
        final UnsafeBuffer key = new UnsafeBuffer(new byte[COUNTER_KEY_LENGTH]);
        final UnsafeBuffer label = new UnsafeBuffer(new byte[256]);
        key.putInt(0, config.memberId());
        for (int i = 0; i < counters.length; i++)
        {
            key.putInt(Integer.BYTES, i);
            final int labelLength = label.putStringWithoutLengthAscii(0, "sv2 template feeder " + COUNTER_NAMES.get(i) +
                ": member=" + config.memberId());
            counters[i] = aeron.addCounter(COUNTER_TYPE_ID, key, 0, COUNTER_KEY_LENGTH, label, 0, labelLength);
        }
        set(LAST_HEIGHT, -1);
        set(TERM, -1);
        this.keepAliveIntervalNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, config.sessionTimeoutMs() / 4));
        this.reconnectBackoffNs = TimeUnit.MILLISECONDS.toNanos(Math.min(500, Math.max(10,
            config.leaderHeartbeatTimeoutMs() / 4)));
        this.thread = Thread.ofPlatform().daemon().name("sv2-template-feeder-" + config.memberId()).unstarted(this::run);
    }

    /**
     * Starts the feeder of {@code node} (its thread; a source is made by {@code sources} each time the node becomes
     * leader and closed when it stops being leader).
     */
    public static TemplateFeeder start(final ClusterNode node, final Supplier<TemplateSource> sources)
    {
        // Aeron's default error handler exits the JVM when the driver goes away; the node's driver stopping first (a
        // shutdown in either order) must not take the process with it
        final Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(ClusterNode.aeronDir(node.config()))
            .errorHandler(ex -> LOG.warn("template feeder {}: {}", node.memberId(), ex.toString())));
        try
        {
            final TemplateFeeder f = new TemplateFeeder(node.config(), node.service(), sources, aeron);
            f.thread.start();
            return f;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(aeron);
            throw ex;
        }
    }

    /**
     * Starts the feeder of {@code node} with the sources {@code config} names ({@code [template] sources}, in priority
     * order, behind a {@link FailoverSource}).
     */
    public static TemplateFeeder start(final EngineConfig config, final ClusterNode node)
    {
        final byte[] payout = PoolServer.payoutScript(config);
        return start(node, () -> new FailoverSource(TemplateSources.create(config, payout, SystemEpochClock.INSTANCE),
            SystemEpochClock.INSTANCE));
    }

    private void run()
    {
        try
        {
            while (running)
            {
                idle.idle(doWork(System.nanoTime()));
            }
        }
        finally
        {
            stopFeeding();
        }
    }

    private int doWork(final long nowNs)
    {
        final boolean leader = service.role() == Cluster.Role.LEADER;
        if (!leader)
        {
            if (feeding)
            {
                LOG.info("template feeder {}: this node is no longer the leader; stopped", config.memberId());
                stopFeeding();
                return 1;
            }
            return 0;
        }
        if (!feeding)
        {
            startFeeding(nowNs);
            return 1;
        }
        if (cluster == null)
        {
            return connect(nowNs);
        }
        if (cluster.isClosed())
        {
            LOG.warn("template feeder {}: the session with the cluster closed; connecting again", config.memberId());
            increment(SESSION_FAILURES);
            CloseHelper.quietClose(cluster);
            cluster = null;
            nextConnectNs = nowNs + reconnectBackoffNs;
            return 1;
        }
        int work = cluster.pollEgress();
        final Template t = pending;
        if (t != null && t != sent)
        {
            work += offer(t, nowNs);
        }
        if (nowNs - lastSendNs > keepAliveIntervalNs && cluster.sendKeepAlive())
        {
            lastSendNs = nowNs;
        }
        return work;
    }

    private void startFeeding(final long nowNs)
    {
        feeding = true;
        set(FEEDING, 1);
        increment(STINTS);
        sent = null;
        pending = null;
        nextConnectNs = nowNs;
        source = sources.get();
        LOG.info("template feeder {}: this node is the leader; feeding templates from {}", config.memberId(),
            source.name());
        source.start(new TemplateListener()
        {
            @Override
            public void onTemplate(final Template template, final boolean newTip)
            {
                increment(RECEIVED);
                pending = template;
            }

            @Override
            public void onStateChange(final SourceState state)
            {
                if (state.health() != SourceHealth.HEALTHY)
                {
                    increment(SOURCE_FAILURES);
                }
            }
        });
    }

    private void stopFeeding()
    {
        feeding = false;
        set(FEEDING, 0);
        CloseHelper.quietCloseAll(connecting, cluster, source);
        connecting = null;
        cluster = null;
        source = null;
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
                .ingressChannel("aeron:udp?term-length=" + config.logTermLength())
                .ingressEndpoints(config.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) +
                    ":0|term-length=" + config.logTermLength())
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
            sent = null;
            lastSendNs = nowNs;
            LOG.info("template feeder {}: session {} with leader {} (term {})", config.memberId(), c.clusterSessionId(),
                c.leaderMemberId(), c.leadershipTermId());
            return 1;
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("template feeder {}: cannot connect to the cluster yet: {}", config.memberId(), ex.toString());
            increment(SESSION_FAILURES);
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = nowNs + reconnectBackoffNs;
            return 1;
        }
    }

    private int offer(final Template t, final long nowNs)
    {
        final long term = cluster.leadershipTermId();
        if (term != sentTerm)
        {
            sentTerm = term;
            sequence = 0;
        }
        final int length = Protocol.TEMPLATE_HEADER_LENGTH + TemplateCodec.encodedLength(t);
        final int max = cluster.ingressPublication().maxMessageLength() - AeronCluster.SESSION_HEADER_LENGTH;
        if (length > max)
        {
            sent = t;
            if (t == tooLarge)
            {
                return 0;   // the same one again after a new leader or session: counted and logged once
            }
            tooLarge = t;
            increment(TOO_LARGE);
            LOG.warn("template feeder {}: template {} at height {} is {} bytes, more than one message holds ({} bytes: " +
                "1/8 of log_term_length); not sent, the frontends keep the previous template", config.memberId(),
                t.id(), t.height(), length, max);
            return 1;
        }
        command.putByte(Protocol.TYPE_OFFSET, Protocol.TEMPLATE);
        command.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        command.putShort(2, (short)0, LE);
        command.putInt(Protocol.MEMBER_OFFSET, config.memberId(), LE);
        command.putLong(Protocol.TERM_OFFSET, term, LE);
        command.putLong(Protocol.SEQUENCE_OFFSET, sequence + 1, LE);
        TemplateCodec.encode(t, command, Protocol.TEMPLATE_HEADER_LENGTH);
        final long r = cluster.offer(command, 0, length);
        if (r > 0)
        {
            sequence++;
            sent = t;
            increment(FED);
            set(LAST_HEIGHT, t.height());
            set(TERM, term);
            lastSendNs = nowNs;
            return 1;
        }
        if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
        {
            CloseHelper.quietClose(cluster);
        }
        return 0;
    }

    /**
     * For a node's status: {@code state} ("leading" while it feeds, else "idle") and every counter by its name
     * ({@link #COUNTER_NAMES}; {@code feeding} as a boolean). Any thread.
     */
    public Map<String, Object> status()
    {
        final long[] values = new long[counters.length];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = counter(i);
        }
        return status(values);
    }

    /** The status map of counter values indexed as {@link #COUNTER_NAMES} (here or read by another process). */
    static Map<String, Object> status(final long[] values)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", values[FEEDING] == 1 ? "leading" : "idle");
        for (int i = 0; i < values.length; i++)
        {
            m.put(COUNTER_NAMES.get(i), i == FEEDING ? (Object)(values[i] == 1) : (Object)values[i]);
        }
        return m;
    }

    /** Counter {@code index} of {@link #COUNTER_NAMES}; any thread, also after {@link #close()}. */
    public long counter(final int index)
    {
        return values.get(index);
    }

    private void set(final int index, final long value)
    {
        values.set(index, value);
        if (countersOpen)
        {
            counters[index].setRelease(value);
        }
    }

    private void increment(final int index)
    {
        final long value = values.incrementAndGet(index);
        if (countersOpen)
        {
            counters[index].setRelease(value);
        }
    }

    public boolean feeding()
    {
        return feeding;
    }

    /** Templates the cluster's ingress took from this feeder. */
    public long templatesOffered()
    {
        return counter(FED);
    }

    /** Templates not sent because they do not fit one message. */
    public long templatesTooLarge()
    {
        return counter(TOO_LARGE);
    }

    /** Stops feeding (closing the source and session) and the thread, and the feeder's Aeron client. */
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
