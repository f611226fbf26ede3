package org.bitcoincommons.sv2.template;

/** How a template source is doing, as the failover sees it. */
public enum SourceHealth
{
    /** Started, no template yet. */
    STARTING,
    /** Delivering templates: may be mined on. */
    HEALTHY,
    /** The node answers but cannot serve templates yet (warming up, no peers, initial sync): backing off. */
    NOT_READY,
    /** Unreachable, refusing our credentials, answering garbage, or serving templates we cannot use. */
    DOWN,
    /** Closed. */
    STOPPED;

    /** Whether the pool may mine on this source's templates. */
    public boolean usable()
    {
        return this == HEALTHY;
    }
}
