package org.bitcoincommons.sv2.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes coinbase contexts ({@link CoinbaseDescriptor}): the SHA-256 midstate of the coinbase up to the miner's
 * extranonce, the leftover tail, the suffix and the merkle path. Pure Java and the same bytes for every backend; once
 * per channel and job, not per share. Allocates nothing after construction; confined to one thread.
 */
public final class CoinbaseContexts
{
    private static final VarHandle INT_NATIVE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT_LE =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Sha256Stream stream = new Sha256Stream();

    /**
     * Writes at {@code out[offset]} the context of the coinbase {@code prefix | extranoncePrefix | miner extranonce |
     * suffix} with the merkle path's first {@code pathCount} 32-byte nodes ({@code path} may be null when there are
     * none).
     *
     * @return the context's length, {@link CoinbaseDescriptor#contextLength}.
     * @throws IllegalArgumentException if the suffix or path is longer than a context carries.
     * @throws IndexOutOfBoundsException if {@code out} has no room.
     */
    public int write(
        final byte[] prefix, final byte[] extranoncePrefix, final byte[] suffix, final byte[] path, final int pathCount,
        final byte[] out, final int offset)
    {
        final int before = prefix.length + extranoncePrefix.length;
        final int length = CoinbaseDescriptor.contextLength(before, suffix.length, pathCount);
        java.util.Objects.checkFromIndexSize(offset, length, out.length);
        final int hashed = before & ~63;
        final int tail = before - hashed;
        stream.reset();
        // Only whole blocks reach the midstate: feed exactly `hashed` bytes.
        final int fromPrefix = Math.min(hashed, prefix.length);
        stream.update(prefix, 0, fromPrefix);
        stream.update(extranoncePrefix, 0, hashed - fromPrefix);
        for (int i = 0; i < 8; i++)
        {
            INT_NATIVE.set(out, offset + CoinbaseDescriptor.MIDSTATE_OFFSET + 4 * i, stream.state[i]);
        }
        LONG_LE.set(out, offset + CoinbaseDescriptor.HASHED_OFFSET, (long)hashed);
        SHORT_LE.set(out, offset + CoinbaseDescriptor.TAIL_LENGTH_OFFSET, (short)tail);
        SHORT_LE.set(out, offset + CoinbaseDescriptor.SUFFIX_LENGTH_OFFSET, (short)suffix.length);
        SHORT_LE.set(out, offset + CoinbaseDescriptor.PATH_COUNT_OFFSET, (short)pathCount);
        SHORT_LE.set(out, offset + CoinbaseDescriptor.PATH_COUNT_OFFSET + 2, (short)0);
        int p = CoinbaseDescriptor.tailOffset(offset);
        for (int i = hashed; i < before; i++)
        {
            out[p++] = i < prefix.length ? prefix[i] : extranoncePrefix[i - prefix.length];
        }
        System.arraycopy(suffix, 0, out, p, suffix.length);
        p += suffix.length;
        if (pathCount > 0)
        {
            System.arraycopy(path, 0, out, p, pathCount * HeaderHasher.HASH_LENGTH);
        }
        return length;
    }
}
