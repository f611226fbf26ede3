package org.bitcoincommons.sv2.template.tdp;

import org.bitcoincommons.sv2.template.tdp.Sv2TpSource.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link Sv2TpSource} stands, and its log: a problem (FAILED, or WAITING_FOR_TEMPLATE with a reason) is
 * logged when it differs from the last problem logged, so a provider that fails the same way on every reconnect is
 * logged once; recovery (READY) is logged once; the CONNECTING and SETTING_UP steps of each attempt only at debug
 * level. Thread-safe (one lock; the state and last error are also readable without it).
 */
final class TdpHealth
{
    private static final Logger LOG = LoggerFactory.getLogger(Sv2TpSource.class);

    private final Object who;
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private String lastLoggedProblem;
    private boolean everReady;

    /** @param who names the source in log lines (its address) */
    TdpHealth(final Object who)
    {
        this.who = who;
    }

    State state()
    {
        return state;
    }

    /** The last problem since the source was last READY, or null. */
    String lastError()
    {
        return lastError;
    }

    /**
     * @param error  the reason for FAILED or WAITING_FOR_TEMPLATE, else null
     * @param height the height being mined, for the READY line
     */
    synchronized void transition(final State next, final String error, final long height)
    {
        if (error != null)
        {
            lastError = error;
        }
        state = next;
        switch (next)
        {
            case READY ->
            {
                lastError = null;
                if (lastLoggedProblem != null || !everReady)
                {
                    LOG.info("sv2-tp {}: {} templates at height {}", who, everReady ? "serving again," : "serving",
                        height);
                }
                lastLoggedProblem = null;
                everReady = true;
            }
            case FAILED, WAITING_FOR_TEMPLATE ->
            {
                if (error != null && !error.equals(lastLoggedProblem))
                {
                    LOG.warn("sv2-tp {}: {}{}", who, error, next == State.FAILED
                        ? "; reconnecting with backoff, the pool keeps its last valid template"
                        : "; the pool keeps its last valid template");
                    lastLoggedProblem = error;
                }
            }
            case CLOSED -> LOG.info("sv2-tp {}: closed", who);
            default -> LOG.debug("sv2-tp {}: {}", who, next);
        }
    }
}
