package org.bitcoincommons.sv2.bitcoin;

/**
 * A bounded little-endian reader over a byte-array window, for Bitcoin wire structures (transactions, blocks,
 * CAuxPow). Every read checks the remaining length first, so a hostile length prefix fails with a
 * {@link MalformedDataException} instead of allocating: nothing it returns is larger than the input. Single-threaded.
 */
public final class ByteCursor
{
    private final byte[] data;
    private final int start;
    private final int end;
    private int position;

    public ByteCursor(final byte[] data)
    {
        this(data, 0, data.length);
    }

    public ByteCursor(final byte[] data, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > data.length - length)
        {
            throw new IndexOutOfBoundsException("window " + offset + "+" + length + " outside " + data.length);
        }
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /**
     * @return bytes consumed since the start of the window.
     */
    public int consumed()
    {
        return position - start;
    }

    /**
     * @return absolute index into the backing array of the next byte.
     */
    public int position()
    {
        return position;
    }

    public int remaining()
    {
        return end - position;
    }

    public byte[] array()
    {
        return data;
    }

    public int readUint8(final String field)
    {
        require(1, field);
        return data[position++] & 0xff;
    }

    public int peekUint8(final String field)
    {
        require(1, field);
        return data[position] & 0xff;
    }

    public int readIntLE(final String field)
    {
        require(4, field);
        int value = 0;
        for (int i = 3; i >= 0; i--)
        {
            value = (value << 8) | (data[position + i] & 0xff);
        }
        position += 4;
        return value;
    }

    public long readLongLE(final String field)
    {
        require(8, field);
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | (data[position + i] & 0xff);
        }
        position += 8;
        return value;
    }

    public byte[] readBytes(final int length, final String field)
    {
        if (length < 0)
        {
            throw new MalformedDataException(field + ": negative length " + length);
        }
        require(length, field);
        final byte[] out = new byte[length];
        System.arraycopy(data, position, out, 0, length);
        position += length;
        return out;
    }

    public void skip(final int length, final String field)
    {
        require(length, field);
        position += length;
    }

    /**
     * Canonical CompactSize, at most {@code max} (and at most {@link CompactSize#MAX_SIZE}).
     */
    public long readCompactSize(final long max, final String field)
    {
        final int at = consumed();
        final int first = readUint8(field);
        final long value;
        final long minimum;
        switch (first)
        {
            case 0xfd ->
            {
                require(2, field);
                value = (data[position] & 0xff) | ((data[position + 1] & 0xff) << 8);
                position += 2;
                minimum = 0xfd;
            }
            case 0xfe ->
            {
                value = readIntLE(field) & 0xffff_ffffL;
                minimum = 0x1_0000L;
            }
            case 0xff ->
            {
                value = readLongLE(field);
                minimum = 0x1_0000_0000L;
            }
            default ->
            {
                value = first;
                minimum = 0;
            }
        }
        if (Long.compareUnsigned(value, minimum) < 0)
        {
            throw new MalformedDataException(field + ": non-canonical CompactSize at byte " + at);
        }
        if (Long.compareUnsigned(value, Math.min(max, CompactSize.MAX_SIZE)) > 0)
        {
            throw new MalformedDataException(
                field + ": CompactSize " + Long.toUnsignedString(value) + " at byte " + at + " exceeds " +
                Math.min(max, CompactSize.MAX_SIZE));
        }
        return value;
    }

    /**
     * A CompactSize count of items each at least {@code minItemBytes} long: bounded by what the input can hold.
     */
    public int readCount(final int minItemBytes, final String field)
    {
        return (int)readCompactSize(remaining() / Math.max(1, minItemBytes), field);
    }

    /**
     * CompactSize length followed by that many bytes.
     */
    public byte[] readVarBytes(final String field)
    {
        return readBytes((int)readCompactSize(remaining(), field), field);
    }

    private void require(final int length, final String field)
    {
        if (length > end - position)
        {
            throw new MalformedDataException(
                field + ": needs " + length + " bytes at byte " + consumed() + ", only " + (end - position) + " left");
        }
    }
}
