package org.bitcoincommons.sv2.journal;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Accepted shares collected during one validation batch, written to the journal as one SHARE_BATCH document
 * ({@link JournalWriter#shareBatch}): one Chronicle append per batch instead of one per share. Records use the
 * SHARE_BATCH layout of {@link JournalEvent}. Single-threaded; allocation only at construction.
 */
public final class ShareBatch
{
    private static final int WORKER = 0;
    private static final int CHANNEL = 4;
    private static final int SEQUENCE = 8;
    private static final int JOB = 12;
    private static final int DIFFICULTY = 16;
    private static final int MASK = 24;

    private final UnsafeBuffer records;
    private final int capacity;
    private int count;

    public ShareBatch(final int capacity)
    {
        this.capacity = capacity;
        this.records = new UnsafeBuffer(new byte[capacity * JournalEvent.SHARE_RECORD_LENGTH]);
    }

    /** Adds a share; returns false when full (write the batch first). */
    public boolean add(final int workerId, final int channelId, final int sequenceNumber, final int jobId,
        final double difficulty, final long chainMask)
    {
        if (count == capacity)
        {
            return false;
        }
        final int o = count * JournalEvent.SHARE_RECORD_LENGTH;
        records.putInt(o + WORKER, workerId, ByteOrder.LITTLE_ENDIAN);
        records.putInt(o + CHANNEL, channelId, ByteOrder.LITTLE_ENDIAN);
        records.putInt(o + SEQUENCE, sequenceNumber, ByteOrder.LITTLE_ENDIAN);
        records.putInt(o + JOB, jobId, ByteOrder.LITTLE_ENDIAN);
        records.putDouble(o + DIFFICULTY, difficulty, ByteOrder.LITTLE_ENDIAN);
        records.putLong(o + MASK, chainMask, ByteOrder.LITTLE_ENDIAN);
        count++;
        return true;
    }

    public int count()
    {
        return count;
    }

    public boolean full()
    {
        return count == capacity;
    }

    public void clear()
    {
        count = 0;
    }

    DirectBuffer records()
    {
        return records;
    }

    int length()
    {
        return count * JournalEvent.SHARE_RECORD_LENGTH;
    }
}
