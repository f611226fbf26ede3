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
        /**
         * A TEMPLATE (AUX_WORK) not above the latest template's (its chain's latest work's) (height, term, sequence),
         * or an AUX_RESULT for a proof already settled or unknown; ignored; no reply.
         */
        NOT_NEWER
    }

    private static final int SNAPSHOT_VERSION = 3;
    /** Snapshots before aux work was replicated: read, with no aux work and no aux proofs. */
    private static final int SNAPSHOT_VERSION_NO_AUX = 2;
    /** Aux proofs remembered (for de-duplication and to answer a repeat); beyond it the oldest settled is forgotten. */
    static final int MAX_AUX_PROOFS = 4096;
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
    /** Chain name -> the latest AUX_WORK command of that chain as received. */
    private final java.util.TreeMap<String, byte[]> auxWork = new java.util.TreeMap<>();
    private long auxWorkApplied;
    private long auxWorkIgnored;
    /** (chain, hash) -> the proof and, once known, its outcome; in log order (the oldest first). */
    private final java.util.LinkedHashMap<String, AuxProof> auxProofs = new java.util.LinkedHashMap<>();
    /** Chain name -> {proofs, repeats, accepted, rejected}. */
    private final java.util.TreeMap<String, long[]> auxCounts = new java.util.TreeMap<>();
    private AuxProof lastAuxProof;

    /**
     * One aux proof the cluster took from a frontend: the AUX_SUBMIT command as received, and the AUX_RESULT that
     * settled it (null while it waits for a feeder). Never modify the arrays.
     */
    public static final class AuxProof
    {
        final byte[] submit;
        byte[] result;

        AuxProof(final byte[] submit, final byte[] result)
        {
            this.submit = submit;
            this.result = result;
        }

        public byte[] submit()
        {
            return submit;
        }

        /** The AUX_RESULT that settled it, or null while it waits. */
        public byte[] result()
        {
            return result;
        }
    }

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

    // ---------------------------------------------------------------------------------------------------- aux work

    /**
     * Applies one AUX_WORK command: it becomes its chain's latest work when its (height, term, sequence) is above the
     * latest's, so a feeder of an older term, a re-send or an older block never replaces newer work.
     */
    public Outcome applyAuxWork(final DirectBuffer b, final int offset, final int length)
    {
        final String chain;
        try
        {
            AuxCodec.decodeWork(b, offset, length, Protocol.AUX_WORK);
            chain = AuxCodec.workChain(b, offset);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        final byte[] latest = auxWork.get(chain);
        if (latest != null && AuxCodec.compareWork(b, offset, new org.agrona.concurrent.UnsafeBuffer(latest), 0) <= 0)
        {
            auxWorkIgnored++;
            return Outcome.NOT_NEWER;
        }
        final byte[] copy = new byte[length];
        b.getBytes(offset, copy);
        auxWork.put(chain, copy);
        auxWorkApplied++;
        return Outcome.APPLIED;
    }

    /**
     * Applies one AUX_SUBMIT command: the first for its (chain, hash) is recorded (APPLIED: it is to go to the
     * feeders), a repeat changes nothing but its chain's repeat count (DUPLICATE). {@link #lastAuxProof()} is the
     * proof's record either way.
     */
    public Outcome applyAuxSubmit(final DirectBuffer b, final int offset, final int length)
    {
        final AuxCodec.Submit s;
        try
        {
            s = AuxCodec.decodeSubmit(b, offset, length, Protocol.AUX_SUBMIT);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        final String key = proofKey(s.chain(), s.hash());
        final long[] counts = auxCounts.computeIfAbsent(s.chain(), k -> new long[4]);
        final AuxProof known = auxProofs.get(key);
        if (known != null)
        {
            counts[1]++;
            lastAuxProof = known;
            return Outcome.DUPLICATE;
        }
        final byte[] copy = new byte[length];
        b.getBytes(offset, copy);
        final AuxProof p = new AuxProof(copy, null);
        auxProofs.put(key, p);
        counts[0]++;
        lastAuxProof = p;
        forgetOldProofs();
        return Outcome.APPLIED;
    }

    /**
     * Applies one AUX_RESULT command: the first for a proof that waits settles it (APPLIED: its outcome goes to every
     * session); one for a proof already settled, or unknown, changes nothing (NOT_NEWER).
     */
    public Outcome applyAuxResult(final DirectBuffer b, final int offset, final int length)
    {
        final AuxCodec.Result r;
        try
        {
            r = AuxCodec.decodeResult(b, offset, length, Protocol.AUX_RESULT);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            rejected++;
            return Outcome.REJECTED;
        }
        final AuxProof p = auxProofs.get(proofKey(r.chain(), r.hash()));
        if (p == null || p.result != null)
        {
            return Outcome.NOT_NEWER;
        }
        p.result = new byte[length];
        b.getBytes(offset, p.result);
        final long[] counts = auxCounts.computeIfAbsent(r.chain(), k -> new long[4]);
        counts[r.outcome().accepted() ? 2 : 3]++;
        lastAuxProof = p;
        return Outcome.APPLIED;
    }

    private void forgetOldProofs()
    {
        if (auxProofs.size() <= MAX_AUX_PROOFS)
        {
            return;
        }
        for (final var it = auxProofs.values().iterator(); it.hasNext(); )
        {
            if (it.next().result != null)
            {
                it.remove();
                return;
            }
        }
        final var it = auxProofs.values().iterator();
        it.next();
        it.remove();
    }

    static String proofKey(final String chain, final byte[] hash)
    {
        return chain + "/" + org.bitcoincommons.sv2.bitcoin.Hex.encode(hash);
    }

    /** The proof the last AUX_SUBMIT or AUX_RESULT applied (or repeated) was about. */
    public AuxProof lastAuxProof()
    {
        return lastAuxProof;
    }

    /** Chain name -> the latest AUX_WORK command (never modify), in name order. */
    public java.util.SortedMap<String, byte[]> auxWork()
    {
        return java.util.Collections.unmodifiableSortedMap(auxWork);
    }

    /** Proofs still waiting for an outcome, oldest first. */
    public java.util.List<AuxProof> waitingAuxProofs()
    {
        final java.util.List<AuxProof> out = new java.util.ArrayList<>();
        for (final AuxProof p : auxProofs.values())
        {
            if (p.result == null)
            {
                out.add(p);
            }
        }
        return out;
    }

    /** Chain name -> {proofs, repeats, accepted, rejected} (a copy), in name order. */
    public java.util.SortedMap<String, long[]> auxCounts()
    {
        final java.util.TreeMap<String, long[]> out = new java.util.TreeMap<>();
        auxCounts.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    public long auxWorkApplied()
    {
        return auxWorkApplied;
    }

    public long auxWorkIgnored()
    {
        return auxWorkIgnored;
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
        p = encodeAux(b, p);
        p += AccountingStateCodec.encode(state, b, p);
        return p - offset;
    }

    /**
     * <pre>
     * aux work applied u64 | ignored u64 | chains u32 | chains x (length u32 | AUX_WORK)      ordered by name
     * proofs u32 | proofs x (length u32 | AUX_SUBMIT | length u32 (0: waiting) | AUX_RESULT)  in log order
     * counts u32 | counts x (name length u16 | name | proofs u64 | repeats u64 | accepted u64 | rejected u64)  by name
     * </pre>
     */
    private int encodeAux(final MutableDirectBuffer b, final int offset)
    {
        int p = offset;
        b.putLong(p, auxWorkApplied, LE);
        b.putLong(p + 8, auxWorkIgnored, LE);
        b.putInt(p + 16, auxWork.size(), LE);
        p += 20;
        for (final byte[] w : auxWork.values())
        {
            b.putInt(p, w.length, LE);
            b.putBytes(p + 4, w);
            p += 4 + w.length;
        }
        b.putInt(p, auxProofs.size(), LE);
        p += 4;
        for (final AuxProof a : auxProofs.values())
        {
            b.putInt(p, a.submit.length, LE);
            b.putBytes(p + 4, a.submit);
            p += 4 + a.submit.length;
            final int n = a.result == null ? 0 : a.result.length;
            b.putInt(p, n, LE);
            p += 4;
            if (n > 0)
            {
                b.putBytes(p, a.result);
                p += n;
            }
        }
        b.putInt(p, auxCounts.size(), LE);
        p += 4;
        for (final var e : auxCounts.entrySet())
        {
            final byte[] name = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b.putShort(p, (short)name.length, LE);
            b.putBytes(p + 2, name);
            p += 2 + name.length;
            for (final long v : e.getValue())
            {
                b.putLong(p, v, LE);
                p += 8;
            }
        }
        return p;
    }

    private int decodeAux(final DirectBuffer b, final int offset, final int end)
    {
        try
        {
            int p = offset;
            auxWorkApplied = b.getLong(p, LE);
            auxWorkIgnored = b.getLong(p + 8, LE);
            final int chains = b.getInt(p + 16, LE);
            p += 20;
            for (int i = 0; i < chains; i++)
            {
                final byte[] w = bytes(b, p + 4, b.getInt(p, LE), end);
                p += 4 + w.length;
                AuxCodec.decodeWork(new org.agrona.concurrent.UnsafeBuffer(w), 0, w.length, Protocol.AUX_WORK);
                auxWork.put(AuxCodec.workChain(new org.agrona.concurrent.UnsafeBuffer(w), 0), w);
            }
            final int proofs = b.getInt(p, LE);
            p += 4;
            for (int i = 0; i < proofs; i++)
            {
                final byte[] submit = bytes(b, p + 4, b.getInt(p, LE), end);
                p += 4 + submit.length;
                final int n = b.getInt(p, LE);
                p += 4;
                final byte[] result = n == 0 ? null : bytes(b, p, n, end);
                p += n;
                final AuxCodec.Submit s = AuxCodec.decodeSubmit(new org.agrona.concurrent.UnsafeBuffer(submit), 0,
                    submit.length, Protocol.AUX_SUBMIT);
                auxProofs.put(proofKey(s.chain(), s.hash()), new AuxProof(submit, result));
            }
            final int counts = b.getInt(p, LE);
            p += 4;
            for (int i = 0; i < counts; i++)
            {
                final int n = b.getShort(p, LE) & 0xffff;
                final String name = new String(bytes(b, p + 2, n, end), java.nio.charset.StandardCharsets.UTF_8);
                p += 2 + n;
                final long[] v = new long[4];
                for (int j = 0; j < 4; j++)
                {
                    v[j] = b.getLong(p, LE);
                    p += 8;
                }
                auxCounts.put(name, v);
            }
            return p;
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            throw new JournalException("cluster snapshot: aux section is malformed: " + ex.getMessage());
        }
    }

    private static byte[] bytes(final DirectBuffer b, final int at, final int n, final int end)
    {
        if (n < 0 || n > end - at)
        {
            throw new IllegalArgumentException("truncated");
        }
        final byte[] out = new byte[n];
        b.getBytes(at, out);
        return out;
    }

    /** Replaces this state with one written by {@link #encode}. */
    public void decode(final DirectBuffer b, final int offset, final int length)
    {
        final int end = offset + length;
        int p = offset;
        final int version = length < 4 ? -1 : b.getInt(p, LE);
        if (length < 44 || (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_NO_AUX &&
            version != SNAPSHOT_VERSION_NO_TEMPLATE))
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
        auxWork.clear();
        auxProofs.clear();
        auxCounts.clear();
        auxWorkApplied = 0;
        auxWorkIgnored = 0;
        lastAuxProof = null;
        if (version >= SNAPSHOT_VERSION_NO_AUX)
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
        if (version >= SNAPSHOT_VERSION)
        {
            p = decodeAux(b, p, end);
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
