package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;

/**
 * Miner scanning: hashes {@code prefix76 || nonce} for a range of nonces from a midstate of the first
 * 64 bytes and reports the nonces whose SHA-256d meets a target.
 * <pre>
 *   prefix76  the first 76 bytes of the header (version .. nbits); the nonce goes LE into bytes 76..79
 *   target    32 bytes, 256-bit unsigned little-endian; a hash meets it when hash (LE) &lt;= target
 *   found     room for maxFound uint32 nonces in native (little-endian) order
 * </pre>
 * Nonces run {@code nonceStart, nonceStart + 1, ...} modulo 2^32. An instance is confined to one thread.
 */
public interface NonceScanner
{
    int PREFIX_LENGTH = 76;
    /** Largest nonce count of one call: the whole 32-bit range but one. */
    long MAX_COUNT = 0xFFFF_FFFFL;

    /**
     * Scans {@code count} nonces and writes those meeting {@code target} to {@code found} in scan order,
     * stopping as soon as {@code maxFound} are found (resume from the last found nonce + 1).
     *
     * @param count 0 to {@link #MAX_COUNT} nonces.
     * @return the number of nonces written to {@code found}.
     * @throws IllegalArgumentException if count is out of range or a segment is too short.
     */
    int scan(MemorySegment prefix76, int nonceStart, long count, MemorySegment target, MemorySegment found, int maxFound);
}
