package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.Cluster;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FailoverSource;
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
 * length too), less the headers; a larger one is not sent and counted ({@link #status()}).
 * <p>
 * Thread: one platform thread of its own; the source delivers on its thread into a volatile slot; {@link #status()}
 * from any thread.
 */
public final class TemplateFeeder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TemplateFeeder.class);

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
    private long sequence;
    private long sentTerm = -1;

    private volatile boolean feeding;
    private volatile long templatesReceived;
    private volatile long templatesOffered;
    private volatile long templatesTooLarge;
    private volatile long stints;

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
        final TemplateFeeder f = new TemplateFeeder(node.config(), node.service(), sources, aeron);
        f.thread.start();
        return f;
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
        stints++;
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
                templatesReceived++;
                pending = template;
            }
        });
    }

    private void stopFeeding()
    {
        feeding = false;
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
            templatesTooLarge++;
            LOG.warn("template feeder {}: template {} at height {} is {} bytes, more than one message holds ({} bytes: " +
                "1/8 of log_term_length); not sent", config.memberId(), t.id(), t.height(), length, max);
            sent = t;
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
            templatesOffered++;
            lastSendNs = nowNs;
            return 1;
        }
        if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
        {
            CloseHelper.quietClose(cluster);
        }
        return 0;
    }

    /** For a node's status: whether it feeds, and its counts. Any thread. */
    public Map<String, Object> status()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("feeding", feeding);
        m.put("stints", stints);
        m.put("templates_received", templatesReceived);
        m.put("templates_offered", templatesOffered);
        m.put("templates_too_large", templatesTooLarge);
        return m;
    }

    public boolean feeding()
    {
        return feeding;
    }

    public long templatesOffered()
    {
        return templatesOffered;
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
        CloseHelper.quietClose(aeron);
    }
}
