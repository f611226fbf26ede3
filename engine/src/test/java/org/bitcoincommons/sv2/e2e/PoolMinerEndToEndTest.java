package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pool and real miners over encrypted loopback TCP: shares flow, blocks are found, assembled, accepted by the
 * embedded chain, new jobs follow, and the journal replays to the pool's own totals.
 */
class PoolMinerEndToEndTest
{
    @TempDir
    Path dir;

    /** The [pool] keys of the pool under test (a subclass runs the same with the other I/O model). */
    String poolToml()
    {
        return "";
    }

    /** Connections the pool runs on its event loops once both miners are set up (the default: one loop). */
    int onLoops()
    {
        return 2;
    }

    @Test
    @Timeout(60)
    void standardAndExtendedMinersFindSharesAndBlocks() throws Exception
    {
        final long startHeight;
        Map<String, Object> live;
        try (PoolHarness h = new PoolHarness(dir, 0.0005, poolToml()))
        {
            startHeight = h.pool.chain().tipHeight();
            try (MinerClient standard = h.miner("alice.std", 1, false); MinerClient extended = h.miner("bob.ext", 1, true))
            {
                assertTrue(PoolHarness.await(40_000, () ->
                    standard.stats().sharesAccepted.sum() >= 5 && extended.stats().sharesAccepted.sum() >= 5 &&
                    h.pool.metrics().blocksAccepted.sum() >= 2),
                    () -> "std " + standard.stats().sharesAccepted.sum() + " ext " + extended.stats().sharesAccepted.sum() +
                        " blocks " + h.pool.metrics().blocksAccepted.sum() + " rejected " + standard.stats().rejectReasons +
                        extended.stats().rejectReasons);
                assertEquals(onLoops(), h.pool.ioLoopConnections(), "connections on the event loops");
            }
            assertTrue(h.pool.chain().tipHeight() >= startHeight + 2);
            // Two miners can find a block at the same height; the later one is stale. Nothing else may be rejected.
            final var reasons = h.pool.chain().rejectReasons();
            reasons.remove("stale-prevblk");
            assertEquals(Map.of(), reasons, "every assembled block passed the chain's checks");
            // Closing drains the ring into the journal and publishes the final totals.
            h.pool.close();
            live = h.pool.accounting();
        }
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertTrue(replayed.sharesAccepted() >= 10);
        assertEquals(live.get("shares_accepted"), replayed.toMap().get("shares_accepted"));
        assertEquals(live.get("distribution"), replayed.toMap().get("distribution"));
        assertTrue((Long)replayed.toMap().get("rewards_total") > 0, "accepted blocks were rewarded");
    }
}
