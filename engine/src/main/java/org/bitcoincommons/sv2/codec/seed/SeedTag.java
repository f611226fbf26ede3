package org.bitcoincommons.sv2.codec.seed;

/**
 * The message tags of the seed system's framing (blvm-node {@code stratum_v2/messages.rs} at 869f01f, and
 * blvm-stratum-v2). These are not SV2 message types: the seed invented its own u16 numbering.
 */
public enum SeedTag
{
    SETUP_CONNECTION(0x0001),
    SETUP_CONNECTION_SUCCESS(0x0002),
    SETUP_CONNECTION_ERROR(0x0003),
    OPEN_MINING_CHANNEL(0x0010),
    OPEN_MINING_CHANNEL_SUCCESS(0x0011),
    OPEN_MINING_CHANNEL_ERROR(0x0012),
    NEW_MINING_JOB(0x0020),
    SET_NEW_PREV_HASH(0x0021),
    SUBMIT_SHARES(0x0030),
    SUBMIT_SHARES_SUCCESS(0x0031),
    SUBMIT_SHARES_ERROR(0x0032);

    private static final SeedTag[] BY_CODE = new SeedTag[0x33];

    static
    {
        for (final SeedTag t : values())
        {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    SeedTag(final int code)
    {
        this.code = code;
    }

    /** The u16 tag on the wire. */
    public int code()
    {
        return code;
    }

    /** The tag with this code, or null. */
    public static SeedTag of(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
