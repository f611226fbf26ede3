package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.Map;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered service of a node: {@link ReplicatedAccounting} driven only by the log. It reads no clock but the
 * log's timestamps, does no I/O, and answers each command on egress (which only the leader's answer leaves). A
 * snapshot is the state's bytes in chunks; a restore reads them back, then the log after the snapshot replays, which
 * equals a replay from the start.
 * <p>
 * Templates ({@code [cluster] templates = "cluster"}): a TEMPLATE command that is newer than the latest becomes the
 * latest and goes on egress to every session, in log order; a TEMPLATE_REQUEST (a frontend's, after it connects or
 * hears of a new leader) is answered with the latest on that session's egress and changes no state. (Aeron allows
 * egress only from session messages and timers, not from {@code onSessionOpen}'s unconnected egress, nor from
 * {@code onRoleChange} or {@code doBackgroundWork}: so the frontend asks.)
 * <p>
 * Thread: Aeron's service container thread. Other threads read {@link #published()}, a copy made in
 * {@link #doBackgroundWork} every publish interval (that copy is not part of the replicated state).
 */
public final class AccountingService implements ClusteredService
{
    private static final Logger LOG = LoggerFactory.getLogger(AccountingService.class);

    /** A snapshot message: type u8 | reserved 3 | total u32 | offset u32 | bytes. */
    private static final byte SNAPSHOT_CHUNK = 50;
    private static final int CHUNK_HEADER = 12;
    private static final int CHUNK_BYTES = 32 * 1024;
    private static final int REPLY_ATTEMPTS = 3;

    /**
     * What the service thread last published for other threads.
     *
     * @param logPosition     the log position of the last command applied
     * @param role            the node's role then ("LEADER", "FOLLOWER", "CANDIDATE")
     * @param state           {@link ReplicatedAccounting#encode} of the whole state (equal states, equal bytes)
     * @param accounting      the totals ({@code bin/sv2 replay --json} shape)
     */
    public record Published(long logPosition, String role, long commandsApplied, long duplicates, long stale,
        long rejected, byte[] state, Map<String, Object> accounting)
    {
    }

    private final long publishIntervalNs;
    private final ReplicatedAccounting accounting = new ReplicatedAccounting();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[Protocol.REPLY_LENGTH]);
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(64 * 1024);
    private Cluster cluster;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private long lastAppliedPosition;
    private long nextPublishNs;
    private boolean changed = true;
    private volatile Published published;
    private volatile long snapshotsTaken;
    private volatile long snapshotsLoaded;
    private final ExpandableArrayBuffer egressTemplate = new ExpandableArrayBuffer(64 * 1024);
    private volatile long templatesSent;
    private volatile long templatesTooLargeForSession;
    private final ExpandableArrayBuffer egressAux = new ExpandableArrayBuffer(4 * 1024);
    /**
     * Sessions that said they are aux feeders (AUX_FEEDER). Not replicated state: only where proofs are sent; a
     * feeder says it again after each connect, and a feeder that is not told of a proof learns it from the
     * waiting proofs it is sent then.
     */
    private final org.agrona.collections.LongHashSet feederSessions = new org.agrona.collections.LongHashSet();
    private volatile long auxMessagesSent;
    private volatile Map<String, Object> auxStatus = Map.of();

    /** @param publishIntervalNs how often {@link #published()} is refreshed (when something changed) */
    public AccountingService(final long publishIntervalNs)
    {
        this.publishIntervalNs = publishIntervalNs;
        this.published = new Published(0, role.name(), 0, 0, 0, 0, encodeState(), accounting.state().toMap());
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        if (snapshotImage != null)
        {
            loadSnapshot(snapshotImage);
        }
        changed = true;
    }

    private void loadSnapshot(final Image image)
    {
        final int[] total = {-1};
        final int[] received = {0};
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            if (buffer.getByte(offset) != SNAPSHOT_CHUNK)
            {
                throw new IllegalStateException("unexpected snapshot message type " + buffer.getByte(offset));
            }
            final int t = buffer.getInt(offset + 4, LE);
            final int at = buffer.getInt(offset + 8, LE);
            final int n = length - CHUNK_HEADER;
            if (total[0] < 0)
            {
                total[0] = t;
            }
            if (t != total[0] || at != received[0] || at + n > t)
            {
                throw new IllegalStateException("snapshot chunk at " + at + " of " + t + " out of order");
            }
            snapshotBuffer.putBytes(at, buffer, offset + CHUNK_HEADER, n);
            received[0] += n;
        });
        while (!image.isEndOfStream())
        {
            if (image.poll(assembler, 64) == 0)
            {
                if (image.isClosed())
                {
                    break;
                }
                cluster.idleStrategy().idle();
            }
        }
        if (total[0] < 0 || received[0] != total[0])
        {
            throw new IllegalStateException("snapshot ended after " + received[0] + " of " + total[0] + " bytes");
        }
        accounting.decode(snapshotBuffer, 0, total[0]);
        snapshotsLoaded++;
        LOG.info("accounting restored from a snapshot of {} bytes ({} commands, {} shares) in {}", total[0],
            accounting.commandsApplied(), accounting.state().sharesAccepted(), cluster.context().clusterDir());
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        feederSessions.remove(session.id());
    }

    @Override
    public void onSessionMessage(final ClientSession session, final long timestamp, final DirectBuffer buffer,
        final int offset, final int length, final Header header)
    {
        final byte type = length > 0 ? buffer.getByte(offset + Protocol.TYPE_OFFSET) : 0;
        if (type == Protocol.TEMPLATE)
        {
            onTemplate(session, buffer, offset, length, header);
            return;
        }
        if (type >= Protocol.AUX_WORK && type <= Protocol.AUX_RESULT)
        {
            onAux(type, session, buffer, offset, length, header);
            return;
        }
        if (type == Protocol.TEMPLATE_REQUEST)
        {
            // no state: only the latest template on this session's egress (only the leader's leaves)
            lastAppliedPosition = header.position();
            if (accounting.latestTemplate() != null)
            {
                sendTemplate(session);
            }
            return;
        }
        final long timeMs = cluster.timeUnit().toMillis(timestamp);
        final ReplicatedAccounting.Outcome outcome = accounting.apply(buffer, offset, length, timeMs);
        lastAppliedPosition = header.position();
        changed = true;
        switch (outcome)
        {
            case APPLIED, DUPLICATE -> reply(session, Protocol.COMMITTED, buffer.getInt(offset + Protocol.FRONTEND_OFFSET, LE));
            case STALE ->
            {
                reply(session, Protocol.STALE, buffer.getInt(offset + Protocol.FRONTEND_OFFSET, LE));
                LOG.warn("node {}: refused a command of frontend {} from an older incarnation (is a second frontend " +
                    "running with the same frontend_id?)", cluster.memberId(), buffer.getInt(offset + Protocol.FRONTEND_OFFSET, LE));
            }
            case REJECTED -> LOG.warn("node {}: refused a malformed command of {} bytes from session {}",
                cluster.memberId(), length, session.id());
            default -> throw new IllegalStateException(outcome.name());
        }
    }

    private void onTemplate(final ClientSession session, final DirectBuffer buffer, final int offset, final int length,
        final Header header)
    {
        final ReplicatedAccounting.Outcome outcome = accounting.applyTemplate(buffer, offset, length);
        lastAppliedPosition = header.position();
        changed = true;
        if (outcome == ReplicatedAccounting.Outcome.APPLIED)
        {
            for (final ClientSession s : cluster.clientSessions())
            {
                sendTemplate(s);
            }
        }
        else if (outcome == ReplicatedAccounting.Outcome.REJECTED)
        {
            LOG.warn("node {}: refused a malformed TEMPLATE of {} bytes from session {}", cluster.memberId(), length,
                session.id());
        }
    }

    /**
     * Aux work and proofs ({@code [cluster] aux = "cluster"}): AUX_WORK newer than its chain's latest goes to every
     * session; AUX_REQUEST (no state) is answered with every chain's latest; AUX_FEEDER (no state) marks the session as
     * a feeder's and sends it every proof still waiting; a new AUX_SUBMIT goes to every feeder session, a repeat of a
     * settled one gets its outcome back, a repeat of one still waiting goes to the feeders again; the first AUX_RESULT
     * of a waiting proof goes to every session.
     */
    private void onAux(final byte type, final ClientSession session, final DirectBuffer buffer, final int offset,
        final int length, final Header header)
    {
        lastAppliedPosition = header.position();
        switch (type)
        {
            case Protocol.AUX_WORK ->
            {
                changed = true;
                final ReplicatedAccounting.Outcome o = accounting.applyAuxWork(buffer, offset, length);
                if (o == ReplicatedAccounting.Outcome.APPLIED)
                {
                    final byte[] w = accounting.auxWork().get(AuxCodec.workChain(buffer, offset));
                    for (final ClientSession s : cluster.clientSessions())
                    {
                        sendAs(s, w, Protocol.AUX_WORK_UPDATE);
                    }
                }
                refused(o, "AUX_WORK", length, session);
            }
            case Protocol.AUX_REQUEST ->
            {
                for (final byte[] w : accounting.auxWork().values())
                {
                    sendAs(session, w, Protocol.AUX_WORK_UPDATE);
                }
            }
            case Protocol.AUX_FEEDER ->
            {
                feederSessions.add(session.id());
                for (final ReplicatedAccounting.AuxProof p : accounting.waitingAuxProofs())
                {
                    sendAs(session, p.submit(), Protocol.AUX_PROOF);
                }
            }
            case Protocol.AUX_SUBMIT ->
            {
                changed = true;
                final ReplicatedAccounting.Outcome o = accounting.applyAuxSubmit(buffer, offset, length);
                if (o == ReplicatedAccounting.Outcome.APPLIED)
                {
                    final byte[] submit = accounting.lastAuxProof().submit();
                    for (final ClientSession s : cluster.clientSessions())
                    {
                        if (feederSessions.contains(s.id()))
                        {
                            sendAs(s, submit, Protocol.AUX_PROOF);
                        }
                    }
                }
                else if (o == ReplicatedAccounting.Outcome.DUPLICATE && accounting.lastAuxProof().result() != null)
                {
                    sendAs(session, accounting.lastAuxProof().result(), Protocol.AUX_OUTCOME);
                }
                else if (o == ReplicatedAccounting.Outcome.DUPLICATE)
                {
                    // still waiting: a feeder that gave up on it (its node did not answer) takes it up again
                    final byte[] submit = accounting.lastAuxProof().submit();
                    for (final ClientSession s : cluster.clientSessions())
                    {
                        if (feederSessions.contains(s.id()))
                        {
                            sendAs(s, submit, Protocol.AUX_PROOF);
                        }
                    }
                }
                refused(o, "AUX_SUBMIT", length, session);
            }
            case Protocol.AUX_RESULT ->
            {
                changed = true;
                final ReplicatedAccounting.Outcome o = accounting.applyAuxResult(buffer, offset, length);
                if (o == ReplicatedAccounting.Outcome.APPLIED)
                {
                    final byte[] result = accounting.lastAuxProof().result();
                    for (final ClientSession s : cluster.clientSessions())
                    {
                        sendAs(s, result, Protocol.AUX_OUTCOME);
                    }
                }
                refused(o, "AUX_RESULT", length, session);
            }
            default -> throw new IllegalStateException("aux type " + type);
        }
    }

    private void refused(final ReplicatedAccounting.Outcome o, final String what, final int length,
        final ClientSession session)
    {
        if (o == ReplicatedAccounting.Outcome.REJECTED)
        {
            LOG.warn("node {}: refused a malformed {} of {} bytes from session {}", cluster.memberId(), what, length,
                session.id());
        }
    }

    /** Offers {@code message} with its type byte replaced by {@code type}; a few attempts (a lost one is re-asked). */
    private void sendAs(final ClientSession session, final byte[] message, final byte type)
    {
        egressAux.putBytes(0, message);
        egressAux.putByte(Protocol.TYPE_OFFSET, type);
        for (int i = 0; i < REPLY_ATTEMPTS; i++)
        {
            final long r = session.offer(egressAux, 0, message.length);
            if (r > 0)
            {
                auxMessagesSent++;
                return;
            }
            if (r == Publication.NOT_CONNECTED || r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
            {
                return;
            }
            cluster.idleStrategy().idle();
        }
    }

    /**
     * Offers the latest template to {@code session}, a few attempts; one lost here is recovered: a frontend that has
     * no template, or hears of a new leader, asks again (TEMPLATE_REQUEST).
     */
    private void sendTemplate(final ClientSession session)
    {
        final byte[] latest = accounting.latestTemplate();
        egressTemplate.putBytes(0, latest);
        egressTemplate.putByte(Protocol.TYPE_OFFSET, Protocol.TEMPLATE_UPDATE);
        for (int i = 0; i < REPLY_ATTEMPTS; i++)
        {
            final long r;
            try
            {
                r = session.offer(egressTemplate, 0, latest.length);
            }
            catch (final IllegalArgumentException ex)
            {
                // the session's egress terms are smaller than the log's (a frontend with a smaller log_term_length):
                // that session cannot have it; the other sessions must still get it
                templatesTooLargeForSession++;
                LOG.warn("node {}: the latest template ({} bytes) does not fit session {}'s egress messages; its " +
                    "log_term_length is smaller than this node's: {}", cluster.memberId(), latest.length, session.id(),
                    ex.getMessage());
                return;
            }
            if (r > 0)
            {
                templatesSent++;
                return;
            }
            if (r == Publication.NOT_CONNECTED || r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
            {
                return;
            }
            cluster.idleStrategy().idle();
        }
    }

    /** Egress; only the leader's actually leaves. A reply lost here is recovered: the frontend re-sends. */
    private void reply(final ClientSession session, final byte type, final int frontendId)
    {
        reply.putByte(Protocol.TYPE_OFFSET, type);
        reply.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        reply.putShort(2, (short)0, LE);
        reply.putInt(Protocol.FRONTEND_OFFSET, frontendId, LE);
        reply.putLong(Protocol.INCARNATION_OFFSET, accounting.replyIncarnation(), LE);
        reply.putLong(Protocol.SEQUENCE_OFFSET, accounting.replySequence(), LE);
        for (int i = 0; i < REPLY_ATTEMPTS; i++)
        {
            final long r = session.offer(reply, 0, Protocol.REPLY_LENGTH);
            if (r > 0 || r == Publication.NOT_CONNECTED || r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
            {
                return;
            }
            cluster.idleStrategy().idle();
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication publication)
    {
        final int total = accounting.encode(snapshotBuffer, 0);
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[CHUNK_HEADER + CHUNK_BYTES]);
        int at = 0;
        do
        {
            final int n = Math.min(CHUNK_BYTES, total - at);
            chunk.putByte(0, SNAPSHOT_CHUNK);
            chunk.putInt(4, total, LE);
            chunk.putInt(8, at, LE);
            chunk.putBytes(CHUNK_HEADER, snapshotBuffer, at, n);
            while (publication.offer(chunk, 0, CHUNK_HEADER + n) < 0)
            {
                if (publication.isClosed())
                {
                    throw new IllegalStateException("snapshot publication closed");
                }
                cluster.idleStrategy().idle();
            }
            at += n;
        }
        while (at < total);
        snapshotsTaken++;
        LOG.info("node {}: snapshot of {} bytes at log position {} ({} commands, {} shares)", cluster.memberId(), total,
            cluster.logPosition(), accounting.commandsApplied(), accounting.state().sharesAccepted());
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
        changed = true;
        LOG.info("node {}: role {}", cluster.memberId(), newRole);
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        publish();
    }

    /** Not driven by the log: only copies the state out for other threads. */
    @Override
    public int doBackgroundWork(final long nowNs)
    {
        if (changed && nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = nowNs + publishIntervalNs;
            publish();
            return 1;
        }
        return 0;
    }

    private void publish()
    {
        changed = false;
        published = new Published(lastAppliedPosition, role.name(), accounting.commandsApplied(),
            accounting.duplicates(), accounting.stale(), accounting.rejected(), encodeState(),
            accounting.state().toMap());
        auxStatus = auxStatusMap();
    }

    private byte[] encodeState()
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(4096);
        final int n = accounting.encode(b, 0);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    /** The state as of the last publish (at most one publish interval old). Any thread. */
    public Published published()
    {
        return published;
    }

    public Cluster.Role role()
    {
        return role;
    }

    public long snapshotsTaken()
    {
        return snapshotsTaken;
    }

    public long snapshotsLoaded()
    {
        return snapshotsLoaded;
    }

    private Map<String, Object> auxStatusMap()
    {
        final Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("aux_work_applied", accounting.auxWorkApplied());
        m.put("aux_work_ignored", accounting.auxWorkIgnored());
        m.put("aux_proofs_waiting", accounting.waitingAuxProofs().size());
        final Map<String, Object> chains = new java.util.TreeMap<>();
        accounting.auxWork().forEach((name, w) ->
        {
            final Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("work_height", new UnsafeBuffer(w).getLong(AuxCodec.WORK_HEIGHT_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
            chains.put(name, c);
        });
        accounting.auxCounts().forEach((name, counts) ->
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> c = (Map<String, Object>)chains.computeIfAbsent(name,
                k -> new java.util.LinkedHashMap<String, Object>());
            c.put("proofs", counts[0]);
            c.put("repeats", counts[1]);
            c.put("accepted", counts[2]);
            c.put("rejected", counts[3]);
        });
        m.put("aux_chains", chains);
        return m;
    }

    /**
     * The replicated aux counts as of the last publish: work applied/ignored, proofs waiting, and per chain the latest
     * work's height ({@code work_height}, once the chain has work), proofs, repeats, accepted and rejected. Any thread.
     */
    public Map<String, Object> auxStatus()
    {
        return auxStatus;
    }

    /** Aux messages (work, proofs, outcomes) this node's service offered that were taken. */
    public long auxMessagesSent()
    {
        return auxMessagesSent;
    }

    /** TEMPLATE_UPDATE messages this node's service offered that were taken (a follower's count too: mocked). */
    public long templatesSent()
    {
        return templatesSent;
    }

    /** TEMPLATE_UPDATE messages not sent to a session whose egress messages are smaller than the template. */
    public long templatesTooLargeForSession()
    {
        return templatesTooLargeForSession;
    }
}
