package org.bitcoincommons.sv2.bitcoin;

import java.util.Arrays;

/**
 * Growable little-endian byte writer for cold-path serialization (transactions, blocks, coinbase parts).
 */
final class ByteWriter
{
    private byte[] bytes;
    private int length;

    ByteWriter(final int initialCapacity)
    {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int length()
    {
        return length;
    }

    ByteWriter uint8(final int value)
    {
        ensure(1);
        bytes[length++] = (byte)value;
        return this;
    }

    ByteWriter int32(final int value)
    {
        ensure(4);
        for (int i = 0; i < 4; i++)
        {
            bytes[length++] = (byte)(value >>> (8 * i));
        }
        return this;
    }

    ByteWriter int64(final long value)
    {
        ensure(8);
        for (int i = 0; i < 8; i++)
        {
            bytes[length++] = (byte)(value >>> (8 * i));
        }
        return this;
    }

    ByteWriter compactSize(final long value)
    {
        ensure(9);
        length += CompactSize.write(value, bytes, length);
        return this;
    }

    ByteWriter bytes(final byte[] src)
    {
        return bytes(src, 0, src.length);
    }

    ByteWriter bytes(final byte[] src, final int offset, final int count)
    {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
        return this;
    }

    ByteWriter varBytes(final byte[] src)
    {
        compactSize(src.length);
        return bytes(src);
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    byte[] copyRange(final int from, final int to)
    {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
