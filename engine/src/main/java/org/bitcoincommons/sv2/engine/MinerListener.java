package org.bitcoincommons.sv2.engine;

/**
 * What a {@link StratumV2Miner} tells its owner. Each listener is called on a thread of its own, never on the miner's
 * session or hashing threads: a slow or stuck listener does not delay work or submissions (its accepted-share counts
 * are summed while it is busy; its other events queue, and past a bound are dropped and counted in
 * {@link StratumV2Miner#listenerEventsDropped()}). A listener that throws has the failure logged and counted
 * ({@link StratumV2Miner#listenerFailures()}); the miner carries on. A reconnect is heard as
 * {@link #onDisconnected(String)} and then {@link #onConnected(int)} with a session above 1. Every method has an empty
 * default.
 */
public interface MinerListener
{
    /** New work from the pool: a job, or a new target or previous block for it. */
    default void onJob(final int jobId)
    {
    }

    /** The pool accepted {@code count} shares (SV2 acknowledges in batches). */
    default void onSharesAccepted(final long count)
    {
    }

    /** The pool rejected a share; {@code reason} is its error code ("difficulty-too-low", "stale-share", ...). */
    default void onShareRejected(final String reason)
    {
    }

    /** The miner is connected and has work; {@code session} 2 and above are reconnects. */
    default void onConnected(final int session)
    {
    }

    /** The connection ended; the miner reconnects after its backoff (or the pool's Reconnect) unless stopped. */
    default void onDisconnected(final String reason)
    {
    }
}
