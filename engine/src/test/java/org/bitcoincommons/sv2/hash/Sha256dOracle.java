package org.bitcoincommons.sv2.hash;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The independent oracle of these tests: java.security.MessageDigest, and BigInteger for the LE compare.
 */
final class Sha256dOracle
{
    private Sha256dOracle()
    {
    }

    static byte[] sha256d(final byte[] data, final int offset, final int length)
    {
        try
        {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, offset, length);
            return md.digest(md.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** The 32 bytes read as an unsigned little-endian number. */
    static BigInteger le(final byte[] bytes, final int offset)
    {
        final byte[] be = new byte[33];
        for (int i = 0; i < 32; i++)
        {
            be[32 - i] = bytes[offset + i];
        }
        return new BigInteger(be);
    }

    static byte[] reversed(final byte[] bytes)
    {
        final byte[] r = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            r[i] = bytes[bytes.length - 1 - i];
        }
        return r;
    }

    static byte[] unhex(final String hex)
    {
        return HexFormat.of().parseHex(hex);
    }
}
