package org.bitcoincommons.sv2.sv1;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.Sha256d;

/**
 * A miner's view of one {@code mining.notify}, built from the wire format alone (ROLES.md A.1, copied here: the
 * prevhash is the header's 32 bytes with each 4-byte word byte-swapped; version, nbits, ntime and nonce are big-endian
 * hex of the u32; merkle branches are in internal byte order; coinbase = coinb1 + extranonce1 + extranonce2 + coinb2),
 * so that the pool accepting a share ground here proves its encodings, not our agreement with its own code. Only the
 * hash function is the engine's ({@link Sha256d}); the difficulty-1 target is restated here.
 */
final class Sv1Work
{
    static final HexFormat HEX = HexFormat.of();
    /** Pool difficulty 1: 0x00000000ffff0000...0000 (bdiff). */
    static final BigInteger DIFF1 = BigInteger.valueOf(0xffff).shiftLeft(208);

    final String jobId;
    final byte[] prevHash;
    final byte[] coinb1;
    final byte[] coinb2;
    final byte[][] branches;
    final int version;
    final int nbits;
    final int ntime;
    final boolean clean;
    /** The difficulty the pool last set before this notify arrived (it applies from this job on). */
    final double difficulty;

    Sv1Work(final JsonNode params, final double difficulty)
    {
        jobId = params.get(0).asText();
        final byte[] swapped = HEX.parseHex(params.get(1).asText());
        if (swapped.length != 32)
        {
            throw new IllegalArgumentException("prevhash is not 32 bytes: " + params.get(1));
        }
        prevHash = new byte[32];
        for (int w = 0; w < 8; w++)
        {
            for (int i = 0; i < 4; i++)
            {
                prevHash[4 * w + i] = swapped[4 * w + 3 - i];
            }
        }
        coinb1 = HEX.parseHex(params.get(2).asText());
        coinb2 = HEX.parseHex(params.get(3).asText());
        branches = new byte[params.get(4).size()][];
        for (int i = 0; i < branches.length; i++)
        {
            branches[i] = HEX.parseHex(params.get(4).get(i).asText());
        }
        version = u32(params.get(5).asText());
        nbits = u32(params.get(6).asText());
        ntime = u32(params.get(7).asText());
        clean = params.get(8).asBoolean();
        this.difficulty = difficulty;
    }

    static int u32(final String beHex)
    {
        if (beHex.length() != 8)
        {
            throw new IllegalArgumentException("not 8 hex digits: " + beHex);
        }
        return (int)Long.parseLong(beHex, 16);
    }

    static String hex32(final int v)
    {
        return String.format("%08x", v);
    }

    /** The 80-byte header with nonce 0, for this extranonce and the version after rolling. */
    byte[] header(final byte[] extranonce1, final byte[] extranonce2, final int rolledVersion)
    {
        final byte[] coinbase = new byte[coinb1.length + extranonce1.length + extranonce2.length + coinb2.length];
        int at = 0;
        System.arraycopy(coinb1, 0, coinbase, at, coinb1.length);
        at += coinb1.length;
        System.arraycopy(extranonce1, 0, coinbase, at, extranonce1.length);
        at += extranonce1.length;
        System.arraycopy(extranonce2, 0, coinbase, at, extranonce2.length);
        at += extranonce2.length;
        System.arraycopy(coinb2, 0, coinbase, at, coinb2.length);
        byte[] root = Sha256d.hash(coinbase);
        final byte[] pair = new byte[64];
        for (final byte[] branch : branches)
        {
            System.arraycopy(root, 0, pair, 0, 32);
            System.arraycopy(branch, 0, pair, 32, 32);
            root = Sha256d.hash(pair);
        }
        final byte[] header = new byte[80];
        le(header, 0, rolledVersion);
        System.arraycopy(prevHash, 0, header, 4, 32);
        System.arraycopy(root, 0, header, 36, 32);
        le(header, 68, ntime);
        le(header, 72, nbits);
        return header;
    }

    static void le(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >>> 8);
        b[at + 2] = (byte)(v >>> 16);
        b[at + 3] = (byte)(v >>> 24);
    }

    /** The share target of a difficulty: DIFF1 / difficulty, rounded down. */
    static BigInteger target(final double difficulty)
    {
        return new BigDecimal(DIFF1).divide(new BigDecimal(difficulty), 0, RoundingMode.FLOOR).toBigInteger();
    }

    /** The hash (as SHA-256d returns it, little-endian) read as a number. */
    static BigInteger value(final byte[] hashLe)
    {
        final byte[] be = new byte[33];
        for (int i = 0; i < 32; i++)
        {
            be[32 - i] = hashLe[i];
        }
        return new BigInteger(be);
    }

    /**
     * Grinds nonces from {@code fromNonce} until the header meets {@code difficulty} (with a margin of 0.1%, so that a
     * rounding of the pool's never makes a ground share fail); returns the nonce, or -1L after {@code maxNonces}.
     */
    static long grind(final byte[] header, final double difficulty, final long fromNonce, final long maxNonces)
    {
        final BigInteger target = target(difficulty * 1.001);
        final Sha256d sha = new Sha256d();
        final byte[] hash = new byte[32];
        final boolean topByteZero = target.bitLength() <= 248;
        for (long n = fromNonce; n < fromNonce + maxNonces && n <= 0xffffffffL; n++)
        {
            le(header, 76, (int)n);
            sha.digest(header, 0, 80, hash, 0);
            // quick filter: at the difficulties tests use, the top byte of a hit is zero
            if ((!topByteZero || hash[31] == 0) && value(hash).compareTo(target) <= 0)
            {
                return n;
            }
        }
        return -1L;
    }
}
