package org.bitcoincommons.sv2.sv1;

import java.nio.charset.StandardCharsets;

/**
 * Builds one Stratum V1 line (JSON and its newline) in a reusable byte array, for the pool logic thread, which writes
 * every server line: replies, notifications and jobs. Grows when a line does not fit (a job with a large coinbase).
 */
final class JsonOut
{
    byte[] buf = new byte[4096];
    int len;

    JsonOut reset()
    {
        len = 0;
        return this;
    }

    private void room(final int n)
    {
        if (len + n > buf.length)
        {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    JsonOut ascii(final String s)
    {
        room(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            buf[len++] = (byte)s.charAt(i);
        }
        return this;
    }

    JsonOut raw(final byte[] b)
    {
        return raw(b, 0, b.length);
    }

    JsonOut raw(final byte[] b, final int from, final int n)
    {
        room(n);
        System.arraycopy(b, from, buf, len, n);
        len += n;
        return this;
    }

    /** A JSON string of arbitrary text, escaped. */
    JsonOut string(final String s)
    {
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        room(utf8.length * 6 + 2);
        buf[len++] = '"';
        for (final byte c : utf8)
        {
            if (c == '"' || c == '\\')
            {
                buf[len++] = '\\';
                buf[len++] = c;
            }
            else if ((c & 0xff) < 0x20)
            {
                final String u = String.format("\\u%04x", c & 0xff);
                for (int i = 0; i < 6; i++)
                {
                    buf[len++] = (byte)u.charAt(i);
                }
            }
            else
            {
                buf[len++] = c;
            }
        }
        buf[len++] = '"';
        return this;
    }

    /** A quoted hex string of {@code b[from, from+n)}. */
    JsonOut hex(final byte[] b, final int from, final int n)
    {
        room(2 * n + 2);
        buf[len++] = '"';
        len = Hex.encode(b, from, n, buf, len);
        buf[len++] = '"';
        return this;
    }

    /** A quoted 8-digit big-endian hex u32 (version, nbits, ntime). */
    JsonOut hexU32(final int v)
    {
        room(10);
        buf[len++] = '"';
        len = Hex.encodeU32(v, buf, len);
        buf[len++] = '"';
        return this;
    }

    /**
     * The previous block hash the Stratum V1 way: its 32 header-order bytes with each 4-byte word byte-swapped, quoted
     * hex.
     */
    JsonOut prevHash(final byte[] h)
    {
        room(66);
        buf[len++] = '"';
        for (int w = 0; w < 8; w++)
        {
            for (int i = 3; i >= 0; i--)
            {
                len = Hex.encode(h, 4 * w + i, 1, buf, len);
            }
        }
        buf[len++] = '"';
        return this;
    }

    /**
     * A difficulty: an integer when it is one, else the shortest decimal that reads back as the same double, written
     * without an exponent (0.00001, not 1.0E-5: some firmware parses difficulties with a plain decimal parser).
     */
    JsonOut number(final double d)
    {
        if (d == Math.rint(d) && Math.abs(d) < 1e15)
        {
            return ascii(Long.toString((long)d));
        }
        return ascii(new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString());
    }

    JsonOut integer(final long v)
    {
        return ascii(Long.toString(v));
    }

    JsonOut newline()
    {
        room(1);
        buf[len++] = '\n';
        return this;
    }
}
