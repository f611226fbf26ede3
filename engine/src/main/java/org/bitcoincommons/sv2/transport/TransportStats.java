package org.bitcoincommons.sv2.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Connections and bytes of one transport ("tcp" or "quic"), for /api/status and /metrics. Updated per read or write
 * call on a stream (a LongAdder each), never per share.
 */
public final class TransportStats
{
    private final String name;
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    public final LongAdder streamsOpened = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();

    public TransportStats(final String name)
    {
        this.name = name;
    }

    public String name()
    {
        return name;
    }

    public long openConnections()
    {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }
}
