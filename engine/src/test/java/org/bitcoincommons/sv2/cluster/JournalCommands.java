package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.EventCodec;

/**
 * The single-process replay the cluster must equal: a frontend's journal, event by event, applied to a
 * {@link ReplicatedAccounting} of its own (one command per event, at the event's own time). Replaying every
 * frontend's journal into one instance gives what one process would have counted for the same shares.
 */
final class JournalCommands implements AccountingListener
{
    private final ReplicatedAccounting target;
    private final int frontendId;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[1 << 20]);
    private long sequence;

    JournalCommands(final ReplicatedAccounting target, final int frontendId)
    {
        this.target = target;
        this.frontendId = frontendId;
    }

    /** Every frontend's journal, in turn, into one state. */
    static ReplicatedAccounting replay(final Frontend... frontends)
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        for (final Frontend f : frontends)
        {
            f.replayJournal(new JournalCommands(r, f.id));
        }
        return r;
    }

    /** The totals without the one field that depends on which clock applied the last event. */
    static Map<String, Object> comparable(final Map<String, Object> totals)
    {
        final Map<String, Object> m = new java.util.LinkedHashMap<>(totals);
        m.remove("last_event_time_ms");
        return m;
    }

    private void apply(final int eventLength, final long timeMs)
    {
        command.putByte(Protocol.TYPE_OFFSET, Protocol.EVENTS);
        command.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        command.putInt(Protocol.FRONTEND_OFFSET, frontendId, LE);
        command.putLong(Protocol.INCARNATION_OFFSET, 1, LE);
        command.putLong(Protocol.SEQUENCE_OFFSET, ++sequence, LE);
        command.putInt(Protocol.EVENT_COUNT_OFFSET, 1, LE);
        command.putInt(Protocol.EVENTS_HEADER_LENGTH, eventLength, LE);
        final ReplicatedAccounting.Outcome o = target.apply(command, 0,
            Protocol.EVENTS_HEADER_LENGTH + Protocol.EVENT_LENGTH_PREFIX + eventLength, timeMs);
        if (o != ReplicatedAccounting.Outcome.APPLIED)
        {
            throw new IllegalStateException("replay: " + o);
        }
    }

    private static final int AT = Protocol.EVENTS_HEADER_LENGTH + Protocol.EVENT_LENGTH_PREFIX;

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        apply(EventCodec.shareAccepted(command, AT, timeMs, workerId, channelId, sequenceNumber, jobId, difficulty,
            chainMask), timeMs);
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        apply(EventCodec.worker(command, AT, timeMs, workerId, name), timeMs);
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        apply(EventCodec.chain(command, AT, timeMs, chainIndex, name), timeMs);
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] hash)
    {
        apply(EventCodec.blockFound(command, AT, timeMs, chainIndex, workerId, height, hash), timeMs);
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        apply(EventCodec.auxSubmitted(command, AT, timeMs, chainIndex, hash), timeMs);
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        apply(EventCodec.auxAccepted(command, AT, timeMs, chainIndex, hash), timeMs);
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        apply(EventCodec.auxRejected(command, AT, timeMs, chainIndex, hash, reason), timeMs);
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        apply(EventCodec.auxUnknown(command, AT, timeMs, chainIndex, hash, reason), timeMs);
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        apply(EventCodec.blockRejected(command, AT, timeMs, chainIndex, hash, reason), timeMs);
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        apply(EventCodec.reward(command, AT, timeMs, chainIndex, amount, hash), timeMs);
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        apply(EventCodec.fee(command, AT, timeMs, chainIndex, amount, contributorId), timeMs);
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        apply(EventCodec.distribution(command, AT, timeMs, chainIndex, core, grants, audits, operations), timeMs);
    }
}
