package org.bitcoincommons.sv2.template;

import java.util.Map;

/**
 * A point-in-time view of one template source, for {@code /api/status}, {@code /metrics} and
 * {@code bin/sv2 template check}. Immutable.
 *
 * @param name            the source's name ("bitcoind", "sv2-tp", "embedded")
 * @param health          see {@link SourceHealth}
 * @param height          height of the block its newest template builds (the tip's height + 1); -1 before any
 * @param bestHash        the chain tip its newest template builds on, display (RPC) hex; "" before any
 * @param latencyUs       round trip of its last successful template fetch, microseconds; -1 when not measured
 * @param error           why it is not healthy ("" when healthy)
 * @param sinceMs         wall-clock ms of the last health change
 * @param rejectedBlocks  blocks the source refused since start, by the node's reason ("high-hash", "duplicate", ...)
 */
public record SourceState(String name, SourceHealth health, long height, String bestHash, long latencyUs,
    String error, long sinceMs, Map<String, Long> rejectedBlocks)
{
    public SourceState
    {
        rejectedBlocks = Map.copyOf(rejectedBlocks);
    }

    public static SourceState starting(final String name, final long nowMs)
    {
        return new SourceState(name, SourceHealth.STARTING, -1, "", -1, "", nowMs, Map.of());
    }

    public SourceState withHealth(final SourceHealth h, final String why, final long nowMs)
    {
        return new SourceState(name, h, height, bestHash, latencyUs, why, h == health ? sinceMs : nowMs, rejectedBlocks);
    }
}
