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
import org.bitcoincommons.sv2.cluster.ClusterNode;
import org.bitcoincommons.sv2.cluster.TemplateFeeder;

/**
 * A cluster node's HTTP face: {@code /api/status} (member, role, log position, commands applied, duplicates),
 * {@code /api/accounting} (the replicated totals, the shape {@code bin/sv2 replay --json} prints) and Prometheus
 * {@code /metrics}; with a template feeder beside the node ({@code [cluster] templates = "cluster"}) its counters too
 * ({@code template_feeder} in the status, {@code sv2_cluster_feeder_*}). Reads only what the service and the feeder
 * publish; never touches the replicated state.
 */
public final class NodeApiServer implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ClusterNode node;
    private final TemplateFeeder feeder;

    public NodeApiServer(final InetSocketAddress address, final ClusterNode node) throws IOException
    {
        this(address, node, null);
    }

    /** @param feeder the template feeder running beside {@code node}, or null when none runs */
    public NodeApiServer(final InetSocketAddress address, final ClusterNode node, final TemplateFeeder feeder)
        throws IOException
    {
        this.node = node;
        this.feeder = feeder;
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
        return m;
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
