package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs one {@code bin/sv2} command in-process and keeps what it printed.
 */
public record CliRunner(int exitCode, String out, String err)
{
    public static CliRunner run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRunner(code, out.toString(), err.toString());
    }
}
