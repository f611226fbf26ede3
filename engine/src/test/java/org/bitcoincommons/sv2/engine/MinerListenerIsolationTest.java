package org.bitcoincommons.sv2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The miner's listeners are off its session thread: while one listener is stuck in its first call and another throws
 * on every call, the miner keeps getting work and its shares keep being acknowledged; the throwing listener's failures
 * are counted; a healthy listener hears connection, job and share events on a listener thread; and once released and
 * stopped, every listener has heard every acknowledged share.
 */
class MinerListenerIsolationTest
{
    private static final long DEADLINE_MS = 20_000;

    /** Counts what it hears and on which threads. */
    static final class Recorder implements MinerListener
    {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong jobs = new AtomicLong();
        final AtomicLong connected = new AtomicLong();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void onJob(final int jobId)
        {
            threads.add(Thread.currentThread().getName());
            jobs.incrementAndGet();
        }

        @Override
        public void onSharesAccepted(final long count)
        {
            threads.add(Thread.currentThread().getName());
            accepted.addAndGet(count);
        }

        @Override
        public void onConnected(final int session)
        {
            threads.add(Thread.currentThread().getName());
            connected.set(session);
        }
    }

    /** Stuck in its first call (whichever event that is) until released; then counts shares. */
    static final class Blocked implements MinerListener
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong accepted = new AtomicLong();

        private void block()
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
        }

        @Override
        public void onConnected(final int session)
        {
            block();
        }

        @Override
        public void onJob(final int jobId)
        {
            block();
        }

        @Override
        public void onSharesAccepted(final long count)
        {
            block();
            accepted.addAndGet(count);
        }
    }

    /** Throws on every call. */
    static final class Throwing implements MinerListener
    {
        @Override
        public void onJob(final int jobId)
        {
            throw new IllegalStateException("miner listener failure (test)");
        }

        @Override
        public void onSharesAccepted(final long count)
        {
            throw new IllegalStateException("miner listener failure (test)");
        }
    }

    @Test
    @Timeout(60)
    void slowAndThrowingListenersDoNotStopMining(@TempDir final Path dir) throws Exception
    {
        final Recorder recorder = new Recorder();
        final Blocked blocked = new Blocked();
        final StratumV2Server pool = StratumV2Server.builder()
            .listen("127.0.0.1:0")
            .journalDir(dir.resolve("journal"))
            .embeddedBits("1d00ffff")              // real-ish difficulty: shares, no blocks
            .sharesPerMinute(1200)
            .api(false)
            .build();
        pool.start();
        final StratumV2Miner miner = StratumV2Miner.builder(pool.sv2Url()).user("carol.rig").threads(1)
            .listener(blocked).listener(new Throwing()).listener(recorder).build();
        try
        {
            assertTrue(miner.connect(), "the miner connected and has work while a listener is stuck");
            miner.startMining();
            assertTrue(blocked.entered.await(DEADLINE_MS, TimeUnit.MILLISECONDS), "the blocked listener was called");
            final long atBlock = miner.sharesAccepted();
            await(() -> miner.sharesAccepted() >= atBlock + 20, "20 more acknowledgements while a listener is stuck");
            await(() -> recorder.accepted.get() >= atBlock + 20, "the healthy listener keeps hearing shares");
            await(() -> miner.listenerFailures() >= 2, "the throwing listener's failures are counted");
            assertEquals(0, blocked.accepted.get(), "the blocked listener is still blocked");
            assertTrue(recorder.jobs.get() >= 1 && recorder.connected.get() == 1, "job and connection heard");
            assertTrue(recorder.threads.stream().allMatch(t -> t.startsWith("sv2-miner-listener-")),
                "listeners run on their own threads: " + recorder.threads);
        }
        finally
        {
            blocked.release.countDown();
            miner.stop();
            pool.close();
        }
        final long accepted = miner.sharesAccepted();
        assertEquals(accepted, recorder.accepted.get(), "the healthy listener heard every acknowledged share");
        assertEquals(accepted, blocked.accepted.get(), "the blocked listener caught up once released");
        assertEquals(0, miner.listenerEventsDropped());
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
