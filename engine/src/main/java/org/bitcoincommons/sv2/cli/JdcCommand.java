package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.config.JdcConfig;
import org.bitcoincommons.sv2.engine.EndpointBindException;
import org.bitcoincommons.sv2.engine.JobDeclarationClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 jdc --config FILE}: runs the Job Declaration client ({@link JobDeclarationClient}) until SIGTERM or
 * SIGINT, printing a status line every {@code --status-interval} seconds ({@code --json}: one JSON object a line),
 * then closes both upstream connections and the local pool (its journal drained) and exits 0.
 */
@Command(name = "jdc",
    description = "Run the Job Declaration client ([jdc] section): the farm's miners mine the client's own templates "
        + "on the pool, declared to the pool's JDS; solo fallback while the JDS refuses or is away.")
public final class JdcCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "TOML configuration with a [jdc] section (see etc/jdc.example.toml).")
    Path config;

    @Option(names = "--status-interval", paramLabel = "SEC", defaultValue = "10",
        description = "Seconds between status lines on stdout; 0 for none (default ${DEFAULT-VALUE}).")
    int statusIntervalSec;

    @Option(names = "--json", description = "Status lines as JSON objects.")
    boolean json;

    @Override
    public void run()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final EngineConfig c;
        try
        {
            c = EngineConfig.load(config);
            if (!c.jdc().enabled())
            {
                throw new ConfigException("jdc.upstream_addr: " + config + " has no [jdc] section");
            }
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        final JobDeclarationClient jdc;
        try
        {
            jdc = JobDeclarationClient.builder(c).start();
        }
        catch (final EndpointBindException ex)
        {
            throw PoolCommand.inUse(ex.key(), ex.address(), "", (BindException)ex.getCause());
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot start: " + ex.getMessage());
        }
        out.println("jdc: farm miners connect to stratum2+tcp://" + jdc.downstreamAddress().getHostString() + ":" +
            jdc.downstreamAddress().getPort() + "/" + jdc.authorityPublicKey());
        for (int i = 0; i < c.jdc().upstreams().size(); i++)
        {
            final JdcConfig.Upstream u = c.jdc().upstreams().get(i);
            out.println("jdc: upstream #" + i + ": pool " + u.upstreamAddr() + ", JDS " + u.jdsAddr() + " (user " +
                u.userIdentity() + ")");
        }
        out.println("jdc: " + c.jdc().mode() + ", fallback " + c.jdc().fallback() +
            (c.jdc().upstreams().size() > 1 ? ", the next upstream after a failure" : ""));
        out.flush();
        final Thread hook = new Thread(jdc::close, "sv2-jdc-shutdown");
        try (StopSignals signals = StopSignals.install())
        {
            Runtime.getRuntime().addShutdownHook(hook);
            if (statusIntervalSec > 0)
            {
                while (!signals.await(statusIntervalSec, TimeUnit.SECONDS))
                {
                    out.println(line(jdc.status()));
                    out.flush();
                }
            }
            else
            {
                signals.await();
            }
            out.println("stopping on " + signals.received());
            out.flush();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            jdc.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is already shutting down
            }
        }
        out.println("stopped: " + line(jdc.status()));
        out.flush();
    }

    private String line(final Map<String, Object> s)
    {
        if (json)
        {
            try
            {
                return Json.MAPPER.writeValueAsString(s);
            }
            catch (final JsonProcessingException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return String.format("%s on upstream #%s %s (switches %s) | declared %s, refused %s, custom jobs %s, "
            + "stale tips %s | shares forwarded %s, "
            + "accepted upstream %s | blocks %s, pushed %s | fallbacks %s, recoveries %s%s", s.get("mode"),
            s.get("upstream_index"), s.get("upstream_addr"), s.get("upstream_switches"),
            s.get("jobs_declared"), s.get("declarations_refused"), s.get("custom_jobs"), s.get("stale_chain_tip"),
            s.get("shares_forwarded"), s.get("shares_accepted_upstream"), s.get("blocks_found"),
            s.get("push_solutions"), s.get("fallbacks"), s.get("recoveries"),
            String.valueOf(s.get("last_error")).isEmpty() ? "" : " | last error: " + s.get("last_error"));
    }
}
