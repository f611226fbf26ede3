package org.bitcoincommons.sv2.bitcoin;

/**
 * The one place where Bitcoin hashes change byte order.
 *
 * <p>Internally (on the wire, in headers, merkle trees, SV2 U256 fields) a 32-byte hash is kept in the order
 * SHA-256d produces it, which read as a number is little-endian. Bitcoin Core, block explorers and RPC show the
 * same hash as hex of the reversed bytes ("display order", big-endian number). Convert only at that edge.
 */
public final class HashOrder
{
    public static final int HASH_LENGTH = 32;

    private HashOrder()
    {
    }

    /**
     * @param internal 32 bytes in internal order.
     * @return display hex (reversed bytes, lowercase), as printed by bitcoind.
     */
    public static String toDisplayHex(final byte[] internal)
    {
        return Hex.encode(reversed(internal));
    }

    /**
     * @param displayHex 64 hex characters as printed by bitcoind.
     * @return the 32 bytes in internal order.
     */
    public static byte[] fromDisplayHex(final CharSequence displayHex)
    {
        final byte[] bytes = Hex.decode(displayHex, HASH_LENGTH);
        reverseInPlace(bytes, 0, bytes.length);
        return bytes;
    }

    /**
     * @return a reversed copy of {@code bytes}.
     */
    public static byte[] reversed(final byte[] bytes)
    {
        final byte[] out = bytes.clone();
        reverseInPlace(out, 0, out.length);
        return out;
    }

    public static void reverseInPlace(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset, j = offset + length - 1; i < j; i++, j--)
        {
            final byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }
}
