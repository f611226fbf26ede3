package org.bitcoincommons.sv2.bitcoin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Bitcoin's Base58 alphabet and Base58Check (payload followed by the first 4 bytes of SHA256(SHA256(payload))).
 * Cold path only (config, CLI, key parsing): every call allocates.
 */
public final class Base58
{
    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] DIGIT_OF = new int[128];
    /** Length of the Base58Check checksum, bytes. */
    public static final int CHECKSUM_LENGTH = 4;

    static
    {
        Arrays.fill(DIGIT_OF, -1);
        for (int i = 0; i < ALPHABET.length; i++)
        {
            DIGIT_OF[ALPHABET[i]] = i;
        }
    }

    private Base58()
    {
    }

    /**
     * Encodes bytes as Base58; each leading zero byte becomes a leading '1'.
     */
    public static String encode(final byte[] data)
    {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0)
        {
            zeros++;
        }
        // log(256) / log(58) < 1.366, so this many digits always suffice.
        final byte[] digits = new byte[(data.length - zeros) * 138 / 100 + 1];
        int used = 0;
        for (int i = zeros; i < data.length; i++)
        {
            int carry = data[i] & 0xff;
            for (int j = 0; j < used; j++)
            {
                carry += (digits[j] & 0xff) << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[used++] = (byte)(carry % 58);
                carry /= 58;
            }
        }
        final StringBuilder sb = new StringBuilder(zeros + used);
        for (int i = 0; i < zeros; i++)
        {
            sb.append(ALPHABET[0]);
        }
        for (int j = used - 1; j >= 0; j--)
        {
            sb.append(ALPHABET[digits[j]]);
        }
        return sb.toString();
    }

    /**
     * Decodes a Base58 string; each leading '1' becomes a leading zero byte.
     *
     * @throws IllegalArgumentException on a character outside the alphabet.
     */
    public static byte[] decode(final String text)
    {
        int ones = 0;
        while (ones < text.length() && text.charAt(ones) == ALPHABET[0])
        {
            ones++;
        }
        // log(58) / log(256) < 0.733.
        final byte[] bytes = new byte[(text.length() - ones) * 733 / 1000 + 1];
        int used = 0;
        for (int i = ones; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final int digit = c < 128 ? DIGIT_OF[c] : -1;
            if (digit < 0)
            {
                throw new IllegalArgumentException("invalid Base58 character '" + c + "' at index " + i);
            }
            int carry = digit;
            for (int j = 0; j < used; j++)
            {
                carry += (bytes[j] & 0xff) * 58;
                bytes[j] = (byte)carry;
                carry >>>= 8;
            }
            while (carry > 0)
            {
                bytes[used++] = (byte)carry;
                carry >>>= 8;
            }
        }
        final byte[] out = new byte[ones + used];
        for (int j = 0; j < used; j++)
        {
            out[ones + j] = bytes[used - 1 - j];
        }
        return out;
    }

    /**
     * Base58 of {@code payload || first 4 bytes of SHA256(SHA256(payload))}.
     */
    public static String encodeCheck(final byte[] payload)
    {
        final byte[] withSum = Arrays.copyOf(payload, payload.length + CHECKSUM_LENGTH);
        System.arraycopy(checksum(payload, payload.length), 0, withSum, payload.length, CHECKSUM_LENGTH);
        return encode(withSum);
    }

    /**
     * Decodes Base58Check and returns the payload without its checksum.
     *
     * @throws IllegalArgumentException on a bad character, a string too short to hold a checksum, or a checksum
     *                                  mismatch.
     */
    public static byte[] decodeCheck(final String text)
    {
        final byte[] raw = decode(text);
        if (raw.length < CHECKSUM_LENGTH)
        {
            throw new IllegalArgumentException("Base58Check string too short: " + raw.length + " bytes, need at least "
                + CHECKSUM_LENGTH);
        }
        final int payloadLength = raw.length - CHECKSUM_LENGTH;
        final byte[] expected = checksum(raw, payloadLength);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, payloadLength, raw.length)))
        {
            throw new IllegalArgumentException("Base58Check checksum mismatch");
        }
        return Arrays.copyOf(raw, payloadLength);
    }

    private static byte[] checksum(final byte[] data, final int length)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data, 0, length);
            final byte[] once = sha.digest();
            return Arrays.copyOf(sha.digest(once), CHECKSUM_LENGTH);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 missing from the JDK", ex);
        }
    }
}
