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

/**
 * A cluster node's HTTP face: {@code /api/status} (member, role, log position, commands applied, duplicates),
 * {@code /api/accounting} (the replicated totals, the shape {@code bin/sv2 replay --json} prints) and Prometheus
 * {@code /metrics}. Reads only what the service publishes; never touches the replicated state.
 */
public final class NodeApiServer implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ClusterNode node;

    public NodeApiServer(final InetSocketAddress address, final ClusterNode node) throws IOException
    {
        this.node = node;
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
        return m;
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
