package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.engine.EndpointBindException;
import org.bitcoincommons.sv2.engine.ServerStatus;
import org.bitcoincommons.sv2.engine.StratumV2Server;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 pool --config FILE}: runs the pool until SIGTERM or SIGINT, then shuts down cleanly (stops accepting,
 * closes connections, drains the share ring so every accepted share is journaled, closes the journal) and exits 0.
 * The pool is the public engine API's {@link StratumV2Server}, as an embedding application would run it.
 */
@Command(name = "pool",
    description = "Run the SV2 pool, a cluster frontend or a cluster node ([cluster] role) until SIGTERM or Ctrl-C, "
        + "then drain (every accepted share journaled) and exit 0.")
public final class PoolCommand implements Runnable
{
    /** How the listen addresses are named in errors: the config keys, or the options a command maps onto them. */
    record ListenNames(String sv2, String api, String hint)
    {
        static final ListenNames CONFIG_KEYS = new ListenNames("stratum_v2.listen_addr", "api.listen_addr", "");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration (see etc/pool.example.toml).")
    Path config;

    @Option(names = "--status-interval", paramLabel = "SEC", defaultValue = "10",
        description = "Seconds between status lines on stdout; 0 for none (default ${DEFAULT-VALUE}).")
    int statusIntervalSec;

    @Override
    public void run()
    {
        final EngineConfig c;
        try
        {
            c = config == null ? EngineConfig.defaults(Path.of("").toAbsolutePath()) : EngineConfig.load(config);
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        if (c.cluster().node())
        {
            ClusterNodeRunner.runUntilSignalled(c, spec.commandLine().getOut(), statusIntervalSec);
            return;
        }
        runUntilSignalled(c, spec.commandLine().getOut(), statusIntervalSec, ListenNames.CONFIG_KEYS, null);
    }

    /**
     * Starts pool and API, prints status lines, and blocks until SIGTERM or SIGINT; then closes {@code extra} (the
     * demo's miner, started after the pool), the API and the pool (which drains the ring into the journal) and
     * returns, so that the process exits 0. A shutdown hook does the same when the JVM ends for another reason.
     */
    static void runUntilSignalled(final EngineConfig c, final PrintWriter out, final int statusIntervalSec,
        final ListenNames names, final Function<StratumV2Server, AutoCloseable> extra)
    {
        final Running running;
        try
        {
            running = new Running(StratumV2Server.builder(c).build());
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        final Thread hook = new Thread(running::stop, "sv2-shutdown");
        try (StopSignals signals = StopSignals.install())
        {
            start(c, running, out, names);
            if (extra != null)
            {
                running.attached = extra.apply(running.pool);
            }
            Runtime.getRuntime().addShutdownHook(hook);
            if (statusIntervalSec > 0)
            {
                while (!signals.await(statusIntervalSec, TimeUnit.SECONDS))
                {
                    out.println(statusLine(running.pool.status()));
                    out.flush();
                }
            }
            else
            {
                signals.await();
            }
            out.println("stopping on " + signals.received() + ": draining accepted shares into the journal");
            out.flush();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            running.stop();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is already shutting down: the hook finds everything stopped
            }
        }
        out.println("stopped: " + running.pool.accounting().get("shares_accepted") + " shares accepted, journal closed");
        out.flush();
    }

    private static void start(final EngineConfig c, final Running running, final PrintWriter out, final ListenNames names)
    {
        try
        {
            running.pool.start();
            if (running.pool.apiAddress() != null)
            {
                out.println("api: http://" + running.pool.apiAddress().getHostString() + ":" +
                    running.pool.apiAddress().getPort() + "/");
            }
        }
        catch (final EndpointBindException ex)
        {
            final String name = ex.key().equals("api.listen_addr") ? names.api() : names.sv2();
            throw inUse(name, ex.address(), names.hint(), (BindException)ex.getCause());
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot start: " + ex.getMessage());
        }
        out.println("pool: " + running.pool.sv2Url());
        if (running.pool.sv1Url() != null)
        {
            out.println("sv1: " + running.pool.sv1Url());
        }
        out.flush();
    }

    /** A listen address that cannot be bound, named as the operator wrote it (config key or option). */
    static CliException inUse(final String name, final InetSocketAddress address, final String hint,
        final BindException ex)
    {
        final String where = name + " " + address.getHostString() + ":" + address.getPort();
        final String why = ex.getMessage() != null && ex.getMessage().contains("in use")
            ? " is already in use" : ": cannot listen there (" + ex.getMessage() + ")";
        return new CliException(ExitCode.FAILURE, where + why + hint);
    }

    /** What a running pool command owns; {@link #stop()} closes it once, in order, from whichever thread is first. */
    private static final class Running
    {
        final StratumV2Server pool;
        volatile AutoCloseable attached;
        private boolean stopped;

        Running(final StratumV2Server pool)
        {
            this.pool = pool;
        }

        synchronized void stop()
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
            closeQuietly(attached);
            pool.close();
        }
    }

    /**
     * The status line: the current state, the counters of this run ("since start"), and how many events the journal
     * holds (with a journal kept from an earlier run, more than this run wrote).
     */
    static String statusLine(final ServerStatus s)
    {
        return String.format("height %d | hashrate %s | connections %d, channels %d | since start: shares %d accepted, " +
            "%d rejected, blocks %d found, %d accepted | journal %d events",
            s.height(), hashrate(s.hashrate()), s.connections(), s.channels(), s.sharesAccepted(), s.sharesRejected(),
            s.blocksFound(), s.blocksAccepted(), s.journalEvents());
    }

    static String hashrate(final double h)
    {
        final String[] units = {"H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"};
        double v = h;
        int u = 0;
        while (v >= 1000 && u < units.length - 1)
        {
            v /= 1000;
            u++;
        }
        return String.format("%.2f %s", v, units[u]);
    }

    private static void closeQuietly(final AutoCloseable c)
    {
        if (c != null)
        {
            try
            {
                c.close();
            }
            catch (final Exception ignored)
            {
                // shutting down anyway
            }
        }
    }
}
