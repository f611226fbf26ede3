package org.bitcoincommons.sv2.journal;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The accounting events of {@link JournalEvent} over Agrona buffers: the one decoder of the event layout (the
 * journal's replay and the cluster's replicated state both apply events through it) and an encoder of the same bytes
 * (the cluster frontend uses it to carry events in its commands). Little-endian, as in the journal. Stateless; the
 * encoders return the bytes written and allocate only for names (cold events); decoding a share allocates nothing.
 */
public final class EventCodec
{
    /** type u8 | time ms u64. */
    public static final int HEADER_LENGTH = 9;
    /** A SHARE_BATCH event's header: the common header and the record count u32. */
    public static final int SHARE_BATCH_HEADER_LENGTH = HEADER_LENGTH + 4;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int TYPE_OFFSET = 0;
    private static final int TIME_OFFSET = 1;
    private static final int COUNT_OFFSET = HEADER_LENGTH;

    // one share record: worker u32 | channel u32 | sequence u32 | job u32 | difficulty f64 | chain_mask u64
    private static final int RECORD_WORKER = 0;
    private static final int RECORD_CHANNEL = 4;
    private static final int RECORD_SEQUENCE = 8;
    private static final int RECORD_JOB = 12;
    private static final int RECORD_DIFFICULTY = 16;
    private static final int RECORD_MASK = 24;

    private EventCodec()
    {
    }

    // ---------------------------------------------------------------------------------------------------- encoders

    /** A SHARE_BATCH header announcing {@code count} records, which follow it. */
    public static int shareBatchHeader(final MutableDirectBuffer b, final int o, final long timeMs, final int count)
    {
        header(b, o, JournalEvent.SHARE_BATCH, timeMs);
        b.putInt(o + COUNT_OFFSET, count, LE);
        return SHARE_BATCH_HEADER_LENGTH;
    }

    /** Rewrites the record count of the SHARE_BATCH header at {@code o}. */
    public static void shareBatchCount(final MutableDirectBuffer b, final int o, final int count)
    {
        b.putInt(o + COUNT_OFFSET, count, LE);
    }

    /** The record count of the SHARE_BATCH header at {@code o}. */
    public static int shareBatchCount(final DirectBuffer b, final int o)
    {
        return b.getInt(o + COUNT_OFFSET, LE);
    }

    /** One share record of a SHARE_BATCH ({@link JournalEvent#SHARE_RECORD_LENGTH} bytes). */
    public static int shareRecord(final MutableDirectBuffer b, final int o, final int workerId, final int channelId,
        final int sequenceNumber, final int jobId, final double difficulty, final long chainMask)
    {
        b.putInt(o + RECORD_WORKER, workerId, LE);
        b.putInt(o + RECORD_CHANNEL, channelId, LE);
        b.putInt(o + RECORD_SEQUENCE, sequenceNumber, LE);
        b.putInt(o + RECORD_JOB, jobId, LE);
        b.putDouble(o + RECORD_DIFFICULTY, difficulty, LE);
        b.putLong(o + RECORD_MASK, chainMask, LE);
        return JournalEvent.SHARE_RECORD_LENGTH;
    }

    public static int shareAccepted(final MutableDirectBuffer b, final int o, final long timeMs, final int workerId,
        final int channelId, final int sequenceNumber, final int jobId, final double difficulty, final long chainMask)
    {
        header(b, o, JournalEvent.SHARE_ACCEPTED, timeMs);
        return HEADER_LENGTH + shareRecord(b, o + HEADER_LENGTH, workerId, channelId, sequenceNumber, jobId, difficulty,
            chainMask);
    }

    public static int worker(final MutableDirectBuffer b, final int o, final long timeMs, final int workerId,
        final String name)
    {
        return named(b, o, JournalEvent.WORKER, timeMs, workerId, name);
    }

    public static int chain(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final String name)
    {
        return named(b, o, JournalEvent.CHAIN, timeMs, chainIndex, name);
    }

    public static int blockFound(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final int workerId, final long height, final byte[] hash)
    {
        header(b, o, JournalEvent.BLOCK_FOUND, timeMs);
        int p = o + HEADER_LENGTH;
        b.putInt(p, chainIndex, LE);
        b.putInt(p + 4, workerId, LE);
        b.putLong(p + 8, height, LE);
        p += 16;
        p += hash(b, p, hash);
        return p - o;
    }

    public static int auxSubmitted(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final byte[] hash)
    {
        return aux(b, o, JournalEvent.AUX_SUBMITTED, timeMs, chainIndex, hash, null);
    }

    public static int auxAccepted(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final byte[] hash)
    {
        return aux(b, o, JournalEvent.AUX_ACCEPTED, timeMs, chainIndex, hash, null);
    }

    public static int auxRejected(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final byte[] hash, final String reason)
    {
        return aux(b, o, JournalEvent.AUX_REJECTED, timeMs, chainIndex, hash, reason);
    }

    public static int auxUnknown(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final byte[] hash, final String reason)
    {
        return aux(b, o, JournalEvent.AUX_UNKNOWN, timeMs, chainIndex, hash, reason);
    }

    public static int blockRejected(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final byte[] hash, final String reason)
    {
        return aux(b, o, JournalEvent.BLOCK_REJECTED, timeMs, chainIndex, hash, reason);
    }

    public static int reward(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final long amount, final byte[] hash)
    {
        header(b, o, JournalEvent.REWARD, timeMs);
        int p = o + HEADER_LENGTH;
        b.putInt(p, chainIndex, LE);
        b.putLong(p + 4, amount, LE);
        p += 12;
        p += hash(b, p, hash);
        return p - o;
    }

    public static int fee(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final long amount, final String contributorId)
    {
        header(b, o, JournalEvent.FEE, timeMs);
        int p = o + HEADER_LENGTH;
        b.putInt(p, chainIndex, LE);
        b.putLong(p + 4, amount, LE);
        p += 12;
        p += name(b, p, contributorId);
        return p - o;
    }

    public static int distribution(final MutableDirectBuffer b, final int o, final long timeMs, final int chainIndex,
        final long core, final long grants, final long audits, final long operations)
    {
        header(b, o, JournalEvent.DISTRIBUTION, timeMs);
        final int p = o + HEADER_LENGTH;
        b.putInt(p, chainIndex, LE);
        b.putLong(p + 4, core, LE);
        b.putLong(p + 12, grants, LE);
        b.putLong(p + 20, audits, LE);
        b.putLong(p + 28, operations, LE);
        return HEADER_LENGTH + 36;
    }

    /** The most bytes a name takes encoded (u8 length + UTF-8, truncated to 255 bytes). */
    public static int maxNameLength()
    {
        return 1 + JournalEvent.MAX_NAME_BYTES;
    }

    /** The most bytes any event other than SHARE_BATCH takes. */
    public static int maxColdEventLength()
    {
        return HEADER_LENGTH + 12 + JournalEvent.HASH_LENGTH + maxNameLength();
    }

    // ---------------------------------------------------------------------------------------------------- decoders

    /** The event type of the event at {@code o}. */
    public static int type(final DirectBuffer b, final int o)
    {
        return b.getByte(o + TYPE_OFFSET);
    }

    /** The time (ms) stored in the event at {@code o}. */
    public static long timeMs(final DirectBuffer b, final int o)
    {
        return b.getLong(o + TIME_OFFSET, LE);
    }

    /**
     * Applies the event of {@code length} bytes at {@code o} to {@code listener} at the time stored in it (the
     * journal's replay). A malformed event raises {@link JournalException}; the listener has then seen nothing of it.
     */
    public static void decode(final DirectBuffer b, final int o, final int length, final AccountingListener listener,
        final byte[] hashScratch)
    {
        if (length < HEADER_LENGTH)
        {
            throw new JournalException("event of " + length + " bytes is shorter than its header");
        }
        decodeAt(b, o, length, timeMs(b, o), listener, hashScratch);
    }

    /**
     * Applies the event of {@code length} bytes at {@code o} as if it happened at {@code timeMs} (the cluster applies
     * every event at its log's time, never at a clock of its own). {@code hashScratch} (32 bytes) receives hashes;
     * listeners may only read it during the call.
     */
    public static void decodeAt(final DirectBuffer b, final int o, final int length, final long timeMs,
        final AccountingListener l, final byte[] hashScratch)
    {
        if (length < HEADER_LENGTH)
        {
            throw new JournalException("event of " + length + " bytes is shorter than its header");
        }
        final int type = b.getByte(o + TYPE_OFFSET);
        final int end = o + length;
        final int expected = eventLength(b, o, length);
        if (expected != length)
        {
            throw new JournalException(JournalEvent.name(type) + " event has " + (length - expected) + " trailing bytes");
        }
        int p = o + HEADER_LENGTH;
        switch (type)
        {
            case JournalEvent.SHARE_ACCEPTED ->
            {
                need(type, p, JournalEvent.SHARE_RECORD_LENGTH, end);
                record(b, p, timeMs, l);
                p += JournalEvent.SHARE_RECORD_LENGTH;
            }
            case JournalEvent.SHARE_BATCH ->
            {
                need(type, p, 4, end);
                final int count = b.getInt(p, LE);
                p += 4;
                if (count < 0 || (long)count * JournalEvent.SHARE_RECORD_LENGTH != end - p)
                {
                    throw new JournalException("share batch of " + count + " records has " + (end - p) + " bytes");
                }
                for (int i = 0; i < count; i++)
                {
                    record(b, p, timeMs, l);
                    p += JournalEvent.SHARE_RECORD_LENGTH;
                }
            }
            case JournalEvent.WORKER, JournalEvent.CHAIN ->
            {
                need(type, p, 5, end);
                final int id = b.getInt(p, LE);
                final String name = readName(b, p + 4, end);
                p += 5 + (b.getByte(p + 4) & 0xff);
                if (type == JournalEvent.WORKER)
                {
                    l.worker(timeMs, id, name);
                }
                else
                {
                    l.chain(timeMs, id, name);
                }
            }
            case JournalEvent.BLOCK_FOUND ->
            {
                need(type, p, 16 + JournalEvent.HASH_LENGTH, end);
                b.getBytes(p + 16, hashScratch, 0, JournalEvent.HASH_LENGTH);
                l.blockFound(timeMs, b.getInt(p, LE), b.getInt(p + 4, LE), b.getLong(p + 8, LE), hashScratch);
                p += 16 + JournalEvent.HASH_LENGTH;
            }
            case JournalEvent.AUX_SUBMITTED, JournalEvent.AUX_ACCEPTED, JournalEvent.AUX_REJECTED,
                JournalEvent.AUX_UNKNOWN, JournalEvent.BLOCK_REJECTED ->
            {
                need(type, p, 4 + JournalEvent.HASH_LENGTH, end);
                final int chain = b.getInt(p, LE);
                b.getBytes(p + 4, hashScratch, 0, JournalEvent.HASH_LENGTH);
                p += 4 + JournalEvent.HASH_LENGTH;
                if (type == JournalEvent.AUX_SUBMITTED)
                {
                    l.auxSubmitted(timeMs, chain, hashScratch);
                }
                else if (type == JournalEvent.AUX_ACCEPTED)
                {
                    l.auxAccepted(timeMs, chain, hashScratch);
                }
                else
                {
                    need(type, p, 1, end);
                    final String reason = readName(b, p, end);
                    p += 1 + (b.getByte(p) & 0xff);
                    switch (type)
                    {
                        case JournalEvent.AUX_REJECTED -> l.auxRejected(timeMs, chain, hashScratch, reason);
                        case JournalEvent.AUX_UNKNOWN -> l.auxUnknown(timeMs, chain, hashScratch, reason);
                        default -> l.blockRejected(timeMs, chain, hashScratch, reason);
                    }
                }
            }
            case JournalEvent.REWARD ->
            {
                need(type, p, 12 + JournalEvent.HASH_LENGTH, end);
                b.getBytes(p + 12, hashScratch, 0, JournalEvent.HASH_LENGTH);
                l.reward(timeMs, b.getInt(p, LE), b.getLong(p + 4, LE), hashScratch);
                p += 12 + JournalEvent.HASH_LENGTH;
            }
            case JournalEvent.FEE ->
            {
                need(type, p, 13, end);
                final String contributor = readName(b, p + 12, end);
                l.fee(timeMs, b.getInt(p, LE), b.getLong(p + 4, LE), contributor);
                p += 13 + (b.getByte(p + 12) & 0xff);
            }
            case JournalEvent.DISTRIBUTION ->
            {
                need(type, p, 36, end);
                l.distribution(timeMs, b.getInt(p, LE), b.getLong(p + 4, LE), b.getLong(p + 12, LE),
                    b.getLong(p + 20, LE), b.getLong(p + 28, LE));
                p += 36;
            }
            default -> throw new JournalException("unknown event type " + type);
        }
        assert p == end : "event length was checked before it was applied";
    }

    /**
     * The bytes the event at {@code o} occupies, read from its type, counts and name lengths, checked against the
     * {@code available} bytes: the whole event is validated before any of it is applied.
     */
    private static int eventLength(final DirectBuffer b, final int o, final int available)
    {
        final int type = b.getByte(o + TYPE_OFFSET);
        final int end = o + available;
        final int p = o + HEADER_LENGTH;
        final int body = switch (type)
        {
            case JournalEvent.SHARE_ACCEPTED -> JournalEvent.SHARE_RECORD_LENGTH;
            case JournalEvent.SHARE_BATCH ->
            {
                need(type, p, 4, end);
                final long count = b.getInt(p, LE);
                final long bytes = count * JournalEvent.SHARE_RECORD_LENGTH;
                if (count < 0 || bytes != end - p - 4)
                {
                    throw new JournalException("share batch of " + count + " records has " + (end - p - 4) + " bytes");
                }
                yield 4 + (int)bytes;
            }
            case JournalEvent.WORKER, JournalEvent.CHAIN -> 5 + nameLength(type, b, p + 4, end);
            case JournalEvent.BLOCK_FOUND -> 16 + JournalEvent.HASH_LENGTH;
            case JournalEvent.AUX_SUBMITTED, JournalEvent.AUX_ACCEPTED -> 4 + JournalEvent.HASH_LENGTH;
            case JournalEvent.AUX_REJECTED, JournalEvent.AUX_UNKNOWN, JournalEvent.BLOCK_REJECTED ->
                4 + JournalEvent.HASH_LENGTH + 1 +
                nameLength(type, b, p + 4 + JournalEvent.HASH_LENGTH, end);
            case JournalEvent.REWARD -> 12 + JournalEvent.HASH_LENGTH;
            case JournalEvent.FEE -> 13 + nameLength(type, b, p + 12, end);
            case JournalEvent.DISTRIBUTION -> 36;
            default -> throw new JournalException("unknown event type " + type);
        };
        need(type, p, body, end);
        return HEADER_LENGTH + body;
    }

    /** The length byte of the name at {@code p} (which must be inside the event). */
    private static int nameLength(final int type, final DirectBuffer b, final int p, final int end)
    {
        need(type, p, 1, end);
        return b.getByte(p) & 0xff;
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static void record(final DirectBuffer b, final int p, final long timeMs, final AccountingListener l)
    {
        l.shareAccepted(timeMs, b.getInt(p + RECORD_WORKER, LE), b.getInt(p + RECORD_CHANNEL, LE),
            b.getInt(p + RECORD_SEQUENCE, LE), b.getInt(p + RECORD_JOB, LE), b.getDouble(p + RECORD_DIFFICULTY, LE),
            b.getLong(p + RECORD_MASK, LE));
    }

    private static void need(final int type, final int p, final int bytes, final int end)
    {
        if (end - p < bytes)
        {
            throw new JournalException(JournalEvent.name(type) + " event is truncated: " + (end - p) +
                " bytes left, " + bytes + " needed");
        }
    }

    private static String readName(final DirectBuffer b, final int p, final int end)
    {
        final int len = b.getByte(p) & 0xff;
        if (end - p - 1 < len)
        {
            throw new JournalException("name of " + len + " bytes runs past the event");
        }
        return b.getStringWithoutLengthUtf8(p + 1, len);
    }

    private static void header(final MutableDirectBuffer b, final int o, final byte type, final long timeMs)
    {
        b.putByte(o + TYPE_OFFSET, type);
        b.putLong(o + TIME_OFFSET, timeMs, LE);
    }

    private static int named(final MutableDirectBuffer b, final int o, final byte type, final long timeMs, final int id,
        final String name)
    {
        header(b, o, type, timeMs);
        b.putInt(o + HEADER_LENGTH, id, LE);
        return HEADER_LENGTH + 4 + name(b, o + HEADER_LENGTH + 4, name);
    }

    private static int aux(final MutableDirectBuffer b, final int o, final byte type, final long timeMs,
        final int chainIndex, final byte[] hash, final String reason)
    {
        header(b, o, type, timeMs);
        int p = o + HEADER_LENGTH;
        b.putInt(p, chainIndex, LE);
        p += 4;
        p += hash(b, p, hash);
        if (reason != null)
        {
            p += name(b, p, reason);
        }
        return p - o;
    }

    private static int hash(final MutableDirectBuffer b, final int p, final byte[] hash)
    {
        if (hash.length != JournalEvent.HASH_LENGTH)
        {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
        }
        b.putBytes(p, hash);
        return JournalEvent.HASH_LENGTH;
    }

    /** u8 length + UTF-8, truncated on a character boundary to 255 bytes (names are labels, never keys of money). */
    private static int name(final MutableDirectBuffer b, final int p, final String s)
    {
        final byte[] utf8 = utf8Name(s);
        b.putByte(p, (byte)utf8.length);
        b.putBytes(p + 1, utf8);
        return 1 + utf8.length;
    }

    /** A name as the journal stores it: UTF-8, cut on a character boundary to at most 255 bytes. */
    static byte[] utf8Name(final String s)
    {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > JournalEvent.MAX_NAME_BYTES)
        {
            int n = JournalEvent.MAX_NAME_BYTES;
            while (n > 0 && (utf8[n] & 0xC0) == 0x80)
            {
                n--;
            }
            utf8 = java.util.Arrays.copyOf(utf8, n);
        }
        return utf8;
    }
}
