package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [api]}: Prometheus {@code /metrics}, JSON {@code /api/*} and the dashboard page.
 */
public record ApiConfig(boolean enabled, InetSocketAddress listenAddr)
{
    static ApiConfig read(final TomlReader t)
    {
        return new ApiConfig(t.bool("enabled", true), t.address("listen_addr", "127.0.0.1:9100"));
    }
}
