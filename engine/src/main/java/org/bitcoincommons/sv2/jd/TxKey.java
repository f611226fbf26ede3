package org.bitcoincommons.sv2.jd;

/**
 * A 32-byte hash (txid or wtxid, internal byte order) as a map key: four longs, so that looking up thousands of
 * declared wtxids neither hex-encodes nor copies them.
 */
record TxKey(long a, long b, long c, long d)
{
    static TxKey of(final byte[] hash)
    {
        if (hash.length != 32)
        {
            throw new IllegalArgumentException("a hash is 32 bytes, got " + hash.length);
        }
        return new TxKey(word(hash, 0), word(hash, 8), word(hash, 16), word(hash, 24));
    }

    private static long word(final byte[] h, final int o)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = v << 8 | (h[o + i] & 0xffL);
        }
        return v;
    }
}
