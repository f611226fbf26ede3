package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.cluster.ClusterFrontend;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.pool.PoolStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 pool --config FILE}: runs the pool until SIGTERM or SIGINT, then shuts down cleanly (stops accepting,
 * closes connections, drains the share ring so every accepted share is journaled, closes the journal) and exits 0.
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
        final ListenNames names, final Function<PoolServer, AutoCloseable> extra)
    {
        final Running running = new Running(new PoolServer(c, MergeMiningCoordinator.FACTORY));
        // [cluster] role = "frontend": accounting is replicated by the cluster; acknowledgements wait for its commit
        running.frontend = c.cluster().frontend() ? ClusterFrontend.start(c.cluster()) : null;
        if (running.frontend != null)
        {
            running.pool.accountingSink(running.frontend);
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
            try
            {
                running.pool.start();
            }
            catch (final BindException ex)
            {
                throw inUse(names.sv2(), c.stratumV2().listenAddr(), names.hint(), ex);
            }
            if (c.api().enabled())
            {
                try
                {
                    running.api = new ApiServer(c.api().listenAddr(), running.pool, running.frontend,
                        c.api().adminToken(), c.api().readRequiresToken());
                }
                catch (final BindException ex)
                {
                    throw inUse(names.api(), c.api().listenAddr(), names.hint(), ex);
                }
                running.api.start();
                out.println("api: http://" + running.api.address().getHostString() + ":" +
                    running.api.address().getPort() + "/");
            }
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot start: " + ex.getMessage());
        }
        out.println("pool: stratum2+tcp://" + running.pool.sv2Address().getHostString() + ":" +
            running.pool.sv2Address().getPort() + "/" + running.pool.authorityPublicKey());
        if (running.pool.sv1Address() != null)
        {
            out.println("sv1: stratum+tcp://" + running.pool.sv1Address().getHostString() + ":" +
                running.pool.sv1Address().getPort());
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
        final PoolServer pool;
        volatile ApiServer api;
        volatile AutoCloseable attached;
        volatile ClusterFrontend frontend;
        private boolean stopped;

        Running(final PoolServer pool)
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
            if (api != null)
            {
                api.close();
            }
            pool.close();
            closeQuietly(frontend);
        }
    }

    /**
     * The status line: the current state, the counters of this run ("since start"), and how many events the journal
     * holds (with a journal kept from an earlier run, more than this run wrote).
     */
    static String statusLine(final PoolStatus s)
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
