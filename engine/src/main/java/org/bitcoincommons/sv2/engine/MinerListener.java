package org.bitcoincommons.sv2.engine;

/**
 * What a {@link StratumV2Miner} tells its owner. Called on the miner's session thread, which also reads the pool's
 * messages: keep it quick. A listener that throws has the failure logged and counted
 * ({@link StratumV2Miner#listenerFailures()}); the miner carries on. Every method has an empty default.
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
