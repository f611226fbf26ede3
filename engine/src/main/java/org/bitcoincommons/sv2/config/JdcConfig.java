package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [jdc]}: run as a Job Declaration client ({@code bin/sv2 jdc}) instead of a pool. The rest of the file then
 * describes the client's local side: {@code [stratum_v2]} is where the farm's miners connect, {@code [template]} is the
 * client's own template source, {@code [pool]} holds the local journal, the coinbase signature
 * ({@code pool_signature}), the solo payout ({@code coinbase_address}) and the local channels' rollable extranonce
 * ({@code extranonce_size}).
 *
 * @param enabled           whether this configuration is a Job Declaration client's
 * @param upstreamAddr      the pool's SV2 mining endpoint
 * @param authorityKey      the pool's authority public key (base58check), checked in both Noise handshakes
 * @param jdsAddr           the pool's Job Declaration Server
 * @param userIdentity      the user the pool credits (the upstream channel's identity and the token's user)
 * @param mode              "full-template" (declare every job with its transactions) or "coinbase-only" (custom jobs
 *                          on allocated tokens, no declaration)
 * @param fallback          what the farm mines while the JDS refuses or is unreachable: "solo" (the own templates,
 *                          paying {@code pool.coinbase_address}, blocks to the own node) or "pool" (the pool's own
 *                          jobs through the upstream channel; solo when the pool is unreachable too)
 * @param nominalHashrate   H/s announced on the upstream channel (the pool's first target follows it)
 * @param tokenMaxAgeSec    a spare allocated token older than this is dropped and a fresh one asked for (keep it under
 *                          the JDS's {@code token_lifetime_sec})
 * @param responseTimeoutMs how long the JDS and the pool have to answer a request before the client falls back
 * @param retryMinMs        first delay before declaring again after a fallback, doubled up to {@code retryMaxMs}
 * @param retryMaxMs        longest delay between attempts
 */
public record JdcConfig(boolean enabled, InetSocketAddress upstreamAddr, String authorityKey,
    InetSocketAddress jdsAddr, String userIdentity, String mode, String fallback, double nominalHashrate,
    long tokenMaxAgeSec, long responseTimeoutMs, long retryMinMs, long retryMaxMs)
{
    public static final String FULL_TEMPLATE = JdsConfig.FULL_TEMPLATE;
    public static final String COINBASE_ONLY = JdsConfig.COINBASE_ONLY;
    public static final String FALLBACK_SOLO = "solo";
    public static final String FALLBACK_POOL = "pool";

    static JdcConfig read(final TomlReader t)
    {
        if (!t.present())
        {
            return disabled();
        }
        final InetSocketAddress upstream = t.address("upstream_addr", null);
        if (upstream == null)
        {
            throw new ConfigException(t.key("upstream_addr") + ": is required (the pool's SV2 mining endpoint)");
        }
        // checked as a key (base58check, a point on secp256k1) by the client, which owns the Noise layer
        final String key = t.requiredString("authority_public_key");
        final InetSocketAddress jds = t.address("jds_addr", null);
        if (jds == null)
        {
            throw new ConfigException(t.key("jds_addr") + ": is required (the pool's Job Declaration Server)");
        }
        final String user = t.requiredString("user_identity");
        final String mode = t.string("mode", FULL_TEMPLATE);
        if (!FULL_TEMPLATE.equals(mode) && !COINBASE_ONLY.equals(mode))
        {
            throw new ConfigException(t.key("mode") + ": must be \"" + FULL_TEMPLATE + "\" or \"" + COINBASE_ONLY +
                "\" (got \"" + mode + "\")");
        }
        final String fallback = t.string("fallback", FALLBACK_SOLO);
        if (!FALLBACK_SOLO.equals(fallback) && !FALLBACK_POOL.equals(fallback))
        {
            throw new ConfigException(t.key("fallback") + ": must be \"solo\" or \"pool\" (got \"" + fallback +
                "\")");
        }
        final long retryMin = t.integer("retry_min_ms", 1000, 10, 3_600_000);
        final long retryMax = t.integer("retry_max_ms", 30_000, 10, 3_600_000);
        if (retryMax < retryMin)
        {
            throw new ConfigException(t.key("retry_max_ms") + ": must be at least retry_min_ms (" + retryMin + ")");
        }
        return new JdcConfig(true, upstream, key, jds, user, mode, fallback,
            t.number("nominal_hashrate", 1e12, 0.0, 1e24), t.integer("token_max_age_sec", 300, 1, 86_400),
            t.integer("response_timeout_ms", 10_000, 100, 600_000), retryMin, retryMax);
    }

    /** The defaults: not a client. */
    public static JdcConfig disabled()
    {
        return new JdcConfig(false, null, null, null, null, FULL_TEMPLATE, FALLBACK_SOLO, 1e12, 300, 10_000, 1000,
            30_000);
    }

    /** The farm mines the pool's own jobs while the JDS is away (solo when the pool is away too). */
    public boolean poolFallback()
    {
        return FALLBACK_POOL.equals(fallback);
    }

    public boolean coinbaseOnly()
    {
        return COINBASE_ONLY.equals(mode);
    }
}
