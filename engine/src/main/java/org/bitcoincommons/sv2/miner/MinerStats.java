package org.bitcoincommons.sv2.miner;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a miner has done, updated by its threads.
 */
public final class MinerStats
{
    public final LongAdder hashes = new LongAdder();
    public final LongAdder sharesSubmitted = new LongAdder();
    public final LongAdder sharesAccepted = new LongAdder();
    public final LongAdder sharesRejected = new LongAdder();
    public final LongAdder connects = new LongAdder();
    public final LongAdder disconnects = new LongAdder();
    public final LongAdder jobs = new LongAdder();
    public final LongAdder targets = new LongAdder();
    public final ConcurrentHashMap<String, LongAdder> rejectReasons = new ConcurrentHashMap<>();

    /** Set by the client: who else hears of verdicts. */
    volatile MinerEvents events = MinerEvents.NONE;

    void accepted(final long n)
    {
        sharesAccepted.add(n);
        events.sharesAccepted(n);
    }

    void rejected(final String code, final long n)
    {
        for (long i = 0; i < n; i++)
        {
            events.shareRejected(code);
        }
        sharesRejected.add(n);
        rejectReasons.computeIfAbsent(code, k -> new LongAdder()).add(n);
    }
}
