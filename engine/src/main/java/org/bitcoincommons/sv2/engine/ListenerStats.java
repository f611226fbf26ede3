package org.bitcoincommons.sv2.engine;

/**
 * How one {@link ServerListener} is keeping up.
 *
 * @param listener       the listener's class name
 * @param events         events delivered (a share batch counts as one)
 * @param shares         accepted shares delivered
 * @param failures       calls that threw (each logged, at most once per 10 s per listener)
 * @param dropped        connection and channel events dropped because the listener's queue was full
 * @param lagP50Micros   median delay from a share batch being journaled (just before its acknowledgements are
 *                       queued) to the listener being called, microseconds
 * @param lagP99Micros   99th percentile of the same
 * @param lagMaxMicros   largest of the same
 */
public record ListenerStats(String listener, long events, long shares, long failures, long dropped,
    double lagP50Micros, double lagP99Micros, double lagMaxMicros)
{
}
