package org.bitcoincommons.sv2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listeners are off the share path: while one listener is blocked outright and another throws on every call, the
 * miner's shares keep being acknowledged; the throwing listener's failures are counted; a healthy listener hears
 * connection, channel and share events in order; and after close every listener (the blocked one once released) has
 * heard every journaled share.
 */
class ListenerIsolationTest
{
    private static final long DEADLINE_MS = 20_000;

    /** Records the order of what it hears. */
    static final class Recorder implements ServerListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final AtomicLong shares = new AtomicLong();

        @Override
        public void onConnectionOpened(final Connection c)
        {
            seen.add("connection-opened:" + c.protocol());
        }

        @Override
        public void onChannelOpened(final Channel c)
        {
            seen.add("channel-opened:" + c.worker());
        }

        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            if (shares.get() == 0)
            {
                seen.add("shares:" + s.worker(0));
            }
            shares.addAndGet(s.count());
        }

        @Override
        public void onChannelClosed(final Channel c)
        {
            seen.add("channel-closed");
        }

        @Override
        public void onConnectionClosed(final Connection c)
        {
            seen.add("connection-closed");
        }
    }

    /** Blocks on its first batch until released. */
    static final class Blocked implements ServerListener
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong shares = new AtomicLong();

        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            entered.countDown();
            try
            {
                release.await(DEADLINE_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            shares.addAndGet(s.count());
        }
    }

    /** Throws on every call. */
    static final class Throwing implements ServerListener
    {
        @Override
        public void onSharesAccepted(final AcceptedShares s)
        {
            throw new IllegalStateException("listener failure (test)");
        }

        @Override
        public void onChannelOpened(final Channel c)
        {
            throw new IllegalStateException("listener failure (test)");
        }
    }

    @Test
    @Timeout(60)
    void slowAndThrowingListenersDoNotStopAcknowledgements(@TempDir final Path dir) throws Exception
    {
        final Recorder recorder = new Recorder();
        final Blocked blocked = new Blocked();
        final Throwing throwing = new Throwing();
        final StratumV2Server pool = StratumV2Server.builder()
            .listen("127.0.0.1:0")
            .journalDir(dir.resolve("journal"))
            .embeddedBits("1d00ffff")              // real-ish difficulty: shares, no blocks
            .sharesPerMinute(1200)
            .api(false)
            .listener(blocked)
            .listener(throwing)
            .listener(recorder)
            .build();
        pool.start();
        final StratumV2Miner miner = StratumV2Miner.builder(pool.sv2Url()).user("bob.rig").threads(1).build();
        try
        {
            assertTrue(miner.connect(), "miner connected with work");
            miner.startMining();
            assertTrue(blocked.entered.await(DEADLINE_MS, TimeUnit.MILLISECONDS), "the blocked listener got a batch");
            final long atBlock = miner.sharesAccepted();
            // While one listener is stuck, acknowledgements keep coming.
            await(() -> miner.sharesAccepted() >= atBlock + 20, "20 more acknowledgements while a listener is blocked");
            await(() -> recorder.shares.get() >= atBlock + 20, "the healthy listener keeps hearing shares");
            assertEquals(0, blocked.shares.get(), "the blocked listener is still blocked");
            await(() -> pool.listenerStats().get(1).failures() >= 2, "the throwing listener's failures are counted");
        }
        finally
        {
            miner.stop();
            blocked.release.countDown();
            pool.close();
        }
        final long accepted = ((Number)pool.accounting().get("shares_accepted")).longValue();
        assertEquals(accepted, recorder.shares.get(), "the healthy listener heard every journaled share");
        assertEquals(accepted, blocked.shares.get(), "the blocked listener caught up at close");
        final List<ListenerStats> stats = pool.listenerStats();
        assertEquals(0, stats.get(0).failures());
        assertTrue(stats.get(1).failures() >= 2, "failures counted: " + stats.get(1));
        assertEquals(accepted, stats.get(1).shares(), "the throwing listener was still given every batch");
        assertEquals(List.of("connection-opened:sv2", "channel-opened:bob.rig", "shares:bob.rig"),
            recorder.seen.subList(0, 3), "a channel's opening is heard before its shares: " + recorder.seen);
        assertTrue(recorder.seen.contains("channel-closed") && recorder.seen.contains("connection-closed"),
            "closing heard: " + recorder.seen);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long end = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > end)
            {
                throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
