package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The acknowledgement tail beside its floor, in one run: for each rate, rounds of {@code bench echo} (a plain TCP echo
 * child with the same connections, bytes per write and write rate) and {@code bench load} (the pool child with
 * encrypted miners), alternated so that both see the same machine. Prints every run and, per rate, the median p50 and
 * p99 of each and the ratio pool / floor, which is what the goals are stated in.
 */
@Command(name = "tail",
    description = "Ack latency p50/p99 of the pool beside the echo floor at the same connections, bytes and rates, "
        + "alternating rounds (one JSON object with --json).",
    mixinStandardHelpOptions = true)
public final class BenchTailCommand implements Runnable
{
    /** Wire bytes of one encrypted SubmitSharesStandard frame (6-byte header, 32 bytes, two 16-byte AEAD tags). */
    static final int SHARE_WIRE_BYTES = 62;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rates", defaultValue = "20000,250000", split = ",",
        description = "Shares/s to measure at (default ${DEFAULT-VALUE}).")
    double[] rates;

    @Option(names = "--rounds", defaultValue = "2", description = "Echo-then-pool rounds per rate (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--batch", defaultValue = "16", description = "Shares per write (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "8", description = "Measured seconds per run (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "4", description = "Warm-up seconds per run (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--pool-config", paramLabel = "TOML", description = "Extra [pool] keys for the pool child (repeatable).")
    List<String> poolConfig = new ArrayList<>();

    @Option(names = "--pool-jvm-opt", description = "Extra JVM option for the pool child (repeatable), e.g. a GC; "
        + "the echo floor's child keeps the defaults.")
    List<String> poolJvmOpts = new ArrayList<>();

    @Option(names = "--echo-server-threads", defaultValue = "virtual",
        description = "The echo floor's server: virtual or platform (a thread per connection) or loop (one event loop, "
            + "as the pool's io_loops) (default ${DEFAULT-VALUE}).")
    String echoServerThreads;

    @Option(names = "--client-threads", defaultValue = "virtual", paramLabel = "virtual|loop",
        description = "The clients of both runs: virtual, a reader thread per connection (the echo's clients also a "
            + "sender each, the pool's miners one pacer); loop, one pacer thread sends and one event loop reads for "
            + "all connections in both runs (default ${DEFAULT-VALUE}).")
    String clientThreads;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<Map<String, Object>> perRate = new ArrayList<>();
        for (final double rate : rates)
        {
            final List<JsonNode> echoRuns = new ArrayList<>();
            final List<JsonNode> poolRuns = new ArrayList<>();
            for (int round = 1; round <= rounds; round++)
            {
                if (!json)
                {
                    err.printf("tail: %,.0f shares/s, round %d of %d: echo floor, then pool%n", rate, round, rounds);
                    err.flush();
                }
                echoRuns.add(runJson(new BenchEchoCommand(), "--connections", String.valueOf(connections),
                    "--rate", String.valueOf(rate / batch), "--bytes", String.valueOf(batch * SHARE_WIRE_BYTES),
                    "--seconds", String.valueOf(seconds), "--warmup", String.valueOf(warmup),
                    "--server-threads", echoServerThreads, "--client-threads", clientThreads, "--json"));
                final List<String> load = new ArrayList<>(List.of("--connections", String.valueOf(connections),
                    "--rate", String.valueOf(rate), "--batch", String.valueOf(batch), "--seconds", String.valueOf(seconds),
                    "--warmup", String.valueOf(warmup), "--client-threads", clientThreads, "--json"));
                for (final String c : poolConfig)
                {
                    load.add("--pool-config");
                    load.add(c);
                }
                for (final String o : poolJvmOpts)
                {
                    load.add("--pool-jvm-opt=" + o);
                }
                poolRuns.add(runJson(new BenchLoadCommand(), load.toArray(String[]::new)));
            }
            final double echoP50 = median(echoRuns, "round_trip_us", "p50");
            final double echoP99 = median(echoRuns, "round_trip_us", "p99");
            final double poolP50 = median(poolRuns, "ack_latency_us", "p50");
            final double poolP99 = median(poolRuns, "ack_latency_us", "p99");
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("shares_per_second", rate);
            m.put("echo_messages_per_second", rate / batch);
            m.put("echo_p50_us", echoP50);
            m.put("echo_p99_us", echoP99);
            m.put("pool_p50_us", poolP50);
            m.put("pool_p99_us", poolP99);
            m.put("p99_ratio", Math.round(poolP99 / echoP99 * 100) / 100.0);
            m.put("echo_runs", echoRuns);
            m.put("pool_runs", poolRuns);
            perRate.add(m);
            if (!json)
            {
                out.printf("%,9.0f shares/s: echo floor p50 %,8.0f us p99 %,8.0f us | pool p50 %,8.0f us p99 %,8.0f us "
                    + "| p99 %.2fx the floor (median of %d rounds)%n", rate, echoP50, echoP99, poolP50, poolP99,
                    poolP99 / echoP99, rounds);
                out.flush();
            }
        }
        if (json)
        {
            final Map<String, Object> all = new LinkedHashMap<>();
            all.put("connections", connections);
            all.put("batch", batch);
            all.put("seconds", seconds);
            all.put("warmup", warmup);
            all.put("rounds", rounds);
            all.put("pool_jvm_opts", poolJvmOpts);
            all.put("pool_config", poolConfig);
            all.put("echo_server_threads", echoServerThreads);
            all.put("client_threads", clientThreads);
            all.put("rates", perRate);
            try
            {
                out.println(Json.MAPPER.writeValueAsString(all));
            }
            catch (final JsonProcessingException ex)
            {
                throw new CliException(ExitCode.FAILURE, ex.getMessage());
            }
            out.flush();
        }
    }

    /** Runs a bench subcommand in this process and parses the one JSON object it prints. */
    private static JsonNode runJson(final Runnable command, final String... args)
    {
        final StringWriter text = new StringWriter();
        final StringWriter errors = new StringWriter();
        final CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(text, true));
        cl.setErr(new PrintWriter(errors, true));
        final int code = cl.execute(args);
        if (code != 0)
        {
            // what the run said (its error, a child's last lines), without the stack trace below it
            final String said = errors.toString().lines().filter(l -> !l.startsWith("\tat ")).limit(8)
                .collect(java.util.stream.Collectors.joining("\n"));
            throw new CliException(ExitCode.FAILURE, "bench " + cl.getCommandName() + " " + Arrays.toString(args) +
                " failed (exit " + code + ")" + (said.isBlank() ? "" : ":\n" + said));
        }
        try
        {
            final String s = text.toString().trim();
            return Json.MAPPER.readTree(s.substring(s.lastIndexOf("\n{") + 1));
        }
        catch (final JsonProcessingException ex)
        {
            throw new CliException(ExitCode.FAILURE, "bench " + cl.getCommandName() + ": no JSON: " + ex.getMessage());
        }
    }

    private static double median(final List<JsonNode> runs, final String group, final String field)
    {
        final double[] v = runs.stream().mapToDouble(r -> r.path(group).path(field).asDouble()).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
