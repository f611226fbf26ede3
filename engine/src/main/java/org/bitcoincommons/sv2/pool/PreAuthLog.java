package org.bitcoincommons.sv2.pool;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed Noise handshakes and refused or missing SetupConnections, logged once per state change instead of one line
 * each (a flood of bad connections must not flood the log): the first failure after a quiet period is logged with its
 * details and the state becomes "failing"; further failures are only counted (the sv2_handshake_failures and
 * sv2_setup_failures metrics, and a debug line each); once {@code quietMs} pass without a failure, one line says how
 * many there were and the state is quiet again. Failures may be reported from any thread; {@link #tick} runs on one.
 */
public final class PreAuthLog
{
    private static final Logger LOG = LoggerFactory.getLogger(PreAuthLog.class);

    private final long quietNs;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder setups = new LongAdder();
    private volatile long lastFailureNs;
    private volatile long episodeStartNs;

    /** @param quietMs how long without a failure ends a failing episode, milliseconds */
    public PreAuthLog(final long quietMs)
    {
        this.quietNs = quietMs * 1_000_000L;
    }

    public void handshakeFailed(final long connectionId, final SocketAddress from, final String reason)
    {
        handshakes.increment();
        failed("handshake failed", connectionId, from, reason);
    }

    public void setupFailed(final long connectionId, final SocketAddress from, final String reason)
    {
        setups.increment();
        failed("setup failed", connectionId, from, reason);
    }

    /** True between the first failure after a quiet period and the end of that episode. */
    public boolean failing()
    {
        return failing.get();
    }

    private void failed(final String what, final long connectionId, final SocketAddress from, final String reason)
    {
        final long now = System.nanoTime();
        lastFailureNs = now;
        if (failing.compareAndSet(false, true))
        {
            episodeStartNs = now;
            LOG.info("connection {} from {}: {}: {} (further handshake and setup failures are counted in /metrics, "
                + "not logged, until there are none for {} s)", connectionId, from, what, reason, quietNs / 1_000_000_000L);
        }
        else
        {
            LOG.debug("connection {} from {}: {}: {}", connectionId, from, what, reason);
        }
    }

    /** Ends a failing episode that has been quiet long enough, with one summary line. Call about once a second. */
    public void tick(final long nowNs)
    {
        if (failing.get() && nowNs - lastFailureNs >= quietNs && failing.compareAndSet(true, false))
        {
            final long h = handshakes.sumThenReset();
            final long s = setups.sumThenReset();
            LOG.info("handshake and setup failures stopped: {} failed handshake(s) and {} failed setup(s) in {} s",
                h, s, Math.max(0, (lastFailureNs - episodeStartNs) / 1_000_000_000L));
        }
    }
}
