package org.bitcoincommons.sv2.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * {@code [template]}: where block templates come from.
 *
 * @param source          "embedded" (a regtest-like chain inside the process) or "bitcoind" (JSON-RPC)
 * @param network         "regtest", "testnet", "signet" or "mainnet": picks address prefixes and rules
 * @param embeddedBits    compact target of the embedded chain, hex (default 207fffff, regtest's)
 * @param rpcUrl          bitcoind JSON-RPC URL
 * @param rpcUser         basic-auth user (or empty with a cookie file)
 * @param rpcPassword     basic-auth password
 * @param rpcCookieFile   bitcoind's .cookie file, read at each (re)connect
 * @param pollIntervalMs  getblocktemplate long-poll fallback interval
 */
public record TemplateConfig(
    String source,
    String network,
    String embeddedBits,
    URI rpcUrl,
    String rpcUser,
    String rpcPassword,
    Path rpcCookieFile,
    long pollIntervalMs)
{
    static TemplateConfig read(final TomlReader t, final Path baseDir)
    {
        final String source = t.string("source", "embedded");
        if (!source.equals("embedded") && !source.equals("bitcoind"))
        {
            throw new ConfigException(t.key("source") + ": must be \"embedded\" or \"bitcoind\" (got \"" + source + "\")");
        }
        final String network = t.string("network", "regtest");
        if (!network.matches("regtest|testnet|testnet4|signet|mainnet"))
        {
            throw new ConfigException(t.key("network") + ": must be regtest, testnet, testnet4, signet or mainnet (got \"" + network + "\")");
        }
        final String bits = t.string("embedded_bits", "207fffff");
        if (!bits.matches("[0-9a-fA-F]{8}"))
        {
            throw new ConfigException(t.key("embedded_bits") + ": must be 8 hex digits (got \"" + bits + "\")");
        }
        final String url = t.string("rpc_url", "http://127.0.0.1:18443/");
        final URI uri;
        try
        {
            uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
            {
                throw new IllegalArgumentException("scheme must be http or https");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(t.key("rpc_url") + ": not a usable URL (" + ex.getMessage() + ")");
        }
        final String cookie = t.string("rpc_cookie_file", "");
        final TemplateConfig c = new TemplateConfig(
            source, network, bits.toLowerCase(java.util.Locale.ROOT), uri,
            t.string("rpc_user", ""), t.string("rpc_password", ""),
            cookie.isEmpty() ? null : PoolConfig.resolve(baseDir, cookie),
            t.integer("poll_interval_ms", 1000, 50, 60_000));
        if (source.equals("embedded") && !network.equals("regtest"))
        {
            throw new ConfigException(t.key("network") + ": the embedded chain is regtest-like; use network = \"regtest\" with source = \"embedded\"");
        }
        return c;
    }
}
