package org.bitcoincommons.sv2.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop. While installed, the first of either signal does not end the JVM
 * (which would exit with 128 + the signal number, 143 or 130): it only releases {@link #await}, so that the running
 * command drains and returns and {@code bin/sv2} exits 0. The first signal also puts the previous handlers back, so a
 * second Ctrl-C ends the JVM the usual way if the drain hangs. {@link #close()} puts them back too (a command run
 * in-process, as the tests do, leaves the JVM's handlers as it found them).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal; javac warns that it is
 * internal API. Where the JVM keeps a signal for itself ({@code -Xrs}), that signal is left alone and the commands'
 * shutdown hooks still stop cleanly (with the JVM's exit status).
 */
final class StopSignals implements AutoCloseable
{
    private static final String[] NAMES = {"TERM", "INT"};

    private final CountDownLatch requested = new CountDownLatch(1);
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile String received;

    private StopSignals()
    {
    }

    /** Handles SIGTERM and SIGINT from now until {@link #close()}. */
    static StopSignals install()
    {
        final StopSignals s = new StopSignals();
        for (final String name : NAMES)
        {
            final Signal signal = new Signal(name);
            try
            {
                s.previous.add(Signal.handle(signal, s::onSignal));
                s.signals.add(signal);
            }
            catch (final IllegalArgumentException ex)
            {
                // The JVM keeps this signal (-Xrs) or the platform has none: the shutdown hook covers it.
            }
        }
        return s;
    }

    private void onSignal(final Signal signal)
    {
        if (received == null)
        {
            received = "SIG" + signal.getName();
            restore();
        }
        requested.countDown();
    }

    /**
     * Waits for a stop request.
     *
     * @return true when one arrived, false when {@code timeout} passed first
     */
    boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return requested.await(timeout, unit);
    }

    void await() throws InterruptedException
    {
        requested.await();
    }

    /** Releases {@link #await} as a signal would (an owner stopping for its own reason). */
    void request()
    {
        requested.countDown();
    }

    /** "SIGTERM" or "SIGINT" once one arrived, else null. */
    String received()
    {
        return received;
    }

    private synchronized void restore()
    {
        for (int i = 0; i < signals.size(); i++)
        {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
        previous.clear();
    }

    @Override
    public void close()
    {
        restore();
    }
}
