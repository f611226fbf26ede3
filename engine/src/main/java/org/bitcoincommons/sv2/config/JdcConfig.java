package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [jdc]}: run as a Job Declaration client ({@code bin/sv2 jdc}) instead of a pool. The rest of the file then
 * describes the client's local side: {@code [stratum_v2]} is where the farm's miners connect, {@code [template]} is the
 * client's own template source, {@code [pool]} holds the local journal, the coinbase signature
 * ({@code pool_signature}), the solo payout ({@code coinbase_address}) and the local channels' rollable extranonce
 * ({@code extranonce_size}).
 * <p>
 * The upstreams are either one, given by {@code upstream_addr}, {@code authority_public_key} and {@code jds_addr}
 * under {@code [jdc]}, or several {@code [[jdc.upstreams]]} tables with the same keys (and optionally
 * {@code user_identity}), tried in file order; not both.
 *
 * @param enabled           whether this configuration is a Job Declaration client's
 * @param upstreams         the pools the client declares to, in the order they are tried (one at least when enabled)
 * @param mode              "full-template" (declare every job with its transactions) or "coinbase-only" (custom jobs
 *                          on allocated tokens, no declaration)
 * @param fallback          what the farm mines while the JDS refuses or is unreachable: "solo" (the own templates,
 *                          paying {@code pool.coinbase_address}, blocks to the own node) or "pool" (the current
 *                          upstream pool's own jobs through its channel; solo when that pool is unreachable too)
 * @param nominalHashrate   H/s announced on the upstream channel (the pool's first target follows it)
 * @param tokenMaxAgeSec    a spare allocated token older than this is dropped and a fresh one asked for (keep it under
 *                          the JDS's {@code token_lifetime_sec})
 * @param responseTimeoutMs how long the JDS and the pool have to answer a request before the client falls back
 * @param retryMinMs        first delay before declaring again after a fallback, doubled up to {@code retryMaxMs}
 * @param retryMaxMs        longest delay between attempts
 */
public record JdcConfig(boolean enabled, List<Upstream> upstreams, String mode, String fallback,
    double nominalHashrate, long tokenMaxAgeSec, long responseTimeoutMs, long retryMinMs, long retryMaxMs)
{
    public static final String FULL_TEMPLATE = JdsConfig.FULL_TEMPLATE;
    public static final String COINBASE_ONLY = JdsConfig.COINBASE_ONLY;
    public static final String FALLBACK_SOLO = "solo";
    public static final String FALLBACK_POOL = "pool";
    /** The keys of one upstream: under {@code [jdc]} for a single one, in each {@code [[jdc.upstreams]]} table else. */
    private static final List<String> UPSTREAM_KEYS = List.of("upstream_addr", "jds_addr", "authority_public_key");
    /** More would be a list nobody walks through: a failed upstream is retried only after all the others. */
    public static final int MAX_UPSTREAMS = 16;

    /**
     * One upstream pool: its mining endpoint and JDS, checked against its authority key in both handshakes.
     *
     * @param configKey    where it was configured, for messages: {@code jdc} or {@code jdc.upstreams[i]}
     * @param upstreamAddr the pool's SV2 mining endpoint
     * @param jdsAddr      the pool's Job Declaration Server
     * @param authorityKey the pool's authority public key (base58check), checked in both Noise handshakes
     * @param userIdentity the user this pool credits (the upstream channel's identity and the token's user)
     */
    public record Upstream(String configKey, InetSocketAddress upstreamAddr, InetSocketAddress jdsAddr,
        String authorityKey, String userIdentity)
    {
    }

    static JdcConfig read(final TomlReader t)
    {
        if (!t.present())
        {
            return disabled();
        }
        final List<TomlReader> tables = t.tables("upstreams");
        final String user = t.string("user_identity", null);
        final List<Upstream> upstreams = new ArrayList<>();
        if (tables.isEmpty())
        {
            upstreams.add(upstream(t, "jdc", null));
        }
        else
        {
            for (final String k : UPSTREAM_KEYS)
            {
                if (t.has(k))
                {
                    throw new ConfigException(t.key(k) + ": give the upstream either as upstream_addr, jds_addr and "
                        + "authority_public_key under [jdc] or as [[jdc.upstreams]] tables, not both");
                }
            }
            if (tables.size() > MAX_UPSTREAMS)
            {
                throw new ConfigException(t.key("upstreams") + ": at most " + MAX_UPSTREAMS + " upstreams (got "
                    + tables.size() + ")");
            }
            for (int i = 0; i < tables.size(); i++)
            {
                upstreams.add(upstream(tables.get(i), t.key("upstreams") + "[" + i + "]", user));
            }
        }
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
        return new JdcConfig(true, List.copyOf(upstreams), mode, fallback,
            t.number("nominal_hashrate", 1e12, 0.0, 1e24), t.integer("token_max_age_sec", 300, 1, 86_400),
            t.integer("response_timeout_ms", 10_000, 100, 600_000), retryMin, retryMax);
    }

    /**
     * One upstream's keys from {@code t} ({@code [jdc]} itself, or one {@code [[jdc.upstreams]]} table whose
     * {@code user_identity}, when given, overrides {@code defaultUser}).
     */
    private static Upstream upstream(final TomlReader t, final String key, final String defaultUser)
    {
        final InetSocketAddress upstream = t.address("upstream_addr", null);
        if (upstream == null)
        {
            throw new ConfigException(t.key("upstream_addr") + ": is required (the pool's SV2 mining endpoint)");
        }
        // checked as a key (base58check, a point on secp256k1) by the client, which owns the Noise layer
        final String authority = t.requiredString("authority_public_key");
        final InetSocketAddress jds = t.address("jds_addr", null);
        if (jds == null)
        {
            throw new ConfigException(t.key("jds_addr") + ": is required (the pool's Job Declaration Server)");
        }
        final String user = t.string("user_identity", defaultUser);
        if (user == null || user.isBlank())
        {
            throw new ConfigException(t.key("user_identity") + ": is required" +
                ("jdc".equals(key) ? "" : " (in this table, or as jdc.user_identity for all of them)"));
        }
        return new Upstream(key, upstream, jds, authority, user);
    }

    /** The defaults: not a client. */
    public static JdcConfig disabled()
    {
        return new JdcConfig(false, List.of(), FULL_TEMPLATE, FALLBACK_SOLO, 1e12, 300, 10_000, 1000, 30_000);
    }

    /** The first upstream's pool endpoint (the only one with the single-upstream keys), or null when disabled. */
    public InetSocketAddress upstreamAddr()
    {
        return upstreams.isEmpty() ? null : upstreams.get(0).upstreamAddr();
    }

    /** The first upstream's JDS, or null when disabled. */
    public InetSocketAddress jdsAddr()
    {
        return upstreams.isEmpty() ? null : upstreams.get(0).jdsAddr();
    }

    /** The first upstream's authority key, or null when disabled. */
    public String authorityKey()
    {
        return upstreams.isEmpty() ? null : upstreams.get(0).authorityKey();
    }

    /** The first upstream's user identity, or null when disabled. */
    public String userIdentity()
    {
        return upstreams.isEmpty() ? null : upstreams.get(0).userIdentity();
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
