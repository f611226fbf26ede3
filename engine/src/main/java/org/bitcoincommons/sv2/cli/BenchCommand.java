package org.bitcoincommons.sv2.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/sv2 bench}: quick measurements without JMH. One subcommand per area.
 */
@Command(
    name = "bench",
    description = "Measure throughput without JMH (see the subcommands).",
    subcommands = {
        BenchHashCommand.class,
        BenchLoadCommand.class,
        BenchListenersCommand.class,
        BenchEchoCommand.class,
        BenchTipCommand.class,
        BenchClusterCommand.class,
        BenchWireCommand.class,
        BenchMemoryCommand.class,
        BenchTailCommand.class,
        BenchStormCommand.class,
        BenchSoakCommand.class,
        BenchQuicCommand.class,
    })
public final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
