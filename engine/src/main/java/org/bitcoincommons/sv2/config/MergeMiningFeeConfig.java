package org.bitcoincommons.sv2.config;

/**
 * {@code [stratum_v2.merge_mining_fee]}: an optional fee on merged-mining revenue, as in the seed's schema.
 *
 * @param enabled        whether the fee is taken
 * @param feePercentage  whole percent of each reward, 0..100 (default 1)
 * @param commonsAddress where the fee goes (a Bitcoin address when auto_distribute pays it in the coinbase)
 * @param contributorId  free-form identifier recorded with each fee event
 * @param autoDistribute true: the fee becomes a coinbase output of the parent block
 */
public record MergeMiningFeeConfig(
    boolean enabled,
    int feePercentage,
    String commonsAddress,
    String contributorId,
    boolean autoDistribute)
{
    static MergeMiningFeeConfig read(final TomlReader t)
    {
        final MergeMiningFeeConfig c = new MergeMiningFeeConfig(
            t.bool("enabled", false),
            (int)t.integer("fee_percentage", 1, 0, 100),
            t.string("commons_address", ""),
            t.string("contributor_id", ""),
            t.bool("auto_distribute", false));
        if (c.enabled && c.autoDistribute && c.commonsAddress.isBlank())
        {
            throw new ConfigException(t.key("commons_address") + ": is required when auto_distribute = true");
        }
        return c;
    }
}
