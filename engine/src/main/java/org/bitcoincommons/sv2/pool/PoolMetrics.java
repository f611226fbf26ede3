package org.bitcoincommons.sv2.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * Connection-level counters, updated by the connection threads (contended only per event, never per share).
 * Share counters live in {@link ShareProcessor}, owned by the logic thread.
 */
public final class PoolMetrics
{
    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    public final LongAdder handshakeFailures = new LongAdder();
    public final LongAdder setupFailures = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder slowReaders = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder blocksSubmitted = new LongAdder();
    public final LongAdder blocksAccepted = new LongAdder();
    public final LongAdder blocksRejected = new LongAdder();
}
