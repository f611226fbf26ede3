package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/sv2 help [COMMAND [SUBCOMMAND...]]}: the usage of any command of the tree, at any depth
 * ({@code bin/sv2 help bench load} is {@code bin/sv2 bench load --help}). picocli's own help command reads only the
 * first name.
 */
@Command(name = "help", helpCommand = true,
    description = "Print the usage of sv2, or of the command named (e.g. help bench load).")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable
{
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommands, in order.")
    String[] names = {};

    private CommandLine self;
    private PrintWriter out;

    @Override
    public void init(final CommandLine helpCommandLine, final CommandLine.Help.ColorScheme colorScheme,
        final PrintWriter out, final PrintWriter err)
    {
        this.self = helpCommandLine;
        this.out = out;
    }

    @Override
    public void run()
    {
        CommandLine target = self.getParent();
        for (final String name : names)
        {
            final CommandLine next = target.getSubcommands().get(name);
            if (next == null)
            {
                throw new CommandLine.ParameterException(self, "unknown command '" + name + "'" +
                    (target.getParent() == null ? "" : " under '" + target.getCommandSpec().qualifiedName() + "'") +
                    "; its commands are " + target.getSubcommands().keySet());
            }
            target = next;
        }
        target.usage(out);
        out.flush();
    }

}
