package org.bitcoincommons.sv2.merge;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aux chain's polling path: its own virtual thread asks the node for work every {@code poll_interval_ms}, or at
 * once when {@link #wake} is called (after a submission, the chain's work is about to change). Each poll feeds the
 * chain's health; the board hears of every change of work or state, and of a work grown too old.
 */
final class ChainPoller
{
    private static final Logger LOG = LoggerFactory.getLogger(ChainPoller.class);

    private final AuxChain chain;
    private final AuxWorkBoard board;
    private final MergeMetrics metrics;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    ChainPoller(final AuxChain chain, final AuxWorkBoard board, final MergeMetrics metrics)
    {
        this.chain = chain;
        this.board = board;
        this.metrics = metrics;
    }

    void start()
    {
        running = true;
        thread = Thread.ofVirtual().name("merge-poll-" + chain.config.name()).start(this::loop);
    }

    /** Polls now instead of at the next interval (any thread). */
    void wake()
    {
        signal.release();
    }

    void stop() throws InterruptedException
    {
        running = false;
        final Thread t = thread;
        if (t != null)
        {
            t.interrupt();
            t.join(5000);
        }
    }

    private void loop()
    {
        while (running)
        {
            final long now = System.currentTimeMillis();
            try
            {
                if (chain.poll(now))
                {
                    board.changed(chain);
                }
            }
            catch (final RpcException ex)
            {
                if (!running)
                {
                    return;
                }
                metrics.pollFailures.increment();
                if (chain.health.expire(now) || board.reportedDiffers(chain))
                {
                    board.changed(chain);
                }
            }
            catch (final RuntimeException ex)
            {
                // e.g. a failing refreshJobs callback: keep polling, never let the chain's thread die
                metrics.pollFailures.increment();
                LOG.error("aux chain {}: unexpected failure while polling", chain.config.name(), ex);
            }
            try
            {
                signal.tryAcquire(chain.config.pollIntervalMs(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }
}
