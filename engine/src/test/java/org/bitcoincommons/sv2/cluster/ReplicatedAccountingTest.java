package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.pool.AccountingSink;
import org.junit.jupiter.api.Test;

/**
 * The replicated state machine without a cluster: commands built by the frontend's batcher, applied as a node applies
 * them. Re-sends change nothing, older incarnations are refused, a malformed command is refused whole, worker ids are
 * cluster-wide by name, time is the log's, and a snapshot plus the rest of the log equals the whole log.
 */
class ReplicatedAccountingTest
{
    private static final byte[] HASH = new byte[32];

    /** A frontend's batcher and the commands it sealed, read from its handoff ring. */
    private static final class Batcher
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        final CommandBatcher batcher;

        Batcher(final int frontendId, final long incarnation, final int maxCommand)
        {
            batcher = new CommandBatcher(frontendId, incarnation, maxCommand, ring);
        }

        List<byte[]> commands()
        {
            final List<byte[]> out = new ArrayList<>();
            ring.read((type, buffer, index, length) ->
            {
                final byte[] c = new byte[length];
                buffer.getBytes(index, c);
                out.add(c);
            });
            return out;
        }
    }

    private static ReplicatedAccounting.Outcome apply(final ReplicatedAccounting r, final byte[] c, final long timeMs)
    {
        return r.apply(new UnsafeBuffer(c), 0, c.length, timeMs);
    }

    private static byte[] bytes(final ReplicatedAccounting r)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        final int n = r.encode(b, 0);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    /** A small history through the batcher: worker, shares, a block, a reward split. */
    private static List<byte[]> history(final Batcher f, final String worker, final int shares)
    {
        f.batcher.worker(1, 0, worker);
        for (int i = 0; i < shares; i++)
        {
            f.batcher.shareAccepted(2 + i / 50, 0, 9, i, 4, 2.0, 1);
        }
        assertTrue(f.batcher.seal() > 0);
        f.batcher.blockFound(5, 0, 0, 100, HASH);
        f.batcher.reward(6, 0, 1000, HASH);
        f.batcher.distribution(6, 0, 600, 250, 100, 50);
        f.batcher.seal();
        return f.commands();
    }

    @Test
    void batchedCommandsApplyAsTheEventsDoAndResendsChangeNothing()
    {
        final Batcher f = new Batcher(7, 1000, 64 * 1024);
        final List<byte[]> commands = history(f, "alice", 120);
        assertEquals(2, commands.size());
        final ReplicatedAccounting r = new ReplicatedAccounting();
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, commands.get(0), 50));
        assertEquals(1, r.replySequence());
        final Map<String, Object> once = r.state().toMap();
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, commands.get(0), 51));
        assertEquals(1, r.replySequence());
        assertEquals(once, r.state().toMap(), "a re-send changes no counter");
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, commands.get(1), 52));
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, commands.get(0), 53));
        assertEquals(2, r.replySequence(), "the reply is cumulative: everything up to 2 is applied");

        final AccountingState expected = new AccountingState();
        expected.worker(50, 0, "alice");
        for (int i = 0; i < 120; i++)
        {
            expected.shareAccepted(50, 0, 9, i, 4, 2.0, 1);
        }
        expected.blockFound(52, 0, 0, 100, HASH);
        expected.reward(52, 0, 1000, HASH);
        expected.distribution(52, 0, 600, 250, 100, 50);
        assertEquals(expected.toMap(), r.state().toMap(), "applied at the log's time, not the frontend's");
        assertEquals(2, r.commandsApplied());
        assertEquals(2, r.duplicates());
    }

    @Test
    void olderIncarnationsAreStaleAndANewOneStartsOver()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final List<byte[]> first = history(new Batcher(7, 1000, 64 * 1024), "alice", 10);
        final List<byte[]> restarted = history(new Batcher(7, 2000, 64 * 1024), "alice", 10);
        apply(r, first.get(0), 1);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, restarted.get(0), 2), "a restart numbers from 1");
        final byte[] before = bytes(r);
        assertEquals(ReplicatedAccounting.Outcome.STALE, apply(r, first.get(1), 3));
        assertEquals(2000, r.replyIncarnation());
        assertEquals(1, r.stale());
        final byte[] after = bytes(r);
        // only the stale counter moved
        assertEquals(before.length, after.length);
        assertEquals(20, r.state().sharesAccepted());
    }

    @Test
    void aMalformedCommandIsRefusedWhole()
    {
        final Batcher f = new Batcher(7, 1, 64 * 1024);
        f.batcher.worker(1, 0, "alice");
        f.batcher.shareAccepted(2, 0, 1, 1, 1, 1.0, 1);
        f.batcher.reward(3, 0, 5, HASH);
        f.batcher.seal();
        final byte[] c = f.commands().get(0);
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final byte[] empty = bytes(r);
        // the last event's chain index is out of range; the first two are fine
        final byte[] badChain = c.clone();
        new UnsafeBuffer(badChain).putInt(badChain.length - 44, 64, LE);
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, badChain, 1));
        final byte[] truncated = java.util.Arrays.copyOf(c, c.length - 1);
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, truncated, 1));
        final byte[] extraEvent = c.clone();
        new UnsafeBuffer(extraEvent).putInt(Protocol.EVENT_COUNT_OFFSET, 4, LE);
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, extraEvent, 1));
        final byte[] wrongType = c.clone();
        wrongType[0] = 42;
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, wrongType, 1));
        assertEquals(0, r.state().events(), "nothing of a refused command is applied");
        assertEquals(4, r.rejected());
        assertEquals(0, r.highestSequence(7), "a refused command does not advance the frontend's sequence");
        assertEquals(empty.length, bytes(r).length);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, c, 1), "the intact command still applies");
    }

    @Test
    void workersAreClusterWideByName()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final Batcher a = new Batcher(1, 1, 64 * 1024);
        final Batcher b = new Batcher(2, 1, 64 * 1024);
        a.batcher.worker(1, 0, "alice");
        a.batcher.worker(1, 1, "bob");
        a.batcher.shareAccepted(1, 0, 1, 1, 1, 1.0, 1);
        a.batcher.shareAccepted(1, 1, 2, 1, 1, 3.0, 1);
        a.batcher.seal();
        b.batcher.worker(1, 0, "bob");      // frontend 2's local id 0 is bob
        b.batcher.worker(1, 1, "carol");
        b.batcher.shareAccepted(1, 0, 1, 1, 1, 5.0, 1);
        b.batcher.shareAccepted(1, 1, 2, 1, 1, 7.0, 1);
        b.batcher.seal();
        apply(r, a.commands().get(0), 1);
        apply(r, b.commands().get(0), 2);
        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Object>> workers = (Map<String, Map<String, Object>>)r.state().toMap().get("workers");
        assertEquals(1L, workers.get("alice").get("shares"));
        assertEquals(2L, workers.get("bob").get("shares"));
        assertEquals(8.0, workers.get("bob").get("share_difficulty_sum"));
        assertEquals(1L, workers.get("carol").get("shares"));
        assertEquals(3, r.state().workerNames().size());
    }

    @Test
    void aFullCommandIsSealedEarlyAndTheTicketCoversTheRest()
    {
        final Batcher f = new Batcher(3, 1, 4096);
        for (int i = 0; i < 1000; i++)
        {
            f.batcher.shareAccepted(1, 0, 1, i, 1, 1.0, 1);
        }
        final long ticket = f.batcher.seal();
        final List<byte[]> commands = f.commands();
        assertTrue(commands.size() >= 8, "1000 shares of 32 bytes do not fit one 4 KiB command");
        assertEquals(commands.size(), ticket, "the seal's ticket is the last command's sequence");
        final ReplicatedAccounting r = new ReplicatedAccounting();
        for (final byte[] c : commands)
        {
            assertTrue(c.length <= 4096);
            assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, c, 1));
        }
        assertEquals(1000, r.state().sharesAccepted());
        assertEquals(f.batcher.lastTicket(), r.highestSequence(3));
    }

    @Test
    void aFullHandoffIsNeverAcknowledged()
    {
        final OneToOneRingBuffer tiny = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
        final CommandBatcher b = new CommandBatcher(1, 1, 400, tiny);
        long last = 0;
        int never = 0;
        for (int i = 0; i < 100; i++)
        {
            b.shareAccepted(1, 0, 1, i, 1, 1.0, 1);
            final long t = b.seal();
            if (t == AccountingSink.NEVER)
            {
                never++;
            }
            else
            {
                assertEquals(last + 1, t, "tickets stay consecutive when a batch is dropped");
                last = t;
            }
        }
        assertTrue(never > 0);
        assertEquals(never, b.dropped());
    }

    @Test
    void aSnapshotPlusTheRestOfTheLogEqualsTheWholeLog()
    {
        final List<byte[]> log = new ArrayList<>();
        log.addAll(history(new Batcher(1, 1, 2048), "alice", 300));
        log.addAll(history(new Batcher(2, 1, 2048), "bob", 200));
        log.addAll(history(new Batcher(1, 1, 2048), "alice", 300));   // a re-send of frontend 1's commands
        final ReplicatedAccounting whole = new ReplicatedAccounting();
        for (int i = 0; i < log.size(); i++)
        {
            apply(whole, log.get(i), 100 + i);
        }
        for (int cut = 0; cut <= log.size(); cut++)
        {
            final ReplicatedAccounting before = new ReplicatedAccounting();
            for (int i = 0; i < cut; i++)
            {
                apply(before, log.get(i), 100 + i);
            }
            final byte[] snapshot = bytes(before);
            final ReplicatedAccounting restored = new ReplicatedAccounting();
            restored.decode(new UnsafeBuffer(snapshot), 0, snapshot.length);
            assertArrayEquals(snapshot, bytes(restored), "snapshot at " + cut + " round-trips");
            for (int i = cut; i < log.size(); i++)
            {
                apply(restored, log.get(i), 100 + i);
            }
            assertArrayEquals(bytes(whole), bytes(restored), "snapshot at " + cut + " + the rest == the whole log");
        }
        assertEquals(500, whole.state().sharesAccepted(), "the re-sent commands counted once");
    }
}
