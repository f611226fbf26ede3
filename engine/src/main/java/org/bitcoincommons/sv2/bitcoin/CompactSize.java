package org.bitcoincommons.sv2.bitcoin;

/**
 * Bitcoin's CompactSize ("varint") length prefix, little-endian:
 *
 * <pre>
 *   value &lt; 0xfd        1 byte:  value
 *   value &lt;= 0xffff      3 bytes: 0xfd, uint16
 *   value &lt;= 0xffffffff  5 bytes: 0xfe, uint32
 *   otherwise           9 bytes: 0xff, uint64
 * </pre>
 *
 * Readers ({@link ByteCursor#readCompactSize}) reject non-minimal forms, as Bitcoin Core does.
 */
public final class CompactSize
{
    /** Bitcoin Core's MAX_SIZE for counts and lengths read from the wire. */
    public static final long MAX_SIZE = 0x0200_0000L;

    private CompactSize()
    {
    }

    /**
     * @param value unsigned 64-bit value.
     * @return bytes needed to encode {@code value}.
     */
    public static int encodedLength(final long value)
    {
        if (Long.compareUnsigned(value, 0xfd) < 0)
        {
            return 1;
        }
        if (Long.compareUnsigned(value, 0xffff) <= 0)
        {
            return 3;
        }
        if (Long.compareUnsigned(value, 0xffff_ffffL) <= 0)
        {
            return 5;
        }
        return 9;
    }

    /**
     * Write {@code value} at {@code offset}; no allocation.
     *
     * @return bytes written.
     */
    public static int write(final long value, final byte[] out, final int offset)
    {
        final int length = encodedLength(value);
        switch (length)
        {
            case 1 -> out[offset] = (byte)value;
            case 3 ->
            {
                out[offset] = (byte)0xfd;
                putLittleEndian(value, out, offset + 1, 2);
            }
            case 5 ->
            {
                out[offset] = (byte)0xfe;
                putLittleEndian(value, out, offset + 1, 4);
            }
            default ->
            {
                out[offset] = (byte)0xff;
                putLittleEndian(value, out, offset + 1, 8);
            }
        }
        return length;
    }

    public static byte[] encode(final long value)
    {
        final byte[] out = new byte[encodedLength(value)];
        write(value, out, 0);
        return out;
    }

    private static void putLittleEndian(final long value, final byte[] out, final int offset, final int bytes)
    {
        for (int i = 0; i < bytes; i++)
        {
            out[offset + i] = (byte)(value >>> (8 * i));
        }
    }
}
