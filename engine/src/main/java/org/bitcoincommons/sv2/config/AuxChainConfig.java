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
    RpcStyle rpcStyle)
{
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
        return new AuxChainConfig(
            name,
            kind,
            (int)chainId,
            uri,
            user,
            password,
            cookie.isEmpty() ? null : baseDir.resolve(cookie),
            t.integer("poll_interval_ms", 1000, 10, 3_600_000),
            t.integer("timeout_ms", 5000, 10, 600_000),
            payout,
            style);
    }
}
