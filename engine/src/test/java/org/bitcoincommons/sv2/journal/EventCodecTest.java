package org.bitcoincommons.sv2.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codec the cluster carries events with writes exactly the bytes the journal writer writes, event by event, and
 * the snapshot codec gives back the state it was given.
 */
class EventCodecTest
{
    @TempDir
    Path dir;

    private static final byte[] HASH = new byte[32];

    static
    {
        for (int i = 0; i < 32; i++)
        {
            HASH[i] = (byte)(i * 7 + 1);
        }
    }


    @Test
    void everyEventEncodesToTheJournalsBytes()
    {
        final String longName = "w".repeat(300) + "é";
        final List<byte[]> journal = new ArrayList<>();
        try (Journal j = Journal.open(dir.resolve("j")); JournalWriter w = j.writer())
        {
            w.shareAccepted(11, 3, 4, 5, 6, 1.25, 0b101);
            w.worker(12, 7, "alice.rig1");
            w.worker(13, 8, longName);
            w.chain(14, 1, "namecoin");
            w.blockFound(15, 0, 7, 800_000, HASH);
            w.auxSubmitted(16, 1, HASH);
            w.auxAccepted(17, 1, HASH);
            w.auxRejected(18, 1, HASH, "high-hash");
            w.reward(19, 0, 312_500_000L, HASH);
            w.fee(20, 0, 3_125_000L, "commons");
            w.distribution(21, 0, 1, 2, 3, 4);
            final ShareBatch batch = new ShareBatch(4);
            batch.add(1, 2, 3, 4, 5.5, 1);
            batch.add(6, 7, 8, 9, 10.5, 3);
            w.shareBatch(22, batch);
        }
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve("j")).build(); ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    final byte[] doc = new byte[(int)b.readRemaining()];
                    b.read(doc);
                    journal.add(doc);
                }
            }
        }
        final ExpandableArrayBuffer e = new ExpandableArrayBuffer();
        final List<byte[]> codec = new ArrayList<>();
        codec.add(copy(e, EventCodec.shareAccepted(e, 0, 11, 3, 4, 5, 6, 1.25, 0b101)));
        codec.add(copy(e, EventCodec.worker(e, 0, 12, 7, "alice.rig1")));
        codec.add(copy(e, EventCodec.worker(e, 0, 13, 8, longName)));
        codec.add(copy(e, EventCodec.chain(e, 0, 14, 1, "namecoin")));
        codec.add(copy(e, EventCodec.blockFound(e, 0, 15, 0, 7, 800_000, HASH)));
        codec.add(copy(e, EventCodec.auxSubmitted(e, 0, 16, 1, HASH)));
        codec.add(copy(e, EventCodec.auxAccepted(e, 0, 17, 1, HASH)));
        codec.add(copy(e, EventCodec.auxRejected(e, 0, 18, 1, HASH, "high-hash")));
        codec.add(copy(e, EventCodec.reward(e, 0, 19, 0, 312_500_000L, HASH)));
        codec.add(copy(e, EventCodec.fee(e, 0, 20, 0, 3_125_000L, "commons")));
        codec.add(copy(e, EventCodec.distribution(e, 0, 21, 0, 1, 2, 3, 4)));
        int n = EventCodec.shareBatchHeader(e, 0, 22, 2);
        n += EventCodec.shareRecord(e, n, 1, 2, 3, 4, 5.5, 1);
        n += EventCodec.shareRecord(e, n, 6, 7, 8, 9, 10.5, 3);
        codec.add(copy(e, n));
        assertEquals(journal.size(), codec.size());
        for (int i = 0; i < journal.size(); i++)
        {
            assertArrayEquals(journal.get(i), codec.get(i), "event " + i);
        }
        // and the one decoder reads them back as the journal's replay does
        final AccountingState viaCodec = new AccountingState();
        final byte[] hash = new byte[32];
        for (final byte[] doc : codec)
        {
            EventCodec.decode(new UnsafeBuffer(doc), 0, doc.length, viaCodec, hash);
        }
        final AccountingState viaJournal = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("j")); JournalReader r = j.reader())
        {
            r.readAll(viaJournal);
        }
        assertEquals(viaJournal.toMap(), viaCodec.toMap());
        assertEquals(3, viaCodec.sharesAccepted());
    }

    private static byte[] copy(final ExpandableArrayBuffer b, final int length)
    {
        final byte[] out = new byte[length];
        b.getBytes(0, out);
        return out;
    }

    @Test
    void malformedEventsAreRefusedByName()
    {
        final ExpandableArrayBuffer e = new ExpandableArrayBuffer();
        final byte[] hash = new byte[32];
        final AccountingState s = new AccountingState();
        final int n = EventCodec.reward(e, 0, 1, 0, 5, HASH);
        assertTrue(assertThrows(JournalException.class, () -> EventCodec.decode(e, 0, n - 1, s, hash))
            .getMessage().contains("reward event is truncated"));
        assertTrue(assertThrows(JournalException.class, () -> EventCodec.decode(e, 0, n + 3, s, hash))
            .getMessage().contains("3 trailing bytes"));
        e.putByte(0, (byte)99);
        assertTrue(assertThrows(JournalException.class, () -> EventCodec.decode(e, 0, n, s, hash))
            .getMessage().contains("unknown event type 99"));
        final int b = EventCodec.shareBatchHeader(e, 0, 1, 3) + 32;
        assertTrue(assertThrows(JournalException.class, () -> EventCodec.decode(e, 0, b, s, hash))
            .getMessage().contains("share batch of 3 records has 32 bytes"));
        final int w = EventCodec.worker(e, 0, 1, 1, "abcdef");
        assertTrue(assertThrows(JournalException.class, () -> EventCodec.decode(e, 0, w - 2, s, hash))
            .getMessage().contains("worker event is truncated"));
        assertEquals(0, s.events(), "nothing of a refused event was applied");
    }

    @Test
    void snapshotBytesRoundTripAndEqualStatesEncodeEqually()
    {
        final AccountingState a = new AccountingState();
        a.chain(1, 2, "rsk");
        a.worker(2, 5, "alice");
        a.worker(3, 1, "bob");
        for (int i = 0; i < 100; i++)
        {
            a.shareAccepted(10 + i, i % 2 == 0 ? 5 : 1, 1, i, 1, 0.5 + i, 0b100);
        }
        a.blockFound(200, 0, 5, 10, HASH);
        a.reward(201, 2, 1000, HASH);
        a.fee(202, 2, 10, "c");
        a.distribution(203, 2, 594, 247, 99, 50);
        a.auxRejected(204, 2, HASH, "x");
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        final int n = AccountingStateCodec.encode(a, b, 7);
        final AccountingState back = AccountingStateCodec.decode(b, 7, n);
        assertEquals(a.toMap(), back.toMap());
        assertEquals(a.maxWorkerId(), back.maxWorkerId());
        final ExpandableArrayBuffer b2 = new ExpandableArrayBuffer();
        final int n2 = AccountingStateCodec.encode(back, b2, 0);
        final byte[] x = new byte[n];
        final byte[] y = new byte[n2];
        b.getBytes(7, x);
        b2.getBytes(0, y);
        assertArrayEquals(x, y);
        // the decoded state goes on counting exactly like the original
        a.shareAccepted(300, 1, 1, 1, 1, 2.0, 0);
        back.shareAccepted(300, 1, 1, 1, 1, 2.0, 0);
        assertEquals(a.toMap(), back.toMap());
        assertThrows(JournalException.class, () -> AccountingStateCodec.decode(b, 7, n - 5));
    }
}
