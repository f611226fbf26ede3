package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand of {@code bin/sv2}, found by walking the command tree (so a command added later is
 * covered too), answers {@code --help}, {@code -h}, {@code -V} and {@code sv2 help PATH...} with exit status 0.
 */
class CommandTreeTest
{
    /** Every command path of the tree: [], [version], [bench], [bench, load], ... */
    static Stream<List<String>> commandPaths()
    {
        final List<List<String>> out = new ArrayList<>();
        walk(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), List.of(), out);
        return out.stream();
    }

    private static void walk(final CommandLine c, final List<String> path, final List<List<String>> out)
    {
        out.add(path);
        c.getSubcommands().forEach((name, sub) ->
        {
            final List<String> next = new ArrayList<>(path);
            next.add(name);
            walk(sub, next, out);
        });
    }

    private static CliRunner run(final List<String> path, final String... more)
    {
        final List<String> args = new ArrayList<>(path);
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "sv2 {0}")
    @MethodSource("commandPaths")
    void helpAndVersionWorkOnEveryCommand(final List<String> path)
    {
        final String usage = "Usage: sv2" + (path.isEmpty() ? "" : " " + String.join(" ", path));
        final CliRunner help = run(path, "--help");
        assertEquals(0, help.exitCode(), path + ": " + help.err());
        assertTrue(help.out().startsWith(usage), path + ": " + help.out());
        assertTrue(help.out().contains("-h, --help") && help.out().contains("-V, --version"), help.out());

        final CliRunner h = run(path, "-h");
        assertEquals(0, h.exitCode(), path + ": " + h.err());
        assertEquals(help.out(), h.out());

        final CliRunner version = run(path, "-V");
        assertEquals(0, version.exitCode(), path + ": " + version.err());
        assertEquals("sv2 " + VersionCommand.engineVersion(), version.out().strip());

        final List<String> helpPath = new ArrayList<>(List.of("help"));
        helpPath.addAll(path);
        final CliRunner named = run(helpPath);
        assertEquals(0, named.exitCode(), helpPath + ": " + named.err());
        assertEquals(help.out(), named.out(), "sv2 help " + path + " prints what --help prints");
    }

    @Test
    void theTreeHoldsTheDocumentedCommands()
    {
        final List<String> paths = commandPaths().map(p -> String.join(" ", p)).toList();
        for (final String p : List.of("pool", "miner", "demo", "replay", "version", "bench hash", "bench load",
            "bench echo", "frame decode", "keys generate", "keys public", "auxpow verify", "coinbase inspect"))
        {
            assertTrue(paths.contains(p), p + " in " + paths);
        }
    }

    @Test
    void helpOfANestedCommandIsThatCommandsHelp()
    {
        final CliRunner r = CliRunner.run("help", "bench", "load");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: sv2 bench load"), r.out());
        assertTrue(r.out().contains("--connections"), r.out());
    }

    @Test
    void poolHelpListsItsOptionsWithoutStartingAPool()
    {
        final CliRunner r = CliRunner.run("pool", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("--config") && r.out().contains("--status-interval"), r.out());
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError()
    {
        final CliRunner r = CliRunner.run("help", "bench", "nothing");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("unknown command 'nothing' under 'sv2 bench'"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
    }
}
