package org.bitcoincommons.sv2.journal;

import java.nio.charset.StandardCharsets;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads accounting events in order and hands them to an {@link AccountingListener}. Single-threaded.
 * A document that is not a valid event raises {@link JournalException} naming its index: an audit must
 * never silently skip money.
 */
public final class JournalReader implements AutoCloseable
{
    private final ExcerptTailer tailer;
    private final byte[] hash = new byte[JournalEvent.HASH_LENGTH];
    private long eventsRead;

    JournalReader(final ExcerptTailer tailer)
    {
        this.tailer = tailer;
    }

    /**
     * Delivers up to {@code limit} events; returns how many were delivered (0 at the end of the journal).
     */
    public int read(final AccountingListener listener, final int limit)
    {
        int n = 0;
        while (n < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                if (!dc.isData())
                {
                    continue;
                }
                final Bytes<?> b = dc.wire().bytes();
                try
                {
                    dispatch(b, listener);
                }
                catch (final RuntimeException ex)
                {
                    if (ex instanceof JournalException je)
                    {
                        throw je;
                    }
                    throw new JournalException("corrupt event at index 0x" + Long.toHexString(dc.index()) + ": " + ex, ex);
                }
                n++;
            }
        }
        eventsRead += n;
        return n;
    }

    /** Delivers every remaining event; returns how many. */
    public long readAll(final AccountingListener listener)
    {
        long total = 0;
        int n;
        while ((n = read(listener, 4096)) > 0)
        {
            total += n;
        }
        return total;
    }

    public long eventsRead()
    {
        return eventsRead;
    }

    /** The Chronicle index of the next event to read. */
    public long index()
    {
        return tailer.index();
    }

    @Override
    public void close()
    {
        tailer.close();
    }

    private void dispatch(final Bytes<?> b, final AccountingListener l)
    {
        final int type = b.readByte();
        final long timeMs = b.readLong();
        switch (type)
        {
            case JournalEvent.SHARE_ACCEPTED ->
            {
                final int worker = b.readInt();
                final int channel = b.readInt();
                final int seq = b.readInt();
                final int job = b.readInt();
                final double difficulty = b.readDouble();
                final long mask = b.readLong();
                l.shareAccepted(timeMs, worker, channel, seq, job, difficulty, mask);
            }
            case JournalEvent.SHARE_BATCH ->
            {
                final int count = b.readInt();
                if (count < 0 || (long)count * JournalEvent.SHARE_RECORD_LENGTH != b.readRemaining())
                {
                    throw new JournalException("share batch of " + count + " records has " + b.readRemaining() + " bytes");
                }
                for (int i = 0; i < count; i++)
                {
                    final int worker = b.readInt();
                    final int channel = b.readInt();
                    final int seq = b.readInt();
                    final int job = b.readInt();
                    final double difficulty = b.readDouble();
                    final long mask = b.readLong();
                    l.shareAccepted(timeMs, worker, channel, seq, job, difficulty, mask);
                }
            }
            case JournalEvent.WORKER ->
            {
                final int id = b.readInt();
                l.worker(timeMs, id, readName(b));
            }
            case JournalEvent.CHAIN ->
            {
                final int id = b.readInt();
                l.chain(timeMs, id, readName(b));
            }
            case JournalEvent.BLOCK_FOUND ->
            {
                final int chain = b.readInt();
                final int worker = b.readInt();
                final long height = b.readLong();
                readHash(b);
                l.blockFound(timeMs, chain, worker, height, hash);
            }
            case JournalEvent.AUX_SUBMITTED ->
            {
                final int chain = b.readInt();
                readHash(b);
                l.auxSubmitted(timeMs, chain, hash);
            }
            case JournalEvent.AUX_ACCEPTED ->
            {
                final int chain = b.readInt();
                readHash(b);
                l.auxAccepted(timeMs, chain, hash);
            }
            case JournalEvent.AUX_REJECTED ->
            {
                final int chain = b.readInt();
                readHash(b);
                l.auxRejected(timeMs, chain, hash, readName(b));
            }
            case JournalEvent.AUX_UNKNOWN ->
            {
                final int chain = b.readInt();
                readHash(b);
                l.auxUnknown(timeMs, chain, hash, readName(b));
            }
            case JournalEvent.BLOCK_REJECTED ->
            {
                final int chain = b.readInt();
                readHash(b);
                l.blockRejected(timeMs, chain, hash, readName(b));
            }
            case JournalEvent.REWARD ->
            {
                final int chain = b.readInt();
                final long amount = b.readLong();
                readHash(b);
                l.reward(timeMs, chain, amount, hash);
            }
            case JournalEvent.FEE ->
            {
                final int chain = b.readInt();
                final long amount = b.readLong();
                l.fee(timeMs, chain, amount, readName(b));
            }
            case JournalEvent.DISTRIBUTION ->
            {
                final int chain = b.readInt();
                l.distribution(timeMs, chain, b.readLong(), b.readLong(), b.readLong(), b.readLong());
            }
            default -> throw new JournalException("unknown event type " + type);
        }
        if (b.readRemaining() != 0)
        {
            throw new JournalException(JournalEvent.name(type) + " event has " + b.readRemaining() + " trailing bytes");
        }
    }

    private void readHash(final Bytes<?> b)
    {
        if (b.readRemaining() < JournalEvent.HASH_LENGTH)
        {
            throw new JournalException("truncated hash");
        }
        b.read(hash);
    }

    private static String readName(final Bytes<?> b)
    {
        final int len = b.readUnsignedByte();
        if (b.readRemaining() < len)
        {
            throw new JournalException("name of " + len + " bytes runs past the event");
        }
        final byte[] utf8 = new byte[len];
        b.read(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
