package org.bitcoincommons.sv2.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bitcoincommons.sv2.cluster.ClusterStatus;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 cluster status|snapshot --config NODE.toml}: asks a running cluster node (on this machine, through
 * its cluster directory) for the members, the leader, log positions and commit lag, or to take a snapshot.
 */
@Command(name = "cluster", description = "Inspect or snapshot a running cluster node.",
    subcommands = {ClusterCommand.Status.class, ClusterCommand.Snapshot.class})
public final class ClusterCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ClusterConfig nodeConfig(final Path file)
    {
        final ClusterConfig c;
        try
        {
            c = EngineConfig.load(file).cluster();
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        if (!c.node())
        {
            throw new CliException(ExitCode.BAD_INPUT, file + ": cluster.role must be \"node\" (got \"" + c.role() + "\")");
        }
        return c;
    }

    /** {@code bin/sv2 cluster status --config NODE.toml [--json]}. */
    @Command(name = "status", description = "Members, leader, log positions and commit lag, as a running node sees them; " +
        "the counters of its template feeder when one runs.")
    static final class Status implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's TOML configuration.")
        Path config;

        @Option(names = "--timeout-ms", defaultValue = "5000", paramLabel = "MS",
            description = "How long to wait for the node (default ${DEFAULT-VALUE}).")
        long timeoutMs;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public void run()
        {
            final Map<String, Object> s;
            try
            {
                s = ClusterStatus.query(nodeConfig(config), timeoutMs);
            }
            catch (final IllegalStateException ex)
            {
                throw new CliException(ExitCode.FAILURE, ex.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                out.println(Json.MAPPER.valueToTree(s).toString());
                return;
            }
            out.printf("node %s (%s), leader %s, commit position %s, snapshots %s%n", s.get("member_id"), s.get("role"),
                s.get("leader_member_id"), s.get("commit_position"), s.get("snapshots"));
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> members = (List<Map<String, Object>>)s.get("members");
            for (final Map<String, Object> m : members)
            {
                out.printf("  member %s%s  ingress %s  log position %s  commit lag %s bytes%n", m.get("id"),
                    Boolean.TRUE.equals(m.get("leader")) ? " (leader)" : "", m.get("ingress_endpoint"),
                    m.get("log_position"), m.get("commit_lag_bytes"));
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> f = (Map<String, Object>)s.get("template_feeder");
            if (f != null)
            {
                out.printf("  template feeder %s: %s received, %s fed, %s too large, %s source failures, " +
                    "%s session failures, last height %s in term %s%n", f.get("state"), f.get("templates_received"),
                    f.get("templates_fed"), f.get("templates_too_large"), f.get("source_failures"),
                    f.get("session_failures"), f.get("last_height"), f.get("leadership_term_id"));
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> a = (Map<String, Object>)s.get("aux_feeder");
            if (a != null)
            {
                out.printf("  aux feeder %s: %s work polled, %s poll failures, %s work fed, %s proofs received, " +
                    "%s submitted, %s accepted, %s rejected, %s unanswered, %s results fed%n", a.get("state"),
                    a.get("work_polled"), a.get("poll_failures"), a.get("work_fed"), a.get("proofs_received"),
                    a.get("proofs_submitted"), a.get("proofs_accepted"), a.get("proofs_rejected"),
                    a.get("proofs_unanswered"), a.get("results_fed"));
            }
        }
    }

    /** {@code bin/sv2 cluster snapshot --config NODE.toml}. */
    @Command(name = "snapshot", description = "Have the cluster take a snapshot (all members, same log position); " +
        "run it with the leader's configuration (bin/sv2 cluster status names the leader).")
    static final class Snapshot implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's TOML configuration.")
        Path config;

        @Override
        public void run()
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final boolean ok;
            try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8))
            {
                ok = ClusterStatus.snapshot(nodeConfig(config), ps);
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.print(bytes.toString(StandardCharsets.UTF_8));
            if (!ok)
            {
                throw new CliException(ExitCode.FAILURE, "the snapshot was not taken");
            }
        }
    }
}
