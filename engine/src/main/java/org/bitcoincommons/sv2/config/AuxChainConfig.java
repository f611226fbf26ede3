package org.bitcoincommons.sv2.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * One {@code [[merge.chains]]} table: an aux chain the pool can merge-mine and the node it talks to.
 *
 * @param name           unique name, referenced by {@code stratum_v2.secondary_chains}
 * @param kind           AuxPoW (Namecoin-style) or RSK
 * @param chainId        the AuxPoW chain id (e.g. Namecoin 1, Dogecoin 98, Syscoin 16, 4096 in its old blocks); -1 for RSK
 * @param rpcUrl         the node's JSON-RPC endpoint (http)
 * @param rpcUser        basic-auth user (empty: none, or the cookie file)
 * @param rpcPassword    basic-auth password
 * @param rpcCookieFile  a {@code user:password} cookie file read at each (re)connect, or null
 * @param pollIntervalMs how often the node's work is polled
 * @param timeoutMs      per-request timeout
 * @param payoutAddress  address passed to {@code createauxblock} (AuxPoW); empty for RSK or getauxblock
 * @param rpcStyle       which AuxPoW RPC pair the node speaks
 * @param downAfterFailures the chain is marked down (left out of new jobs) after this many consecutive failed
 *                       requests to its node
 * @param maxWorkAgeMs   the lifetime of the chain's work: the chain is also marked down when its node has not
 *                       confirmed its work for this long, and a proof is submitted and confirmed (with retries) for at
 *                       most this long after it was found
 */
public record AuxChainConfig(
    String name,
    Kind kind,
    int chainId,
    URI rpcUrl,
    String rpcUser,
    String rpcPassword,
    Path rpcCookieFile,
    long pollIntervalMs,
    long timeoutMs,
    String payoutAddress,
    RpcStyle rpcStyle,
    int downAfterFailures,
    long maxWorkAgeMs)
{
    public static final int DEFAULT_DOWN_AFTER_FAILURES = 3;
    public static final long DEFAULT_MAX_WORK_AGE_MS = 60_000;

    /** A chain with the default {@code down_after_failures} and {@code max_work_age_ms}. */
    public AuxChainConfig(final String name, final Kind kind, final int chainId, final URI rpcUrl, final String rpcUser,
        final String rpcPassword, final Path rpcCookieFile, final long pollIntervalMs, final long timeoutMs,
        final String payoutAddress, final RpcStyle rpcStyle)
    {
        this(name, kind, chainId, rpcUrl, rpcUser, rpcPassword, rpcCookieFile, pollIntervalMs, timeoutMs, payoutAddress,
            rpcStyle, DEFAULT_DOWN_AFTER_FAILURES, DEFAULT_MAX_WORK_AGE_MS);
    }

    /** The same chain with other health limits. */
    public AuxChainConfig withHealth(final int downAfterFailures, final long maxWorkAgeMs)
    {
        return new AuxChainConfig(name, kind, chainId, rpcUrl, rpcUser, rpcPassword, rpcCookieFile, pollIntervalMs,
            timeoutMs, payoutAddress, rpcStyle, downAfterFailures, maxWorkAgeMs);
    }

    /** How the chain is merge-mined. */
    public enum Kind
    {
        AUXPOW, RSK
    }

    /** AuxPoW RPC pair: createauxblock(address)/submitauxblock(hash, auxpow), or the older getauxblock forms. */
    public enum RpcStyle
    {
        CREATEAUXBLOCK, GETAUXBLOCK
    }

    static AuxChainConfig read(final TomlReader t, final Path baseDir)
    {
        final String name = t.requiredString("name");
        final String kindText = t.requiredString("kind");
        final Kind kind = switch (kindText)
        {
            case "auxpow" -> Kind.AUXPOW;
            case "rsk" -> Kind.RSK;
            default -> throw new ConfigException(t.key("kind") + ": must be \"auxpow\" or \"rsk\" (got \"" + kindText + "\")");
        };
        final long chainId = t.integer("chain_id", -1, -1, 0xffff);
        if (kind == Kind.AUXPOW && chainId < 0)
        {
            throw new ConfigException(t.key("chain_id") + ": is required for kind = \"auxpow\" (0..65535)");
        }
        final String url = t.requiredString("rpc_url");
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new ConfigException(t.key("rpc_url") + ": not a URL (" + ex.getMessage() + ")");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null)
        {
            throw new ConfigException(t.key("rpc_url") + ": must be an http(s) URL with a host (got \"" + url + "\")");
        }
        final String cookie = t.string("rpc_cookie_file", "");
        final String user = t.string("rpc_user", "");
        final String password = t.string("rpc_password", "");
        if (!cookie.isEmpty() && !user.isEmpty())
        {
            throw new ConfigException(t.key("rpc_cookie_file") + ": give either rpc_cookie_file or rpc_user, not both");
        }
        final String styleText = t.string("rpc_style", "createauxblock");
        final RpcStyle style = switch (styleText)
        {
            case "createauxblock" -> RpcStyle.CREATEAUXBLOCK;
            case "getauxblock" -> RpcStyle.GETAUXBLOCK;
            default -> throw new ConfigException(t.key("rpc_style")
                + ": must be \"createauxblock\" or \"getauxblock\" (got \"" + styleText + "\")");
        };
        final String payout = t.string("payout_address", "");
        if (kind == Kind.AUXPOW && style == RpcStyle.CREATEAUXBLOCK && payout.isBlank())
        {
            throw new ConfigException(t.key("payout_address") + ": is required for createauxblock");
        }
        final long pollIntervalMs = t.integer("poll_interval_ms", 1000, 10, 3_600_000);
        final long maxWorkAgeMs = t.integer("max_work_age_ms", DEFAULT_MAX_WORK_AGE_MS, 100, 86_400_000);
        if (maxWorkAgeMs <= pollIntervalMs)
        {
            throw new ConfigException(t.key("max_work_age_ms") + ": must be more than poll_interval_ms ("
                + pollIntervalMs + "), else the work would expire between two polls (got " + maxWorkAgeMs + ")");
        }
        return new AuxChainConfig(
            name,
            kind,
            (int)chainId,
            uri,
            user,
            password,
            cookie.isEmpty() ? null : baseDir.resolve(cookie),
            pollIntervalMs,
            t.integer("timeout_ms", 5000, 10, 600_000),
            payout,
            style,
            (int)t.integer("down_after_failures", DEFAULT_DOWN_AFTER_FAILURES, 1, 1000),
            maxWorkAgeMs);
    }
}
