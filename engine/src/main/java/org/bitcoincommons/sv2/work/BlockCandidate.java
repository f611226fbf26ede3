package org.bitcoincommons.sv2.work;

/**
 * A share that met a network target (bitcoin's, or an aux chain's), with everything needed to build the
 * block or the proof: the job, the 80-byte header, the full extranonce, and who found it. Made on the logic
 * thread (rare: allocation is fine) and handed to a {@link BlockSink}, which submits off the hot path.
 */
public record BlockCandidate(Job job, byte[] header, byte[] hash, byte[] extranonce, int workerId, String userIdentity)
{
}
