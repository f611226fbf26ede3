package org.bitcoincommons.sv2.journal;

/**
 * Type codes and layouts of the accounting events in the journal. One Chronicle document per event;
 * every document starts with the common header. All integers little-endian (Chronicle's native order).
 *
 * <pre>
 * common header
 *   0      1                   9
 *   +------+-------------------+
 *   | type | wall time, ms u64 |
 *   +------+-------------------+
 *
 * SHARE_ACCEPTED   worker u32 | channel u32 | sequence u32 | job u32 | difficulty f64 | chain_mask u64
 * WORKER           worker u32 | name (u8 length + UTF-8)
 * CHAIN            chain u32  | name (u8 length + UTF-8)          chain 0 is always bitcoin
 * BLOCK_FOUND      chain u32  | worker u32 | height u64 | hash 32 (internal order)
 * AUX_SUBMITTED    chain u32  | hash 32
 * AUX_ACCEPTED     chain u32  | hash 32
 * AUX_REJECTED     chain u32  | hash 32 | reason (u8 length + UTF-8)
 * AUX_UNKNOWN      chain u32  | hash 32 | reason (u8 length + UTF-8)
 * REWARD           chain u32  | amount u64 (chain's smallest unit) | hash 32
 * FEE              chain u32  | amount u64 | contributor (u8 length + UTF-8)
 * DISTRIBUTION     chain u32  | core u64 | grants u64 | audits u64 | operations u64
 * BLOCK_REJECTED   chain u32  | hash 32 | reason (u8 length + UTF-8)   a found block no template source accepted
 * SHARE_BATCH      count u32  | count x (worker u32 | channel u32 | sequence u32 | job u32 | difficulty f64 |
 *                                        chain_mask u64)        the shares of one validation batch, one document
 * </pre>
 * A share's {@code chain_mask} has bit i set when the job it was mined on committed to chain i, so one proof
 * of work is credited to every chain it was merge-mined for.
 *
 * <p>An aux submission is one AUX_SUBMITTED followed by exactly one outcome for the same chain and hash:
 * AUX_ACCEPTED, AUX_REJECTED or AUX_UNKNOWN (the pool could not learn the node's verdict before the work's
 * lifetime ended or the pool stopped). A found block's reward is REWARD, then FEE when non-zero, then DISTRIBUTION,
 * in that order for its chain. Replay applies the same rules as the live pool: a second AUX_SUBMITTED of a chain and
 * hash, an outcome without a submission in flight, and a second REWARD of a chain and hash (with its FEE and
 * DISTRIBUTION) are ignored and counted, so journals written before those rules replay to counters that add up.
 * AUX_UNKNOWN (12) was added after the other types: journals without it read as before.
 */
public final class JournalEvent
{
    public static final byte SHARE_ACCEPTED = 1;
    public static final byte WORKER = 2;
    public static final byte CHAIN = 3;
    public static final byte BLOCK_FOUND = 4;
    public static final byte AUX_SUBMITTED = 5;
    public static final byte AUX_ACCEPTED = 6;
    public static final byte AUX_REJECTED = 7;
    public static final byte REWARD = 8;
    public static final byte FEE = 9;
    public static final byte DISTRIBUTION = 10;
    public static final byte SHARE_BATCH = 11;
    public static final byte AUX_UNKNOWN = 12;
    public static final byte BLOCK_REJECTED = 13;

    /** Bytes of one share record inside a SHARE_BATCH. */
    public static final int SHARE_RECORD_LENGTH = 32;

    /** The chain index of the parent chain. */
    public static final int BITCOIN = 0;
    /** At most this many chains (bitcoin + aux), so that a share's chain set fits one u64 mask. */
    public static final int MAX_CHAINS = 64;

    public static final int MAX_NAME_BYTES = 255;
    public static final int HASH_LENGTH = 32;

    private JournalEvent()
    {
    }

    public static String name(final int type)
    {
        return switch (type)
        {
            case SHARE_ACCEPTED -> "share_accepted";
            case WORKER -> "worker";
            case CHAIN -> "chain";
            case BLOCK_FOUND -> "block_found";
            case AUX_SUBMITTED -> "aux_submitted";
            case AUX_ACCEPTED -> "aux_accepted";
            case AUX_REJECTED -> "aux_rejected";
            case REWARD -> "reward";
            case FEE -> "fee";
            case DISTRIBUTION -> "distribution";
            case SHARE_BATCH -> "share_batch";
            case AUX_UNKNOWN -> "aux_unknown";
            case BLOCK_REJECTED -> "block_rejected";
            default -> "unknown(" + type + ")";
        };
    }
}
