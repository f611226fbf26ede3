package org.bitcoincommons.sv2.loadgen;

/**
 * A load generator as {@code bin/sv2 bench load} drives it, whatever protocol its simulated miners speak
 * ({@link LoadGenerator} for SV2, {@link Sv1LoadGenerator} for Stratum V1).
 */
public interface ShareLoad
{
    /** Runs once, when the warm-up ends and the measured interval begins. */
    ShareLoad onMeasureStart(Runnable action);

    /** Connects every miner, runs warm-up then the measured interval, and reports; connections stay open. */
    LoadGenerator.Result run() throws InterruptedException;

    /** Miners whose connection is still up. */
    int openConnections();

    /** Every share the pool has acknowledged as accepted so far. */
    long acceptedTotal();

    /** Closes every connection. */
    void close();
}
