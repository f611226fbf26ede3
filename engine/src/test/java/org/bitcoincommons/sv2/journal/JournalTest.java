package org.bitcoincommons.sv2.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.bitcoincommons.sv2.cli.CliRunner;
import org.bitcoincommons.sv2.cli.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest
{
    @TempDir
    Path dir;

    private static final byte[] HASH = new byte[32];

    static
    {
        Arrays.fill(HASH, (byte)0xab);
    }

    /** Writes a small but complete history to the journal and applies it to {@code live} as the pool does. */
    private static void history(final JournalWriter w, final AccountingState live)
    {
        w.chain(1, 1, "namecoin");
        live.chain(1, 1, "namecoin");
        w.worker(2, 0, "alice.rig1");
        live.worker(2, 0, "alice.rig1");
        w.worker(3, 1, "bob");
        live.worker(3, 1, "bob");
        for (int i = 0; i < 1000; i++)
        {
            final int worker = i % 3 == 0 ? 1 : 0;
            final long mask = i < 500 ? 0b11 : 0b01;
            w.shareAccepted(10 + i, worker, 7, i, 3, 1.5 + i, mask);
            live.shareAccepted(10 + i, worker, 7, i, 3, 1.5 + i, mask);
        }
        w.blockFound(2000, 0, 1, 101, HASH);
        live.blockFound(2000, 0, 1, 101, HASH);
        w.auxSubmitted(2001, 1, HASH);
        live.auxSubmitted(2001, 1, HASH);
        w.auxAccepted(2002, 1, HASH);
        live.auxAccepted(2002, 1, HASH);
        w.auxRejected(2003, 1, HASH, "high-hash");
        live.auxRejected(2003, 1, HASH, "high-hash");
        w.reward(2004, 0, 5_000_000_000L, HASH);
        live.reward(2004, 0, 5_000_000_000L, HASH);
        w.fee(2005, 0, 50_000_000L, "commons");
        live.fee(2005, 0, 50_000_000L, "commons");
        w.distribution(2006, 0, 2_970_000_000L, 1_237_500_000L, 495_000_000L, 247_500_000L);
        live.distribution(2006, 0, 2_970_000_000L, 1_237_500_000L, 495_000_000L, 247_500_000L);
    }

    @Test
    void replayRebuildsTheLiveCountersExactly()
    {
        final AccountingState live = new AccountingState();
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            history(w, live);
        }
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            assertEquals(1010, r.readAll(replayed));
        }
        assertEquals(live.toMap(), replayed.toMap());
        assertEquals(1000, replayed.sharesAccepted());
        assertEquals(1000, replayed.chainStats(0).shares());
        assertEquals(500, replayed.chainStats(1).shares());
        assertEquals(0, replayed.chainStats(0).unallocated());
        assertEquals(334, replayed.workerStats(1).shares());
        assertEquals(1, replayed.workerId("bob"));
        // sum of 1.5 + i for i < 1000
        assertEquals(1000 * 1.5 + 999 * 1000 / 2.0, replayed.shareDifficultySum(), 1e-9);
    }

    private static byte[] hash(final int b)
    {
        final byte[] h = new byte[32];
        Arrays.fill(h, (byte)b);
        return h;
    }

    /**
     * A journal as the pool wrote it before each aux block was submitted once (issue 12): a Namecoin-style node
     * answered true to a resubmitted block and the pool recorded its reward again; a failed confirmation after an
     * accepted submit was journaled as a rejection too. Replay ignores and counts the repeats, so every counter adds
     * up and each block is rewarded once.
     */
    @Test
    void replayIgnoresRepeatedSubmissionsOutcomesAndRewardsOfOldJournals()
    {
        final byte[] a = hash(1);
        final byte[] b = hash(2);
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.chain(1, 1, "namecoin");
            for (int i = 0; i < 2; i++)
            {
                w.auxSubmitted(10 + i * 10, 1, a);
                w.auxAccepted(11 + i * 10, 1, a);
                w.reward(12 + i * 10, 1, 5_000_000_000L, a);
                w.fee(13 + i * 10, 1, 50_000_000L, "commons");
                w.distribution(14 + i * 10, 1, 2_970_000_000L, 1_237_500_000L, 495_000_000L, 247_500_000L);
            }
            w.auxSubmitted(40, 1, b);
            w.auxAccepted(41, 1, b);
            w.auxRejected(42, 1, b, "getbestblockhash: no answer");
            w.auxAccepted(43, 1, hash(3)); // an outcome without a submission
        }
        final AccountingState s = new AccountingState();
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            assertEquals(15, r.readAll(s));
        }
        final AccountingState.ChainStats c = s.chainStats(1);
        assertEquals(2, c.auxSubmitted());
        assertEquals(2, c.auxAccepted());
        assertEquals(0, c.auxRejected());
        assertEquals(0, c.auxInFlight());
        assertEquals(4, c.auxRepeatsIgnored(), "a's second submission and outcome, b's rejection, the stray outcome");
        assertEquals(5_000_000_000L, c.rewards());
        assertEquals(50_000_000L, c.fees());
        assertEquals(1, c.duplicateRewardsIgnored());
        assertEquals(0, c.unallocated());
        final Map<?, ?> m = (Map<?, ?>)((Map<?, ?>)s.toMap().get("chains")).get("namecoin");
        assertEquals(4L, m.get("aux_repeats_ignored"));
        assertEquals(1L, m.get("duplicate_rewards_ignored"));
        assertEquals(2_970_000_000L, ((Map<?, ?>)s.toMap().get("distribution")).get("core_development"));
    }

    @Test
    void unknownOutcomesAndSubmissionsInFlightAddUp()
    {
        final AccountingState live = new AccountingState();
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.auxSubmitted(1, 2, hash(7));
            live.auxSubmitted(1, 2, hash(7));
            w.auxUnknown(2, 2, hash(7), "no answer before the pool stopped");
            live.auxUnknown(2, 2, hash(7), "no answer before the pool stopped");
            w.auxSubmitted(3, 2, hash(8));
            live.auxSubmitted(3, 2, hash(8));
        }
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertEquals(live.toMap(), replayed.toMap());
        final AccountingState.ChainStats c = replayed.chainStats(2);
        assertEquals(2, c.auxSubmitted());
        assertEquals(1, c.auxUnknown());
        assertEquals(1, c.auxInFlight(), "killed before its outcome: still in flight");
        assertEquals("aux_unknown", JournalEvent.name(JournalEvent.AUX_UNKNOWN));
    }

    @Test
    void reopenedJournalKeepsAppending()
    {
        final AccountingState live = new AccountingState();
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            history(w, live);
        }
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.shareAccepted(5000, 0, 9, 1, 4, 2.0, 1);
        }
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertEquals(1001, replayed.sharesAccepted());
        assertEquals(5000L, replayed.toMap().get("last_event_time_ms"));
    }

    @Test
    void corruptEventIsReportedNotSkipped()
    {
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.shareAccepted(1, 0, 1, 1, 1, 1.0, 1);
        }
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build(); ExcerptAppender a = q.createAppender())
        {
            try (DocumentContext dc = a.writingDocument())
            {
                dc.wire().bytes().writeByte((byte)99).writeLong(2);
            }
            try (DocumentContext dc = a.writingDocument())
            {
                // a share event cut short
                dc.wire().bytes().writeByte(JournalEvent.SHARE_ACCEPTED).writeLong(3).writeInt(1);
            }
        }
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            final AccountingState s = new AccountingState();
            final JournalException ex = assertThrows(JournalException.class, () -> r.readAll(s));
            assertTrue(ex.getMessage().contains("unknown event type 99"), ex.getMessage());
            assertEquals(1, s.sharesAccepted());
        }
    }

    @Test
    void shareBatchesReplayShareByShareInOrder()
    {
        final AccountingState live = new AccountingState();
        final java.util.List<String> seen = new java.util.ArrayList<>();
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            w.worker(1, 0, "a");
            live.worker(1, 0, "a");
            final ShareBatch batch = new ShareBatch(3);
            for (int i = 0; i < 7; i++)
            {
                if (!batch.add(0, 5, i, 9, 0.5 * i, i % 2 == 0 ? 1 : 3))
                {
                    w.shareBatch(100, batch);
                    assertTrue(batch.add(0, 5, i, 9, 0.5 * i, i % 2 == 0 ? 1 : 3));
                }
                live.shareAccepted(100, 0, 5, i, 9, 0.5 * i, i % 2 == 0 ? 1 : 3);
            }
            w.shareBatch(100, batch);
            assertEquals(0, batch.count());
            w.shareBatch(100, batch);   // empty: writes nothing
        }
        final AccountingState replayed = new AccountingState();
        final AccountingListener recorder = (AccountingListener)java.lang.reflect.Proxy.newProxyInstance(
            AccountingListener.class.getClassLoader(), new Class<?>[] {AccountingListener.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("shareAccepted"))
                {
                    seen.add(args[3] + ":" + args[5] + ":" + args[6]);
                }
                return method.invoke(replayed, args);
            });
        try (Journal j = Journal.openExisting(dir); JournalReader r = j.reader())
        {
            assertEquals(4, r.readAll(recorder), "one worker event and three batch documents");
        }
        assertEquals(java.util.List.of("0:0.0:1", "1:0.5:3", "2:1.0:1", "3:1.5:3", "4:2.0:1", "5:2.5:3", "6:3.0:1"), seen);
        assertEquals(live.toMap().get("shares_accepted"), replayed.toMap().get("shares_accepted"));
        assertEquals(live.toMap().get("chains"), replayed.toMap().get("chains"));
    }

    @Test
    void rejectsInvalidEventsAtTheWriter()
    {
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            assertThrows(IllegalArgumentException.class, () -> w.reward(1, 64, 1, HASH));
            assertThrows(IllegalArgumentException.class, () -> w.reward(1, 0, -5, HASH));
            assertThrows(IllegalArgumentException.class, () -> w.auxAccepted(1, 1, new byte[31]));
        }
    }

    @Test
    void replayCommandPrintsTheTotals() throws Exception
    {
        final AccountingState live = new AccountingState();
        try (Journal j = Journal.open(dir); JournalWriter w = j.writer())
        {
            history(w, live);
        }
        final CliRunner r = CliRunner.run("replay", "--journal", dir.toString(), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1000, json.get("shares_accepted").asLong());
        assertEquals(500, json.get("chains").get("namecoin").get("shares").asLong());
        assertEquals(1, json.get("chains").get("namecoin").get("aux_accepted").asLong());
        assertEquals(2_970_000_000L, json.get("distribution").get("core_development").asLong());
        assertEquals(50_000_000L, json.get("fees_total").asLong());
        assertEquals(1, json.get("blocks_found").asLong());
        assertEquals(666, json.get("workers").get("alice.rig1").get("shares").asLong());
        final Map<?, ?> liveJson = new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(live.toMap()), Map.class);
        assertEquals(liveJson, new ObjectMapper().readValue(r.out(), Map.class));
    }

    @Test
    void replayOfAMissingJournalIsBadInput()
    {
        final CliRunner r = CliRunner.run("replay", "--journal", dir.resolve("nope").toString(), "--json");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("no journal directory"), r.err());
        assertEquals("", r.out());
    }
}
