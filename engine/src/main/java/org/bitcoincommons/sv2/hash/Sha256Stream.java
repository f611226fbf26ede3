package org.bitcoincommons.sv2.hash;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SHA-256 over bytes fed in pieces, optionally resumed from a midstate, finished as SHA-256d: the pure-Java side of
 * coinbase batches ({@link CoinbaseDescriptor}). Whole blocks are compressed as they fill; nothing is allocated after
 * construction. Confined to one thread.
 */
final class Sha256Stream
{
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final JavaSha256 sha = new JavaSha256();
    /** The running state (8 words); after {@link #finishDouble} the SHA-256d digest. */
    final int[] state = new int[8];
    private final int[] first = new int[8];
    private final byte[] block = new byte[64];
    private int fill;
    private long total;

    /** Starts a new message. */
    Sha256Stream reset()
    {
        System.arraycopy(JavaSha256.IV, 0, state, 0, 8);
        fill = 0;
        total = 0;
        return this;
    }

    /** Continues a message whose first {@code hashedBytes} (a multiple of 64) gave {@code midstate}. */
    Sha256Stream resume(final int[] midstate, final long hashedBytes)
    {
        System.arraycopy(midstate, 0, state, 0, 8);
        fill = 0;
        total = hashedBytes;
        return this;
    }

    Sha256Stream update(final byte[] src, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            put(src[offset + i]);
        }
        return this;
    }

    Sha256Stream update(final MemorySegment src, final long offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            put(src.get(ValueLayout.JAVA_BYTE, offset + i));
        }
        return this;
    }

    /** Bytes fed since {@link #reset} (or hashed before {@link #resume}, plus those fed since). */
    long total()
    {
        return total;
    }

    private void put(final byte b)
    {
        block[fill++] = b;
        total++;
        if (fill == 64)
        {
            compressBlock();
            fill = 0;
        }
    }

    private void compressBlock()
    {
        final int[] w = sha.w;
        for (int i = 0; i < 16; i++)
        {
            w[i] = (int)INT_BE.get(block, 4 * i);
        }
        sha.compress(state);
    }

    /** Pads and finishes the first SHA-256, then hashes its digest again: {@link #state} = SHA-256d. */
    void finishDouble()
    {
        final long bits = total * 8;
        block[fill++] = (byte)0x80;
        if (fill > 56)
        {
            java.util.Arrays.fill(block, fill, 64, (byte)0);
            compressBlock();
            fill = 0;
        }
        java.util.Arrays.fill(block, fill, 56, (byte)0);
        INT_BE.set(block, 56, (int)(bits >>> 32));
        INT_BE.set(block, 60, (int)bits);
        compressBlock();
        fill = 0;
        System.arraycopy(state, 0, first, 0, 8);
        sha.second(first, state);
    }

    /** Writes {@link #state} as 32 bytes (natural SHA-256 output order). */
    void digest(final byte[] out, final int offset)
    {
        for (int i = 0; i < 8; i++)
        {
            INT_BE.set(out, offset + 4 * i, state[i]);
        }
    }
}
