package org.bitcoincommons.sv2.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code [template.bitcoind]}: a Bitcoin Core node over JSON-RPC (getblocktemplate, submitblock), with BIP22 long
 * polling and optional ZMQ {@code hashblock} notifications. These key names are a contract with operators.
 *
 * @param rpcUrl         the node's RPC endpoint (default: 127.0.0.1 on the network's RPC port)
 * @param rpcUser        basic-auth user, with {@code rpcPassword}; empty when a cookie file is used
 * @param rpcPassword    basic-auth password
 * @param rpcCookieFile  bitcoind's {@code .cookie} ({@code __cookie__:hex}), read again after every auth failure;
 *                       null when user/password are used
 * @param zmqHashblock   bitcoind's {@code -zmqpubhashblock} endpoint, e.g. {@code tcp://127.0.0.1:28332}; null for none
 * @param pollIntervalMs getblocktemplate every this many ms (the last-resort path, and the health check); an answer
 *                       slower than this counts as a failure of the node
 * @param longpoll       hold a BIP22 long poll open on its own connection (returns at once on a new tip)
 */
public record BitcoindSourceConfig(URI rpcUrl, String rpcUser, String rpcPassword, Path rpcCookieFile,
    String zmqHashblock, long pollIntervalMs, boolean longpoll)
{
    static BitcoindSourceConfig read(final TomlReader t, final String network, final Path baseDir)
    {
        final String url = t.string("rpc_url", "http://127.0.0.1:" + defaultRpcPort(network));
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            throw new ConfigException(t.key("rpc_url") + ": not a URL (" + ex.getMessage() + ")");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0)
        {
            throw new ConfigException(t.key("rpc_url") + ": must be http://host:port (got \"" + url + "\")");
        }
        final String user = t.string("rpc_user", "");
        final String password = t.string("rpc_password", "");
        final String cookie = t.string("rpc_cookie_file", "");
        if (!cookie.isEmpty() && (!user.isEmpty() || !password.isEmpty()))
        {
            throw new ConfigException(t.key("rpc_cookie_file") + ": give either rpc_cookie_file or rpc_user/rpc_password");
        }
        if (cookie.isEmpty() && (user.isEmpty() || password.isEmpty()))
        {
            throw new ConfigException(t.key("rpc_user") + ": bitcoind needs credentials: set rpc_cookie_file (the node's " +
                ".cookie) or both rpc_user and rpc_password");
        }
        final String zmq = t.string("zmq_hashblock", "");
        if (!zmq.isEmpty() && !zmq.matches("(tcp|ipc)://.+"))
        {
            throw new ConfigException(t.key("zmq_hashblock") + ": must be a ZMQ endpoint such as tcp://127.0.0.1:28332 " +
                "(got \"" + zmq + "\")");
        }
        return new BitcoindSourceConfig(uri, user, password, cookie.isEmpty() ? null : PoolConfig.resolve(baseDir, cookie),
            zmq.isEmpty() ? null : zmq, t.integer("poll_interval_ms", 5000, 50, 600_000), t.bool("longpoll", true));
    }

    /** Bitcoin Core's RPC port of each network (chainparamsbase). */
    public static int defaultRpcPort(final String network)
    {
        return switch (network)
        {
            case "mainnet" -> 8332;
            case "testnet" -> 18332;
            case "testnet4" -> 48332;
            case "signet" -> 38332;
            default -> 18443;
        };
    }
}
