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
 * @param transportPreference  which transports listen: tcp, quic or both
 * @param mergeMiningEnabled   master switch for aux chains
 * @param secondaryChains      names of the aux chains to enable (each configured under [[merge.chains]])
 * @param handshakeTimeoutMs   a connection that has not finished Noise + SetupConnection by then is closed
 * @param maxMiningPayloadBytes largest msg_length accepted from a Mining-protocol client, bytes (default 64 KiB: the
 *                             largest message a mining client sends is a few hundred bytes)
 * @param maxTemplateDistributionPayloadBytes largest msg_length accepted on a Template Distribution connection, bytes
 *                             (default 8 MiB: RequestTransactionData.Success carries a whole block's transactions)
 * @param maxJobDeclarationPayloadBytes largest msg_length accepted on a Job Declaration connection, bytes (default
 *                             8 MiB: DeclareMiningJob and ProvideMissingTransactions.Success can list a block's
 *                             transactions)
 * @param frameDeadlineMs      once a frame's header has arrived, its payload must arrive within this, or the
 *                             connection is closed (the check runs once a second)
 * @param noise                the authority key pair and certificate lifetime
 * @param mergeMiningFee       the optional fee on merged-mining revenue
 * @param quic                 the QUIC listener (used when transportPreference is QUIC or BOTH)
 * @param admission            pacing of new TCP connections' admission ({@code [stratum_v2.admission]}; off by default)
 */
public record StratumV2Config(
    boolean enabled,
    InetSocketAddress listenAddr,
    String poolUrl,
    Transport transportPreference,
    boolean mergeMiningEnabled,
    List<String> secondaryChains,
    long handshakeTimeoutMs,
    int maxMiningPayloadBytes,
    int maxTemplateDistributionPayloadBytes,
    int maxJobDeclarationPayloadBytes,
    long frameDeadlineMs,
    NoiseConfig noise,
    MergeMiningFeeConfig mergeMiningFee,
    Quic quic,
    AdmissionConfig admission)
{
    /**
     * The QUIC endpoint (SV2 over QUIC, see the README).
     *
     * @param listenAddr         UDP address bound exactly (never the wildcard unless configured so)
     * @param tlsKeyPath         PEM PKCS#8 EC P-256 key; generated with the certificate on first start when both are absent
     * @param tlsCertPath        PEM X.509 self-signed certificate (miners do not trust it; the Noise binding does)
     * @param maxStreams         concurrent client streams per connection: the control stream plus one per channel
     * @param idleTimeoutSeconds a connection silent this long is closed (QUIC max_idle_timeout)
     * @param streamBufferBytes  flow-control window per stream
     */
    public record Quic(InetSocketAddress listenAddr, String tlsKeyPath, String tlsCertPath, int maxStreams,
        int idleTimeoutSeconds, long streamBufferBytes)
    {
        /** Relative TLS paths resolve against the configuration's directory, like the journal's. */
        static Quic read(final TomlReader t, final java.nio.file.Path baseDir)
        {
            return new Quic(
                t.address("quic_listen_addr", "127.0.0.1:34255"),
                PoolConfig.resolve(baseDir, t.string("quic_tls_key_path", "quic-tls-key.pem")).toString(),
                PoolConfig.resolve(baseDir, t.string("quic_tls_cert_path", "quic-tls-cert.pem")).toString(),
                (int)t.integer("quic_max_streams", 101, 2, 10_000),
                (int)t.integer("quic_idle_timeout_s", 30, 1, 3600),
                t.integer("quic_stream_buffer_bytes", 256 * 1024, 4096, 16 * 1024 * 1024));
        }
    }

    public boolean tcpEnabled()
    {
        return transportPreference != Transport.QUIC;
    }

    public boolean quicEnabled()
    {
        return transportPreference != Transport.TCP;
    }

    /** The largest msg_length a frame header (U24) can carry. */
    public static final int MAX_PAYLOAD_BYTES = (1 << 24) - 1;
    public static final int DEFAULT_MAX_MINING_PAYLOAD_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_TEMPLATE_DISTRIBUTION_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_JOB_DECLARATION_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_FRAME_DEADLINE_MS = 10_000;

    /**
     * The largest msg_length accepted from the peer of a connection set up for {@code protocol} (SetupConnection's
     * protocol field: 0 Mining, 1 Job Declaration, 2 Template Distribution); an unknown protocol gets the Mining limit.
     */
    public int maxPayloadBytes(final int protocol)
    {
        return switch (protocol)
        {
            case 1 -> maxJobDeclarationPayloadBytes;
            case 2 -> maxTemplateDistributionPayloadBytes;
            default -> maxMiningPayloadBytes;
        };
    }

    /** Which transports the pool listens on. */
    public enum Transport
    {
        TCP, QUIC, BOTH;

        static Transport parse(final String key, final String s)
        {
            return switch (s.toLowerCase(java.util.Locale.ROOT))
            {
                case "tcp", "tcp_only" -> TCP;
                case "quic", "quic_only" -> QUIC;
                case "both", "tcp_and_quic" -> BOTH;
                case "iroh" -> throw new ConfigException(key + ": \"iroh\" is not available: no Iroh stack exists for "
                    + "the JVM; use \"quic\" (got \"" + s + "\")");
                default -> throw new ConfigException(key + ": must be \"tcp\", \"quic\" or \"both\" (got \"" + s + "\")");
            };
        }
    }

    static StratumV2Config read(final TomlReader t)
    {
        return read(t, null);
    }

    static StratumV2Config read(final TomlReader t, final java.nio.file.Path baseDir)
    {
        if (!t.string("sv1_listen_addr", "").isEmpty())
        {
            throw new ConfigException(t.key("sv1_listen_addr") + ": the Stratum V1 endpoint has its own section: set [sv1] enabled = true and " +
                "[sv1] listen_addr = \"" + t.string("sv1_listen_addr", "") + "\" instead");
        }
        // Accepted for compatibility with the seed's files; this engine has no P2P port to demultiplex.
        t.bool("p2p_stratum_demux", false);
        if (t.has("max_frame_bytes"))
        {
            throw new ConfigException(t.key("max_frame_bytes") + ": replaced by per-protocol limits on what peers send: "
                + t.key("max_mining_payload_bytes") + " (default " + DEFAULT_MAX_MINING_PAYLOAD_BYTES + "), "
                + t.key("max_template_distribution_payload_bytes") + " and " + t.key("max_job_declaration_payload_bytes")
                + " (default " + DEFAULT_MAX_TEMPLATE_DISTRIBUTION_PAYLOAD_BYTES + " each), and "
                + t.key("frame_deadline_ms") + " (default " + DEFAULT_FRAME_DEADLINE_MS
                + ") to complete a frame once its header has arrived; remove max_frame_bytes");
        }
        return new StratumV2Config(
            t.bool("enabled", true),
            t.address("listen_addr", "127.0.0.1:34254"),
            t.string("pool_url", ""),
            Transport.parse(t.key("transport_preference"), t.string("transport_preference", "tcp")),
            t.bool("merge_mining_enabled", false),
            t.strings("secondary_chains"),
            t.integer("handshake_timeout_ms", 10_000, 100, 600_000),
            (int)t.integer("max_mining_payload_bytes", DEFAULT_MAX_MINING_PAYLOAD_BYTES, 1024, MAX_PAYLOAD_BYTES),
            (int)t.integer("max_template_distribution_payload_bytes", DEFAULT_MAX_TEMPLATE_DISTRIBUTION_PAYLOAD_BYTES, 1024,
                MAX_PAYLOAD_BYTES),
            (int)t.integer("max_job_declaration_payload_bytes", DEFAULT_MAX_JOB_DECLARATION_PAYLOAD_BYTES, 1024,
                MAX_PAYLOAD_BYTES),
            t.integer("frame_deadline_ms", DEFAULT_FRAME_DEADLINE_MS, 100, 600_000),
            NoiseConfig.read(t.table("noise")),
            MergeMiningFeeConfig.read(t.table("merge_mining_fee")),
            Quic.read(t, baseDir),
            AdmissionConfig.read(t.table("admission")));
    }
}
