package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * One status line for long work, rewritten in place on stderr once a second ({@code \r}), and only when a person is
 * watching: on a terminal (the JVM's console is a terminal), never when output is piped or redirected, and never in a
 * command's {@code --json} mode (callers pass {@code enabled = false}). Used by {@code bin/sv2 replay} and
 * {@code bin/sv2 bench load}; the line ends with a newline once the work is done.
 */
final class Progress implements AutoCloseable
{
    /** Tests force terminal detection (null: ask the JVM). */
    static volatile Boolean terminalOverride;

    private final PrintWriter err;
    private final Supplier<String> line;
    private final long intervalMs;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean printed;

    /**
     * @param enabled false for machine-readable output (--json): nothing is ever printed
     * @param line    the current status, asked once per interval on the progress thread
     */
    Progress(final PrintWriter err, final boolean enabled, final long intervalMs, final Supplier<String> line)
    {
        this.err = err;
        this.line = line;
        this.intervalMs = intervalMs;
        this.thread = enabled && terminal() ? Thread.ofPlatform().daemon().name("sv2-progress").start(this::run) : null;
    }

    /** True when stdout and stderr go to a terminal a person reads. */
    static boolean terminal()
    {
        final Boolean forced = terminalOverride;
        if (forced != null)
        {
            return forced;
        }
        final java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** True when this progress line is shown at all. */
    boolean shown()
    {
        return thread != null;
    }

    private void run()
    {
        final long start = System.nanoTime();
        long next = start + intervalMs * 1_000_000L;
        while (running)
        {
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(this, wait);
                continue;
            }
            next += intervalMs * 1_000_000L;
            final String s = line.get();
            synchronized (this)
            {
                if (running)
                {
                    err.print("\r" + s + "\033[K");
                    err.flush();
                    printed = true;
                }
            }
        }
    }

    /** Stops the line; ends it with a newline when anything was printed, so what follows starts on its own line. */
    @Override
    public void close()
    {
        if (thread == null)
        {
            return;
        }
        synchronized (this)
        {
            running = false;
            if (printed)
            {
                err.println();
                err.flush();
            }
        }
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }
}
