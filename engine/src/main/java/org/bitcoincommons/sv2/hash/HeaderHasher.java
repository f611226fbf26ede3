package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;

/**
 * Batch share validation: SHA-256d of 80-byte block headers laid out back to back.
 * <pre>
 *   headers  count * 80 bytes, header i at i * HEADER_LENGTH (serialized header, nonce LE at 76..79)
 *   hashes   count * 32 bytes, digest i at i * HASH_LENGTH, natural SHA-256 output order
 *            ("internal byte order", the reverse of the hex explorers print)
 *   targets  count * 32 bytes, target i at i * TARGET_LENGTH, 256-bit unsigned little-endian (SV2 U256)
 *   ok       count bytes, 1 where hash i (read as LE 256-bit) &lt;= target i, else 0
 * </pre>
 * When many headers share their first 64 bytes (one job, version and merkle root), compute the
 * {@link #midstate} once and validate 48-byte midstate records instead: two compressions per header
 * instead of three.
 * <pre>
 *   record   bytes 0..31 the midstate (8 SHA-256 state words, native byte order; opaque to callers),
 *            bytes 32..47 the header's last 16 bytes (merkle root tail, ntime, nbits, nonce)
 * </pre>
 * Shares whose merkle root depends on the miner's extranonce (extended channels) go through {@link #hashCoinbases}:
 * per-share {@link CoinbaseDescriptor} records naming a per-channel, per-job coinbase context; the roots are written
 * into the headers and every header of the batch is hashed, in one call.
 * <p>
 * Segments may be heap ({@code MemorySegment.ofArray}) or native; wrap them once and reuse them, and
 * no call allocates. An instance is confined to one thread (the validation handler); make one per thread.
 */
public interface HeaderHasher
{
    int HEADER_LENGTH = 80;
    int HASH_LENGTH = 32;
    int TARGET_LENGTH = 32;
    int MIDSTATE_LENGTH = 32;
    int MIDSTATE_RECORD_LENGTH = 48;
    /** Offset in a header, and length, of the part a midstate record carries after the midstate. */
    int TAIL_OFFSET = 64;
    int TAIL_LENGTH = 16;

    /**
     * Hashes {@code count} headers into {@code hashes}.
     *
     * @throws IllegalArgumentException if a segment is shorter than {@code count} records.
     */
    void hash(MemorySegment headers, int count, MemorySegment hashes);

    /**
     * Hashes each header and compares it with its own target.
     *
     * @param hashes where to write the digests too, or {@link MemorySegment#NULL} to skip them.
     * @return how many headers meet their target.
     * @throws IllegalArgumentException if a segment is shorter than {@code count} records.
     */
    int check(MemorySegment headers, MemorySegment targets, int count, MemorySegment ok, MemorySegment hashes);

    /**
     * Writes the midstate of {@code header}'s first 64 bytes into {@code midstate} (32 bytes), the first
     * part of a midstate record. Once per job, version and merkle root.
     */
    void midstate(MemorySegment header, MemorySegment midstate);

    /** Like {@link #hash} for {@code count} 48-byte midstate records. */
    void hashMidstates(MemorySegment records, int count, MemorySegment hashes);

    /** Like {@link #check} for {@code count} 48-byte midstate records. */
    int checkMidstates(MemorySegment records, MemorySegment targets, int count, MemorySegment ok, MemorySegment hashes);

    /**
     * Coinbase batches ({@link CoinbaseDescriptor}): for each record naming a context, finishes the coinbase txid from
     * the context's midstate over its tail, the record's extranonce and the suffix, folds the merkle path, and writes
     * the root into header i at bytes 36..67; then hashes all {@code count} headers into {@code hashes}, like
     * {@link #hash}. Records with context {@link CoinbaseDescriptor#NONE} are only hashed.
     *
     * @param contexts the context table; every byte of the segment is addressable by a record's context offset.
     * @throws IllegalArgumentException if a segment is shorter than {@code count} records, or a record is impossible
     *                                  (extranonce over 32 bytes, a context reaching past {@code contexts}, a tail
     *                                  over 63 bytes, a path over 32 nodes); nothing is written then.
     */
    void hashCoinbases(MemorySegment contexts, MemorySegment records, MemorySegment headers, int count,
        MemorySegment hashes);
}
