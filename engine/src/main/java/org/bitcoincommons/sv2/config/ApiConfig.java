package org.bitcoincommons.sv2.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code [api]}: Prometheus {@code /metrics}, JSON {@code /api/*} and the dashboard page.
 *
 * @param adminToken        the bearer token POST endpoints (reconnect, extranonce prefix, latency reset) require; empty:
 *                          those endpoints are refused
 * @param readRequiresToken when true, every endpoint (metrics, JSON, the dashboard) requires the token too
 */
public record ApiConfig(boolean enabled, InetSocketAddress listenAddr, String adminToken, boolean readRequiresToken)
{
    /** Tokens shorter than this are refused: a guessable token is no protection. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public ApiConfig(final boolean enabled, final InetSocketAddress listenAddr)
    {
        this(enabled, listenAddr, "", false);
    }

    static ApiConfig read(final TomlReader t, final Path baseDir)
    {
        final boolean enabled = t.bool("enabled", true);
        final InetSocketAddress listen = t.address("listen_addr", "127.0.0.1:9100");
        String token = t.string("admin_token", "");
        final String file = t.string("admin_token_file", "");
        if (!token.isEmpty() && !file.isEmpty())
        {
            throw new ConfigException(t.key("admin_token_file") + ": set admin_token or admin_token_file, not both");
        }
        if (!file.isEmpty())
        {
            final Path p = baseDir == null ? Path.of(file) : baseDir.resolve(file);
            try
            {
                token = Files.readString(p).strip();
            }
            catch (final IOException ex)
            {
                throw new ConfigException(t.key("admin_token_file") + ": cannot read " + p + " (" + ex.getMessage() + ")",
                    ex);
            }
        }
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH)
        {
            throw new ConfigException(t.key(file.isEmpty() ? "admin_token" : "admin_token_file") + ": at least " +
                MIN_TOKEN_LENGTH + " characters (e.g. `openssl rand -hex 32`), got " + token.length());
        }
        final boolean readToken = t.bool("read_requires_token", false);
        if (readToken && token.isEmpty())
        {
            throw new ConfigException(t.key("read_requires_token") + ": needs admin_token or admin_token_file");
        }
        return new ApiConfig(enabled, listen, token, readToken);
    }
}
