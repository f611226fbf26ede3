package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 status --api URL [--token T] [--json]}: a running pool's state in a terminal table (from
 * {@code /api/status} and {@code /api/workers}), or both documents as one JSON object. Exit 0, 3 when the API cannot be
 * reached or answers with an error.
 */
@Command(name = "status", description = "Print a running pool's status (from its API) as a table.")
public final class StatusCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:9100", paramLabel = "URL",
        description = "The pool's API (default ${DEFAULT-VALUE}).")
    URI api;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token, when the API requires one for reading.")
    String token;

    @Option(names = "--workers", defaultValue = "20", description = "Workers listed, busiest first (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--json", description = "Print {\"status\": ..., \"workers\": [...]} as one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final JsonNode status = get(http, "/api/status");
        final JsonNode ws = get(http, "/api/workers").path("workers");
        final var out = spec.commandLine().getOut();
        if (json)
        {
            final var o = Json.MAPPER.createObjectNode();
            o.set("status", status);
            o.set("workers", ws);
            out.println(o.toString());
            out.flush();
            return;
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"uptime", status.path("uptime_sec").asText() + " s"});
        rows.add(new String[] {"height", status.path("height").asText()});
        rows.add(new String[] {"template source", status.path("template").path("active").asText("-")});
        rows.add(new String[] {"connections", status.path("connections").asText()});
        rows.add(new String[] {"channels", status.path("channels").asText()});
        rows.add(new String[] {"shares accepted", status.path("shares_accepted").asText()});
        rows.add(new String[] {"shares rejected", status.path("shares_rejected").asText()});
        rows.add(new String[] {"blocks found", status.path("blocks_found").asText()});
        rows.add(new String[] {"hashrate", hashrate(status.path("hashrate").asDouble())});
        table(out, new String[] {"pool", api.toString()}, rows);
        final List<JsonNode> list = new ArrayList<>();
        ws.forEach(list::add);
        list.sort((a, b) -> Double.compare(b.path("hashrate_1m").asDouble(), a.path("hashrate_1m").asDouble()));
        final List<String[]> wrows = new ArrayList<>();
        for (int i = 0; i < Math.min(workers, list.size()); i++)
        {
            final JsonNode w = list.get(i);
            wrows.add(new String[] {w.path("name").asText(), w.path("transport").asText(),
                w.path("shares_accepted").asText(), w.path("shares_rejected").asText(),
                String.format("%.6g", w.path("difficulty").asDouble()), hashrate(w.path("hashrate_1m").asDouble()),
                hashrate(w.path("hashrate_1h").asDouble())});
        }
        out.println();
        table(out, new String[] {"worker", "transport", "accepted", "rejected", "difficulty", "hashrate 1m", "hashrate 1h"},
            wrows);
        if (list.size() > workers)
        {
            out.println("(" + (list.size() - workers) + " more; --workers N)");
        }
        out.flush();
    }

    private JsonNode get(final HttpClient http, final String path)
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(15)).GET();
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        try
        {
            final HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200)
            {
                throw new CliException(ExitCode.FAILURE, api.resolve(path) + ": HTTP " + r.statusCode() +
                    (r.statusCode() == 401 ? " (the API needs --token)" : ""));
            }
            return Json.MAPPER.readTree(r.body());
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "cannot reach the pool's API at " + api + ": " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILURE, "interrupted");
        }
    }

    static String hashrate(final double hps)
    {
        final String[] units = {"H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"};
        double v = hps;
        int u = 0;
        while (Math.abs(v) >= 1000 && u < units.length - 1)
        {
            v /= 1000;
            u++;
        }
        return String.format("%.2f %s", v, units[u]);
    }

    private static void table(final java.io.PrintWriter out, final String[] header, final List<String[]> rows)
    {
        final int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++)
        {
            width[i] = header[i].length();
        }
        for (final String[] r : rows)
        {
            for (int i = 0; i < r.length; i++)
            {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header, width);
        final String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++)
        {
            rule[i] = "-".repeat(width[i]);
        }
        line(out, rule, width);
        for (final String[] r : rows)
        {
            line(out, r, width);
        }
    }

    private static void line(final java.io.PrintWriter out, final String[] cells, final int[] width)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++)
        {
            sb.append(String.format("%-" + width[i] + "s", cells[i]));
            if (i < cells.length - 1)
            {
                sb.append("  ");
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
