package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/sv2}. Each subcommand is one class; output streams are injected so that
 * tests can run a command in-process and read what it printed.
 */
@Command(
    name = "sv2",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Stratum V2 mining-pool engine with merged mining.",
    subcommands = {
        VersionCommand.class,
        PoolCommand.class,
        JdcCommand.class,
        MinerCommand.class,
        DemoCommand.class,
        ReplayCommand.class,
        FrameCommand.class,
        KeysCommand.class,
        BenchCommand.class,
        AuxpowCommand.class,
        CoinbaseCommand.class,
        TemplateCommand.class,
        ClusterCommand.class,
        ConfigCommand.class,
        StatusCommand.class,
        HelpCommand.class,
    })
public final class Main implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the command line with the given streams; exceptions map to exit codes. Every command and subcommand
     * gets {@code -h/--help} and {@code -V/--version} here, so that no command can be added without them.
     */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        final CommandLine cl = new CommandLine(new Main());
        addStandardOptions(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) ->
        {
            final PrintWriter e = ex.getCommandLine().getErr();
            e.println("error: " + ex.getMessage());
            ex.getCommandLine().usage(e);
            e.flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            final PrintWriter e = commandLine.getErr();
            if (ex instanceof CliException cli)
            {
                e.println("error: " + cli.getMessage());
                e.flush();
                return cli.exitCode();
            }
            e.println("error: " + ex);
            e.flush();
            return ExitCode.FAILURE;
        });
        return cl;
    }

    private static void addStandardOptions(final CommandLine command)
    {
        final CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (!spec.mixinStandardHelpOptions())
        {
            spec.mixinStandardHelpOptions(true);
        }
        spec.versionProvider(new VersionCommand.Provider());
        command.getSubcommands().values().forEach(Main::addStandardOptions);
    }

    /**
     * Runs one command line with the given streams and returns its exit code.
     */
    public static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true);
        final PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(out, err, args));
    }
}
