package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [jds]}: the Job Declaration Server inside the pool, so that miners may mine templates of their own choosing
 * on this pool. It speaks Noise NX with the pool's authority keys, reads the mempool of {@code [template.bitcoind]}
 * (Full-Template mode needs the transactions) and answers declarations the pool's mining side then accepts as
 * SetCustomMiningJob.
 *
 * @param enabled                 whether the JDS listens (and the pool accepts REQUIRES_WORK_SELECTION)
 * @param listenAddr              TCP address (port 0 asks the OS for a free port); SRI's default port is 3334
 * @param mode                    "full-template": clients must set DECLARE_TX_DATA and declare every job;
 *                                "coinbase-only": clients without DECLARE_TX_DATA are accepted too, and set custom
 *                                jobs with an allocated token, without declaring them
 * @param tokenLifetimeSec        an allocated token (AllocateMiningJobToken.Success) expires after this
 * @param declaredTokenLifetimeMs the single-use token of DeclareMiningJob.Success must reach SetCustomMiningJob within
 *                                this (SRI: 10 s)
 * @param mempoolPollMs           {@code getrawmempool true} every this many ms
 */
public record JdsConfig(boolean enabled, InetSocketAddress listenAddr, String mode, long tokenLifetimeSec,
    long declaredTokenLifetimeMs, long mempoolPollMs)
{
    public static final String FULL_TEMPLATE = "full-template";
    public static final String COINBASE_ONLY = "coinbase-only";

    static JdsConfig read(final TomlReader t)
    {
        final boolean enabled = t.bool("enabled", t.has("listen_addr"));
        final InetSocketAddress listen = t.address("listen_addr", "0.0.0.0:3334");
        final String mode = t.string("mode", FULL_TEMPLATE);
        if (!FULL_TEMPLATE.equals(mode) && !COINBASE_ONLY.equals(mode))
        {
            throw new ConfigException(t.key("mode") + ": must be \"" + FULL_TEMPLATE + "\" or \"" + COINBASE_ONLY +
                "\" (got \"" + mode + "\")");
        }
        return new JdsConfig(enabled, listen, mode, t.integer("token_lifetime_sec", 600, 1, 86_400),
            t.integer("declared_token_lifetime_ms", 10_000, 100, 600_000), t.integer("mempool_poll_ms", 1000, 50, 600_000));
    }

    /** The defaults: disabled. */
    public static JdsConfig disabled()
    {
        return new JdsConfig(false, new InetSocketAddress("0.0.0.0", 3334), FULL_TEMPLATE, 600, 10_000, 1000);
    }

    public boolean coinbaseOnlyAllowed()
    {
        return COINBASE_ONLY.equals(mode);
    }
}
