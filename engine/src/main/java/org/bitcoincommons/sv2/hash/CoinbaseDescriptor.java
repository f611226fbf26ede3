package org.bitcoincommons.sv2.hash;

/**
 * The layout of coinbase batches ({@link HeaderHasher#hashCoinbases}), the same bytes as native/include/sv2hash.h:
 * shares whose merkle root depends on the miner's extranonce (extended channels). The stripped coinbase is
 * {@code coinbase prefix | channel extranonce prefix | miner extranonce | coinbase suffix}; everything before the
 * miner's extranonce is the same for every share of one channel and job, so it is hashed once into a context.
 * <p>
 * Coinbase context: per channel and job, variable length, anywhere in the contexts table (shares name it by offset).
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  midstate: SHA-256 state after the first `hashed` coinbase    |  0
 *   |  bytes (8 words, native byte order; opaque)  ...              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  hashed: coinbase bytes in the midstate, uint64 LE, a         |  32
 *   |  multiple of 64 (0: the midstate is the SHA-256 IV)           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  tail length T, uint16 LE (0..63)|  suffix length S, uint16 LE |  40
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  path count P, uint16 LE (0..32) |  zero                       |  44
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  tail: the T coinbase bytes after `hashed`, before the miner's |  48
 *   |  extranonce; then the suffix (S bytes); then the merkle path   |
 *   |  (P * 32 bytes, leaf level first, internal byte order)         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Share record: {@link #RECORD_LENGTH} bytes, record i belongs to header i.
 * <pre>
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  context offset, int32 LE; NONE (-1): header i already holds  |  0
 *   |  its merkle root and is only hashed                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  extranonce length E, int32 LE (0..32)                         |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  the miner's extranonce (the first E of 32 bytes are used)    |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * txid = SHA-256d(coinbase); for each path node n, root = SHA-256d(root | n) (the coinbase is the leftmost leaf).
 * The root is written into the header at {@link #HEADER_MERKLE_ROOT_OFFSET}, in internal byte order.
 */
public final class CoinbaseDescriptor
{
    public static final int CONTEXT_HEADER_LENGTH = 48;
    public static final int MIDSTATE_OFFSET = 0;
    public static final int HASHED_OFFSET = 32;
    public static final int TAIL_LENGTH_OFFSET = 40;
    public static final int SUFFIX_LENGTH_OFFSET = 42;
    public static final int PATH_COUNT_OFFSET = 44;
    /** Largest suffix length a context can carry (an unsigned 16-bit field). */
    public static final int MAX_SUFFIX_LENGTH = 0xffff;
    public static final int MAX_PATH_COUNT = 32;

    public static final int RECORD_LENGTH = 40;
    public static final int CONTEXT_OFFSET_OFFSET = 0;
    public static final int EXTRANONCE_LENGTH_OFFSET = 4;
    public static final int EXTRANONCE_OFFSET = 8;
    public static final int MAX_EXTRANONCE_LENGTH = 32;
    /** A record's context offset when its header already holds its merkle root. */
    public static final int NONE = -1;

    public static final int HEADER_MERKLE_ROOT_OFFSET = 36;

    private CoinbaseDescriptor()
    {
    }

    /** Where a context's tail starts; the suffix follows the tail, the path the suffix. */
    public static int tailOffset(final int contextOffset)
    {
        return contextOffset + CONTEXT_HEADER_LENGTH;
    }

    /**
     * The bytes of a context for a coinbase whose part before the miner's extranonce is {@code beforeLength} long.
     *
     * @throws IllegalArgumentException if the suffix or the path is longer than a context can carry.
     */
    public static int contextLength(final int beforeLength, final int suffixLength, final int pathCount)
    {
        if (suffixLength < 0 || suffixLength > MAX_SUFFIX_LENGTH || pathCount < 0 || pathCount > MAX_PATH_COUNT ||
            beforeLength < 0)
        {
            throw new IllegalArgumentException(
                "coinbase context: suffix " + suffixLength + " bytes, path " + pathCount + " nodes");
        }
        return CONTEXT_HEADER_LENGTH + (beforeLength & 63) + suffixLength + pathCount * HeaderHasher.HASH_LENGTH;
    }
}
