package org.bitcoincommons.sv2.pool;

/**
 * Per-channel variable difficulty, compatible with SRI's "classic" algorithm
 * ({@code channels-sv2/src/vardiff/classic.rs}), so that a channel moved between SRI and this pool sees the
 * same targets:
 * <ul>
 *   <li>evaluated no sooner than 15 s after the last update;</li>
 *   <li>realized shares/min -> a hashrate estimate from the current target;</li>
 *   <li>retarget when the estimate deviates by at least 100% (any time), 60% after 60 s, 50% after 120 s,
 *       45% after 180 s, 30% after 240 s, 15% after 300 s;</li>
 *   <li>no shares at all: ease by /1.5 (<= 30 s), /2 (< 60 s) or /3, at most two silent eases in a row;</li>
 *   <li>a deviation over 1000% moves by x10 (<= 30 s), x5 (< 60 s) or x3 only;</li>
 *   <li>never below the minimum hashrate (1 H/s unless configured).</li>
 * </ul>
 * Owned by the pool logic thread. Time is passed in (seconds) so that behaviour is testable.
 */
public final class Vardiff
{
    /** SRI's default floor, H/s. */
    public static final double MIN_HASHRATE = 1.0;
    static final int MAX_SILENT_EASES = 2;

    /** Converts a target and a share rate to the hashrate that would produce it. */
    @FunctionalInterface
    public interface HashrateOfTarget
    {
        double hashrate(double sharesPerMinute);
    }

    private final double minHashrate;
    private long windowStartSec;
    private int sharesInWindow;
    private int silentEases;

    public Vardiff(final long nowSec)
    {
        this(nowSec, MIN_HASHRATE);
    }

    public Vardiff(final long nowSec, final double minHashrate)
    {
        this.windowStartSec = nowSec;
        this.minHashrate = minHashrate;
    }

    /** Counts one accepted share. */
    public void onShare()
    {
        sharesInWindow++;
    }

    public int sharesInWindow()
    {
        return sharesInWindow;
    }

    /**
     * Evaluates the window.
     *
     * @param nowSec          wall clock, seconds
     * @param hashrate        the channel's current hashrate belief, H/s
     * @param realizedRate    maps a realized shares/min at the current target to a hashrate
     * @return the new hashrate belief, or NaN when the target should stay
     */
    public double evaluate(final long nowSec, final double hashrate, final HashrateOfTarget realizedRate)
    {
        final long elapsed = nowSec - windowStartSec;
        if (elapsed < 0)
        {
            reset(nowSec);
            return Double.NaN;
        }
        if (elapsed <= 15)
        {
            return Double.NaN;
        }
        final double belief = Double.isFinite(hashrate) ? Math.max(hashrate, minHashrate) : minHashrate;
        final double realizedSpm = sharesInWindow / (elapsed / 60.0);
        if (realizedSpm > 0.0)
        {
            silentEases = 0;
        }
        else if (silentEases >= MAX_SILENT_EASES)
        {
            reset(nowSec);
            return Double.NaN;
        }
        double estimate = realizedSpm > 0.0 ? realizedRate.hashrate(realizedSpm) : 0.0;
        final double deviationPct = Math.abs(estimate - belief) / belief * 100.0;
        final boolean update =
            deviationPct >= 100.0 ||
            (deviationPct >= 60.0 && elapsed >= 60) ||
            (deviationPct >= 50.0 && elapsed >= 120) ||
            (deviationPct >= 45.0 && elapsed >= 180) ||
            (deviationPct >= 30.0 && elapsed >= 240) ||
            (deviationPct >= 15.0 && elapsed >= 300);
        if (!update)
        {
            return Double.NaN;
        }
        if (realizedSpm == 0.0)
        {
            silentEases++;
            estimate = elapsed <= 30 ? belief / 1.5 : elapsed < 60 ? belief / 2.0 : belief / 3.0;
        }
        else if (deviationPct > 1000.0)
        {
            estimate = elapsed <= 30 ? belief * 10.0 : elapsed < 60 ? belief * 5.0 : belief * 3.0;
        }
        reset(nowSec);
        return Math.max(estimate, minHashrate);
    }

    public void reset(final long nowSec)
    {
        windowStartSec = nowSec;
        sharesInWindow = 0;
    }
}
