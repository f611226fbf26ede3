package org.bitcoincommons.sv2.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads accounting events in order and hands them to an {@link AccountingListener}. Single-threaded.
 * A document that is not a valid event raises {@link JournalException} naming its index: an audit must
 * never silently skip money.
 */
public final class JournalReader implements AutoCloseable
{
    private final ExcerptTailer tailer;
    private final byte[] hash = new byte[JournalEvent.HASH_LENGTH];
    /** One document at a time, copied out of the queue; grows to the largest document read. */
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    /** Wraps a document where it lies in the mapped queue file. */
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
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

    /**
     * Applies the document through the one event decoder: in place when the queue is memory-mapped (a document never
     * straddles a mapping), else copied into the scratch buffer first.
     */
    private void dispatch(final Bytes<?> b, final AccountingListener l)
    {
        final long remaining = b.readRemaining();
        if (remaining > Integer.MAX_VALUE - 8)
        {
            throw new JournalException("event of " + remaining + " bytes");
        }
        final int length = (int)remaining;
        if (b.isDirectMemory())
        {
            view.wrap(b.addressForRead(b.readPosition()), length);
            EventCodec.decode(view, 0, length, l, hash);
            return;
        }
        if (scratch.capacity() < length)
        {
            scratch.wrap(new byte[Math.max(length, scratch.capacity() * 2)]);
        }
        b.read(scratch.byteArray(), 0, length);
        EventCodec.decode(scratch, 0, length, l, hash);
    }
}
