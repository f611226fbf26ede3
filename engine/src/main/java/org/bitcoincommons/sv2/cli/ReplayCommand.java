package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalException;
import org.bitcoincommons.sv2.journal.JournalReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 replay --journal DIR --json}: rebuilds every accounting counter from the journal.
 */
@Command(name = "replay", description = "Rebuild every accounting counter from a journal directory.")
public final class ReplayCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The pool's journal_dir.")
    Path journal;

    @Option(names = "--json", description = "Print one JSON object (the same shape as the pool's /api/accounting); " +
        "without it, a summary for people.")
    boolean json;

    /** Workers listed in the summary (by shares); --json lists every one. */
    static final int MAX_WORKERS = 20;

    @Override
    public void run()
    {
        final AccountingState state = new AccountingState();
        final long startNs = System.nanoTime();
        try (Journal j = Journal.openExisting(journal); JournalReader reader = j.reader())
        {
            // a large journal takes a while: on a terminal, say how far it got once a second (stderr, one line)
            final boolean terminal = System.console() != null;
            final PrintWriter err = spec.commandLine().getErr();
            long nextReportNs = startNs + 1_000_000_000L;
            long total = 0;
            int n;
            while ((n = reader.read(state, 4096)) > 0)
            {
                total += n;
                final long now = System.nanoTime();
                if (terminal && now >= nextReportNs)
                {
                    err.printf("\rreplaying %s: %,d events (%,.0f/s)", journal, total, total / ((now - startNs) / 1e9));
                    err.flush();
                    nextReportNs = now + 1_000_000_000L;
                }
            }
            if (terminal && System.nanoTime() - startNs >= 1_000_000_000L)
            {
                err.println();
            }
        }
        catch (final JournalException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
        }
        final long elapsedNs = System.nanoTime() - startNs;
        final PrintWriter out = spec.commandLine().getOut();
        final Map<String, Object> totals = state.toMap();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(totals).toString());
            return;
        }
        printSummary(out, journal, totals, elapsedNs);
    }

    /** The readable form of {@code totals} ({@link AccountingState#toMap()}): one fact per line, workers capped. */
    @SuppressWarnings("unchecked")
    static void printSummary(final PrintWriter out, final Path journal, final Map<String, Object> totals,
        final long elapsedNs)
    {
        final long lastMs = (Long)totals.get("last_event_time_ms");
        out.printf("journal %s: %d events replayed in %.1f ms%s%n", journal, (Long)totals.get("events"), elapsedNs / 1e6,
            lastMs == 0 ? "" : ", the last at " + Instant.ofEpochMilli(lastMs));
        out.printf("shares accepted: %d (difficulty sum %.6f)%n", (Long)totals.get("shares_accepted"),
            (Double)totals.get("share_difficulty_sum"));
        out.println("blocks found: " + totals.get("blocks_found"));
        out.println("rewards: " + totals.get("rewards_total") + ", fees: " + totals.get("fees_total") +
            " (each chain's smallest unit: satoshis for bitcoin)");
        out.println("distribution: " + buckets((Map<String, Object>)totals.get("distribution")));
        final Map<String, Map<String, Object>> chains = (Map<String, Map<String, Object>>)totals.get("chains");
        out.println("chains: " + chains.size());
        chains.forEach((name, c) ->
        {
            final StringBuilder b = new StringBuilder("  ").append(name).append(": ").append(c.get("shares"))
                .append(" shares, ").append(c.get("blocks_found")).append(" blocks found");
            if ((Long)c.get("aux_submitted") + (Long)c.get("aux_accepted") + (Long)c.get("aux_rejected") > 0)
            {
                b.append(", aux blocks ").append(c.get("aux_submitted")).append(" submitted, ")
                    .append(c.get("aux_accepted")).append(" accepted, ").append(c.get("aux_rejected")).append(" rejected");
            }
            b.append(", rewards ").append(c.get("rewards")).append(", fees ").append(c.get("fees"))
                .append(", unallocated ").append(c.get("unallocated"));
            out.println(b);
        });
        final Map<String, Map<String, Object>> workers = (Map<String, Map<String, Object>>)totals.get("workers");
        out.println("workers: " + workers.size() + (workers.size() > MAX_WORKERS ? " (the " + MAX_WORKERS +
            " with the most shares; --json lists all)" : ""));
        workers.entrySet().stream()
            .sorted((a, b) -> Long.compare((Long)b.getValue().get("shares"), (Long)a.getValue().get("shares")))
            .limit(MAX_WORKERS)
            .forEach(e -> out.printf("  %s: %d shares (difficulty sum %.6f), %d blocks found%n", e.getKey(),
                (Long)e.getValue().get("shares"), (Double)e.getValue().get("share_difficulty_sum"),
                (Long)e.getValue().get("blocks_found")));
    }

    private static String buckets(final Map<String, Object> d)
    {
        return "core development " + d.get("core_development") + ", grants " + d.get("grants") + ", audits " +
            d.get("audits") + ", operations " + d.get("operations");
    }
}
