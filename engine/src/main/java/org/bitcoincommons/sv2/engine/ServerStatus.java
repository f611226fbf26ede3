package org.bitcoincommons.sv2.engine;

import java.util.List;

/**
 * A running {@link StratumV2Server}'s state, refreshed once a second by the pool.
 *
 * @param uptimeSec       seconds since start
 * @param connections     open downstream connections (SV2 and Stratum V1)
 * @param channels        open mining channels
 * @param sharesAccepted  shares accepted since start
 * @param sharesRejected  shares rejected since start
 * @param blocksFound     bitcoin blocks found since start
 * @param blocksAccepted  of those, accepted by a template source
 * @param blocksRejected  of those, accepted by none
 * @param height          the current template's height
 * @param hashrate        estimated from the accepted share difficulty of the last minute, H/s
 * @param journalEvents   accounting events in the journal (with a journal kept from an earlier run, more than this
 *                        run wrote)
 * @param listeners       how each listener keeps up
 */
public record ServerStatus(long uptimeSec, int connections, int channels, long sharesAccepted, long sharesRejected,
    long blocksFound, long blocksAccepted, long blocksRejected, long height, double hashrate, long journalEvents,
    List<ListenerStats> listeners)
{
}
