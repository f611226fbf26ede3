package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/sv2} command in a child JVM (same class path and flags as the tests), for what only a real process
 * shows: signals and exit statuses. Its stdout and stderr go to files; waits poll them up to a deadline.
 */
final class ChildCli implements AutoCloseable
{
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildCli(final Process process, final Path out, final Path err)
    {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code sv2 args...}; its output goes to {@code dir/NAME.out} and {@code dir/NAME.err}. */
    static ChildCli start(final Path dir, final String name, final String... args) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("@" + Path.of(System.getProperty("sv2.root.dir", ".."), "etc", "jvm.flags").toAbsolutePath().normalize());
        cmd.add("-Xmx512m");
        for (final String property : List.of("sv2.root.dir", "sv2.native.lib"))
        {
            final String value = System.getProperty(property);
            if (value != null)
            {
                cmd.add("-D" + property + "=" + value);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        final Path out = dir.resolve(name + ".out");
        final Path err = dir.resolve(name + ".err");
        final Process p = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ChildCli(p, out, err);
    }

    String out()
    {
        return read(out);
    }

    String err()
    {
        return read(err);
    }

    private static String read(final Path p)
    {
        try
        {
            return Files.readString(p, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /**
     * Waits until stdout has a match of {@code regex} (the last one) and returns its first group.
     *
     * @throws AssertionError when the deadline passes or the process ends first, with what it printed
     */
    String awaitOut(final String regex, final long timeoutMs) throws InterruptedException
    {
        final Pattern p = Pattern.compile(regex);
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            final Matcher m = p.matcher(out());
            String last = null;
            while (m.find())
            {
                last = m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (last != null)
            {
                return last;
            }
            if (!process.isAlive() || System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("no /" + regex + "/ in the output of the child " +
                    (process.isAlive() ? "(still running)" : "(exited " + process.exitValue() + ")") + ":\n" + this);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Whether the child started with SIGINT ignored (SigIgn in /proc/PID/status): a process started in the background
     * of a non-interactive shell inherits that, and then Ctrl-C is not meant to reach it, so a test of Ctrl-C cannot
     * run there.
     */
    boolean ignoresSigint() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")))
        {
            if (line.startsWith("SigIgn:"))
            {
                final long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (2 - 1))) != 0;   // bit n-1 stands for signal n; SIGINT is 2
            }
        }
        return false;
    }

    /** Sends a signal ("TERM", "INT") to the child, as Ctrl-C or a service manager would. */
    void signal(final String name) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /**
     * Waits for the child to end.
     *
     * @return its exit status
     * @throws AssertionError when it is still running at the deadline
     */
    int awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("the child did not exit within " + timeoutMs + " ms:\n" + this);
        }
        return process.exitValue();
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
    }

    @Override
    public String toString()
    {
        return "--- stdout\n" + out() + "--- stderr\n" + err();
    }
}
