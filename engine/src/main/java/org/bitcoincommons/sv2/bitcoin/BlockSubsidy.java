package org.bitcoincommons.sv2.bitcoin;

/**
 * Block subsidy (new coins, fees excluded) in satoshis: 50 BTC halved every {@code halvingInterval} blocks, zero
 * after 64 halvings, as Bitcoin Core's {@code GetBlockSubsidy}.
 */
public final class BlockSubsidy
{
    public static final long INITIAL_SUBSIDY_SATS = 50L * 100_000_000L;
    /** Mainnet, testnet and signet. */
    public static final int MAINNET_HALVING_INTERVAL = 210_000;
    /** Regtest. */
    public static final int REGTEST_HALVING_INTERVAL = 150;

    private BlockSubsidy()
    {
    }

    public static long subsidySats(final long height, final int halvingInterval)
    {
        if (height < 0)
        {
            throw new IllegalArgumentException("negative height " + height);
        }
        if (halvingInterval <= 0)
        {
            throw new IllegalArgumentException("halving interval must be positive: " + halvingInterval);
        }
        final long halvings = height / halvingInterval;
        if (halvings >= 64)
        {
            return 0;
        }
        return INITIAL_SUBSIDY_SATS >> halvings;
    }
}
