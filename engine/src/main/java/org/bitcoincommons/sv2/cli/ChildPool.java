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

    /** Waits until the child's API answers (at most 60 s). */
    static void waitReady(final URI api, final Process child) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!child.isAlive())
            {
                throw new IOException("the pool exited with code " + child.exitValue());
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

    static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
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
