package org.bitcoincommons.sv2.pool;

/**
 * A point-in-time view of the pool, made on the logic thread once per tick and read by anyone (API, status line).
 *
 * @param hashrate estimated from accepted share difficulty over the last minute, H/s
 */
public record PoolStatus(
    long timeMs,
    long uptimeSec,
    int connections,
    int channels,
    long sharesAccepted,
    long sharesRejected,
    long blocksFound,
    long blocksAccepted,
    long blocksRejected,
    long height,
    double hashrate,
    long journalEvents)
{
    public static final PoolStatus EMPTY = new PoolStatus(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0);
}
