package org.bitcoincommons.sv2.noise;

import java.io.IOException;

/**
 * A Noise handshake or transport fault. It ends its own connection only; {@link #reason()} says why.
 */
public final class NoiseException extends IOException
{
    /** Why a connection was ended. */
    public enum Reason
    {
        /** Act 1 was short or never completed (peer closed the stream). */
        BAD_ACT1,
        /** Act 2 was short, or its encrypted static key or certificate failed to authenticate. */
        BAD_ACT2,
        /** A transport message failed Poly1305 authentication. */
        BAD_MAC,
        /** The server certificate's not_valid_after (plus leeway) is in the past. */
        CERT_EXPIRED,
        /** The server certificate's valid_from (minus leeway) is in the future. */
        CERT_NOT_YET_VALID,
        /** The server certificate is not signed by the configured authority key. */
        CERT_BAD_SIGNATURE,
        /** The handshake did not finish within the configured timeout. */
        HANDSHAKE_TIMEOUT,
        /** A frame's payload is longer than the configured maximum (or the caller's buffer). */
        FRAME_TOO_LARGE,
        /** A cipher state's nonce reached 2^64 - 1. */
        NONCE_EXHAUSTED,
        /** The peer closed the stream between or inside transport frames. */
        EOF
    }

    private final Reason reason;

    public NoiseException(final Reason reason, final String message)
    {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public NoiseException(final Reason reason, final String message, final Throwable cause)
    {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason()
    {
        return reason;
    }
}
