package org.bitcoincommons.sv2.journal;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Every counter of an {@link AccountingState} as bytes, and back: the snapshot of the cluster's replicated
 * accounting. Deterministic: chains in index order, workers in id order, doubles as their raw bits, so two states
 * that applied the same events encode to the same bytes, which is how a restore is compared with a replay.
 * Little-endian. Cold path.
 *
 * <pre>
 * version u32 (2) | events u64 | shares_accepted u64 | share_difficulty_sum f64 | last_time_ms u64 | max_worker_id i32
 * chain_count u32 | chain_count x (index u32 | name | shares u64 | difficulty_sum f64 | blocks_found u64 |
 *                                  aux_submitted u64 | aux_accepted u64 | aux_rejected u64 | rewards u64 | fees u64 |
 *                                  core u64 | grants u64 | audits u64 | operations u64 | blocks_rejected u64 |
 *                                  aux_unknown u64 | aux_repeats_ignored u64 | duplicate_rewards_ignored u64 |
 *                                  skipping_repeated_reward u8 | submitted, finished, rewarded hash windows)
 * hash window: count u32 | count x 32-byte hash, oldest first
 * worker_count u32 | worker_count x (id i32 | name | shares u64 | difficulty_sum f64 | blocks_found u64)
 * name: u16 length (0xffff = none) + UTF-8
 * </pre>
 */
public final class AccountingStateCodec
{
    public static final int VERSION = 2;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int NO_NAME = 0xffff;
    /** Bytes of a chain's counters after its name, before its hash windows. */
    private static final int CHAIN_FIXED_LENGTH = 129;

    private AccountingStateCodec()
    {
    }

    /** Writes {@code state} at {@code offset} of an expandable buffer; returns the bytes written. */
    public static int encode(final AccountingState state, final MutableDirectBuffer b, final int offset)
    {
        int p = offset;
        b.putInt(p, VERSION, LE);
        b.putLong(p + 4, state.events, LE);
        b.putLong(p + 12, state.sharesAccepted, LE);
        b.putDouble(p + 20, state.shareDifficultySum, LE);
        b.putLong(p + 28, state.lastTimeMs, LE);
        b.putInt(p + 36, state.maxWorkerId, LE);
        p += 40;
        int chainCount = 0;
        for (final AccountingState.ChainStats c : state.chains)
        {
            chainCount += c == null ? 0 : 1;
        }
        b.putInt(p, chainCount, LE);
        p += 4;
        for (int i = 0; i < state.chains.length; i++)
        {
            final AccountingState.ChainStats c = state.chains[i];
            if (c == null)
            {
                continue;
            }
            b.putInt(p, i, LE);
            p += 4;
            p += putName(b, p, c.name);
            b.putLong(p, c.shares, LE);
            b.putDouble(p + 8, c.shareDifficultySum, LE);
            b.putLong(p + 16, c.blocksFound, LE);
            b.putLong(p + 24, c.auxSubmitted, LE);
            b.putLong(p + 32, c.auxAccepted, LE);
            b.putLong(p + 40, c.auxRejected, LE);
            b.putLong(p + 48, c.rewards, LE);
            b.putLong(p + 56, c.fees, LE);
            b.putLong(p + 64, c.core, LE);
            b.putLong(p + 72, c.grants, LE);
            b.putLong(p + 80, c.audits, LE);
            b.putLong(p + 88, c.operations, LE);
            b.putLong(p + 96, c.blocksRejected, LE);
            b.putLong(p + 104, c.auxUnknown, LE);
            b.putLong(p + 112, c.auxRepeatsIgnored, LE);
            b.putLong(p + 120, c.duplicateRewardsIgnored, LE);
            b.putByte(p + 128, (byte)(c.skippingRepeatedReward ? 1 : 0));
            p += CHAIN_FIXED_LENGTH;
            p += c.submittedHashes.encode(b, p);
            p += c.finishedHashes.encode(b, p);
            p += c.rewardedHashes.encode(b, p);
        }
        final int[] ids = new int[state.workers.size()];
        int n = 0;
        for (final var it = state.workers.keySet().iterator(); it.hasNext(); )
        {
            ids[n++] = it.nextInt();
        }
        Arrays.sort(ids);
        b.putInt(p, n, LE);
        p += 4;
        for (final int id : ids)
        {
            final AccountingState.WorkerStats w = state.workers.get(id);
            b.putInt(p, id, LE);
            p += 4;
            p += putName(b, p, w.name);
            b.putLong(p, w.shares, LE);
            b.putDouble(p + 8, w.shareDifficultySum, LE);
            b.putLong(p + 16, w.blocksFound, LE);
            p += 24;
        }
        return p - offset;
    }

    /** Reads a state written by {@link #encode}; a malformed snapshot raises {@link JournalException}. */
    public static AccountingState decode(final DirectBuffer b, final int offset, final int length)
    {
        final int end = offset + length;
        try
        {
            int p = offset;
            need(p, 44, end);
            final int version = b.getInt(p, LE);
            if (version != VERSION)
            {
                throw new JournalException("accounting snapshot version " + version + ", expected " + VERSION);
            }
            final AccountingState s = new AccountingState();
            s.events = b.getLong(p + 4, LE);
            s.sharesAccepted = b.getLong(p + 12, LE);
            s.shareDifficultySum = b.getDouble(p + 20, LE);
            s.lastTimeMs = b.getLong(p + 28, LE);
            s.maxWorkerId = b.getInt(p + 36, LE);
            final int chainCount = b.getInt(p + 40, LE);
            p += 44;
            Arrays.fill(s.chains, null);
            for (int i = 0; i < chainCount; i++)
            {
                need(p, 6, end);
                final int index = b.getInt(p, LE);
                if (index < 0 || index >= JournalEvent.MAX_CHAINS)
                {
                    throw new JournalException("accounting snapshot: chain index " + index);
                }
                p += 4;
                final AccountingState.ChainStats c = new AccountingState.ChainStats();
                c.name = getName(b, p, end);
                p += nameLength(b, p);
                need(p, CHAIN_FIXED_LENGTH, end);
                c.shares = b.getLong(p, LE);
                c.shareDifficultySum = b.getDouble(p + 8, LE);
                c.blocksFound = b.getLong(p + 16, LE);
                c.auxSubmitted = b.getLong(p + 24, LE);
                c.auxAccepted = b.getLong(p + 32, LE);
                c.auxRejected = b.getLong(p + 40, LE);
                c.rewards = b.getLong(p + 48, LE);
                c.fees = b.getLong(p + 56, LE);
                c.core = b.getLong(p + 64, LE);
                c.grants = b.getLong(p + 72, LE);
                c.audits = b.getLong(p + 80, LE);
                c.operations = b.getLong(p + 88, LE);
                c.blocksRejected = b.getLong(p + 96, LE);
                c.auxUnknown = b.getLong(p + 104, LE);
                c.auxRepeatsIgnored = b.getLong(p + 112, LE);
                c.duplicateRewardsIgnored = b.getLong(p + 120, LE);
                c.skippingRepeatedReward = b.getByte(p + 128) != 0;
                p += CHAIN_FIXED_LENGTH;
                p += c.submittedHashes.decode(b, p, end);
                p += c.finishedHashes.decode(b, p, end);
                p += c.rewardedHashes.decode(b, p, end);
                s.chains[index] = c;
            }
            need(p, 4, end);
            final int workerCount = b.getInt(p, LE);
            p += 4;
            for (int i = 0; i < workerCount; i++)
            {
                need(p, 6, end);
                final int id = b.getInt(p, LE);
                p += 4;
                final AccountingState.WorkerStats w = new AccountingState.WorkerStats(getName(b, p, end));
                p += nameLength(b, p);
                need(p, 24, end);
                w.shares = b.getLong(p, LE);
                w.shareDifficultySum = b.getDouble(p + 8, LE);
                w.blocksFound = b.getLong(p + 16, LE);
                p += 24;
                s.workers.put(id, w);
            }
            if (p != end)
            {
                throw new JournalException("accounting snapshot has " + (end - p) + " trailing bytes");
            }
            return s;
        }
        catch (final IndexOutOfBoundsException ex)
        {
            throw new JournalException("accounting snapshot is truncated: " + ex.getMessage(), ex);
        }
    }

    private static void need(final int p, final int bytes, final int end)
    {
        if (end - p < bytes)
        {
            throw new JournalException("accounting snapshot is truncated");
        }
    }

    private static int putName(final MutableDirectBuffer b, final int p, final String name)
    {
        if (name == null)
        {
            b.putShort(p, (short)NO_NAME, LE);
            return 2;
        }
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length >= NO_NAME)
        {
            throw new IllegalArgumentException("name of " + utf8.length + " bytes");
        }
        b.putShort(p, (short)utf8.length, LE);
        b.putBytes(p + 2, utf8);
        return 2 + utf8.length;
    }

    private static int nameLength(final DirectBuffer b, final int p)
    {
        final int len = b.getShort(p, LE) & 0xffff;
        return len == NO_NAME ? 2 : 2 + len;
    }

    private static String getName(final DirectBuffer b, final int p, final int end)
    {
        final int len = b.getShort(p, LE) & 0xffff;
        if (len == NO_NAME)
        {
            return null;
        }
        need(p + 2, len, end);
        return b.getStringWithoutLengthUtf8(p + 2, len);
    }
}
