package org.bitcoincommons.sv2.cluster;

import java.nio.ByteOrder;

/**
 * The messages between frontends and the cluster. Little-endian; offsets are from the start of the message (Aeron
 * Cluster's own session header is in front of it and not counted).
 *
 * <pre>
 * ingress (frontend -> cluster, one log entry each)
 *   0        1         2          4              8                   16                24            28
 *   +--------+---------+----------+--------------+-------------------+-----------------+-------------+--------
 *   | type   | version | reserved | frontend u32 | incarnation u64   | sequence u64    | events u32  | events
 *   +--------+---------+----------+--------------+-------------------+-----------------+-------------+--------
 *   EVENTS: each event is length u32 + one accounting event in the journal's layout (journal.EventCodec)
 *
 * egress (cluster leader -> frontend)
 *   0        1         2          4              8                   16                24
 *   +--------+---------+----------+--------------+-------------------+-----------------+
 *   | type   | version | reserved | frontend u32 | incarnation u64   | sequence u64    |
 *   +--------+---------+----------+--------------+-------------------+-----------------+
 *   COMMITTED: every command of this incarnation up to sequence is applied (cumulative)
 *   STALE:     the command was refused: the cluster has seen a later incarnation of this frontend id
 * </pre>
 * A frontend's incarnation is the wall-clock millisecond it started; its sequence numbers start at 1 and increase by
 * one per command. The cluster applies a command only if its sequence is above the highest applied for that
 * frontend and incarnation, so a command re-sent after a failover is applied once.
 */
final class Protocol
{
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final byte VERSION = 1;

    static final byte EVENTS = 1;
    static final byte COMMITTED = 101;
    static final byte STALE = 102;

    static final int TYPE_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int FRONTEND_OFFSET = 4;
    static final int INCARNATION_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int EVENT_COUNT_OFFSET = 24;
    /** Where the first event of an EVENTS command starts. */
    static final int EVENTS_HEADER_LENGTH = 28;
    static final int REPLY_LENGTH = 24;
    /** Each event in an EVENTS command is preceded by its length. */
    static final int EVENT_LENGTH_PREFIX = 4;

    private Protocol()
    {
    }
}
