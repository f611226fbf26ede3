package org.bitcoincommons.sv2.config;

/**
 * {@code [stratum_v2.noise]}: the pool's long-lived authority key pair (base58check, as
 * {@code bin/sv2 keys generate} prints them) and the lifetime of the per-connection certificates it signs.
 * Empty keys mean "generate an ephemeral authority at start-up" (development only; the public key is logged).
 * {@code static_key_rotation_sec}: how long the responder reuses its static key and certificate (0: a fresh one per
 * connection, as SRI does; capped at half the certificate lifetime).
 * {@code prepared_ephemeral_keys}: responder ephemeral keys made ahead in the background (0: each handshake makes
 * its own). {@code handshake_concurrency}: handshakes doing their curve work at once (0: one per processor); the
 * others wait for a turn, within their handshake timeout, so a connection storm cannot take every core from the
 * connected miners.
 */
public record NoiseConfig(String authorityPublicKey, String authoritySecretKey, long certValiditySec,
    long staticKeyRotationSec, int preparedEphemeralKeys, int handshakeConcurrency)
{
    public NoiseConfig(final String authorityPublicKey, final String authoritySecretKey, final long certValiditySec,
        final long staticKeyRotationSec)
    {
        this(authorityPublicKey, authoritySecretKey, certValiditySec, staticKeyRotationSec, DEFAULT_PREPARED_KEYS, 0);
    }

    public static final int DEFAULT_PREPARED_KEYS = 4096;

    /** The handshake concurrency in effect: the configured value, or the processor count for 0. */
    public int effectiveHandshakeConcurrency()
    {
        return handshakeConcurrency > 0 ? handshakeConcurrency : Runtime.getRuntime().availableProcessors();
    }

    static NoiseConfig read(final TomlReader t)
    {
        final String pub = t.string("authority_public_key", "");
        final String sec = t.string("authority_secret_key", "");
        if (pub.isEmpty() != sec.isEmpty())
        {
            throw new ConfigException(t.key(pub.isEmpty() ? "authority_public_key" : "authority_secret_key")
                + ": is required when " + t.key(pub.isEmpty() ? "authority_secret_key" : "authority_public_key") + " is set");
        }
        return new NoiseConfig(pub, sec, t.integer("cert_validity_sec", 3600, 10, 10L * 365 * 24 * 3600),
            t.integer("static_key_rotation_sec", 60, 0, 24L * 3600),
            (int)t.integer("prepared_ephemeral_keys", DEFAULT_PREPARED_KEYS, 0, 1 << 20),
            (int)t.integer("handshake_concurrency", 0, 0, 65_536));
    }

    public boolean hasKeys()
    {
        return !authorityPublicKey.isEmpty();
    }
}
