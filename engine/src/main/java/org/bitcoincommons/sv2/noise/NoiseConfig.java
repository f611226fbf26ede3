package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Settings of one side of Noise connections, fluent in the Aeron {@code Context} style; {@link #conclude()}
 * validates once. The initiator needs {@link #authorityPublicKey} (or none to skip the certificate signature check,
 * as SRI does); the responder needs {@link #authoritySecretKey}.
 */
public final class NoiseConfig
{
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_PAYLOAD_LENGTH = TransportCipher.MAX_PAYLOAD_LENGTH;
    public static final long DEFAULT_CERT_VALIDITY_SEC = 3600;
    public static final long DEFAULT_STATIC_KEY_ROTATION_SEC = 60;

    private long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
    private int maxPayloadLength = DEFAULT_MAX_PAYLOAD_LENGTH;
    private long certValiditySec = DEFAULT_CERT_VALIDITY_SEC;
    private long staticKeyRotationSec = DEFAULT_STATIC_KEY_ROTATION_SEC;
    private byte[] authorityPublicKey;
    /** The initiators' memo of the last certificate verified against {@link #authorityVerifyKey}. */
    private VerifiedCertificate verifiedCertificate = new VerifiedCertificate();
    private byte[] authoritySecretKey;
    private InstantSource clock = InstantSource.system();
    private HandshakeRandom random;
    private volatile SchnorrPublicKey authorityVerifyKey;
    private volatile SchnorrKeyPair authoritySigningKey;
    private volatile StaticKeyRotation staticKeys;
    private Semaphore handshakeTurns;
    private int handshakeConcurrency;
    private final AtomicLong handshakesQueued = new AtomicLong();

    public long handshakeTimeoutMs()
    {
        return handshakeTimeoutMs;
    }

    /** Time allowed from the start of the handshake to its end, milliseconds. */
    public NoiseConfig handshakeTimeoutMs(final long value)
    {
        handshakeTimeoutMs = value;
        return this;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /** Largest frame payload (msg_length) accepted or sent, bytes; at most 2^24 - 1. */
    public NoiseConfig maxPayloadLength(final int value)
    {
        maxPayloadLength = value;
        return this;
    }

    public int handshakeConcurrency()
    {
        return handshakeConcurrency;
    }

    /**
     * Responder: at most this many handshakes do their curve work at the same time (0: no bound). The others wait
     * for a turn, first come first served, within their handshake timeout; reading act 1 and writing act 2 happen
     * outside the turn, so a slow client never holds one.
     */
    public NoiseConfig handshakeConcurrency(final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("handshakeConcurrency must be >= 0, got " + value);
        }
        handshakeConcurrency = value;
        handshakeTurns = value == 0 ? null : new Semaphore(value, true);
        return this;
    }

    /** Responder handshakes that found every turn taken and waited (since this config was made). */
    public long handshakesQueued()
    {
        return handshakesQueued.get();
    }

    /**
     * Takes a turn for a handshake's curve work, waiting at most until deadlineNanos (System.nanoTime()); returns
     * false when the deadline passed first. Always true without a bound.
     */
    boolean acquireTurn(final long deadlineNanos) throws InterruptedException
    {
        final Semaphore turns = handshakeTurns;
        if (turns == null || turns.tryAcquire())
        {
            return true;
        }
        handshakesQueued.incrementAndGet();
        return turns.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void releaseTurn()
    {
        final Semaphore turns = handshakeTurns;
        if (turns != null)
        {
            turns.release();
        }
    }

    public long certValiditySec()
    {
        return certValiditySec;
    }

    /** Responder: lifetime of each certificate it signs, seconds. */
    public NoiseConfig certValiditySec(final long value)
    {
        certValiditySec = value;
        staticKeys = null;
        return this;
    }

    public long staticKeyRotationSec()
    {
        return staticKeyRotationSec;
    }

    /**
     * Responder: how long one static key and its certificate serve new connections, seconds; 0 makes a fresh key and
     * certificate per connection (as SRI does). Capped at certValiditySec / 2 so a certificate stays valid for at least
     * half its lifetime after its key was last handed out.
     */
    public NoiseConfig staticKeyRotationSec(final long value)
    {
        staticKeyRotationSec = value;
        staticKeys = null;
        return this;
    }

    public byte[] authorityPublicKey()
    {
        return authorityPublicKey;
    }

    /** Initiator: the 32-byte x-only key server certificates must be signed by; null skips the check. */
    public NoiseConfig authorityPublicKey(final byte[] xOnly)
    {
        authorityPublicKey = xOnly == null ? null : xOnly.clone();
        authorityVerifyKey = null;
        verifiedCertificate = new VerifiedCertificate();
        return this;
    }

    public byte[] authoritySecretKey()
    {
        return authoritySecretKey;
    }

    /** Responder: the 32-byte authority secret key that signs certificates. */
    public NoiseConfig authoritySecretKey(final byte[] secret)
    {
        authoritySecretKey = secret == null ? null : secret.clone();
        authoritySigningKey = null;
        staticKeys = null;
        return this;
    }

    public InstantSource clock()
    {
        return clock;
    }

    public NoiseConfig clock(final InstantSource value)
    {
        clock = value;
        staticKeys = null;
        return this;
    }

    public HandshakeRandom random()
    {
        return random;
    }

    /** Source of keys and aux randomness; defaults to a {@link SecureRandom}. */
    public NoiseConfig random(final HandshakeRandom value)
    {
        random = value;
        staticKeys = null;
        return this;
    }

    /** The authority public key prepared for verification, after {@link #conclude()}; null if none. */
    SchnorrPublicKey authorityVerifyKey()
    {
        return authorityVerifyKey;
    }

    /** The memo every initiator of this config shares (a new one whenever the authority key is set). */
    VerifiedCertificate verifiedCertificate()
    {
        return verifiedCertificate;
    }

    /** The authority signing key prepared once, after {@link #conclude()}; null if none. */
    SchnorrKeyPair authoritySigningKey()
    {
        return authoritySigningKey;
    }

    /** The responder's static key source shared by all its connections, after {@link #conclude()}; null if none. */
    StaticKeyRotation staticKeys()
    {
        return staticKeys;
    }

    /**
     * A responder for one connection whose handshake runs outside {@link NoiseChannel#accept} (an event loop reads
     * act 1 and writes act 2; a worker does the curve work): the static key and ephemeral keys of this config.
     */
    public NoiseResponder responder()
    {
        conclude();
        if (authoritySecretKey() == null)
        {
            throw new IllegalArgumentException("responder needs an authority secret key");
        }
        return new NoiseResponder(staticKeys(), random());
    }

    /** Counts a responder handshake that found every turn taken and waited (see {@link #handshakesQueued}). */
    public void handshakeQueued()
    {
        handshakesQueued.incrementAndGet();
    }

    /** Validates, prepares the authority keys and fills defaults; returns this. */
    public NoiseConfig conclude()
    {
        if (handshakeTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("handshakeTimeoutMs must be > 0, got " + handshakeTimeoutMs);
        }
        if (maxPayloadLength < 0 || maxPayloadLength > TransportCipher.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("maxPayloadLength must be in [0, 2^24-1], got " + maxPayloadLength);
        }
        if (certValiditySec <= 0)
        {
            throw new IllegalArgumentException("certValiditySec must be > 0, got " + certValiditySec);
        }
        if (staticKeyRotationSec < 0)
        {
            throw new IllegalArgumentException("staticKeyRotationSec must be >= 0, got " + staticKeyRotationSec);
        }
        if (random == null)
        {
            random = HandshakeRandom.secure(new SecureRandom());
        }
        // Prepared once and reused by every connection that concludes this config again.
        if (authorityVerifyKey == null && authorityPublicKey != null)
        {
            authorityVerifyKey = SchnorrPublicKey.of(authorityPublicKey);
        }
        if (authoritySigningKey == null && authoritySecretKey != null)
        {
            authoritySigningKey = SchnorrKeyPair.of(authoritySecretKey);
        }
        if (staticKeys == null && authoritySigningKey != null)
        {
            staticKeys = new StaticKeyRotation(authoritySigningKey, certValiditySec,
                Math.min(staticKeyRotationSec, certValiditySec / 2), random, clock);
        }
        return this;
    }
}
