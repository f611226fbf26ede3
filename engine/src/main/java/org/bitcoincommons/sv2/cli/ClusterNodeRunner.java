package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.api.NodeApiServer;
import org.bitcoincommons.sv2.cluster.AccountingService;
import org.bitcoincommons.sv2.cluster.ClusterNode;
import org.bitcoincommons.sv2.config.EngineConfig;

/**
 * {@code bin/sv2 pool --config FILE} with {@code [cluster] role = "node"}: one cluster member (resuming from its
 * snapshot and log), its template feeder with {@code templates = "cluster"}, and its API, until SIGTERM/SIGINT.
 */
final class ClusterNodeRunner
{
    private ClusterNodeRunner()
    {
    }

    /** The aux feeder's part of the periodic status line. */
    static String auxFeederLine(final org.bitcoincommons.sv2.cluster.AuxFeeder feeder)
    {
        final java.util.Map<String, Object> f = feeder.status();
        return " | aux feeder " + f.get("state") + ", " + f.get("work_fed") + " work fed, " + f.get("proofs_submitted") +
            " proofs submitted, " + f.get("proofs_accepted") + " accepted, " + f.get("proofs_rejected") + " rejected";
    }

    /** The feeder's part of the periodic status line. */
    static String feederLine(final org.bitcoincommons.sv2.cluster.TemplateFeeder feeder)
    {
        final java.util.Map<String, Object> f = feeder.status();
        return " | template feeder " + f.get("state") + ", " + f.get("templates_fed") + " fed, " +
            f.get("templates_too_large") + " too large, last height " + f.get("last_height");
    }

    static void runUntilSignalled(final EngineConfig c, final PrintWriter out, final int statusIntervalSec)
    {
        final ClusterNode node;
        try
        {
            node = ClusterNode.launch(c.cluster(), ClusterNode.Start.RESUME);
        }
        catch (final RuntimeException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot start cluster node " + c.cluster().memberId() + ": " + ex);
        }
        final org.bitcoincommons.sv2.cluster.TemplateFeeder feeder;
        try
        {
            feeder = c.cluster().clusterTemplates() ? org.bitcoincommons.sv2.cluster.TemplateFeeder.start(c, node) : null;
        }
        catch (final RuntimeException ex)
        {
            node.close();
            throw new CliException(ExitCode.FAILURE, "cannot start the template feeder: " + ex.getMessage());
        }
        org.bitcoincommons.sv2.cluster.AuxFeeder auxFeeder = null;
        try
        {
            auxFeeder = c.cluster().clusterAux() ? org.bitcoincommons.sv2.cluster.AuxFeeder.start(c, node) : null;
        }
        catch (final RuntimeException ex)
        {
            if (feeder != null)
            {
                feeder.close();
            }
            node.close();
            throw new CliException(ExitCode.FAILURE, "cannot start the aux feeder: " + ex.getMessage());
        }
        final org.bitcoincommons.sv2.cluster.AuxFeeder auxFeederRef = auxFeeder;
        NodeApiServer api = null;
        final CountDownLatch stopped = new CountDownLatch(1);
        try
        {
            if (c.api().enabled())
            {
                try
                {
                    api = new NodeApiServer(c.api().listenAddr(), node, feeder, auxFeederRef);
                    api.start();
                    out.println("api: http://" + api.address().getHostString() + ":" + api.address().getPort() + "/");
                }
                catch (final java.io.IOException ex)
                {
                    throw new CliException(ExitCode.FAILURE, "cannot start the API: " + ex.getMessage());
                }
            }
            out.println("cluster node " + c.cluster().memberId() + " of " + c.cluster().members().size() + ": ingress " +
                c.cluster().endpoint(c.cluster().memberId(), org.bitcoincommons.sv2.config.ClusterConfig.INGRESS_PORT_OFFSET));
            out.flush();
            final NodeApiServer apiRef = api;
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                if (apiRef != null)
                {
                    apiRef.close();
                }
                if (feeder != null)
                {
                    feeder.close();
                }
                if (auxFeederRef != null)
                {
                    auxFeederRef.close();
                }
                node.close();
                stopped.countDown();
            }, "sv2-shutdown"));
            while (stopped.getCount() > 0)
            {
                if (statusIntervalSec > 0)
                {
                    if (!stopped.await(statusIntervalSec, TimeUnit.SECONDS))
                    {
                        final AccountingService.Published p = node.service().published();
                        out.printf("node %d %s | log position %d | commands %d applied, %d duplicate | shares %s%s%n",
                            node.memberId(), p.role().toLowerCase(java.util.Locale.ROOT), p.logPosition(),
                            p.commandsApplied(), p.duplicates(), p.accounting().get("shares_accepted"),
                            (feeder == null ? "" : feederLine(feeder)) +
                            (auxFeederRef == null ? "" : auxFeederLine(auxFeederRef)));
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
                if (api != null)
                {
                    api.close();
                }
                if (feeder != null)
                {
                    feeder.close();
                }
                if (auxFeederRef != null)
                {
                    auxFeederRef.close();
                }
                node.close();
            }
        }
    }
}
