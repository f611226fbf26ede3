package org.bitcoincommons.sv2.cli;

/**
 * The exit codes of {@code bin/sv2}, named once. Operators script against these.
 */
public final class ExitCode
{
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command ran but the thing it checked is not valid (e.g. {@code auxpow verify} on a bad proof). */
    public static final int INVALID = 1;
    /** Bad input: malformed hex, a frame that does not decode, a broken config file. */
    public static final int BAD_INPUT = 2;
    /** The command failed for a reason outside the input (I/O, a port in use, an unreachable node). */
    public static final int FAILURE = 3;
    /** picocli's own code for unknown options or subcommands. */
    public static final int USAGE = 64;

    private ExitCode()
    {
    }
}
