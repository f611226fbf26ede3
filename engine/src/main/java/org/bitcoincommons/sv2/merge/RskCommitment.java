package org.bitcoincommons.sv2.merge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * RSK (Rootstock) merged-mining commitment: ASCII {@code RSKBLOCK:} followed by the 32-byte
 * {@code blockHashForMergedMining} (bytes as {@code mnr_getWork} gives them, no reversal), carried in an
 * OP_RETURN output of the parent coinbase:
 * <pre>
 *  6a | 29 | 52 53 4b 42 4c 4f 43 4b 3a | hash (32 bytes)
 *  OP_RETURN, push 41, "RSKBLOCK:"
 * </pre>
 * The RSK node looks for the LAST tag in the serialized (non-witness) coinbase and requires at most 128 bytes after
 * the hash and the tag within the last 64-byte-aligned tail (MERGE-MINING.md section 2). Cold path.
 */
public final class RskCommitment
{
    public static final byte[] TAG = "RSKBLOCK:".getBytes(StandardCharsets.US_ASCII);
    public static final int HASH_LENGTH = 32;
    public static final int SCRIPT_LENGTH = 2 + 9 + HASH_LENGTH;
    /** {@code MAX_BYTES_AFTER_MERGED_MINING_HASH} of rskj. */
    public static final int MAX_BYTES_AFTER_HASH = 128;
    /** The node hashes whole 64-byte blocks before the tag; the tag must start within the next 64 bytes. */
    public static final int SHA256_BLOCK = 64;

    private RskCommitment()
    {
    }

    /** The 43-byte output script {@code 6a 29 "RSKBLOCK:" hash}. */
    public static byte[] outputScript(final byte[] hashForMergedMining)
    {
        if (hashForMergedMining.length != HASH_LENGTH)
        {
            throw new IllegalArgumentException("RSK hash for merged mining must be 32 bytes");
        }
        final byte[] out = new byte[SCRIPT_LENGTH];
        out[0] = 0x6a;
        out[1] = (byte)(TAG.length + HASH_LENGTH);
        System.arraycopy(TAG, 0, out, 2, TAG.length);
        System.arraycopy(hashForMergedMining, 0, out, 2 + TAG.length, HASH_LENGTH);
        return out;
    }

    /** The hash after the last {@code RSKBLOCK:} in a serialized coinbase, or null when absent or truncated. */
    public static byte[] find(final byte[] serializedCoinbase)
    {
        final int at = AuxCommitment.lastIndexOf(serializedCoinbase, TAG);
        if (at < 0 || serializedCoinbase.length - at - TAG.length < HASH_LENGTH)
        {
            return null;
        }
        final int from = at + TAG.length;
        return Arrays.copyOfRange(serializedCoinbase, from, from + HASH_LENGTH);
    }

    /**
     * The RSK node's position rules on a serialized (non-witness) coinbase: a tag is present, the coinbase is longer
     * than 64 bytes, the last tag starts within 64 bytes of the last 64-byte boundary before it, and at most
     * {@link #MAX_BYTES_AFTER_HASH} bytes follow its hash.
     *
     * @return null when acceptable, else the rule broken
     */
    public static String positionProblem(final byte[] serializedCoinbase)
    {
        final int at = AuxCommitment.lastIndexOf(serializedCoinbase, TAG);
        if (at < 0)
        {
            return "no RSKBLOCK: tag";
        }
        if (serializedCoinbase.length <= SHA256_BLOCK)
        {
            return "coinbase must be longer than 64 bytes";
        }
        final int hashEnd = at + TAG.length + HASH_LENGTH;
        if (hashEnd > serializedCoinbase.length)
        {
            return "RSKBLOCK: tag not followed by 32 bytes";
        }
        final int after = serializedCoinbase.length - hashEnd;
        if (after > MAX_BYTES_AFTER_HASH)
        {
            return after + " bytes after the RSK hash (at most " + MAX_BYTES_AFTER_HASH + ")";
        }
        return null;
    }
}
