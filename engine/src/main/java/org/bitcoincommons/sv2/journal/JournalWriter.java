package org.bitcoincommons.sv2.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends accounting events. Single-threaded: each thread that journals takes its own writer from
 * {@link Journal#writer()}. {@link #shareAccepted} allocates nothing; the cold events may.
 */
public final class JournalWriter implements AutoCloseable
{
    private final ExcerptAppender appender;

    JournalWriter(final ExcerptAppender appender)
    {
        this.appender = appender;
    }

    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.SHARE_ACCEPTED);
            b.writeLong(timeMs);
            b.writeInt(workerId);
            b.writeInt(channelId);
            b.writeInt(sequenceNumber);
            b.writeInt(jobId);
            b.writeDouble(difficulty);
            b.writeLong(chainMask);
        }
    }

    /**
     * Appends every share of {@code batch} as one SHARE_BATCH document, then clears it. Allocates nothing.
     */
    public void shareBatch(final long timeMs, final ShareBatch batch)
    {
        if (batch.count() == 0)
        {
            return;
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.SHARE_BATCH);
            b.writeLong(timeMs);
            b.writeInt(batch.count());
            final org.agrona.DirectBuffer r = batch.records();
            final int length = batch.length();
            for (int i = 0; i < length; i += 8)
            {
                b.writeLong(r.getLong(i, java.nio.ByteOrder.LITTLE_ENDIAN));
            }
        }
        batch.clear();
    }

    public void worker(final long timeMs, final int workerId, final String name)
    {
        named(JournalEvent.WORKER, timeMs, workerId, name);
    }

    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        checkChain(chainIndex);
        named(JournalEvent.CHAIN, timeMs, chainIndex, name);
    }

    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height, final byte[] hash)
    {
        checkChain(chainIndex);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.BLOCK_FOUND);
            b.writeLong(timeMs);
            b.writeInt(chainIndex);
            b.writeInt(workerId);
            b.writeLong(height);
            writeHash(b, hash);
        }
    }

    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        auxEvent(JournalEvent.AUX_SUBMITTED, timeMs, chainIndex, hash, null);
    }

    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        auxEvent(JournalEvent.AUX_ACCEPTED, timeMs, chainIndex, hash, null);
    }

    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        auxEvent(JournalEvent.AUX_REJECTED, timeMs, chainIndex, hash, reason);
    }

    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        auxEvent(JournalEvent.AUX_UNKNOWN, timeMs, chainIndex, hash, reason);
    }

    /** A found block that no template source accepted, with the node's reason ("high-hash", "duplicate", ...). */
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        auxEvent(JournalEvent.BLOCK_REJECTED, timeMs, chainIndex, hash, reason);
    }

    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        checkChain(chainIndex);
        checkAmount(amount);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.REWARD);
            b.writeLong(timeMs);
            b.writeInt(chainIndex);
            b.writeLong(amount);
            writeHash(b, hash);
        }
    }

    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        checkChain(chainIndex);
        checkAmount(amount);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.FEE);
            b.writeLong(timeMs);
            b.writeInt(chainIndex);
            b.writeLong(amount);
            writeName(b, contributorId);
        }
    }

    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        checkChain(chainIndex);
        checkAmount(core);
        checkAmount(grants);
        checkAmount(audits);
        checkAmount(operations);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(JournalEvent.DISTRIBUTION);
            b.writeLong(timeMs);
            b.writeInt(chainIndex);
            b.writeLong(core);
            b.writeLong(grants);
            b.writeLong(audits);
            b.writeLong(operations);
        }
    }

    /** The Chronicle index of the last event this writer appended. */
    public long lastIndex()
    {
        return appender.lastIndexAppended();
    }

    @Override
    public void close()
    {
        appender.close();
    }

    private void auxEvent(final byte type, final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        checkChain(chainIndex);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(type);
            b.writeLong(timeMs);
            b.writeInt(chainIndex);
            writeHash(b, hash);
            if (reason != null)
            {
                writeName(b, reason);
            }
        }
    }

    private void named(final byte type, final long timeMs, final int id, final String name)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeByte(type);
            b.writeLong(timeMs);
            b.writeInt(id);
            writeName(b, name);
        }
    }

    private static void writeName(final Bytes<?> b, final String s)
    {
        final byte[] utf8 = EventCodec.utf8Name(s);
        b.writeUnsignedByte(utf8.length);
        b.write(utf8);
    }

    private static void writeHash(final Bytes<?> b, final byte[] hash)
    {
        if (hash.length != JournalEvent.HASH_LENGTH)
        {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
        }
        b.write(hash);
    }

    private static void checkChain(final int chainIndex)
    {
        if (chainIndex < 0 || chainIndex >= JournalEvent.MAX_CHAINS)
        {
            throw new IllegalArgumentException("chain index must be 0.." + (JournalEvent.MAX_CHAINS - 1) + ", got " + chainIndex);
        }
    }

    private static void checkAmount(final long amount)
    {
        if (amount < 0)
        {
            throw new IllegalArgumentException("amounts are never negative, got " + amount);
        }
    }
}
