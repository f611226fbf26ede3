package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [template.sv2_tp]}: an SV2 Template Provider to take templates from (Bitcoin Core's sv2-tp listens on 8442,
 * 18447 on regtest, bound to 127.0.0.1 by default), reached over Noise NX.
 * <p>
 * Unlike SRI, where the key is optional, {@code authority_public_key} is required: a connection whose certificate is
 * not signed by it is refused, so nobody on the path can feed the pool templates. sv2-tp prints it at start-up as
 * {@code Template Provider authority key: <base58check>}; this engine's own Template Provider logs it too. The key's
 * encoding (base58check of [0x01, 0x00] || x-only key) is checked when the source is built.
 *
 * @param address             host:port of the Template Provider
 * @param authorityPublicKey  the provider's authority public key, base58check as sv2-tp and SRI print it
 */
public record Sv2TpConfig(InetSocketAddress address, String authorityPublicKey)
{
    static Sv2TpConfig read(final TomlReader t)
    {
        final String address = t.requiredString("address");
        final String key = t.string("authority_public_key", "");
        if (key.isBlank())
        {
            throw new ConfigException(t.key("authority_public_key") + ": is required: the Template Provider's " +
                "authority key (sv2-tp logs it as \"Template Provider authority key: ...\"); templates are taken " +
                "only from a provider whose certificate it signed");
        }
        final InetSocketAddress a = TomlReader.parseAddress(t.key("address"), address);
        if (a.getPort() == 0)
        {
            throw new ConfigException(t.key("address") + ": needs a port (got \"" + address + "\")");
        }
        return new Sv2TpConfig(a, key.strip());
    }
}
