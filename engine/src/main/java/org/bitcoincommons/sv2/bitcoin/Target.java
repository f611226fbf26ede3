package org.bitcoincommons.sv2.bitcoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * 256-bit proof-of-work targets: compact "bits" encoding, the 32-byte little-endian form used by SV2 U256 fields
 * and by {@link #hashMeetsTarget}, difficulty relative to diff-1 = 0xffff·2^208, and SRI's hashrate/target formulas.
 *
 * <p>{@link BigInteger} methods are cold-path. The {@code hashMeetsTarget} methods and {@link #compactToLittleEndian}
 * allocate nothing.
 */
public final class Target
{
    public static final int LENGTH = 32;

    /** 2^256 - 1, the largest (easiest) possible target. */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** Difficulty-1 target 0xffff·2^208 (bits 0x1d00ffff). */
    public static final BigInteger DIFF1 = BigInteger.valueOf(0xffff).shiftLeft(208);

    private static final double DIFF1_DOUBLE = DIFF1.doubleValue();
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final BigInteger TWO_POW_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger U128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private Target()
    {
    }

    /**
     * Expand compact bits as Bitcoin Core's {@code arith_uint256::SetCompact}, rejecting the negative and overflow
     * forms that consensus rejects.
     *
     * @throws IllegalArgumentException for a negative, zero-mantissa-sign or overflowing encoding.
     */
    public static BigInteger fromCompact(final int bits)
    {
        final int size = bits >>> 24;
        long word = bits & 0x007f_ffffL;
        if (word != 0 && (bits & 0x0080_0000) != 0)
        {
            throw new IllegalArgumentException(String.format("compact bits %08x encode a negative target", bits));
        }
        if (word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)))
        {
            throw new IllegalArgumentException(String.format("compact bits %08x overflow 256 bits", bits));
        }
        if (size <= 3)
        {
            word >>>= 8 * (3 - size);
            return BigInteger.valueOf(word);
        }
        return BigInteger.valueOf(word).shiftLeft(8 * (size - 3));
    }

    /**
     * Compress a target as Bitcoin Core's {@code arith_uint256::GetCompact} (truncating to a 3-byte mantissa).
     */
    public static int toCompact(final BigInteger target)
    {
        requireRange(target);
        int size = (target.bitLength() + 7) / 8;
        long compact;
        if (size <= 3)
        {
            compact = target.longValue() << (8 * (3 - size));
        }
        else
        {
            compact = target.shiftRight(8 * (size - 3)).longValue();
        }
        if ((compact & 0x0080_0000L) != 0)
        {
            compact >>>= 8;
            size++;
        }
        return (int)(compact | ((long)size << 24));
    }

    /**
     * @return the 32-byte little-endian form (byte 0 least significant) of {@code target}.
     */
    public static byte[] toLittleEndian(final BigInteger target)
    {
        requireRange(target);
        final byte[] out = new byte[LENGTH];
        final byte[] be = target.toByteArray();
        for (int i = 0; i < be.length && i < LENGTH; i++)
        {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    public static BigInteger fromLittleEndian(final byte[] le, final int offset)
    {
        final byte[] be = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++)
        {
            be[i] = le[offset + LENGTH - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /**
     * @return 64 hex characters, most significant first (how bitcoind prints a target).
     */
    public static String toDisplayHex(final BigInteger target)
    {
        requireRange(target);
        final String hex = target.toString(16);
        return "0".repeat(2 * LENGTH - hex.length()) + hex;
    }

    /**
     * Expand compact bits straight into the 32-byte little-endian form without allocating.
     *
     * @throws IllegalArgumentException for the encodings {@link #fromCompact} rejects.
     */
    public static void compactToLittleEndian(final int bits, final byte[] out, final int offset)
    {
        final int size = bits >>> 24;
        final int word = bits & 0x007f_ffff;
        if (word != 0 && (bits & 0x0080_0000) != 0)
        {
            throw new IllegalArgumentException("compact bits encode a negative target");
        }
        if (word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)))
        {
            throw new IllegalArgumentException("compact bits overflow 256 bits");
        }
        for (int i = 0; i < LENGTH; i++)
        {
            out[offset + i] = 0;
        }
        for (int b = 0; b < 3; b++)
        {
            // mantissa byte b (0 = least significant) lands at little-endian position size - 3 + b
            final int position = size - 3 + b;
            final int value = (word >>> (8 * b)) & 0xff;
            if (position >= 0 && position < LENGTH)
            {
                out[offset + position] = (byte)value;
            }
        }
    }

    /**
     * Proof-of-work check: is the 256-bit little-endian number {@code hash} (as sha256d produces it) at most the
     * little-endian {@code target}? No allocation.
     */
    public static boolean hashMeetsTarget(
        final byte[] hash, final int hashOffset, final byte[] target, final int targetOffset)
    {
        for (int word = 3; word >= 0; word--)
        {
            final long h = (long)LONG_LE.get(hash, hashOffset + 8 * word);
            final long t = (long)LONG_LE.get(target, targetOffset + 8 * word);
            if (h != t)
            {
                return Long.compareUnsigned(h, t) < 0;
            }
        }
        return true;
    }

    /**
     * {@link #hashMeetsTarget(byte[], int, byte[], int)} over Agrona buffers. No allocation.
     */
    public static boolean hashMeetsTarget(
        final DirectBuffer hash, final int hashOffset, final DirectBuffer target, final int targetOffset)
    {
        for (int word = 3; word >= 0; word--)
        {
            final long h = hash.getLong(hashOffset + 8 * word, ByteOrder.LITTLE_ENDIAN);
            final long t = target.getLong(targetOffset + 8 * word, ByteOrder.LITTLE_ENDIAN);
            if (h != t)
            {
                return Long.compareUnsigned(h, t) < 0;
            }
        }
        return true;
    }

    /**
     * @return diff-1 target divided by {@code target} (bitcoind's "difficulty"); cold path.
     */
    public static double difficulty(final BigInteger target)
    {
        if (target.signum() <= 0)
        {
            throw new IllegalArgumentException("target must be positive");
        }
        return new BigDecimal(DIFF1).divide(new BigDecimal(target), MathContext.DECIMAL64).doubleValue();
    }

    public static double difficultyFromBits(final int bits)
    {
        return difficulty(fromCompact(bits));
    }

    /**
     * Cheap difficulty of a little-endian target as a double (for share accounting); relative error about 1e-15.
     * No allocation.
     */
    public static double difficultyFromLittleEndian(final byte[] target, final int offset)
    {
        double value = 0.0;
        for (int i = LENGTH - 1; i >= 0; i--)
        {
            value = value * 256.0 + (target[offset + i] & 0xff);
        }
        if (value == 0.0)
        {
            throw new IllegalArgumentException("target must be positive");
        }
        return DIFF1_DOUBLE / value;
    }

    /**
     * @return floor(diff-1 / difficulty), clamped to {@link #MAX}; cold path.
     */
    public static BigInteger fromDifficulty(final double difficulty)
    {
        if (!(difficulty > 0.0) || Double.isInfinite(difficulty))
        {
            throw new IllegalArgumentException("difficulty must be positive and finite: " + difficulty);
        }
        final BigInteger target = new BigDecimal(DIFF1).divideToIntegralValue(new BigDecimal(difficulty))
            .toBigInteger();
        if (target.signum() == 0)
        {
            return BigInteger.ONE;
        }
        return target.min(MAX);
    }

    /**
     * SRI {@code hash_rate_to_target}: {@code t = 60/spm} seconds, {@code ht = floor(hashrate·t)} as a u128,
     * {@code target = (2^256 - 1 - ht) / (ht + 1)} with integer division.
     *
     * @param hashesPerSecond expected hashrate in H/s, &gt; 0.
     * @param sharesPerMinute wanted share rate, &gt; 0.
     */
    public static BigInteger fromHashrate(final double hashesPerSecond, final double sharesPerMinute)
    {
        if (!(hashesPerSecond > 0.0) || Double.isInfinite(hashesPerSecond))
        {
            throw new IllegalArgumentException("hashrate must be positive and finite: " + hashesPerSecond);
        }
        if (!(sharesPerMinute > 0.0) || Double.isInfinite(sharesPerMinute))
        {
            throw new IllegalArgumentException("shares per minute must be positive and finite: " + sharesPerMinute);
        }
        final double secondsPerShare = 60.0 / sharesPerMinute;
        final double hashesPerShare = Math.floor(hashesPerSecond * secondsPerShare);
        if (Double.isInfinite(hashesPerShare))
        {
            throw new IllegalArgumentException("hashrate x seconds per share overflows");
        }
        final BigInteger ht = new BigDecimal(hashesPerShare).toBigInteger();
        if (ht.compareTo(U128_MAX) > 0)
        {
            throw new IllegalArgumentException("hashes per share exceed u128: " + ht);
        }
        return MAX.subtract(ht).divide(ht.add(BigInteger.ONE));
    }

    /**
     * SRI {@code hash_rate_from_target}: {@code (2^256 - target) / ((target + 1)·60/spm)} in H/s.
     */
    public static double hashrateFromTarget(final BigInteger target, final double sharesPerMinute)
    {
        requireRange(target);
        if (!(sharesPerMinute > 0.0) || Double.isInfinite(sharesPerMinute))
        {
            throw new IllegalArgumentException("shares per minute must be positive and finite: " + sharesPerMinute);
        }
        final BigDecimal hashesPerShare = new BigDecimal(TWO_POW_256.subtract(target))
            .divide(new BigDecimal(target.add(BigInteger.ONE)), MathContext.DECIMAL128);
        return hashesPerShare.doubleValue() / (60.0 / sharesPerMinute);
    }

    private static void requireRange(final BigInteger target)
    {
        if (target.signum() < 0 || target.bitLength() > 256)
        {
            throw new IllegalArgumentException("target outside [0, 2^256): " + target.toString(16));
        }
    }
}
