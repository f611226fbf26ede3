package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bitcoincommons.sv2.loadgen.EchoFloor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench echo}: the latency floor of this machine. Starts a plain TCP echo server in a child process
 * (like {@code bench load} starts the pool) and measures send-to-echo time over N loopback connections at a total
 * message rate. Defaults match {@code bench load --rate R}: 992-byte messages are 16 encrypted shares, so
 * {@code --rate 15625} is the write rate of 250,000 shares/s.
 */
@Command(name = "echo", description = "Round-trip floor: a plain TCP echo child process, N clients at a rate.")
public final class BenchEchoCommand implements Runnable
{
    /** {@code --server-threads loop}: an event-loop echo server ({@link EchoFloor#serveOnLoop}). */
    static final String LOOP = "loop";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Client connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", defaultValue = "15625", description = "Total messages/s (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--bytes", defaultValue = "992", description = "Bytes per message (default ${DEFAULT-VALUE}).")
    int bytes;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--server-threads", defaultValue = "virtual",
        description = "virtual or platform: the echo server's thread per connection; loop: one event loop for all "
            + "connections, as the pool's io_loops (default ${DEFAULT-VALUE}).")
    String serverThreads;

    @Option(names = "--client-threads", defaultValue = "virtual",
        description = "virtual or platform: a reader and a sender thread per client; loop: one pacer thread sends for "
            + "every client and one event loop reads every echo, as bench load --client-threads loop "
            + "(default ${DEFAULT-VALUE}).")
    String clientThreads;

    @Option(names = "--server-jvm-opt", description = "Extra JVM option for the child server (repeatable).")
    List<String> serverJvmOpts = new ArrayList<>();

    @Option(names = "--serve", hidden = true, description = "Run as the echo server on this loopback port.")
    Integer serve;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (connections < 1 || rate <= 0 || bytes < 1 || bytes > 65536 || seconds <= 0 || warmup < 0)
        {
            throw new CliException(ExitCode.BAD_INPUT,
                "need --connections >= 1, --rate > 0, --bytes in [1, 65536], --seconds > 0, --warmup >= 0");
        }
        final boolean loop = LOOP.equals(serverThreads.toLowerCase(Locale.ROOT));
        final EchoFloor.Threads server = loop ? null : threads("--server-threads", serverThreads);
        final boolean clientLoop = LOOP.equals(clientThreads.toLowerCase(Locale.ROOT));
        final EchoFloor.Threads client = clientLoop ? null : threads("--client-threads", clientThreads);
        try
        {
            if (serve != null)
            {
                final InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), serve);
                if (loop)
                {
                    EchoFloor.serveOnLoop(address);
                }
                else
                {
                    EchoFloor.serve(address, server);
                }
                Thread.currentThread().join();
                return;
            }
            final int port = ChildPool.freePort();
            final Process child = start(port, server);
            try
            {
                final InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                waitListening(address, child);
                final CpuMeter cpu = new CpuMeter(child);
                final EchoFloor.Result r = clientLoop
                    ? EchoFloor.measureOnLoop(address, connections, rate, bytes, (long)(warmup * 1000),
                        (long)(seconds * 1000))
                    : EchoFloor.measure(address, connections, rate, bytes, (long)(warmup * 1000),
                        (long)(seconds * 1000), client);
                serverCores = cpu.childCores();
                clientCores = cpu.selfCores();
                print(r, server, client);
            }
            finally
            {
                child.destroy();
                child.waitFor();
            }
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static EchoFloor.Threads threads(final String option, final String value)
    {
        try
        {
            return EchoFloor.Threads.valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, option + " must be virtual, platform or loop: " + value);
        }
    }

    /** Average cores the echo server and this process (the clients) used over the whole run (warm-up included). */
    private double serverCores = -1;
    private double clientCores = -1;

    private void print(final EchoFloor.Result r, final EchoFloor.Threads server, final EchoFloor.Threads client)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections);
        m.put("message_bytes", bytes);
        m.put("offered_rate", rate);
        m.put("server_threads", server == null ? LOOP : server.name().toLowerCase(Locale.ROOT));
        m.put("client_threads", client == null ? LOOP : client.name().toLowerCase(Locale.ROOT));
        m.put("connect_seconds", r.connectSeconds());
        m.put("seconds", r.seconds());
        m.put("messages", r.messages());
        m.put("messages_per_second", r.messagesPerSecond());
        final Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", r.p50Us());
        l.put("p90", r.p90Us());
        l.put("p99", r.p99Us());
        l.put("p99_9", r.p999Us());
        l.put("max", r.maxUs());
        m.put("round_trip_us", l);
        m.put("server_cpu_cores", serverCores);
        m.put("client_cpu_cores", clientCores);
        final var out = spec.commandLine().getOut();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(m).toString());
        }
        else
        {
            m.forEach((k, v) -> out.println(k + ": " + v));
        }
    }

    private Process start(final int port, final EchoFloor.Threads server) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        final String root = System.getProperty("sv2.root.dir");
        if (root != null && Files.exists(Path.of(root, "etc/jvm.flags")))
        {
            cmd.add("@" + Path.of(root, "etc/jvm.flags"));
        }
        cmd.add("-Xmx256m");
        cmd.addAll(serverJvmOpts);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("bench", "echo", "--serve", Integer.toString(port),
            "--server-threads", server == null ? LOOP : server.name().toLowerCase(Locale.ROOT)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void waitListening(final InetSocketAddress address, final Process child)
        throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!child.isAlive())
            {
                throw new IOException("the echo server exited with code " + child.exitValue());
            }
            try (Socket probe = new Socket())
            {
                probe.connect(address, 1000);
                return;
            }
            catch (final IOException ex)
            {
                Thread.sleep(100);
            }
        }
        throw new IOException("the echo server did not start within 30 s");
    }
}
