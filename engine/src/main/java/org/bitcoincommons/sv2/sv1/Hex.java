package org.bitcoincommons.sv2.sv1;

/** Hex for the Stratum V1 wire, in place on byte arrays (no strings on the share path). */
final class Hex
{
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Hex()
    {
    }

    /** The value of one hex digit (either case), or -1. */
    static int nibble(final byte c)
    {
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
        return -1;
    }

    /**
     * Decodes {@code src[from, to)} into {@code out[0..]}; returns the byte count, or -1 when the length is odd, a
     * character is not hex, or it does not fit.
     */
    static int decode(final byte[] src, final int from, final int to, final byte[] out)
    {
        final int n = to - from;
        if ((n & 1) != 0 || n / 2 > out.length)
        {
            return -1;
        }
        for (int i = 0; i < n / 2; i++)
        {
            final int hi = nibble(src[from + 2 * i]);
            final int lo = nibble(src[from + 2 * i + 1]);
            if (hi < 0 || lo < 0)
            {
                return -1;
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return n / 2;
    }

    /** A big-endian u32 written as exactly 8 hex digits; -1L when it is not. */
    static long u32(final byte[] src, final int from, final int to)
    {
        if (to - from != 8)
        {
            return -1L;
        }
        long v = 0;
        for (int i = from; i < to; i++)
        {
            final int d = nibble(src[i]);
            if (d < 0)
            {
                return -1L;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Writes {@code b[from, from+len)} as lower-case hex at {@code out[at..]}; returns the index after it. */
    static int encode(final byte[] b, final int from, final int len, final byte[] out, final int at)
    {
        int o = at;
        for (int i = from; i < from + len; i++)
        {
            out[o++] = DIGITS[(b[i] >>> 4) & 0xf];
            out[o++] = DIGITS[b[i] & 0xf];
        }
        return o;
    }

    /** Writes a u32 as 8 big-endian hex digits at {@code out[at..]}; returns the index after it. */
    static int encodeU32(final int v, final byte[] out, final int at)
    {
        for (int i = 0; i < 8; i++)
        {
            out[at + i] = DIGITS[(v >>> (28 - 4 * i)) & 0xf];
        }
        return at + 8;
    }
}
