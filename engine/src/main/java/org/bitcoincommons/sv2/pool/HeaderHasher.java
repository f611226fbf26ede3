package org.bitcoincommons.sv2.pool;

/**
 * The pool's port to the hashing kernel: sha256d of {@code count} contiguous 80-byte headers into
 * {@code count} contiguous 32-byte hashes (internal byte order). Called once per batch on the logic thread.
 */
@FunctionalInterface
public interface HeaderHasher
{
    void sha256d(byte[] headers, int count, byte[] hashes);
}
