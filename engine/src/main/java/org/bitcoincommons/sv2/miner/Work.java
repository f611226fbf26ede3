package org.bitcoincommons.sv2.miner;

/**
 * One unit of work for the hashing threads: an active job on the current prev hash with the target it must meet.
 * Immutable; replaced whenever a job, prev hash or target changes.
 *
 * @param generation   increases with every new work: threads drop old work at the next check
 * @param merkleRoot   standard channels: the job's root; extended: null (each thread builds its own)
 * @param coinbasePrefix extended channels: coinbase_tx_prefix + extranonce_prefix (the miner's part follows)
 * @param rollMask     version bits the threads may roll (0: none)
 * @param extranonceSize extended channels: rollable bytes (SV1: extranonce2_size)
 */
record Work(
    long generation,
    int channelId,
    int jobId,
    int version,
    int rollMask,
    byte[] prevHash,
    int nbits,
    int minNtime,
    byte[] target,
    byte[] merkleRoot,
    byte[] coinbasePrefix,
    byte[] coinbaseSuffix,
    byte[] merklePath,
    int extranonceSize)
{
}
