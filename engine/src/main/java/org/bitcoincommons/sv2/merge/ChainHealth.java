package org.bitcoincommons.sv2.merge;

/**
 * Whether one aux chain's node is usable, from the requests made to it (work polls, submissions, confirmations).
 * The chain is up from its first successful poll; it goes down only after {@code downAfterFailures} consecutive
 * failed requests, or when its work was last confirmed by the node more than {@code maxWorkAgeMs} ago; one
 * successful poll brings it back. A node that fails now and then (fewer than the limit in a row) stays up, so its
 * chain does not flap in and out of the jobs. A JSON-RPC error is the node's answer, not a failure.
 *
 * <p>Written by the chain's poller and submitter threads, read by any: every method is synchronized (cold path,
 * one call per request). Each method that changes the state returns true so that the caller logs the change and
 * rebuilds the aux work once per change, never per request.
 */
final class ChainHealth
{
    private final int downAfterFailures;
    private final long maxWorkAgeMs;
    private boolean up;
    private int consecutiveFailures;
    private long workConfirmedMs = Long.MIN_VALUE;
    private String lastError;

    /**
     * @param downAfterFailures consecutive failed requests that mark the chain down (>= 1)
     * @param maxWorkAgeMs      how long the chain's work stays usable without a successful poll (ms)
     */
    ChainHealth(final int downAfterFailures, final long maxWorkAgeMs)
    {
        this.downAfterFailures = downAfterFailures;
        this.maxWorkAgeMs = maxWorkAgeMs;
    }

    /**
     * A poll returned the node's current work.
     *
     * @return true when the chain came up
     */
    synchronized boolean workConfirmed(final long nowMs)
    {
        workConfirmedMs = nowMs;
        consecutiveFailures = 0;
        lastError = null;
        final boolean changed = !up;
        up = true;
        return changed;
    }

    /**
     * A request that is not a poll (a submission, a confirmation) was answered: the node is reachable, but the
     * chain's work is not confirmed by it, so a down chain stays down until its next successful poll.
     */
    synchronized void answered()
    {
        consecutiveFailures = 0;
    }

    /**
     * A request failed (transport, authentication or a malformed answer).
     *
     * @param reason what failed, kept for the log and the API
     * @return true when the chain went down
     */
    synchronized boolean failed(final long nowMs, final String reason)
    {
        consecutiveFailures++;
        lastError = reason;
        if (up && (consecutiveFailures >= downAfterFailures || workAgeMs(nowMs) > maxWorkAgeMs))
        {
            up = false;
            return true;
        }
        return false;
    }

    /**
     * Marks the chain down at once (its node answered with work the pool cannot use, e.g. a wrong chain id).
     *
     * @return true when the chain went down
     */
    synchronized boolean unusable(final String reason)
    {
        lastError = reason;
        final boolean changed = up;
        up = false;
        return changed;
    }

    /**
     * Checks the age of the chain's work.
     *
     * @return true when the chain went down because its work is older than {@code maxWorkAgeMs}
     */
    synchronized boolean expire(final long nowMs)
    {
        if (up && workAgeMs(nowMs) > maxWorkAgeMs)
        {
            up = false;
            if (lastError == null)
            {
                lastError = "work not confirmed by the node for " + workAgeMs(nowMs) + " ms";
            }
            return true;
        }
        return false;
    }

    synchronized boolean up()
    {
        return up;
    }

    synchronized String lastError()
    {
        return lastError;
    }

    synchronized int consecutiveFailures()
    {
        return consecutiveFailures;
    }

    /** Milliseconds since a poll last returned the chain's work (Long.MAX_VALUE before the first). */
    synchronized long workAgeMs(final long nowMs)
    {
        return workConfirmedMs == Long.MIN_VALUE ? Long.MAX_VALUE : nowMs - workConfirmedMs;
    }
}
