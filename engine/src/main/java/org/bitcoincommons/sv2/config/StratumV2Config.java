package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code [stratum_v2]}: the listening endpoints and protocol limits. The key names follow the seed
 * system's {@code [stratum_v2]} schema (enabled, pool_url, listen_addr, transport_preference,
 * merge_mining_enabled, secondary_chains, merge_mining_fee) and add what a real SV2 server needs.
 *
 * @param enabled              false starts nothing SV2 (the API may still run)
 * @param listenAddr           TCP listen address for SV2 (Noise NX)
 * @param poolUrl              the URL advertised to miners, informational
 * @param transportPreference  which transports listen (TCP in this version)
 * @param mergeMiningEnabled   master switch for aux chains
 * @param secondaryChains      names of the aux chains to enable (each configured under [[merge.chains]])
 * @param handshakeTimeoutMs   a connection that has not finished Noise + SetupConnection by then is closed
 * @param maxFrameBytes        largest accepted SV2 payload, bytes (the protocol maximum is 2^24 - 1)
 * @param noise                the authority key pair and certificate lifetime
 * @param mergeMiningFee       the optional fee on merged-mining revenue
 */
public record StratumV2Config(
    boolean enabled,
    InetSocketAddress listenAddr,
    String poolUrl,
    Transport transportPreference,
    boolean mergeMiningEnabled,
    List<String> secondaryChains,
    long handshakeTimeoutMs,
    int maxFrameBytes,
    NoiseConfig noise,
    MergeMiningFeeConfig mergeMiningFee)
{
    public static final int MAX_FRAME_BYTES = (1 << 24) - 1;

    /** Which transports the pool listens on. */
    public enum Transport
    {
        TCP;

        static Transport parse(final String key, final String s)
        {
            return switch (s.toLowerCase(java.util.Locale.ROOT))
            {
                case "tcp", "tcp_only" -> TCP;
                case "quic", "quic_only", "both", "tcp_and_quic" -> throw new ConfigException(key +
                    ": QUIC is not available in this version; use \"tcp\" (got \"" + s + "\")");
                default -> throw new ConfigException(key + ": must be \"tcp\" (got \"" + s + "\")");
            };
        }
    }

    static StratumV2Config read(final TomlReader t)
    {
        if (!t.string("sv1_listen_addr", "").isEmpty())
        {
            throw new ConfigException(t.key("sv1_listen_addr") + ": the Stratum V1 endpoint is not available in this version");
        }
        // Accepted for compatibility with the seed's files; this engine has no P2P port to demultiplex.
        t.bool("p2p_stratum_demux", false);
        return new StratumV2Config(
            t.bool("enabled", true),
            t.address("listen_addr", "127.0.0.1:34254"),
            t.string("pool_url", ""),
            Transport.parse(t.key("transport_preference"), t.string("transport_preference", "tcp")),
            t.bool("merge_mining_enabled", false),
            t.strings("secondary_chains"),
            t.integer("handshake_timeout_ms", 10_000, 100, 600_000),
            (int)t.integer("max_frame_bytes", MAX_FRAME_BYTES, 1024, MAX_FRAME_BYTES),
            NoiseConfig.read(t.table("noise")),
            MergeMiningFeeConfig.read(t.table("merge_mining_fee")));
    }
}
