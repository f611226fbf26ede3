package org.bitcoincommons.sv2.miner;

/**
 * What a {@link MinerClient} tells its owner (the public engine API's miner listeners), on the miner's session thread.
 * Implementations must be quick and must not throw.
 */
public interface MinerEvents
{
    /** Tells nothing. */
    MinerEvents NONE = new MinerEvents()
    {
    };

    /** A session is set up and has its first work; {@code session} counts from 1 (2 and on: a reconnect). */
    default void connected(final int session)
    {
    }

    /** A session ended; the miner reconnects after its backoff unless it was stopped. */
    default void disconnected(final String reason)
    {
    }

    /** New work for the hashing threads: a job, or a new target or prev hash for it. */
    default void job(final int jobId)
    {
    }

    /** The pool accepted {@code count} shares. */
    default void sharesAccepted(final long count)
    {
    }

    /** The pool rejected a share with {@code reason}. */
    default void shareRejected(final String reason)
    {
    }
}
