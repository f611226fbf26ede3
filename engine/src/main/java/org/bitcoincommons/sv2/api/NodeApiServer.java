package org.bitcoincommons.sv2.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.bitcoincommons.sv2.cluster.AccountingService;
import org.bitcoincommons.sv2.cluster.AuxFeeder;
import org.bitcoincommons.sv2.cluster.ClusterNode;
import org.bitcoincommons.sv2.cluster.TemplateFeeder;

/**
 * A cluster node's HTTP face: {@code /api/status} (member, role, log position, commands applied, duplicates),
 * {@code /api/accounting} (the replicated totals, the shape {@code bin/sv2 replay --json} prints) and Prometheus
 * {@code /metrics}; with a template feeder beside the node ({@code [cluster] templates = "cluster"}) its counters too
 * ({@code template_feeder} in the status, {@code sv2_cluster_feeder_*}); with an aux feeder ({@code aux = "cluster"})
 * its counters ({@code aux_feeder}, {@code sv2_cluster_aux_feeder_*}) and the replicated aux counts per chain ({@code
 * aux}, {@code sv2_cluster_aux_chain_*} with label {@code chain}). Reads only what the service and the feeders publish;
 * never touches the replicated state.
 */
public final class NodeApiServer implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ClusterNode node;
    private final TemplateFeeder feeder;
    private final AuxFeeder auxFeeder;

    public NodeApiServer(final InetSocketAddress address, final ClusterNode node) throws IOException
    {
        this(address, node, null);
    }

    /** @param feeder the template feeder running beside {@code node}, or null when none runs */
    public NodeApiServer(final InetSocketAddress address, final ClusterNode node, final TemplateFeeder feeder)
        throws IOException
    {
        this(address, node, feeder, null);
    }

    /**
     * @param feeder    the template feeder running beside {@code node}, or null when none runs
     * @param auxFeeder the aux feeder running beside {@code node}, or null when none runs
     */
    public NodeApiServer(final InetSocketAddress address, final ClusterNode node, final TemplateFeeder feeder,
        final AuxFeeder auxFeeder) throws IOException
    {
        this.node = node;
        this.feeder = feeder;
        this.auxFeeder = auxFeeder;
        this.server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        final PrometheusRegistry registry = new PrometheusRegistry();
        final AccountingService s = node.service();
        GaugeWithCallback.builder().name("sv2_cluster_node_leader").help("1 when this node is the leader")
            .callback(cb -> cb.call("LEADER".equals(s.role().name()) ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("sv2_cluster_node_log_position").help("Log position of the last command applied")
            .callback(cb -> cb.call(s.published().logPosition())).register(registry);
        CounterWithCallback.builder().name("sv2_cluster_commands_applied").help("Frontend commands applied")
            .callback(cb -> cb.call(s.published().commandsApplied())).register(registry);
        CounterWithCallback.builder().name("sv2_cluster_commands_duplicate").help("Re-sent commands recognised as applied")
            .callback(cb -> cb.call(s.published().duplicates())).register(registry);
        CounterWithCallback.builder().name("sv2_cluster_shares_accepted").help("Shares in the replicated accounting")
            .callback(cb -> cb.call(((Number)s.published().accounting().get("shares_accepted")).doubleValue()))
            .register(registry);
        if (feeder != null)
        {
            registerFeeder(registry, feeder);
        }
        if (auxFeeder != null)
        {
            registerAux(registry, auxFeeder, s);
        }
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/api/status", ex -> json(ex, status()));
        server.createContext("/api/accounting", ex -> json(ex, s.published().accounting()));
    }

    Map<String, Object> status()
    {
        final AccountingService.Published p = node.service().published();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "node");
        m.put("member_id", node.memberId());
        m.put("node_role", p.role().toLowerCase(java.util.Locale.ROOT));
        m.put("log_position", p.logPosition());
        m.put("commands_applied", p.commandsApplied());
        m.put("commands_duplicate", p.duplicates());
        m.put("commands_stale", p.stale());
        m.put("commands_rejected", p.rejected());
        m.put("snapshots_taken", node.service().snapshotsTaken());
        m.put("shares_accepted", p.accounting().get("shares_accepted"));
        m.put("templates_too_large_for_session", node.service().templatesTooLargeForSession());
        if (feeder != null)
        {
            m.put("template_feeder", feeder.status());
        }
        if (auxFeeder != null)
        {
            m.put("aux_feeder", auxFeeder.status());
            m.put("aux", node.service().auxStatus());
        }
        return m;
    }

    private static void registerAux(final PrometheusRegistry registry, final AuxFeeder f, final AccountingService s)
    {
        final int feeding = AuxFeeder.COUNTER_NAMES.indexOf("feeding");
        GaugeWithCallback.builder().name("sv2_cluster_aux_feeder_feeding")
            .help("1 while this node leads and its aux feeder feeds the cluster")
            .callback(cb -> cb.call(f.counter(feeding))).register(registry);
        auxCounter(registry, f, "work_polled", "New aux work the feeder's pollers fetched");
        auxCounter(registry, f, "poll_failures", "Failed polls of the aux nodes");
        auxCounter(registry, f, "work_fed", "Aux work (new or re-sent) the cluster's ingress took from the feeder");
        auxCounter(registry, f, "proofs_received", "Aux proofs frontends sent the feeder");
        auxCounter(registry, f, "proofs_submitted", "Aux proofs the feeder submitted to aux nodes");
        auxCounter(registry, f, "proofs_accepted", "Aux proofs the aux nodes accepted");
        auxCounter(registry, f, "proofs_rejected", "Aux proofs the aux nodes rejected");
        auxCounter(registry, f, "proofs_unanswered", "Aux submissions the aux node never answered");
        auxCounter(registry, f, "results_fed", "Aux outcomes the cluster's ingress took from the feeder");
        GaugeWithCallback.builder().name("sv2_cluster_aux_proofs_waiting")
            .help("Aux proofs the cluster recorded and has no outcome for")
            .callback(cb -> cb.call(((Number)s.auxStatus().getOrDefault("aux_proofs_waiting", 0)).doubleValue()))
            .register(registry);
        auxChainCounter(registry, s, "proofs", "Distinct aux proofs the cluster recorded, per chain");
        auxChainCounter(registry, s, "repeats", "Aux proofs recorded again (retries, other frontends), per chain");
        auxChainCounter(registry, s, "accepted", "Aux proofs the cluster recorded as accepted, per chain");
        auxChainCounter(registry, s, "rejected", "Aux proofs the cluster recorded as rejected, per chain");
    }

    private static void auxCounter(final PrometheusRegistry registry, final AuxFeeder f, final String key,
        final String help)
    {
        final int index = AuxFeeder.COUNTER_NAMES.indexOf(key);
        CounterWithCallback.builder().name("sv2_cluster_aux_feeder_" + key).help(help)
            .callback(cb -> cb.call(f.counter(index))).register(registry);
    }

    private static void auxChainCounter(final PrometheusRegistry registry, final AccountingService s, final String key,
        final String help)
    {
        CounterWithCallback.builder().name("sv2_cluster_aux_chain_" + key).help(help).labelNames("chain")
            .callback(cb ->
            {
                if (s.auxStatus().get("aux_chains") instanceof Map<?, ?> chains)
                {
                    chains.forEach((name, counts) ->
                    {
                        if (counts instanceof Map<?, ?> c && c.get(key) instanceof Number n)
                        {
                            cb.call(n.doubleValue(), String.valueOf(name));
                        }
                    });
                }
            }).register(registry);
    }

    private static void registerFeeder(final PrometheusRegistry registry, final TemplateFeeder f)
    {
        final int feeding = TemplateFeeder.COUNTER_NAMES.indexOf("feeding");
        GaugeWithCallback.builder().name("sv2_cluster_feeder_feeding")
            .help("1 while this node leads and its template feeder feeds the cluster")
            .callback(cb -> cb.call(f.counter(feeding))).register(registry);
        counter(registry, f, "sv2_cluster_feeder_templates_received", "templates_received",
            "Templates the feeder's source delivered");
        counter(registry, f, "sv2_cluster_feeder_templates_fed", "templates_fed",
            "Templates the cluster's ingress took from the feeder");
        counter(registry, f, "sv2_cluster_feeder_templates_too_large", "templates_too_large",
            "Templates not sent: larger than one message (1/8 of log_term_length)");
        counter(registry, f, "sv2_cluster_feeder_source_failures", "source_failures",
            "Times the feeder's template source went down or not ready");
        counter(registry, f, "sv2_cluster_feeder_session_failures", "session_failures",
            "Failed connects and lost sessions of the feeder to the cluster");
        final int height = TemplateFeeder.COUNTER_NAMES.indexOf("last_height");
        GaugeWithCallback.builder().name("sv2_cluster_feeder_last_height")
            .help("Height of the last template the feeder fed; -1 before any")
            .callback(cb -> cb.call(f.counter(height))).register(registry);
    }

    private static void counter(final PrometheusRegistry registry, final TemplateFeeder f, final String name,
        final String key, final String help)
    {
        final int index = TemplateFeeder.COUNTER_NAMES.indexOf(key);
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.counter(index))).register(registry);
    }

    public void start()
    {
        server.start();
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private static void json(final HttpExchange ex, final Object value) throws IOException
    {
        final byte[] body = JSON.writeValueAsBytes(value);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody())
        {
            out.write(body);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
