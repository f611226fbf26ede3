package org.bitcoincommons.sv2.engine;

/**
 * What an embedding application hears from a running {@link StratumV2Server}. Every method has an empty default, so
 * a listener overrides only what it needs.
 *
 * <p>Each listener is called on a delivery thread of its own, never on the share path: share, block, aux, reward and
 * distribution events are read back from the accounting journal after they were written, and connection and channel
 * events come through a bounded queue of the listener's own. A slow listener therefore falls behind on its own (the
 * journal keeps the events for it), and a listener that throws has the failure logged and counted
 * ({@link ListenerStats#failures()}); neither delays an acknowledgement to a miner. Within one listener, events arrive
 * in the order they were journaled; a channel's opening is delivered before its first accepted share.
 */
public interface ServerListener
{
    /**
     * A batch of accepted shares, as one validation batch was journaled (one call per batch, not per share).
     * {@code shares} is reused by the next call: copy what you keep.
     */
    default void onSharesAccepted(final AcceptedShares shares)
    {
    }

    /** A share met the network target of a chain and its block was assembled and handed on for submission. */
    default void onBlockFound(final Block block)
    {
    }

    /** A template source (the node) accepted a bitcoin block of the pool; its reward follows in {@link #onReward}. */
    default void onBlockAccepted(final Block block)
    {
    }

    /** No template source accepted a bitcoin block of the pool; {@link Block#reason()} is the node's answer. */
    default void onBlockRejected(final Block block)
    {
    }

    /** An aux-chain block (AuxPoW) was submitted to its chain's node. */
    default void onAuxBlockSubmitted(final AuxBlock block)
    {
    }

    /** The aux chain's node accepted a submitted block. */
    default void onAuxBlockAccepted(final AuxBlock block)
    {
    }

    /** The aux chain's node rejected a submitted block ({@link AuxBlock#reason()}). */
    default void onAuxBlockRejected(final AuxBlock block)
    {
    }

    /** The outcome of an aux submission could not be learned (no answer in time, or shutdown). */
    default void onAuxBlockUnknown(final AuxBlock block)
    {
    }

    /** A block reward was recorded for a chain, in that chain's smallest unit. */
    default void onReward(final Reward reward)
    {
    }

    /** The merged-mining fee was taken from a reward. */
    default void onFee(final Fee fee)
    {
    }

    /** A reward's distribution (core / grants / audits / operations) was recorded. */
    default void onDistribution(final Distribution distribution)
    {
    }

    /** A downstream connection completed its setup. */
    default void onConnectionOpened(final Connection connection)
    {
    }

    /** A downstream connection is gone. */
    default void onConnectionClosed(final Connection connection)
    {
    }

    /** A mining channel was opened. */
    default void onChannelOpened(final Channel channel)
    {
    }

    /** A mining channel was closed. */
    default void onChannelClosed(final Channel channel)
    {
    }

    /**
     * A block of a chain.
     *
     * @param timeMs when it was journaled (wall clock, ms)
     * @param chain  the chain's name ("bitcoin", or the aux chain's configured name)
     * @param height the block's height, or -1 where the event does not carry it
     * @param hash   the block hash, hex, in the usual display order
     * @param worker the user identity of the worker that found it, or "" where the event does not carry it
     * @param reason why it was rejected, or ""
     */
    record Block(long timeMs, String chain, long height, String hash, String worker, String reason)
    {
    }

    /**
     * An aux-chain block submission or its outcome.
     *
     * @param hash   the aux block hash, hex, display order
     * @param reason the node's reason for a rejection (or why the outcome is unknown), else ""
     */
    record AuxBlock(long timeMs, String chain, String hash, String reason)
    {
    }

    /**
     * A recorded reward.
     *
     * @param amount in the chain's smallest unit (satoshis for bitcoin)
     * @param hash   the rewarded block, hex, display order
     */
    record Reward(long timeMs, String chain, long amount, String hash)
    {
    }

    /** A merged-mining fee taken from a reward, in the chain's smallest unit, credited to {@code contributor}. */
    record Fee(long timeMs, String chain, long amount, String contributor)
    {
    }

    /** A reward's split, each part in the chain's smallest unit. */
    record Distribution(long timeMs, String chain, long core, long grants, long audits, long operations)
    {
    }

    /**
     * A downstream connection.
     *
     * @param protocol "sv2" or "sv1" (empty on close)
     */
    record Connection(long timeMs, long connectionId, String protocol)
    {
    }

    /**
     * A mining channel.
     *
     * @param worker   the channel's user identity (empty for a Stratum V1 worker not authorized yet, and on close)
     * @param extended an extended channel (rolls its own extranonce) rather than a standard one
     */
    record Channel(long timeMs, long connectionId, int channelId, String worker, boolean extended)
    {
    }
}
