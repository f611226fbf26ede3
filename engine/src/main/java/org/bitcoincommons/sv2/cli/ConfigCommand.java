package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/sv2 config check FILE [--json]}: validates a configuration without starting anything and prints every
 * problem with its key and line. Syntax errors are all reported at once (the TOML parser finds them all); a key whose
 * value is wrong is reported, set aside, and the file checked again, so that one run names every bad key, not only the
 * first. Exit 0 when the file is valid, 2 when it is not.
 */
@Command(name = "config", description = "Work with configuration files.", subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One problem: the key (may be empty), the 1-based line (0: unknown), what is wrong. */
    record Problem(String key, int line, String message)
    {
    }

    private static final Pattern KEY = Pattern.compile("^([A-Za-z0-9_.\\-]+): (.*)$", Pattern.DOTALL);
    private static final Pattern UNKNOWN = Pattern.compile("^unknown keys? (.*?) \\(misspelt\\?.*$", Pattern.DOTALL);
    private static final int MAX_ROUNDS = 100;

    /** Every problem of a configuration text; empty when it is valid. */
    static List<Problem> check(final String original, final Path baseDir)
    {
        final List<Problem> problems = new ArrayList<>();
        final List<String> lines = new ArrayList<>(List.of(original.split("\n", -1)));
        for (int round = 0; round < MAX_ROUNDS; round++)
        {
            final String text = String.join("\n", lines);
            final TomlParseResult toml = Toml.parse(text);
            if (toml.hasErrors())
            {
                if (round == 0)
                {
                    toml.errors().forEach(e -> problems.add(new Problem("", e.position().line(), e.getMessage())));
                }
                return problems;   // after a key was set aside the file no longer parses: what was found stands
            }
            try
            {
                EngineConfig.parse(text, baseDir);
                return problems;
            }
            catch (final ConfigException ex)
            {
                final String msg = ex.getMessage();
                final List<String> keys = new ArrayList<>();
                final Matcher unknown = UNKNOWN.matcher(msg);
                final Matcher key = KEY.matcher(msg);
                if (unknown.matches())
                {
                    for (final String k : unknown.group(1).split(", "))
                    {
                        keys.add(k.strip());
                    }
                }
                else if (key.matches())
                {
                    keys.add(key.group(1));
                }
                boolean setAside = false;
                for (final String k : keys)
                {
                    final TomlPosition at = toml.inputPositionOf(k);
                    final String what = unknown.matches() ? "unknown key (misspelt? see README \"Configuration\")"
                        : key.group(2);
                    problems.add(new Problem(k, at == null ? 0 : at.line(), what));
                    if (at != null && !lines.get(at.line() - 1).isBlank())
                    {
                        lines.set(at.line() - 1, "");   // the key goes (its default applies); line numbers stay
                        setAside = true;
                    }
                }
                if (keys.isEmpty())
                {
                    problems.add(new Problem("", 0, msg));
                }
                if (!setAside)
                {
                    return problems;   // a problem that is not one key's line (e.g. two keys that disagree)
                }
            }
        }
        return problems;
    }

    @Command(name = "check", description = "Validate a configuration file without starting anything; print every "
        + "problem with its key and line.")
    static final class Check implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "TOML configuration.")
        Path file;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public void run()
        {
            final String text;
            try
            {
                text = Files.readString(file);
            }
            catch (final IOException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, file + ": cannot read (" + ex.getMessage() + ")");
            }
            final List<Problem> problems = check(text, file.toAbsolutePath().getParent());
            final var out = spec.commandLine().getOut();
            if (json)
            {
                final Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", file.toString());
                o.put("valid", problems.isEmpty());
                final List<Map<String, Object>> list = new ArrayList<>();
                for (final Problem p : problems)
                {
                    final Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", p.key());
                    m.put("line", p.line());
                    m.put("message", p.message());
                    list.add(m);
                }
                o.put("problems", list);
                out.println(Json.MAPPER.valueToTree(o).toString());
            }
            else if (problems.isEmpty())
            {
                out.println(file + ": valid");
            }
            else
            {
                for (final Problem p : problems)
                {
                    out.println(file + ":" + (p.line() > 0 ? p.line() + ":" : "") + " " +
                        (p.key().isEmpty() ? "" : p.key() + ": ") + p.message());
                }
                out.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
            }
            out.flush();
            if (!problems.isEmpty())
            {
                throw new CliException(ExitCode.BAD_INPUT, file + " is not valid: " + problems.size() + " problem" +
                    (problems.size() == 1 ? "" : "s"));
            }
        }
    }
}
