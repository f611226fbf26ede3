package org.bitcoincommons.sv2.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The logic thread freezes the totals each tick (a copy of the numbers, cheap with 15,000 workers); the map is built by
 * the first reader. The frozen totals must not move when the live state does, and must read exactly as the live map
 * did at the freeze.
 */
class AccountingFreezeTest
{
    @Test
    void aFrozenSnapshotKeepsItsNumbersAndReadsAsTheLiveMapDidThen()
    {
        final AccountingState s = new AccountingState();
        s.chain(1, 0, "bitcoin");
        s.worker(1, 7, "farm.b");
        s.worker(1, 3, "farm.a");
        s.shareAccepted(2, 7, 1, 1, 1, 64.0, 1L);
        s.shareAccepted(3, 3, 2, 1, 1, 16.0, 1L);
        final Map<String, Object> liveThen = s.toMap();
        final AccountingState.Frozen frozen = s.freeze();

        s.shareAccepted(4, 7, 1, 2, 1, 32.0, 1L);
        s.worker(5, 9, "farm.c");

        final Map<String, Object> read = frozen.toMap();
        assertEquals(liveThen, read);
        assertEquals(List.of("farm.a", "farm.b"), List.copyOf(((Map<?, ?>)read.get("workers")).keySet()),
            "workers sorted by name");
        assertEquals(2L, read.get("shares_accepted"));
        assertSame(read, frozen.toMap(), "built once, then kept");
        assertEquals(3L, s.toMap().get("shares_accepted"));
    }
}
