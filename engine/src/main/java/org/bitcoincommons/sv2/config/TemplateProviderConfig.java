package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [template_provider]}: the embedded chain also serves SV2 Template Distribution (Noise NX, certificates signed
 * by the pool's {@code [stratum_v2.noise]} authority), so that any SV2 pool can use it as its Template Provider.
 * Off unless {@code listen_addr} is set.
 *
 * @param listenAddr TCP address to listen on (port 0 asks the OS for a free port), or null when disabled
 */
public record TemplateProviderConfig(InetSocketAddress listenAddr)
{
    static TemplateProviderConfig read(final TomlReader t)
    {
        final String listen = t.string("listen_addr", "");
        return new TemplateProviderConfig(listen.isBlank() ? null : TomlReader.parseAddress(t.key("listen_addr"), listen));
    }

    public boolean enabled()
    {
        return listenAddr != null;
    }
}
