package org.bitcoincommons.sv2.journal;

/**
 * The journal cannot be opened, or holds a document that is not a valid accounting event.
 */
public final class JournalException extends RuntimeException
{
    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
