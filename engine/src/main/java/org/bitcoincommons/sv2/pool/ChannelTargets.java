package org.bitcoincommons.sv2.pool;

import java.math.BigInteger;

import org.bitcoincommons.sv2.bitcoin.Target;

/**
 * The pool's target policy for channels, and the checks every client-supplied target and hashrate passes before it
 * reaches the target math (OpenStandardMiningChannel / OpenExtendedMiningChannel {@code max_target} and
 * {@code nominal_hash_rate}, UpdateChannel {@code maximum_target} and {@code nominal_hash_rate}). Nothing here throws
 * for any input that passed {@link #minable} and {@link #validHashrate}, so a client cannot make the logic thread fail.
 * <p>
 * Targets are 32 bytes little-endian (SV2 U256). A target below {@link #MIN_TARGET} (2^128) asks for more than 2^128
 * hashes per share, which no miner can ever find (the whole Bitcoin network does about 2^70 hashes a second): such a
 * {@code max_target}, zero and 1 included, is refused with {@code max-target-out-of-range}. Hashrates are capped where
 * the hashes per share reach 2^127, so that every target this class computes stays at or above about 2^129 (SRI's
 * {@code hash_rate_to_target} saturates at u128 in the same way). Owned by the pool logic thread; cold path.
 */
final class ChannelTargets
{
    /** The hardest {@code max_target} a client may ask for: 2^128 (bytes 16..31 of the LE form not all zero). */
    static final BigInteger MIN_TARGET = BigInteger.ONE.shiftLeft(128);
    /** Hashes per share at most (2^127): hashrate x seconds per share is capped here before the target math. */
    static final double MAX_HASHES_PER_SHARE = 0x1p127;

    private final double sharesPerMinute;
    private final double minHashrate;
    private final double maxHashrate;

    /**
     * @param sharesPerMinute the share rate each channel is aimed at, &gt; 0
     * @param minHashrate     the lowest hashrate a channel is believed to have, H/s
     */
    ChannelTargets(final double sharesPerMinute, final double minHashrate)
    {
        if (!(sharesPerMinute > 0.0) || Double.isInfinite(sharesPerMinute))
        {
            throw new IllegalArgumentException("shares per minute must be positive and finite: " + sharesPerMinute);
        }
        this.sharesPerMinute = sharesPerMinute;
        this.maxHashrate = MAX_HASHES_PER_SHARE / (60.0 / sharesPerMinute);
        this.minHashrate = Math.min(Math.max(minHashrate, 0.0), maxHashrate);
    }

    /** True when a client's maximum target (LE) can be mined: at least 2^128. Zero and 1 are not. No allocation. */
    static boolean minable(final byte[] maxTargetLe)
    {
        for (int i = 16; i < Target.LENGTH; i++)
        {
            if (maxTargetLe[i] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** A client's nominal hashrate: finite and not negative (0 is allowed: a proxy with no devices yet sends 0). */
    static boolean validHashrate(final float hashesPerSecond)
    {
        return hashesPerSecond >= 0.0f && Float.isFinite(hashesPerSecond);
    }

    /** The hashrate belief for a client's nominal hashrate: at least the configured minimum, at most the cap. */
    double belief(final double hashesPerSecond)
    {
        if (!(hashesPerSecond >= minHashrate))
        {
            return minHashrate;   // also NaN
        }
        return Math.min(hashesPerSecond, maxHashrate);
    }

    /**
     * min(target for this hashrate at the configured share rate, the channel's maximum target), LE. The maximum target
     * must have passed {@link #minable}; the result is then at least 2^128 and never zero.
     */
    byte[] targetFor(final double hashrate, final byte[] maxTargetLe)
    {
        final double h = belief(hashrate);
        final BigInteger t = h > 0.0 ? Target.fromHashrate(h, sharesPerMinute) : Target.MAX;
        final BigInteger max = Target.fromLittleEndian(maxTargetLe, 0);
        return Target.toLittleEndian(t.min(max).max(MIN_TARGET));
    }

    /**
     * The hashrate that finds shares of {@code targetLe} at {@code sharesPerMinute}, H/s (vardiff's estimate): (2^256 -
     * t) / (t + 1) hashes a share, in doubles. Vardiff needs its 15 digits, not the 34 of {@link
     * Target#hashrateFromTarget}'s exact division, whose big-number garbage was most of what a 15,000-channel pool
     * allocated while it retargeted (session 11). Targets within 2^-52 of 2^256 give 0, as the exact value rounds to.
     */
    static double hashrateOf(final byte[] targetLe, final double sharesPerMinute)
    {
        double t = 0.0;
        for (int i = 31; i >= 0; i--)
        {
            t = t * 256.0 + (targetLe[i] & 0xff);
        }
        final double hashesPerShare = Math.max(0.0, (TWO_POW_256 - t) / (t + 1.0));
        return hashesPerShare / (60.0 / sharesPerMinute);
    }

    private static final double TWO_POW_256 = Math.scalb(1.0, 256);
}
