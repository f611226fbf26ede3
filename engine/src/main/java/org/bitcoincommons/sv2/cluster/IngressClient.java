package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontend's cluster-client thread: keeps a session with the cluster's leader (an {@link AeronCluster} on the
 * frontend's own media driver), sends the sealed commands in sequence order, keeps every one until the cluster says it
 * is committed, and re-sends them after a reconnect, a new leader, or a silence of {@code resend_interval_ms} (the
 * cluster applies a re-send once). It polls egress continuously (the new-leader event and the commit replies arrive
 * there), sends keepalives when idle, and replaces a client that closed itself (no leader for its new-leader timeout)
 * with a fresh one. Nothing here blocks the pool: while there is no leader, commands pile up in the backlog (bounded
 * by {@code max_unacked_bytes}) and acknowledgements wait. With cluster templates it hands each TEMPLATE_UPDATE to the
 * {@link ClusterTemplateSource} (on this thread) and asks for the latest after connecting, after a new leader and
 * while it has none.
 * <p>
 * Thread: one platform thread ({@link #run()}); {@link #committed()} and the status fields are read by others.
 */
final class IngressClient implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(IngressClient.class);

    /** Session states, as {@code /api/status} shows them. */
    enum State
    {
        CONNECTING, CONNECTED, NO_LEADER, CLOSED
    }

    private final Aeron aeron;
    private final ClusterFrontend.Settings settings;
    private final OneToOneRingBuffer handoff;
    private final ExpandableRingBuffer backlog;
    private final Runnable onCommit;
    private final ClusterTemplateSource templates;
    private final ClusterAuxSource aux;
    private final org.agrona.ExpandableArrayBuffer auxMessage = new org.agrona.ExpandableArrayBuffer(4 * 1024);
    private boolean auxRequestDue;
    private long lastAuxRequestNs;
    private final org.agrona.concurrent.UnsafeBuffer templateRequest =
        new org.agrona.concurrent.UnsafeBuffer(new byte[Protocol.TEMPLATE_REQUEST_LENGTH]);
    private boolean templateRequestDue;
    private long lastTemplateRequestNs;
    private final IdleStrategy idle;
    private final long resendIntervalNs;
    private final long keepAliveIntervalNs;
    private final long reconnectBackoffNs;

    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long nextConnectNs;
    /** The lowest sequence not yet sent on the current session. */
    private long nextToSend = 1;
    private long lastSendNs;
    private long lastProgressNs;
    private volatile boolean running = true;

    private volatile State state = State.CONNECTING;
    private volatile long committed;
    private volatile long highestSent;
    private volatile long highestQueued;
    private volatile int leaderMemberId = -1;
    private volatile long leadershipTermId = -1;
    private volatile long sessionId = -1;
    private volatile long connects;
    private volatile long resends;
    private volatile long staleReplies;
    private volatile long backlogFullNs;
    private volatile int backlogBytes;

    private final ControlledMessageHandler toBacklog = this::toBacklog;
    private final EgressListener egress = new EgressListener()
    {
        @Override
        public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header)
        {
            if (templates != null && length > Protocol.TEMPLATE_HEADER_LENGTH &&
                buffer.getByte(offset + Protocol.TYPE_OFFSET) == Protocol.TEMPLATE_UPDATE)
            {
                templates.onUpdate(buffer, offset, length);
                return;
            }
            final byte type = length > 0 ? buffer.getByte(offset + Protocol.TYPE_OFFSET) : 0;
            if (type == Protocol.AUX_WORK_UPDATE || type == Protocol.AUX_OUTCOME || type == Protocol.AUX_PROOF)
            {
                if (aux != null && type == Protocol.AUX_WORK_UPDATE)
                {
                    aux.onWorkUpdate(buffer, offset, length);
                }
                else if (aux != null && type == Protocol.AUX_OUTCOME)
                {
                    aux.onOutcome(buffer, offset, length);
                }
                return;
            }
            onReply(buffer, offset, length);
        }

        @Override
        public void onSessionEvent(final long correlationId, final long clusterSessionId, final long leadershipTermId,
            final int leaderMemberId, final EventCode code, final String detail)
        {
            if (code != EventCode.OK)
            {
                LOG.warn("frontend {}: cluster session event {} ({})", settings.frontendId(), code, detail);
            }
        }

        @Override
        public void onNewLeader(final long clusterSessionId, final long termId, final int leaderId,
            final String ingressEndpoints)
        {
            LOG.info("frontend {}: new leader {} (term {}); re-sending {} uncommitted command(s)", settings.frontendId(),
                leaderId, termId, highestQueued - committed);
            leaderMemberId = leaderId;
            leadershipTermId = termId;
            resendAll();
            templateRequestDue = templates != null;
            auxRequestDue = aux != null;
        }
    };

    IngressClient(final Aeron aeron, final ClusterFrontend.Settings settings, final OneToOneRingBuffer handoff,
        final Runnable onCommit, final IdleStrategy idle, final ClusterTemplateSource templates)
    {
        this(aeron, settings, handoff, onCommit, idle, templates, null);
    }

    /** @param aux the cluster's aux work and proofs ({@code [cluster] aux = "cluster"}), or null */
    IngressClient(final Aeron aeron, final ClusterFrontend.Settings settings, final OneToOneRingBuffer handoff,
        final Runnable onCommit, final IdleStrategy idle, final ClusterTemplateSource templates,
        final ClusterAuxSource aux)
    {
        this.templates = templates;
        this.aux = aux;
        this.aeron = aeron;
        this.settings = settings;
        this.handoff = handoff;
        this.onCommit = onCommit;
        this.idle = idle;
        this.backlog = new ExpandableRingBuffer(64 * 1024, (int)Math.min(settings.maxUnackedBytes(),
            ExpandableRingBuffer.MAX_CAPACITY), false);
        this.resendIntervalNs = TimeUnit.MILLISECONDS.toNanos(settings.resendIntervalMs());
        this.keepAliveIntervalNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, settings.sessionTimeoutMs() / 4));
        this.reconnectBackoffNs = TimeUnit.MILLISECONDS.toNanos(Math.min(500, Math.max(10,
            settings.leaderHeartbeatTimeoutMs() / 4)));
    }

    @Override
    public void run()
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
            CloseHelper.quietCloseAll(connecting, cluster);
            state = State.CLOSED;
        }
    }

    void stop()
    {
        running = false;
    }

    int doWork(final long nowNs)
    {
        int work = handoff.controlledRead(toBacklog, 64);
        if (cluster == null)
        {
            return work + connect(nowNs);
        }
        if (cluster.isClosed())
        {
            LOG.warn("frontend {}: the cluster client closed itself (no leader within its timeout); reconnecting",
                settings.frontendId());
            CloseHelper.quietClose(cluster);
            cluster = null;
            state = State.NO_LEADER;
            nextConnectNs = nowNs;
            return work + 1;
        }
        work += cluster.pollEgress();
        if (cluster == null || cluster.isClosed())
        {
            return work;
        }
        work += send(nowNs);
        if (templates != null)
        {
            work += requestTemplate(nowNs);
        }
        if (aux != null)
        {
            work += aux(nowNs);
        }
        if (!backlog.isEmpty() && nowNs - lastProgressNs > resendIntervalNs && nowNs - lastSendNs > resendIntervalNs)
        {
            resendAll();
        }
        if (nowNs - lastSendNs > keepAliveIntervalNs)
        {
            if (cluster.sendKeepAlive())
            {
                lastSendNs = nowNs;
            }
        }
        return work;
    }

    private int connect(final long nowNs)
    {
        if (connecting == null)
        {
            if (nowNs - nextConnectNs < 0)
            {
                return 0;
            }
            connecting = AeronCluster.asyncConnect(settings.clientContext(aeron, egress));
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
            connects++;
            leaderMemberId = c.leaderMemberId();
            leadershipTermId = c.leadershipTermId();
            sessionId = c.clusterSessionId();
            state = State.CONNECTED;
            lastProgressNs = nowNs;
            lastSendNs = nowNs;
            LOG.info("frontend {}: connected to the cluster (leader {}, session {}); {} uncommitted command(s) to send",
                settings.frontendId(), leaderMemberId, sessionId, highestQueued - committed);
            resendAll();
            templateRequestDue = templates != null;
            auxRequestDue = aux != null;
            return 1;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = nowNs + reconnectBackoffNs;
            if (state != State.NO_LEADER)
            {
                LOG.warn("frontend {}: cannot reach a cluster leader ({}); retrying", settings.frontendId(),
                    ex.getMessage());
            }
            state = State.NO_LEADER;
            return 1;
        }
    }

    /** Handoff ring -> backlog; leaves the command in the ring while the backlog is full. */
    private ControlledMessageHandler.Action toBacklog(final int msgTypeId, final MutableDirectBuffer buffer,
        final int index, final int length)
    {
        if (!backlog.append(buffer, index, length))
        {
            if (backlogFullNs == 0)
            {
                backlogFullNs = System.nanoTime();
                LOG.warn("frontend {}: {} bytes of uncommitted commands (max_unacked_bytes): holding further commands",
                    settings.frontendId(), backlog.size());
            }
            return ControlledMessageHandler.Action.ABORT;
        }
        backlogFullNs = 0;
        backlogBytes = backlog.size();
        highestQueued = buffer.getLong(index + Protocol.SEQUENCE_OFFSET, LE);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /**
     * Aux work and proofs: asks for every chain's latest work (AUX_REQUEST, no state) after connecting, after a new
     * leader and every resend interval while none has arrived; sends the proofs the merged-mining layer queued
     * (AUX_SUBMIT), in order, each until ingress takes it.
     */
    private int aux(final long nowNs)
    {
        int work = 0;
        if (!auxRequestDue && aux.empty() && nowNs - lastAuxRequestNs > resendIntervalNs)
        {
            auxRequestDue = true;
        }
        if (auxRequestDue)
        {
            final int n = AuxCodec.encodeHello(auxMessage, Protocol.AUX_REQUEST, settings.frontendId());
            if (cluster.offer(auxMessage, 0, n) > 0)
            {
                auxRequestDue = false;
                lastAuxRequestNs = nowNs;
                lastSendNs = nowNs;
                work++;
            }
        }
        for (byte[] m = aux.nextOutgoing(); m != null; m = aux.nextOutgoing())
        {
            if (m.length > cluster.ingressPublication().maxMessageLength() - AeronCluster.SESSION_HEADER_LENGTH)
            {
                LOG.warn("frontend {}: an aux proof of {} bytes does not fit one ingress message (1/8 of " +
                    "ingress_term_length); not sent", settings.frontendId(), m.length);
                aux.tooLarge();
                continue;
            }
            auxMessage.putBytes(0, m);
            if (cluster.offer(auxMessage, 0, m.length) <= 0)
            {
                break;
            }
            aux.sent();
            lastSendNs = nowNs;
            work++;
        }
        return work;
    }

    /**
     * Asks the cluster for its latest template (answered on egress, changes no state): after connecting, after a new
     * leader, and every resend interval while none has arrived.
     */
    private int requestTemplate(final long nowNs)
    {
        if (!templateRequestDue && templates.latest() == null && nowNs - lastTemplateRequestNs > resendIntervalNs)
        {
            templateRequestDue = true;
        }
        if (!templateRequestDue)
        {
            return 0;
        }
        templateRequest.putByte(Protocol.TYPE_OFFSET, Protocol.TEMPLATE_REQUEST);
        templateRequest.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        templateRequest.putInt(Protocol.FRONTEND_OFFSET, settings.frontendId(), LE);
        final long r = cluster.offer(templateRequest, 0, Protocol.TEMPLATE_REQUEST_LENGTH);
        if (r > 0)
        {
            templateRequestDue = false;
            lastTemplateRequestNs = nowNs;
            lastSendNs = nowNs;
            return 1;
        }
        return 0;
    }

    private long sendNowNs;
    private int sent;
    private final ExpandableRingBuffer.MessageConsumer sender = this::sendOne;

    private int send(final long nowNs)
    {
        if (nextToSend > highestQueued)
        {
            return 0;
        }
        sendNowNs = nowNs;
        sent = 0;
        backlog.forEach(sender, Integer.MAX_VALUE);
        return sent;
    }

    private boolean sendOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long sequence = buffer.getLong(offset + Protocol.SEQUENCE_OFFSET, LE);
        if (sequence < nextToSend)
        {
            return true;
        }
        final long r = cluster.offer(buffer, offset, length);
        if (r > 0)
        {
            nextToSend = sequence + 1;
            highestSent = Math.max(highestSent, sequence);
            lastSendNs = sendNowNs;
            sent++;
            return true;
        }
        if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
        {
            CloseHelper.quietClose(cluster);
        }
        return false;
    }

    private void resendAll()
    {
        if (committed + 1 < nextToSend)
        {
            resends++;
        }
        nextToSend = committed + 1;
        lastProgressNs = System.nanoTime();
    }

    private final ExpandableRingBuffer.MessageConsumer trim = (buffer, offset, length, headOffset) ->
        buffer.getLong(offset + Protocol.SEQUENCE_OFFSET, LE) <= committed;

    private void onReply(final DirectBuffer b, final int offset, final int length)
    {
        if (length < Protocol.REPLY_LENGTH || b.getInt(offset + Protocol.FRONTEND_OFFSET, LE) != settings.frontendId())
        {
            return;
        }
        final byte type = b.getByte(offset + Protocol.TYPE_OFFSET);
        final long incarnation = b.getLong(offset + Protocol.INCARNATION_OFFSET, LE);
        if (type == Protocol.STALE)
        {
            staleReplies++;
            LOG.error("frontend {}: the cluster refused our commands: it has seen a later frontend with this " +
                "frontend_id (incarnation {} > ours {}); frontend ids must be unique", settings.frontendId(),
                incarnation, settings.incarnation());
            return;
        }
        if (type != Protocol.COMMITTED || incarnation != settings.incarnation())
        {
            return;
        }
        final long sequence = b.getLong(offset + Protocol.SEQUENCE_OFFSET, LE);
        if (sequence > committed)
        {
            committed = sequence;
            backlog.consume(trim, Integer.MAX_VALUE);
            backlogBytes = backlog.size();
            if (nextToSend <= sequence)
            {
                nextToSend = sequence + 1;
            }
            lastProgressNs = System.nanoTime();
            onCommit.run();
        }
    }

    long committed()
    {
        return committed;
    }

    State state()
    {
        return state;
    }

    long highestSent()
    {
        return highestSent;
    }

    long highestQueued()
    {
        return highestQueued;
    }

    int leaderMemberId()
    {
        return leaderMemberId;
    }

    long leadershipTermId()
    {
        return leadershipTermId;
    }

    long sessionId()
    {
        return sessionId;
    }

    long connects()
    {
        return connects;
    }

    long resends()
    {
        return resends;
    }

    long staleReplies()
    {
        return staleReplies;
    }

    int backlogBytes()
    {
        return backlogBytes;
    }
}
