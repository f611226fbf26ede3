package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

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
 * {@code bin/sv2 pool --config FILE}: runs the pool until SIGTERM/SIGINT, then shuts down cleanly (stops accepting,
 * closes connections, drains the share ring so every accepted share is journaled, closes the journal).
 */
@Command(name = "pool", description = "Run the SV2 pool, a cluster frontend or a cluster node ([cluster] role), until SIGTERM.")
public final class PoolCommand implements Runnable
{
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
        runUntilSignalled(c, spec.commandLine().getOut(), statusIntervalSec, null);
    }

    /**
     * Starts pool and API, prints status lines, and blocks until the JVM is asked to stop. {@code extra} runs after
     * start (the demo's miner) and is closed first at shutdown.
     */
    static void runUntilSignalled(final EngineConfig c, final PrintWriter out, final int statusIntervalSec,
        final java.util.function.Function<PoolServer, AutoCloseable> extra)
    {
        final PoolServer pool = new PoolServer(c, MergeMiningCoordinator.FACTORY);
        // [cluster] role = "frontend": accounting is replicated by the cluster; acknowledgements wait for its commit
        final ClusterFrontend frontend = c.cluster().frontend() ? ClusterFrontend.start(c.cluster()) : null;
        if (frontend != null)
        {
            pool.accountingSink(frontend);
        }
        ApiServer api = null;
        AutoCloseable attached = null;
        final CountDownLatch stopped = new CountDownLatch(1);
        try
        {
            try
            {
                pool.start();
                if (c.api().enabled())
                {
                    api = new ApiServer(c.api().listenAddr(), pool, frontend);
                    api.start();
                    out.println("api: http://" + api.address().getHostString() + ":" + api.address().getPort() + "/");
                }
            }
            catch (final ConfigException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
            }
            catch (final java.io.IOException ex)
            {
                throw new CliException(ExitCode.FAILURE, "cannot start: " + ex.getMessage());
            }
            out.println("pool: stratum2+tcp://" + pool.sv2Address().getHostString() + ":" + pool.sv2Address().getPort() +
                "/" + pool.authorityPublicKey());
            out.flush();
            if (extra != null)
            {
                attached = extra.apply(pool);
            }
            final ApiServer apiRef = api;
            final AutoCloseable attachedRef = attached;
            final Thread hook = new Thread(() ->
            {
                closeQuietly(attachedRef);
                if (apiRef != null)
                {
                    apiRef.close();
                }
                pool.close();
                closeQuietly(frontend);
                stopped.countDown();
            }, "sv2-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (stopped.getCount() > 0)
            {
                if (statusIntervalSec > 0)
                {
                    stopped.await(statusIntervalSec, java.util.concurrent.TimeUnit.SECONDS);
                    if (stopped.getCount() > 0)
                    {
                        out.println(statusLine(pool.status()));
                        out.flush();
                    }
                }
                else
                {
                    stopped.await();
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            if (stopped.getCount() > 0)
            {
                closeQuietly(attached);
                if (api != null)
                {
                    api.close();
                }
                pool.close();
                closeQuietly(frontend);
            }
        }
    }

    static String statusLine(final PoolStatus s)
    {
        return String.format("height %d | hashrate %s | shares %d accepted, %d rejected | blocks %d found, %d accepted" +
            " | connections %d, channels %d | journal %d events",
            s.height(), hashrate(s.hashrate()), s.sharesAccepted(), s.sharesRejected(), s.blocksFound(), s.blocksAccepted(),
            s.connections(), s.channels(), s.journalEvents());
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
