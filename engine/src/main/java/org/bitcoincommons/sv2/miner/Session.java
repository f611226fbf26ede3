package org.bitcoincommons.sv2.miner;

import java.io.IOException;

/**
 * One connection of a {@link MinerClient} to its pool, whatever the protocol ({@link MinerSession} for SV2,
 * {@link Sv1MinerSession} for Stratum V1): it publishes work to the client's hashing threads and submits what they
 * find. The client runs one at a time and starts a new one after each ends.
 */
interface Session extends AutoCloseable
{
    /** True once the session has a channel (SV2) or an authorized worker (SV1). */
    boolean ready();

    /** Connects and serves the pool until the connection ends (by an exception, or by {@link #close()}). */
    void run() throws IOException;

    /**
     * Called by hashing threads with a header that meets {@code w}'s target.
     *
     * @param extranonce the miner-rolled extranonce (SV2 extended: after the prefix; SV1: extranonce2), or null on a
     *                   standard channel
     */
    void submit(Work w, int nonce, int ntime, int version, byte[] extranonce);

    @Override
    void close();
}
