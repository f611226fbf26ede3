package org.bitcoincommons.sv2.bitcoin;

/**
 * Lowercase hexadecimal text for byte arrays, byte for byte in array order (no reversal: for hashes shown
 * in Bitcoin's display order use {@link HashOrder}). Cold path: allocates its results.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    public static String encode(final byte[] bytes)
    {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(final byte[] bytes, final int offset, final int length)
    {
        final char[] out = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /**
     * Strict parse: even length, characters 0-9, a-f, A-F only (no prefix, no whitespace).
     *
     * @throws IllegalArgumentException naming the first offending position.
     */
    public static byte[] decode(final CharSequence hex)
    {
        final int length = hex.length();
        if ((length & 1) != 0)
        {
            throw new IllegalArgumentException("hex string has odd length " + length);
        }
        final byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = digit(hex, 2 * i);
            final int lo = digit(hex, 2 * i + 1);
            out[i] = (byte)((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Strict parse of exactly {@code expectedBytes} bytes.
     */
    public static byte[] decode(final CharSequence hex, final int expectedBytes)
    {
        if (hex.length() != expectedBytes * 2)
        {
            throw new IllegalArgumentException(
                "expected " + (expectedBytes * 2) + " hex characters, got " + hex.length());
        }
        return decode(hex);
    }

    private static int digit(final CharSequence hex, final int index)
    {
        final char c = hex.charAt(index);
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("invalid hex character '" + c + "' at position " + index);
    }
}
