package org.bitcoincommons.sv2.sv1;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the Stratum V1 endpoint, updated by its connection threads and the logic thread. */
public final class Sv1Metrics
{
    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder submits = new LongAdder();
    public final LongAdder jobs = new LongAdder();
    public final LongAdder keepaliveJobs = new LongAdder();
    public final LongAdder badJson = new LongAdder();
    public final LongAdder lineTooLong = new LongAdder();
    public final LongAdder unknownMethods = new LongAdder();
    public final LongAdder slowReaders = new LongAdder();
    /** Connections closed for sending no mining.subscribe within 30 s of their accept. */
    public final LongAdder subscribeTimeouts = new LongAdder();
    /** Submits with version bits from a connection that never sent mining.configure (applied within the mask). */
    public final LongAdder unnegotiatedVersionBits = new LongAdder();
}
