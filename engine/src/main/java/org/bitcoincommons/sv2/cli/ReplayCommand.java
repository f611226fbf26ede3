package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Option(names = "--json", description = "Print one JSON object (the same shape as the pool's /api/accounting).")
    boolean json;

    @Override
    public void run()
    {
        final AccountingState state = new AccountingState();
        final long startNs = System.nanoTime();
        try (Journal j = Journal.openExisting(journal); JournalReader reader = j.reader())
        {
            reader.readAll(state);
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
        out.printf("journal %s: %d events replayed in %.1f ms%n", journal, state.events(), elapsedNs / 1e6);
        out.printf("shares accepted: %d (difficulty sum %.3f)%n", state.sharesAccepted(), state.shareDifficultySum());
        out.println("blocks found: " + totals.get("blocks_found"));
        out.println("chains: " + totals.get("chains"));
        out.println("distribution: " + totals.get("distribution") + ", fees: " + totals.get("fees_total"));
    }
}
