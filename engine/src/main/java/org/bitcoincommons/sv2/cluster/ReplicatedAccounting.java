package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;
import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.AccountingStateCodec;
import org.bitcoincommons.sv2.journal.EventCodec;
import org.bitcoincommons.sv2.journal.JournalException;

/**
 * The replicated state machine of the cluster: the journal's {@link AccountingState}, built by applying the journal's
 * events (through {@link EventCodec}, the same decoder the journal's replay uses), plus what makes commands from many
 * frontends safe to apply:
 * <ul>
 * <li>de-duplication: per frontend id, the incarnation and the highest sequence applied; a command at or below it is
 * a re-send and changes nothing;</li>
 * <li>worker ids: each frontend numbers its workers itself; the first registration of a name, in log order, gets the
 * next cluster-wide id, and every frontend's local id is mapped to it;</li>
 * <li>time: every event is applied at the log entry's cluster time, never at the frontend's clock.</li>
 * </ul>
 * Deterministic: nothing here reads a clock, a random source or a file, and snapshots write maps in key order, so
 * every member that applies the same log ends with the same bytes. Single-threaded (the clustered service's thread).
 */
public final class ReplicatedAccounting
{
    /** What {@link #apply} did with a command. */
    public enum Outcome
    {
        /** Applied; the reply is COMMITTED. */
        APPLIED,
        /** A re-send of a command already applied; nothing changed; the reply is COMMITTED. */
        DUPLICATE,
        /** From an older incarnation of the frontend id than one already seen; refused; the reply is STALE. */
        STALE,
        /** Malformed; refused whole (nothing of it was applied); no reply. */
        REJECTED,
        /** A TEMPLATE not above the latest template's (height, term, sequence); ignored; no reply. */
        NOT_NEWER
    }

    private static final int SNAPSHOT_VERSION = 2;
    /** Snapshots before the latest template was replicated: read, with no template. */
    private static final int SNAPSHOT_VERSION_NO_TEMPLATE = 1;
    private static final int UNKNOWN_WORKER = Integer.MIN_VALUE;

    private AccountingState state = new AccountingState();
    /** Frontend id -> {incarnation, highest sequence applied}. */
    private final Int2ObjectHashMap<long[]> frontends = new Int2ObjectHashMap<>();
    /** (frontend id << 32 | frontend's worker id) -> cluster worker id. */
    private final Long2LongHashMap workerIds = new Long2LongHashMap(UNKNOWN_WORKER);
    private final Object2IntHashMap<String> workerByName = new Object2IntHashMap<>(UNKNOWN_WORKER);
    private int nextWorkerId;
    private long commandsApplied;
    private long duplicates;
    private long stale;
    private long rejected;

    private final Translator translator = new Translator();
    private final AccountingListener validator = new CommandValidator();
    private final byte[] hash = new byte[32];
    private long replyIncarnation;
    private long replySequence;
    /** The latest TEMPLATE command as received (header and template), or null before the first. */
    private byte[] latestTemplate;
    private long templatesApplied;
    private long templatesIgnored;

    /**
     * Applies one ingress command at cluster time {@code timeMs}. After it, {@link #replyIncarnation()} and
     * {@link #replySequence()} hold what the frontend is told (for APPLIED, DUPLICATE and STALE).
     */
    public Outcome apply(final DirectBuffer b, final int offset, final int length, final long timeMs)
    {
        if (length < Protocol.EVENTS_HEADER_LENGTH || b.getByte(offset + Protocol.TYPE_OFFSET) != Protocol.EVENTS ||
            b.getByte(offset + Protocol.VERSION_OFFSET) != Protocol.VERSION)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        final int frontendId = b.getInt(offset + Protocol.FRONTEND_OFFSET, LE);
        final long incarnation = b.getLong(offset + Protocol.INCARNATION_OFFSET, LE);
        final long sequence = b.getLong(offset + Protocol.SEQUENCE_OFFSET, LE);
        final int eventCount = b.getInt(offset + Protocol.EVENT_COUNT_OFFSET, LE);
        long[] f = frontends.get(frontendId);
        if (f != null && incarnation < f[0])
        {
            stale++;
            replyIncarnation = f[0];
            replySequence = f[1];
            return Outcome.STALE;
        }
        if (f != null && incarnation == f[0] && sequence <= f[1])
        {
            duplicates++;
            replyIncarnation = incarnation;
            replySequence = f[1];
            return Outcome.DUPLICATE;
        }
        if (!walk(b, offset, length, eventCount, timeMs, validator))
        {
            rejected++;
            return Outcome.REJECTED;
        }
        if (f == null)
        {
            f = new long[2];
            frontends.put(frontendId, f);
        }
        f[0] = incarnation;
        f[1] = sequence;
        translator.frontendId = frontendId;
        walk(b, offset, length, eventCount, timeMs, translator);
        commandsApplied++;
        replyIncarnation = incarnation;
        replySequence = sequence;
        return Outcome.APPLIED;
    }

    /**
     * Applies one TEMPLATE command: it becomes the latest template when its (height, term, sequence) is above the
     * latest one's (lexicographically), so a template from a feeder of an older term, or of an older tip, never
     * replaces a newer one. The template is decoded in full first: a malformed one is REJECTED.
     */
    public Outcome applyTemplate(final DirectBuffer b, final int offset, final int length)
    {
        if (length <= Protocol.TEMPLATE_HEADER_LENGTH || b.getByte(offset + Protocol.TYPE_OFFSET) != Protocol.TEMPLATE ||
            b.getByte(offset + Protocol.VERSION_OFFSET) != Protocol.VERSION)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        try
        {
            TemplateCodec.decode(b, offset + Protocol.TEMPLATE_HEADER_LENGTH, length - Protocol.TEMPLATE_HEADER_LENGTH);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        if (latestTemplate != null)
        {
            final org.agrona.concurrent.UnsafeBuffer latest = new org.agrona.concurrent.UnsafeBuffer(latestTemplate);
            final int order = compareKeys(b, offset, latest, 0);
            if (order <= 0)
            {
                templatesIgnored++;
                return Outcome.NOT_NEWER;
            }
        }
        final byte[] copy = new byte[length];
        b.getBytes(offset, copy);
        latestTemplate = copy;
        templatesApplied++;
        return Outcome.APPLIED;
    }

    /** Orders two TEMPLATE messages by (height, term, sequence). */
    static int compareKeys(final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset)
    {
        final int heightAt = Protocol.TEMPLATE_HEADER_LENGTH + 8;
        int c = Integer.compare(a.getInt(aOffset + heightAt, LE), b.getInt(bOffset + heightAt, LE));
        if (c == 0)
        {
            c = Long.compare(a.getLong(aOffset + Protocol.TERM_OFFSET, LE), b.getLong(bOffset + Protocol.TERM_OFFSET, LE));
        }
        if (c == 0)
        {
            c = Long.compare(a.getLong(aOffset + Protocol.SEQUENCE_OFFSET, LE),
                b.getLong(bOffset + Protocol.SEQUENCE_OFFSET, LE));
        }
        return c;
    }

    /** The latest TEMPLATE command (header and template; never modify it), or null before the first. */
    public byte[] latestTemplate()
    {
        return latestTemplate;
    }

    public long templatesApplied()
    {
        return templatesApplied;
    }

    public long templatesIgnored()
    {
        return templatesIgnored;
    }

    /** Delivers each event of the command to {@code l}; false when the command is malformed. */
    private boolean walk(final DirectBuffer b, final int offset, final int length, final int eventCount,
        final long timeMs, final AccountingListener l)
    {
        final int end = offset + length;
        int p = offset + Protocol.EVENTS_HEADER_LENGTH;
        try
        {
            for (int i = 0; i < eventCount; i++)
            {
                if (end - p < Protocol.EVENT_LENGTH_PREFIX)
                {
                    return false;
                }
                final int len = b.getInt(p, LE);
                p += Protocol.EVENT_LENGTH_PREFIX;
                if (len < EventCodec.HEADER_LENGTH || len > end - p)
                {
                    return false;
                }
                EventCodec.decodeAt(b, p, len, timeMs, l, hash);
                p += len;
            }
        }
        catch (final JournalException | IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            return false;
        }
        return p == end && eventCount >= 0;
    }

    public long replyIncarnation()
    {
        return replyIncarnation;
    }

    public long replySequence()
    {
        return replySequence;
    }

    public AccountingState state()
    {
        return state;
    }

    public long commandsApplied()
    {
        return commandsApplied;
    }

    public long duplicates()
    {
        return duplicates;
    }

    public long stale()
    {
        return stale;
    }

    public long rejected()
    {
        return rejected;
    }

    /** The highest sequence applied for {@code frontendId}, 0 when none. */
    public long highestSequence(final int frontendId)
    {
        final long[] f = frontends.get(frontendId);
        return f == null ? 0 : f[1];
    }

    // ---------------------------------------------------------------------------------------------------- snapshot

    /**
     * Writes the whole state at {@code offset}; returns the bytes written. Equal states write equal bytes.
     *
     * <pre>
     * version u32 | commands u64 | duplicates u64 | stale u64 | rejected u64 | next_worker_id i32
     * frontends u32 | frontends x (id i32 | incarnation u64 | sequence u64)           ordered by id
     * workers u32   | workers x (frontend id << 32 | frontend's worker id u64 | cluster worker id i32)  ordered by key
     * accounting    | AccountingStateCodec
     * </pre>
     */
    public int encode(final MutableDirectBuffer b, final int offset)
    {
        int p = offset;
        b.putInt(p, SNAPSHOT_VERSION, LE);
        b.putLong(p + 4, commandsApplied, LE);
        b.putLong(p + 12, duplicates, LE);
        b.putLong(p + 20, stale, LE);
        b.putLong(p + 28, rejected, LE);
        b.putInt(p + 36, nextWorkerId, LE);
        p += 40;
        final int[] ids = new int[frontends.size()];
        int n = 0;
        for (final var it = frontends.keySet().iterator(); it.hasNext(); )
        {
            ids[n++] = it.nextInt();
        }
        Arrays.sort(ids);
        b.putInt(p, n, LE);
        p += 4;
        for (final int id : ids)
        {
            final long[] f = frontends.get(id);
            b.putInt(p, id, LE);
            b.putLong(p + 4, f[0], LE);
            b.putLong(p + 12, f[1], LE);
            p += 20;
        }
        final long[] keys = new long[workerIds.size()];
        n = 0;
        for (final var it = workerIds.keySet().iterator(); it.hasNext(); )
        {
            keys[n++] = it.nextValue();
        }
        Arrays.sort(keys);
        b.putInt(p, n, LE);
        p += 4;
        for (final long k : keys)
        {
            b.putLong(p, k, LE);
            b.putInt(p + 8, (int)workerIds.get(k), LE);
            p += 12;
        }
        b.putLong(p, templatesApplied, LE);
        b.putLong(p + 8, templatesIgnored, LE);
        final int templateLength = latestTemplate == null ? 0 : latestTemplate.length;
        b.putInt(p + 16, templateLength, LE);
        p += 20;
        if (templateLength > 0)
        {
            b.putBytes(p, latestTemplate);
            p += templateLength;
        }
        p += AccountingStateCodec.encode(state, b, p);
        return p - offset;
    }

    /** Replaces this state with one written by {@link #encode}. */
    public void decode(final DirectBuffer b, final int offset, final int length)
    {
        final int end = offset + length;
        int p = offset;
        final int version = length < 4 ? -1 : b.getInt(p, LE);
        if (length < 44 || (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_NO_TEMPLATE))
        {
            throw new JournalException("cluster snapshot: version " + (length < 4 ? -1 : b.getInt(p, LE)) +
                ", expected " + SNAPSHOT_VERSION);
        }
        commandsApplied = b.getLong(p + 4, LE);
        duplicates = b.getLong(p + 12, LE);
        stale = b.getLong(p + 20, LE);
        rejected = b.getLong(p + 28, LE);
        nextWorkerId = b.getInt(p + 36, LE);
        p += 40;
        frontends.clear();
        final int frontendCount = b.getInt(p, LE);
        p += 4;
        for (int i = 0; i < frontendCount; i++)
        {
            frontends.put(b.getInt(p, LE), new long[] {b.getLong(p + 4, LE), b.getLong(p + 12, LE)});
            p += 20;
        }
        workerIds.clear();
        final int workerCount = b.getInt(p, LE);
        p += 4;
        for (int i = 0; i < workerCount; i++)
        {
            workerIds.put(b.getLong(p, LE), b.getInt(p + 8, LE));
            p += 12;
        }
        templatesApplied = 0;
        templatesIgnored = 0;
        latestTemplate = null;
        if (version == SNAPSHOT_VERSION)
        {
            if (p + 20 > end)
            {
                throw new JournalException("cluster snapshot is truncated");
            }
            templatesApplied = b.getLong(p, LE);
            templatesIgnored = b.getLong(p + 8, LE);
            final int templateLength = b.getInt(p + 16, LE);
            p += 20;
            if (templateLength < 0 || templateLength > end - p)
            {
                throw new JournalException("cluster snapshot is truncated");
            }
            if (templateLength > 0)
            {
                latestTemplate = new byte[templateLength];
                b.getBytes(p, latestTemplate);
                p += templateLength;
            }
        }
        if (p > end)
        {
            throw new JournalException("cluster snapshot is truncated");
        }
        state = AccountingStateCodec.decode(b, p, end - p);
        workerByName.clear();
        state.workerNames().forEach((id, name) -> workerByName.put(name, id));
    }

    // ---------------------------------------------------------------------------------------------------- listeners

    /** Applies events to the state with cluster-wide worker ids. */
    private final class Translator implements AccountingListener
    {
        int frontendId;

        private int clusterWorker(final int localId)
        {
            return (int)workerIds.get(((long)frontendId << 32) | (localId & 0xffffffffL));
        }

        @Override
        public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
            final int jobId, final double difficulty, final long chainMask)
        {
            state.shareAccepted(timeMs, clusterWorker(workerId), channelId, sequenceNumber, jobId, difficulty, chainMask);
        }

        @Override
        public void worker(final long timeMs, final int workerId, final String name)
        {
            int id = workerByName.getValue(name);
            if (id == UNKNOWN_WORKER)
            {
                id = nextWorkerId++;
                workerByName.put(name, id);
                state.worker(timeMs, id, name);
            }
            workerIds.put(((long)frontendId << 32) | (workerId & 0xffffffffL), id);
        }

        @Override
        public void chain(final long timeMs, final int chainIndex, final String name)
        {
            state.chain(timeMs, chainIndex, name);
        }

        @Override
        public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
            final byte[] blockHash)
        {
            state.blockFound(timeMs, chainIndex, clusterWorker(workerId), height, blockHash);
        }

        @Override
        public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] h)
        {
            state.auxSubmitted(timeMs, chainIndex, h);
        }

        @Override
        public void auxAccepted(final long timeMs, final int chainIndex, final byte[] h)
        {
            state.auxAccepted(timeMs, chainIndex, h);
        }

        @Override
        public void auxRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
        {
            state.auxRejected(timeMs, chainIndex, h, reason);
        }

        @Override
        public void auxUnknown(final long timeMs, final int chainIndex, final byte[] h, final String reason)
        {
            state.auxUnknown(timeMs, chainIndex, h, reason);
        }

        @Override
        public void blockRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
        {
            state.blockRejected(timeMs, chainIndex, h, reason);
        }

        @Override
        public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] h)
        {
            state.reward(timeMs, chainIndex, amount, h);
        }

        @Override
        public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
        {
            state.fee(timeMs, chainIndex, amount, contributorId);
        }

        @Override
        public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
            final long audits, final long operations)
        {
            state.distribution(timeMs, chainIndex, core, grants, audits, operations);
        }
    }
}
