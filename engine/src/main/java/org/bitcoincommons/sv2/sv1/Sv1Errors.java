package org.bitcoincommons.sv2.sv1;

import java.nio.charset.StandardCharsets;

import org.bitcoincommons.sv2.pool.ShareError;

/**
 * Stratum V1 errors as {@code [code, message, null]}: the messages are ckpool's (which firmware such as ESP-Miner maps
 * to friendly text), the codes public-pool's (20 other, 21 job not found, 22 duplicate, 23 low difficulty, 24
 * unauthorized worker, 25 not subscribed), so a client that reads either finds what it expects. Made once.
 */
enum Sv1Errors
{
    STALE(21, "Stale"),
    INVALID_JOB_ID(21, "Invalid JobID"),
    DUPLICATE(22, "Duplicate"),
    ABOVE_TARGET(23, "Above target"),
    NONCE2_LENGTH(20, "Invalid nonce2 length"),
    VERSION_MASK(20, "Invalid version mask"),
    NTIME(20, "Ntime out of range"),
    UNAUTHORIZED(24, "Unauthorized worker"),
    NOT_SUBSCRIBED(25, "Not subscribed"),
    INVALID_PARAMS(20, "Invalid params"),
    UNHANDLED(20, "Unhandled");

    private final int code;
    private final String message;
    private final byte[] json;

    Sv1Errors(final int code, final String message)
    {
        this.code = code;
        this.message = message;
        this.json = ("[" + code + ",\"" + message + "\",null]").getBytes(StandardCharsets.US_ASCII);
    }

    int code()
    {
        return code;
    }

    String message()
    {
        return message;
    }

    /** {@code [code,"message",null]}; never modify. */
    byte[] json()
    {
        return json;
    }

    /** The Stratum V1 error for a share the pool logic rejected. */
    static Sv1Errors of(final ShareError e)
    {
        return switch (e)
        {
            case STALE_SHARE -> STALE;
            case INVALID_JOB_ID -> INVALID_JOB_ID;
            case DUPLICATE_SHARE -> DUPLICATE;
            case DIFFICULTY_TOO_LOW -> ABOVE_TARGET;
            case BAD_EXTRANONCE_SIZE -> NONCE2_LENGTH;
            case VERSION_ROLLING_NOT_ALLOWED, INVALID_NON_ROLLABLE_VERSION_BIT -> VERSION_MASK;
            case INVALID_SHARE -> NTIME;
            case INVALID_CHANNEL_ID -> NOT_SUBSCRIBED;
        };
    }
}
