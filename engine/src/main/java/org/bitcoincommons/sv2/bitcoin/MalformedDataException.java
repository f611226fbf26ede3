package org.bitcoincommons.sv2.bitcoin;

/**
 * Bitcoin wire data (a transaction, CompactSize, block, script or address) that does not decode. The message names
 * the field and the byte position where decoding stopped.
 */
public final class MalformedDataException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public MalformedDataException(final String message)
    {
        super(message);
    }
}
