package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The child processes the {@code bench} commands run beside themselves (a pool, a floor server): the same java, the
 * same class path and the JVM flags of {@code etc/jvm.flags}, so that each has its own heap and file-descriptor limit.
 */
final class ChildPool
{
    private ChildPool()
    {
    }

    /**
     * Starts {@code bin/sv2 ARGS} as a child process, its output to {@code log}.
     *
     * @param heap    the child's -Xmx, e.g. "2g"
     * @param jvmOpts extra JVM options
     */
    static Process start(final List<String> args, final Path log, final String heap, final List<String> jvmOpts)
        throws IOException
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> cmd = new ArrayList<>();
        cmd.add(java);
        final String root = System.getProperty("sv2.root.dir");
        if (root != null && Files.exists(Path.of(root, "etc/jvm.flags")))
        {
            cmd.add("@" + Path.of(root, "etc/jvm.flags"));
        }
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOpts);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A pool running {@code config}, without status lines. */
    static Process startPool(final Path config, final Path log, final String heap, final List<String> jvmOpts)
        throws IOException
    {
        return start(List.of("pool", "--config", config.toString(), "--status-interval", "0"), log, heap, jvmOpts);
    }

    /**
     * Waits until the child's API answers (at most 60 s).
     *
     * @param log the child's output ({@link #start}): its last lines are the error when the child exits first
     */
    static void waitReady(final URI api, final Process child, final Path log) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!child.isAlive())
            {
                throw new IOException("the pool exited with code " + child.exitValue() + lastLines(log, 5));
            }
            try
            {
                get(api, "/api/status");
                return;
            }
            catch (final IOException ex)
            {
                Thread.sleep(200);
            }
        }
        throw new IOException("the pool did not start within 60 s");
    }

    /** The last {@code n} lines of {@code log} after ": ", one per line, or "" when there is none to read. */
    static String lastLines(final Path log, final int n)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" :
                ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            return "";
        }
    }

    static JsonNode get(final URI api, final String path) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    static String getText(final URI api, final String path) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * A loopback port free now for a child to listen on, chosen outside the kernel's ephemeral range (where it can):
     * a port taken from that range (bind to port 0) is free only until the child binds it, and meanwhile any
     * outgoing connection on the machine may get it as its source port, which makes the child's bind fail (seen
     * with a soak's thousands of connections beside). Ports outside the range are taken only by explicit binds.
     */
    static int freePort() throws IOException
    {
        final int[] range = ephemeralRange();
        final int low = range[0] > 10_000 ? 10_000 : range[1] + 1;
        final int high = range[0] > 10_000 ? range[0] : 65_536;
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; high > low && attempt < 64; attempt++)
        {
            final int port = random.nextInt(low, high);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                return s.getLocalPort();
            }
            catch (final IOException taken)
            {
                // in use: try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    /** The kernel's range of source ports for outgoing connections (Linux), or IANA's 49152-65535 elsewhere. */
    static int[] ephemeralRange()
    {
        try
        {
            final String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        }
        catch (final IOException | RuntimeException ex)
        {
            return new int[] {49_152, 65_535};
        }
    }

    /** Ends the child and waits for it. */
    static void stop(final Process child)
    {
        if (child == null)
        {
            return;
        }
        child.destroy();
        try
        {
            child.waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(final Path dir)
    {
        if (dir == null)
        {
            return;
        }
        try (var files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // temporary files only
        }
    }
}
