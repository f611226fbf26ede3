package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
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
 * The session's life cycle (leader following, connect, back-off, keep-alive) is its {@link FeederSession}'s.
 * <p>
 * Thread: the session's platform thread runs the feeder; the source delivers on its thread into a volatile slot and
 * counts what it delivers; {@link #status()} from any thread.
 */
public final class TemplateFeeder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TemplateFeeder.class);

    /** Aeron counter type of the feeder's counters (Aeron keeps types below 1000 for itself). */
    public static final int COUNTER_TYPE_ID = 1_701;
    /** Key of a feeder counter: the member id, then the index of its name in {@link #COUNTER_NAMES}. */
    static final int COUNTER_KEY_LENGTH = FeederSession.COUNTER_KEY_LENGTH;
    /**
     * The counters, by index: 1 while this node leads and the feeder feeds, else 0; times it started feeding;
     * templates the source delivered; templates the cluster's ingress took; templates too large for one message (not
     * sent); times the source went down or not ready; failed connects and lost sessions to the cluster; the height of
     * the last template fed (-1: none); the leadership term the last template was fed in (-1: none).
     */
    public static final List<String> COUNTER_NAMES = List.of("feeding", "stints",
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
    private final Supplier<TemplateSource> sources;
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64 * 1024);
    private final FeederSession session;

    private TemplateSource source;
    /** The newest template of the source, written by its thread. */
    private volatile Template pending;
    /** The template last taken by the cluster's ingress on this session and term; null: send {@link #pending}. */
    private Template sent;
    /** The last template found too large (counted once however often it is taken up again). */
    private Template tooLarge;

    /**
     * The counts, indexed as {@link #COUNTER_NAMES} (the session's thread writes all but RECEIVED and
     * SOURCE_FAILURES, the source's), copied into the session's Aeron counters for other processes as they change.
     */
    private final AtomicLongArray values = new AtomicLongArray(COUNTER_NAMES.size());

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
            set(FEEDING, 0);
            CloseHelper.quietClose(source);
            source = null;
        }

        @Override
        public void onNewSession()
        {
            sent = null;
        }

        @Override
        public void onEgress(final DirectBuffer buffer, final int offset, final int length)
        {
            // the service broadcasts TEMPLATE_UPDATE to every session, this one too; the feeder needs none
        }

        @Override
        public void onConnectFailed()
        {
            increment(SESSION_FAILURES);
        }

        @Override
        public void onSessionLost()
        {
            LOG.warn("template feeder {}: the session with the cluster closed; connecting again", config.memberId());
            increment(SESSION_FAILURES);
        }

        @Override
        public int doSend(final long nowNs)
        {
            final Template t = pending;
            return t != null && t != sent ? offer(t, nowNs) : 0;
        }

        @Override
        public void onDutyCycleEnd()
        {
            // the counts reach the Aeron counters as they change
        }
    };

    private TemplateFeeder(final ClusterNode node, final Supplier<TemplateSource> sources)
    {
        this.config = node.config();
        this.sources = sources;
        this.session = new FeederSession(LOG, "template feeder", node, config.logTermLength(), feed, COUNTER_TYPE_ID,
            COUNTER_NAMES);
        set(LAST_HEIGHT, -1);
        set(TERM, -1);
    }

    /**
     * Starts the feeder of {@code node} (its thread; a source is made by {@code sources} each time the node becomes
     * leader and closed when it stops being leader).
     */
    public static TemplateFeeder start(final ClusterNode node, final Supplier<TemplateSource> sources)
    {
        final TemplateFeeder f = new TemplateFeeder(node, sources);
        f.session.start();
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

    private void startFeeding()
    {
        set(FEEDING, 1);
        increment(STINTS);
        sent = null;
        pending = null;
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

    private int offer(final Template t, final long nowNs)
    {
        final long term = session.stampTerm();
        final int length = Protocol.TEMPLATE_HEADER_LENGTH + TemplateCodec.encodedLength(t);
        final int max = session.maxMessageLength();
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
        command.putLong(Protocol.SEQUENCE_OFFSET, session.nextSequence(), LE);
        TemplateCodec.encode(t, command, Protocol.TEMPLATE_HEADER_LENGTH);
        if (session.offerStamped(command, 0, length, nowNs) > 0)
        {
            sent = t;
            increment(FED);
            set(LAST_HEIGHT, t.height());
            set(TERM, term);
            return 1;
        }
        return 0;
    }

    /**
     * For a node's status: {@code state} ("leading" while it feeds, else "idle") and every counter by its name
     * ({@link #COUNTER_NAMES}; {@code feeding} as a boolean). Any thread.
     */
    public Map<String, Object> status()
    {
        final long[] values = new long[COUNTER_NAMES.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = counter(i);
        }
        return status(values);
    }

    /** The status map of counter values indexed as {@link #COUNTER_NAMES} (here or read by another process). */
    static Map<String, Object> status(final long[] values)
    {
        return FeederSession.status(COUNTER_NAMES, values);
    }

    /** Counter {@code index} of {@link #COUNTER_NAMES}; any thread, also after {@link #close()}. */
    public long counter(final int index)
    {
        return values.get(index);
    }

    private void set(final int index, final long value)
    {
        values.set(index, value);
        session.publish(index, value);
    }

    private void increment(final int index)
    {
        session.publish(index, values.incrementAndGet(index));
    }

    public boolean feeding()
    {
        return session.feeding();
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
        session.close();
    }
}
