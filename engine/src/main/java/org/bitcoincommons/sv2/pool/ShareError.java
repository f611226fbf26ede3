package org.bitcoincommons.sv2.pool;

import java.nio.charset.StandardCharsets;

/**
 * Why a share was rejected, with the error-code strings SRI sends in {@code SubmitShares.Error}
 * (the spec leaves codes to implementations; SRI's are the de-facto interoperable set). The ASCII bytes
 * are made once so that a rejection allocates nothing.
 */
public enum ShareError
{
    INVALID_CHANNEL_ID("invalid-channel-id"),
    INVALID_SHARE("invalid-share"),
    STALE_SHARE("stale-share"),
    INVALID_JOB_ID("invalid-job-id"),
    DIFFICULTY_TOO_LOW("difficulty-too-low"),
    DUPLICATE_SHARE("duplicate-share"),
    BAD_EXTRANONCE_SIZE("bad-extranonce-size"),
    VERSION_ROLLING_NOT_ALLOWED("version-rolling-not-allowed"),
    INVALID_NON_ROLLABLE_VERSION_BIT("invalid-non-rollable-version-bit");

    private static final ShareError[] VALUES = values();

    private final String code;
    private final byte[] ascii;

    ShareError(final String code)
    {
        this.code = code;
        this.ascii = code.getBytes(StandardCharsets.US_ASCII);
    }

    public String code()
    {
        return code;
    }

    /** The code's bytes; never modify. */
    public byte[] ascii()
    {
        return ascii;
    }

    public static ShareError fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
