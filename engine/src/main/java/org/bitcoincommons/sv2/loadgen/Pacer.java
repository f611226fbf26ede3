package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.transport.IoLoop;

/**
 * The schedule one timer thread sends by for a crowd of miners at a given total rate: each miner's batches spaced
 * evenly, phases spread at random. One timer for all connections instead of a sleeping sender per connection keeps
 * a generator's own CPU use and wake-ups low, which leaves the shared cores to the pool being measured. Every miner
 * has the same interval, so taken in order of phase they fall due in a fixed cycle: each step is O(1) whatever the
 * number of connections.
 */
final class Pacer
{
    /** A miner the pacer sends for: its in-flight count and open flag, and how it sends a batch. */
    abstract static class Paced
    {
        /** Shares sent and not answered yet. */
        final AtomicInteger inflight = new AtomicInteger();
        /** Set once connected; cleared when a send fails or the miner closes. */
        volatile boolean open;
        private final int sharesPerBatch;
        private final int windowShares;

        /** @param windowShares the most shares in flight before the miner skips its turns */
        Paced(final int sharesPerBatch, final int windowShares)
        {
            this.sharesPerBatch = sharesPerBatch;
            this.windowShares = windowShares;
        }

        /** Open, and the in-flight window has room for one more batch (else the miner skips this turn). */
        final boolean ready()
        {
            return open && inflight.get() + sharesPerBatch <= windowShares;
        }

        /** Sends one batch. */
        abstract void sendBatch() throws IOException;
    }

    /**
     * A paced connection whose replies an event loop may read ({@link IoLoop.Endpoint}): the pacer writes, so its
     * write turns have nothing to do, and its end closes it for the pacer.
     */
    abstract static class LoopRead extends Paced implements IoLoop.Endpoint
    {
        LoopRead(final int sharesPerBatch, final int windowShares)
        {
            super(sharesPerBatch, windowShares);
        }

        @Override
        public final boolean onWritable(final SocketChannel ignored)
        {
            return true;
        }

        @Override
        public void onEnd(final Exception cause)
        {
            open = false;
        }
    }

    private Pacer()
    {
    }

    /**
     * Runs on the calling thread while {@code running} holds: each miner in turn, when its next batch falls due,
     * sends it if {@link Paced#ready() ready}.
     *
     * @param crowd           the miners, in a fixed order
     * @param sharesPerBatch  shares sent per turn
     * @param sharesPerSecond the crowd's total rate
     */
    static void run(final List<? extends Paced> crowd, final int sharesPerBatch, final double sharesPerSecond,
        final BooleanSupplier running)
    {
        final int miners = crowd.size();
        final long intervalNs = (long)(sharesPerBatch * 1e9 * miners / sharesPerSecond);
        final long[] phase = new long[miners];
        final Integer[] order = new Integer[miners];
        for (int i = 0; i < miners; i++)
        {
            phase[i] = (long)(Math.random() * intervalNs);
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(phase[a], phase[b]));
        long round = System.nanoTime();
        int p = 0;
        while (running.getAsBoolean())
        {
            final int i = order[p];
            final long wait = round + phase[i] - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
                continue;
            }
            final Paced m = crowd.get(i);
            if (m.ready())
            {
                try
                {
                    m.sendBatch();
                }
                catch (final IOException ex)
                {
                    m.open = false;   // closed: it skips every later turn
                }
            }
            if (++p == miners)
            {
                p = 0;
                round += intervalNs;
            }
        }
    }
}
