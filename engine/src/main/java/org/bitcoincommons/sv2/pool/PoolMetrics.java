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
    /** Connections closed because a frame's payload did not follow its header within stratum_v2.frame_deadline_ms. */
    public final LongAdder frameTimeouts = new LongAdder();
    /**
     * Frames received on QUIC streams and on TCP connections that have ended; a live TCP connection counts its own
     * (one plain field written by its reader) and adds it here when it ends: see PoolServer#framesIn.
     */
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder blocksSubmitted = new LongAdder();
    public final LongAdder blocksAccepted = new LongAdder();
    public final LongAdder blocksRejected = new LongAdder();
    /**
     * Blocks found on Coinbase-only custom jobs, whose transactions the pool was never told: not submitted (the job
     * declarator broadcasts them), recorded as found.
     */
    public final LongAdder blocksLeftToDeclarator = new LongAdder();
    /** Each share: published by its connection until its acknowledgement is queued (per share, not per batch). */
    public final LatencyRecorder shareToAckQueued = new LatencyRecorder();
    /** Acknowledgements (and any frame) queued to a connection with no writer running until its writer runs. */
    public final LatencyRecorder ackQueuedToWriter = new LatencyRecorder();
    /** Cluster frontend: acknowledgements held from their batch's end until the cluster committed it. */
    public final LatencyRecorder ackHeldForCommit = new LatencyRecorder();
}
