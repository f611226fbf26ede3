package org.bitcoincommons.sv2.revenue;

/**
 * Splits a reward into the optional fee and the four revenue buckets, in exact integer units of the chain.
 *
 * <p>The rule: the fee is {@code floor(amount * fee_percentage / 100)} and is taken first. The rest (net) is
 * split 60% core development, 25% grants, 10% audits, 5% operations, each rounded down; the at most
 * 3 units that rounding leaves go to core development. So {@code fee + core + grants + audits + operations ==
 * amount} always: nothing vanishes, nothing is invented.
 */
public final class RevenueSplit
{
    public static final int CORE_DEVELOPMENT_PERCENT = 60;
    public static final int GRANTS_PERCENT = 25;
    public static final int AUDITS_PERCENT = 10;
    public static final int OPERATIONS_PERCENT = 5;

    /** The fee and the four buckets of one reward. */
    public record Shares(long amount, long fee, long coreDevelopment, long grants, long audits, long operations)
    {
        public long net()
        {
            return amount - fee;
        }
    }

    private RevenueSplit()
    {
    }

    /** {@code floor(amount * percent / 100)} without overflow for any non-negative long. */
    public static long percentOf(final long amount, final int percent)
    {
        if (amount < 0 || percent < 0 || percent > 100)
        {
            throw new IllegalArgumentException("amount must be >= 0 and percent 0..100, got " + amount + ", " + percent);
        }
        return (amount / 100) * percent + (amount % 100) * percent / 100;
    }

    /** Splits {@code amount} with a fee of {@code feePercent} (0 for none). */
    public static Shares split(final long amount, final int feePercent)
    {
        final long fee = percentOf(amount, feePercent);
        final long net = amount - fee;
        final long grants = percentOf(net, GRANTS_PERCENT);
        final long audits = percentOf(net, AUDITS_PERCENT);
        final long operations = percentOf(net, OPERATIONS_PERCENT);
        final long core = net - grants - audits - operations;
        return new Shares(amount, fee, core, grants, audits, operations);
    }
}
