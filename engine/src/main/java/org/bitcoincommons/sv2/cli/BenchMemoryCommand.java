package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.loadgen.ConnectionStates;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench memory [--connections N] [--json]}: what the pool keeps per connection in every state a client
 * can leave it in (ConnectionStates), measured in a child pool: heap after a full collection and direct memory, with
 * N connections held in one state at a time, minus the same figures with none. The pool's own limits that bound each
 * state are reported beside it. Handshake timeout and frame deadline are lifted in the child so that the states hold
 * long enough to be measured (in production they end after 10 s).
 */
@Command(name = "memory", description = "Memory the pool keeps per connection in each connection state.")
public final class BenchMemoryCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "500", description = "Connections per state (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pool-heap", defaultValue = "2g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--state", description = "Only these states (repeatable; default all).")
    List<ConnectionStates.State> only = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    private static final int MAX_PAYLOAD = 65_536;
    private static final int MAX_CHANNELS_WITHOUT_SHARES = 64;
    private static final int OUTBOUND = 256 * 1024;

    @Override
    public void run()
    {
        if (connections < 1)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --connections >= 1");
        }
        Process pool = null;
        Path tmp = null;
        final Map<String, Object> out = new LinkedHashMap<>();
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-memory");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final byte[] pub = AuthorityKeys.publicOf(secret);
            final int sv2Port = ChildPool.freePort();
            final int sv1Port = ChildPool.freePort();
            final int apiPort = ChildPool.freePort();
            final String token = java.util.HexFormat.of().formatHex(pub, 0, 16);
            final Path config = tmp.resolve("pool.toml");
            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:%d"
                handshake_timeout_ms = 600000
                frame_deadline_ms = 600000
                max_mining_payload_bytes = %d
                [stratum_v2.noise]
                authority_public_key = "%s"
                authority_secret_key = "%s"
                [pool]
                # every connection comes from 127.0.0.1: no per-address limits in a benchmark
                max_connections_per_ip = 10000000
                connect_rate_per_ip = 1000000000.0
                connect_burst_per_ip = 10000000
                max_unauthenticated = 10000000
                journal_dir = "%s"
                max_connections = 100000
                max_channels_without_shares = %d
                outbound_queue_bytes = %d
                [sv1]
                enabled = true
                listen_addr = "127.0.0.1:%d"
                [template]
                embedded_bits = "207fffff"
                [api]
                listen_addr = "127.0.0.1:%d"
                admin_token = "%s"
                """.formatted(sv2Port, MAX_PAYLOAD, AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret),
                tmp.resolve("journal").toString().replace("\\", "/"), MAX_CHANNELS_WITHOUT_SHARES, OUTBOUND, sv1Port,
                apiPort, token));
            pool = ChildPool.startPool(config, tmp.resolve("pool.log"), poolHeap, List.of());
            final URI api = URI.create("http://127.0.0.1:" + apiPort);
            ChildPool.waitReady(api, pool, tmp.resolve("pool.log"));
            final JsonNode base = ChildPool.get(api, "/api/memory?gc=1");
            out.put("connections_per_state", connections);
            out.put("baseline_heap_bytes", base.get("heap_used_bytes").asLong());
            final Map<String, Object> states = new LinkedHashMap<>();
            for (final ConnectionStates.State state : ConnectionStates.State.values())
            {
                if (!only.isEmpty() && !only.contains(state))
                {
                    continue;
                }
                progress(state + ": opening " + connections);
                final JsonNode before = ChildPool.get(api, "/api/memory?gc=1");
                try (ConnectionStates cs = new ConnectionStates(new InetSocketAddress("127.0.0.1", sv2Port),
                    new InetSocketAddress("127.0.0.1", sv1Port), pub, MAX_CHANNELS_WITHOUT_SHARES, MAX_PAYLOAD))
                {
                    final int held = cs.open(state, connections);
                    final Map<String, Object> m0 = new LinkedHashMap<>();
                    if (state == ConnectionStates.State.NEVER_READS)
                    {
                        m0.put("jobs_pushed", fillQueues(api, token));
                        m0.put("closed_as_slow_readers", connections - ChildPool.get(api, "/api/memory").get("connections")
                            .asLong());
                    }
                    Thread.sleep(1_500);   // the pool's reads of what was sent, and one status tick
                    final JsonNode after = ChildPool.get(api, "/api/memory?gc=1");
                    final Map<String, Object> m = new LinkedHashMap<>(m0);
                    m.put("held", held);
                    m.put("failed", cs.failures());
                    final long heap = after.get("heap_used_bytes").asLong() - before.get("heap_used_bytes").asLong();
                    final long direct = after.get("direct_bytes").asLong() - before.get("direct_bytes").asLong();
                    m.put("heap_per_connection_bytes", held == 0 ? 0 : heap / held);
                    m.put("direct_per_connection_bytes", held == 0 ? 0 : direct / held);
                    m.put("pool_connections", after.get("connections").asLong());
                    m.put("bounded_by", bound(state));
                    states.put(state.name().toLowerCase(java.util.Locale.ROOT), m);
                }
                // the pool sees the resets and forgets them before the next state
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (ChildPool.get(api, "/api/status").get("connections").asLong() > 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(200);
                }
            }
            out.put("states", states);
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        finally
        {
            ChildPool.stop(pool);
            ChildPool.deleteQuietly(tmp);
        }
        final var o = spec.commandLine().getOut();
        if (json)
        {
            o.println(Json.MAPPER.valueToTree(out).toString());
        }
        else
        {
            out.forEach((k, v) -> o.println(k + ": " + v));
        }
        o.flush();
    }

    /** What bounds the state, as the pool is configured here. */
    private static String bound(final ConnectionStates.State state)
    {
        return switch (state)
        {
            case TCP_IDLE, HALF_ACT1, NOISE_NO_SETUP -> "stratum_v2.handshake_timeout_ms (ends the state; 10 s by default)";
            case SETUP_NO_CHANNEL, ONE_CHANNEL, SV1_AUTHORIZED -> "fixed per connection";
            case CHANNELS_WITHOUT_SHARES -> "pool.max_channels_without_shares = " + MAX_CHANNELS_WITHOUT_SHARES;
            case PARTIAL_FRAME -> "one Noise chunk (at most 65,535 B) buffered while incomplete; the frame's " +
                "max_mining_payload_bytes = " + MAX_PAYLOAD + " and frame_deadline_ms";
            case NEVER_READS -> "pool.outbound_queue_bytes = " + OUTBOUND + " (direct memory; then the connection closes)";
        };
    }

    /** New jobs for every channel until the never-reading clients' queues are full (or 8,000 rounds). */
    private static int fillQueues(final URI api, final String token) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final JsonNode workers = ChildPool.get(api, "/api/workers?per_page=1");
        if (workers.get("workers").isEmpty())
        {
            return 0;
        }
        final int channel = workers.get("workers").get(0).get("channel_id").asInt();
        int i = 0;
        for (; i < 8_000; i++)
        {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/extranonce-prefix?channel_id="
                + channel)).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200)
            {
                return i;   // that channel's connection was closed as a slow reader: the queues are full
            }
        }
        return i;
    }

    private void progress(final String line)
    {
        spec.commandLine().getErr().println("bench memory: " + line);
        spec.commandLine().getErr().flush();
    }
}
