package org.bitcoincommons.sv2.codec;

/**
 * A malformed SV2 frame or message, or a value too large to encode. Unchecked: a protocol fault closes only the
 * connection it came from, so callers catch it at the connection boundary, never per message.
 * <p>
 * The message always names the category, the message and the field ({@code "-"} when not applicable), so a
 * one-line log tells the operator exactly what was wrong.
 */
public final class CodecException extends RuntimeException
{
    /** What kind of fault; decides nothing but logging and counting. */
    public enum Category
    {
        /** Fewer bytes than the layout needs (header, fixed field, declared length). */
        TRUNCATED,
        /** A length prefix or msg_length beyond the configured maximum or the type's bound (e.g. B0_32 > 32). */
        LENGTH_TOO_LARGE,
        /** An OPTION with a count other than 0 or 1. */
        INVALID_OPTION,
        /** A value the type does not allow, e.g. a STR0_255 that is not UTF-8. */
        INVALID_VALUE,
        /** An (extension_type, msg_type) pair no catalogued message has. */
        UNKNOWN_MESSAGE,
        /** The channel_msg bit differs from what the message's spec table says. */
        CHANNEL_BIT_MISMATCH,
        /** Bytes left after the last field that are not well-formed TLV extension fields. */
        TRAILING_BYTES,
        /** An encoder was given a value that does not fit the field's type. */
        VALUE_TOO_LARGE,
        /** The destination buffer is too small for the encoded message. */
        BUFFER_TOO_SMALL
    }

    private final Category category;
    private final String messageName;
    private final String fieldName;

    public CodecException(final Category category, final String messageName, final String fieldName, final String detail)
    {
        super(category + " in " + messageName + "." + fieldName + ": " + detail, null, false, false);
        this.category = category;
        this.messageName = messageName;
        this.fieldName = fieldName;
    }

    public Category category()
    {
        return category;
    }

    /** The spec's message name, e.g. {@code "SubmitSharesStandard"}, or {@code "frame"} for header faults. */
    public String messageName()
    {
        return messageName;
    }

    /** The spec's snake_case field name, e.g. {@code "extranonce"}, or {@code "-"}. */
    public String fieldName()
    {
        return fieldName;
    }
}
