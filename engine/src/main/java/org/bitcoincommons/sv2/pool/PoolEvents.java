package org.bitcoincommons.sv2.pool;

/**
 * Connection and channel lifecycle, told by the pool logic thread as it happens (SV2 and Stratum V1 alike). These
 * events are not journaled, so an embedding application learns of them here. Implementations must not block and must
 * not throw: they run on the logic thread (the public engine API only hands them to a queue).
 */
public interface PoolEvents
{
    /** Tells nothing. */
    PoolEvents NONE = new PoolEvents()
    {
    };

    /** A downstream completed its setup ({@code protocol} "sv2" or "sv1"). */
    default void connectionOpened(final long connectionId, final String protocol)
    {
    }

    /** A downstream is gone (closed by either side, or after a fault); its channels closed with it. */
    default void connectionClosed(final long connectionId)
    {
    }

    /** A channel was opened; {@code userIdentity} may be empty for a Stratum V1 worker not yet authorized. */
    default void channelOpened(final long connectionId, final int channelId, final String userIdentity,
        final boolean extended)
    {
    }

    /** A channel was closed (by its miner, or because its connection ended). */
    default void channelClosed(final long connectionId, final int channelId)
    {
    }
}
