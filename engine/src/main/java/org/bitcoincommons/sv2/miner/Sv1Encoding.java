package org.bitcoincommons.sv2.miner;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;

/**
 * How a Stratum V1 job turns into a block header, on the miner's side: the word-swapped prev hash, big-endian hex
 * numbers, the coinbase rebuilt as coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2, its txid folded with the merkle
 * branches (internal byte order, the coinbase always the leftmost leaf), and the BIP310 version-rolling rule. Kept
 * apart from the session so that each encoding can be checked against real chain data.
 */
public final class Sv1Encoding
{
    private Sv1Encoding()
    {
    }

    /**
     * The 32 header-order prev hash bytes from the notify field, whose every 4-byte word is byte-swapped.
     *
     * @throws IllegalArgumentException not 64 hex digits
     */
    public static byte[] prevHashFromNotify(final String hex)
    {
        return swapWords(Hex.decode(hex, 32));
    }

    /** The notify field of a header-order prev hash (each 4-byte word byte-swapped, then hex). */
    public static String prevHashToNotify(final byte[] headerOrder)
    {
        return Hex.encode(swapWords(headerOrder));
    }

    private static byte[] swapWords(final byte[] in)
    {
        final byte[] out = new byte[in.length];
        for (int w = 0; w < in.length; w += 4)
        {
            out[w] = in[w + 3];
            out[w + 1] = in[w + 2];
            out[w + 2] = in[w + 1];
            out[w + 3] = in[w];
        }
        return out;
    }

    /**
     * A u32 field (version, nbits, ntime, nonce, version bits) from its big-endian hex.
     *
     * @throws IllegalArgumentException not 1..8 hex digits
     */
    public static int u32(final String hex)
    {
        if (hex.isEmpty() || hex.length() > 8)
        {
            throw new IllegalArgumentException("expected 1..8 hex digits, got \"" + hex + "\"");
        }
        return (int)Long.parseLong(hex, 16);
    }

    /** Eight lower-case hex digits of a u32, big-endian, as SV1 writes version, nbits, ntime and nonce. */
    public static String hex32(final int value)
    {
        final char[] c = new char[8];
        for (int i = 0; i < 8; i++)
        {
            c[i] = Character.forDigit((value >>> (28 - 4 * i)) & 0xf, 16);
        }
        return new String(c);
    }

    /** coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2: the witness-stripped coinbase whose txid the header commits to. */
    public static byte[] coinbase(final byte[] coinb1, final byte[] extranonce1, final byte[] extranonce2,
        final byte[] coinb2)
    {
        final byte[] cb = new byte[coinb1.length + extranonce1.length + extranonce2.length + coinb2.length];
        System.arraycopy(coinb1, 0, cb, 0, coinb1.length);
        System.arraycopy(extranonce1, 0, cb, coinb1.length, extranonce1.length);
        System.arraycopy(extranonce2, 0, cb, coinb1.length + extranonce1.length, extranonce2.length);
        System.arraycopy(coinb2, 0, cb, cb.length - coinb2.length, coinb2.length);
        return cb;
    }

    /**
     * The merkle root (internal byte order) of a coinbase and the notify's branches (internal byte order): the
     * coinbase txid (double SHA-256) folded with each branch, the running hash always the left child.
     */
    public static byte[] merkleRoot(final byte[] coinbase, final List<byte[]> branches)
    {
        return Merkle.fold(Sha256d.hash(coinbase), branches, 0);
    }

    /** The 80-byte header: every u32 little-endian, prev hash and root as given (header order). */
    public static byte[] header(final int version, final byte[] prevHash, final byte[] merkleRoot, final int ntime,
        final int nbits, final int nonce)
    {
        final byte[] h = new byte[80];
        putLe(h, 0, version);
        System.arraycopy(prevHash, 0, h, 4, 32);
        System.arraycopy(merkleRoot, 0, h, 36, 32);
        putLe(h, 68, ntime);
        putLe(h, 72, nbits);
        putLe(h, 76, nonce);
        return h;
    }

    private static void putLe(final byte[] b, final int offset, final int v)
    {
        b[offset] = (byte)v;
        b[offset + 1] = (byte)(v >>> 8);
        b[offset + 2] = (byte)(v >>> 16);
        b[offset + 3] = (byte)(v >>> 24);
    }

    /** BIP310: the version a share with these rolled bits was hashed with. */
    public static int rolledVersion(final int jobVersion, final int versionBits, final int mask)
    {
        return (jobVersion & ~mask) | (versionBits & mask);
    }

    /**
     * The 32-byte little-endian share target of a pool difficulty (difficulty 1 = 0x00000000ffff0000…; a difficulty
     * so small that the target passes 2^256 - 1 gives the maximum, where every hash is a share).
     */
    public static byte[] target(final double difficulty)
    {
        return Target.toLittleEndian(Target.fromDifficulty(difficulty));
    }
}
