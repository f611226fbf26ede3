package org.bitcoincommons.sv2.bitcoin;

import java.util.Locale;

/**
 * Bech32 (BIP173) and Bech32m (BIP350) strings: {@code hrp ‖ '1' ‖ data (5-bit symbols) ‖ 6-symbol checksum}.
 * Cold path (config parsing).
 */
public final class Bech32
{
    /** Which checksum constant the string uses. */
    public enum Encoding
    {
        BECH32(1),
        BECH32M(0x2bc8_30a3);

        private final int constant;

        Encoding(final int constant)
        {
            this.constant = constant;
        }
    }

    /** A decoded string: lowercase human-readable part, 5-bit data symbols (checksum removed), encoding. */
    public record Decoded(String hrp, byte[] data, Encoding encoding)
    {
    }

    public static final int MAX_LENGTH = 90;
    private static final int CHECKSUM_LENGTH = 6;
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3};
    private static final byte[] CHARSET_REV = new byte[128];

    static
    {
        java.util.Arrays.fill(CHARSET_REV, (byte)-1);
        for (int i = 0; i < CHARSET.length(); i++)
        {
            CHARSET_REV[CHARSET.charAt(i)] = (byte)i;
        }
    }

    private Bech32()
    {
    }

    private static int polymod(final byte[] values)
    {
        int chk = 1;
        for (final byte v : values)
        {
            final int top = chk >>> 25;
            chk = ((chk & 0x01ff_ffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
            {
                if (((top >>> i) & 1) != 0)
                {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }

    private static byte[] expandedHrpWith(final String hrp, final byte[] data, final int extra)
    {
        final int n = hrp.length();
        final byte[] out = new byte[2 * n + 1 + data.length + extra];
        for (int i = 0; i < n; i++)
        {
            out[i] = (byte)(hrp.charAt(i) >>> 5);
            out[n + 1 + i] = (byte)(hrp.charAt(i) & 31);
        }
        System.arraycopy(data, 0, out, 2 * n + 1, data.length);
        return out;
    }

    /**
     * @param hrp  human-readable part, ASCII 33..126, lowercased on output.
     * @param data 5-bit symbols (each 0..31).
     */
    public static String encode(final String hrp, final byte[] data, final Encoding encoding)
    {
        final String lowerHrp = hrp.toLowerCase(Locale.ROOT);
        checkHrp(lowerHrp);
        if (lowerHrp.length() + 1 + data.length + CHECKSUM_LENGTH > MAX_LENGTH)
        {
            throw new IllegalArgumentException("bech32 string would exceed " + MAX_LENGTH + " characters");
        }
        final byte[] values = expandedHrpWith(lowerHrp, data, CHECKSUM_LENGTH);
        final int mod = polymod(values) ^ encoding.constant;
        final StringBuilder sb = new StringBuilder(lowerHrp.length() + 1 + data.length + CHECKSUM_LENGTH);
        sb.append(lowerHrp).append('1');
        for (final byte d : data)
        {
            if ((d & ~31) != 0)
            {
                throw new IllegalArgumentException("bech32 data symbol out of range: " + d);
            }
            sb.append(CHARSET.charAt(d));
        }
        for (int i = 0; i < CHECKSUM_LENGTH; i++)
        {
            sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    /**
     * Decode and verify either checksum.
     *
     * @throws MalformedDataException with the reason (length, case, separator, character, checksum).
     */
    public static Decoded decode(final String input)
    {
        if (input.length() > MAX_LENGTH)
        {
            throw new MalformedDataException("bech32: longer than " + MAX_LENGTH + " characters");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < input.length(); i++)
        {
            final char c = input.charAt(i);
            if (c < 33 || c > 126)
            {
                throw new MalformedDataException("bech32: character out of range at position " + i);
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper)
        {
            throw new MalformedDataException("bech32: mixed case");
        }
        final String s = input.toLowerCase(Locale.ROOT);
        final int separator = s.lastIndexOf('1');
        if (separator < 0)
        {
            throw new MalformedDataException("bech32: no separator '1'");
        }
        if (separator == 0)
        {
            throw new MalformedDataException("bech32: empty human-readable part");
        }
        if (s.length() - separator - 1 < CHECKSUM_LENGTH)
        {
            throw new MalformedDataException("bech32: checksum too short");
        }
        final String hrp = s.substring(0, separator);
        final byte[] symbols = new byte[s.length() - separator - 1];
        for (int i = 0; i < symbols.length; i++)
        {
            final char c = s.charAt(separator + 1 + i);
            final byte v = CHARSET_REV[c];
            if (v < 0)
            {
                throw new MalformedDataException("bech32: invalid data character '" + c + "' at position " +
                    (separator + 1 + i));
            }
            symbols[i] = v;
        }
        final int mod = polymod(expandedHrpWith(hrp, symbols, 0));
        final Encoding encoding;
        if (mod == Encoding.BECH32.constant)
        {
            encoding = Encoding.BECH32;
        }
        else if (mod == Encoding.BECH32M.constant)
        {
            encoding = Encoding.BECH32M;
        }
        else
        {
            throw new MalformedDataException("bech32: checksum mismatch");
        }
        final byte[] data = java.util.Arrays.copyOf(symbols, symbols.length - CHECKSUM_LENGTH);
        return new Decoded(hrp, data, encoding);
    }

    /**
     * Regroup bytes into 5-bit symbols, zero-padding the last symbol (encoding a witness program).
     */
    static byte[] toFiveBit(final byte[] bytes)
    {
        final byte[] out = new byte[(bytes.length * 8 + 4) / 5];
        int acc = 0;
        int bits = 0;
        int length = 0;
        for (final byte b : bytes)
        {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                out[length++] = (byte)((acc >>> bits) & 31);
            }
        }
        if (bits > 0)
        {
            out[length++] = (byte)((acc << (5 - bits)) & 31);
        }
        return out;
    }

    /**
     * Regroup 5-bit symbols into bytes; leftover bits must be fewer than 5 and all zero (BIP173 decoding rule).
     */
    static byte[] fromFiveBit(final byte[] symbols)
    {
        final byte[] out = new byte[symbols.length * 5 / 8];
        int acc = 0;
        int bits = 0;
        int length = 0;
        for (final byte s : symbols)
        {
            if ((s & ~31) != 0)
            {
                throw new MalformedDataException("bech32: symbol out of range");
            }
            acc = ((acc << 5) | s) & 0xfff;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                out[length++] = (byte)(acc >>> bits);
            }
        }
        if (bits >= 5)
        {
            throw new MalformedDataException("bech32: more than 4 bits of padding");
        }
        if ((acc & ((1 << bits) - 1)) != 0)
        {
            throw new MalformedDataException("bech32: non-zero padding");
        }
        return out;
    }

    private static void checkHrp(final String hrp)
    {
        if (hrp.isEmpty())
        {
            throw new IllegalArgumentException("bech32: empty human-readable part");
        }
        for (int i = 0; i < hrp.length(); i++)
        {
            final char c = hrp.charAt(i);
            if (c < 33 || c > 126)
            {
                throw new IllegalArgumentException("bech32: human-readable part character out of range");
            }
        }
    }
}
