package org.bitcoincommons.sv2.cli;

/**
 * Raised by a subcommand to end with a one-line message on stderr and a given exit code.
 */
public final class CliException extends RuntimeException
{
    private final int exitCode;

    public CliException(final int exitCode, final String message)
    {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
