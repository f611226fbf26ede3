package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/sv2 replay} without {@code --json}: a summary for people, from the same totals as the JSON. */
class ReplayCommandTest
{
    @TempDir
    Path dir;

    @Test
    void printsOneFactPerLineWithTheJournalsTotals()
    {
        final long t = 1_700_000_000_000L;
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.chain(t, 0, "bitcoin");
            w.chain(t, 1, "namecoin");
            w.worker(t, 0, "alice.rig1");
            w.worker(t, 1, "bob");
            w.shareAccepted(t, 0, 1, 1, 1, 2.0, 0b11);
            w.shareAccepted(t, 0, 1, 2, 1, 2.0, 0b11);
            w.shareAccepted(t, 1, 2, 1, 1, 0.5, 0b01);
            w.blockFound(t, 0, 0, 101, new byte[32]);
            w.reward(t, 0, 5_000_000_000L, new byte[32]);
            w.distribution(t, 0, 3_000_000_000L, 1_250_000_000L, 500_000_000L, 250_000_000L);
            w.auxSubmitted(t, 1, new byte[32]);
            w.auxAccepted(t + 1000, 1, new byte[32]);
        }
        final CliRunner r = CliRunner.run("replay", "--journal", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        final List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("journal " + dir + ": 12 events replayed in "), r.out());
        assertTrue(lines.get(0).endsWith(", the last at 2023-11-14T22:13:21Z"), r.out());
        assertEquals(List.of(
            "shares accepted: 3 (difficulty sum 4.500000)",
            "blocks found: 1",
            "rewards: 5000000000, fees: 0 (each chain's smallest unit: satoshis for bitcoin)",
            "distribution: core development 3000000000, grants 1250000000, audits 500000000, operations 250000000",
            "chains: 2",
            "  bitcoin: 3 shares, 1 blocks found, rewards 5000000000, fees 0, unallocated 0",
            "  namecoin: 2 shares, 0 blocks found, aux blocks 1 submitted, 1 accepted, 0 rejected, rewards 0, fees 0, " +
                "unallocated 0",
            "workers: 2",
            "  alice.rig1: 2 shares (difficulty sum 4.000000), 1 blocks found",
            "  bob: 1 shares (difficulty sum 0.500000), 0 blocks found"), lines.subList(1, lines.size()));
        assertFalse(r.out().contains("{"), "no Java map or JSON in the summary: " + r.out());
    }

    @Test
    void listsTheBusiestWorkersOnly()
    {
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            for (int i = 0; i < ReplayCommand.MAX_WORKERS + 5; i++)
            {
                w.worker(1, i, "w" + i);
                for (int s = 0; s <= i; s++)
                {
                    w.shareAccepted(1, i, i, s, 1, 1.0, 1);
                }
            }
        }
        final CliRunner r = CliRunner.run("replay", "--journal", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("workers: 25 (the 20 with the most shares; --json lists all)"), r.out());
        assertTrue(r.out().contains("  w24: 25 shares"), r.out());
        assertFalse(r.out().contains("  w4: "), r.out());
    }
}
