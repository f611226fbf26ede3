package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.EventCodec;
import org.bitcoincommons.sv2.journal.JournalEvent;

/**
 * The frontend's logic-thread half: encodes every accounting event (in journal order, in the journal's layout) into
 * the current EVENTS command, and on {@link #seal()} numbers it and hands it to the cluster client thread through a
 * one-to-one ring. Consecutive shares with the same time go in one SHARE_BATCH event (32 bytes a share). Nothing is
 * allocated per share or per command; names and hashes are copied. Owned by the pool logic thread.
 */
final class CommandBatcher implements AccountingListener
{
    /** Ring message type of a sealed command. */
    static final int COMMAND_MSG = 1;

    private final int frontendId;
    private final long incarnation;
    private final UnsafeBuffer command;
    private final OneToOneRingBuffer handoff;
    private int length = Protocol.EVENTS_HEADER_LENGTH;
    private int eventCount;
    /** Offset of the open SHARE_BATCH event's length prefix, or -1. */
    private int shareRun = -1;
    private int shareRunCount;
    private long shareRunTimeMs;
    private long nextSequence = 1;
    private long lastTicket;
    private long dropped;

    /**
     * @param maxCommandBytes largest command the ingress stream takes (a command is sealed early when the next event
     *                        would not fit)
     */
    CommandBatcher(final int frontendId, final long incarnation, final int maxCommandBytes,
        final OneToOneRingBuffer handoff)
    {
        if (maxCommandBytes < Protocol.EVENTS_HEADER_LENGTH + 4 + EventCodec.maxColdEventLength())
        {
            throw new IllegalArgumentException("commands of " + maxCommandBytes + " bytes cannot hold one event");
        }
        this.frontendId = frontendId;
        this.incarnation = incarnation;
        this.command = new UnsafeBuffer(new byte[Math.min(maxCommandBytes, handoff.maxMsgLength())]);
        this.handoff = handoff;
    }

    /** Sequence numbers of this frontend incarnation start at 1; the ticket of a batch is its command's sequence. */
    long seal()
    {
        if (eventCount == 0)
        {
            return lastTicket;
        }
        command.putByte(Protocol.TYPE_OFFSET, Protocol.EVENTS);
        command.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        command.putShort(2, (short)0, LE);
        command.putInt(Protocol.FRONTEND_OFFSET, frontendId, LE);
        command.putLong(Protocol.INCARNATION_OFFSET, incarnation, LE);
        command.putLong(Protocol.SEQUENCE_OFFSET, nextSequence, LE);
        command.putInt(Protocol.EVENT_COUNT_OFFSET, eventCount, LE);
        final boolean taken = handoff.write(COMMAND_MSG, command, 0, length);
        length = Protocol.EVENTS_HEADER_LENGTH;
        eventCount = 0;
        shareRun = -1;
        if (!taken)
        {
            dropped++;
            return org.bitcoincommons.sv2.pool.AccountingSink.NEVER;
        }
        lastTicket = nextSequence++;
        return lastTicket;
    }

    /** Commands the client thread could not take (its backlog was full); their shares are never acknowledged. */
    long dropped()
    {
        return dropped;
    }

    long lastTicket()
    {
        return lastTicket;
    }

    private int room(final int bytes)
    {
        if (length + Protocol.EVENT_LENGTH_PREFIX + bytes > command.capacity())
        {
            seal();
        }
        final int at = length;
        length += Protocol.EVENT_LENGTH_PREFIX;
        eventCount++;
        shareRun = -1;
        return at;
    }

    private void close(final int at, final int eventLength)
    {
        command.putInt(at, eventLength, LE);
        length = at + Protocol.EVENT_LENGTH_PREFIX + eventLength;
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        if (shareRun < 0 || shareRunTimeMs != timeMs ||
            length + JournalEvent.SHARE_RECORD_LENGTH > command.capacity())
        {
            final int at = room(EventCodec.SHARE_BATCH_HEADER_LENGTH + JournalEvent.SHARE_RECORD_LENGTH);
            EventCodec.shareBatchHeader(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, 0);
            close(at, EventCodec.SHARE_BATCH_HEADER_LENGTH);
            shareRun = at;
            shareRunCount = 0;
            shareRunTimeMs = timeMs;
        }
        length += EventCodec.shareRecord(command, length, workerId, channelId, sequenceNumber, jobId, difficulty,
            chainMask);
        shareRunCount++;
        EventCodec.shareBatchCount(command, shareRun + Protocol.EVENT_LENGTH_PREFIX, shareRunCount);
        command.putInt(shareRun, length - shareRun - Protocol.EVENT_LENGTH_PREFIX, LE);
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.worker(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, workerId, name));
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.chain(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, name));
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] hash)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.blockFound(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, workerId,
            height, hash));
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.auxSubmitted(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, hash));
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.auxAccepted(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, hash));
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.auxRejected(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, hash,
            reason));
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.auxUnknown(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, hash,
            reason));
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.blockRejected(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, hash,
            reason));
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.reward(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, amount, hash));
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.fee(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, amount,
            contributorId));
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        final int at = room(EventCodec.maxColdEventLength());
        close(at, EventCodec.distribution(command, at + Protocol.EVENT_LENGTH_PREFIX, timeMs, chainIndex, core,
            grants, audits, operations));
    }
}
