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
 *
 * templates ([cluster] templates = "cluster")
 *   0        1         2          4              8                   16                24
 *   +--------+---------+----------+--------------+-------------------+-----------------+----------
 *   | type   | version | reserved | member u32   | term u64          | sequence u64    | template (TemplateCodec)
 *   +--------+---------+----------+--------------+-------------------+-----------------+----------
 *   TEMPLATE (ingress, from the template feeder beside the leader node): member is the feeder's node, term the
 *            leadership term it fed in, sequence its count of templates in that term. The cluster keeps it only when
 *            (height, term, sequence) is above the latest template's, so a template never goes backwards.
 *   TEMPLATE_UPDATE (egress, to every session): the latest template, the same bytes with this type; sent when one is
 *            applied, and to a session that sends TEMPLATE_REQUEST (type | version | reserved | frontend u32), which
 *            a frontend does after it connects, after a new leader, and while it has no template.
 *
 * aux work ([cluster] aux = "cluster"; AuxCodec has the layouts)
 *   AUX_WORK (ingress, from the aux feeder beside the leader node): member u32 | term u64 | sequence u64 | height i64 |
 *            chain id i32 | kind u8 | name length u8 | hash length u8 | reserved | target 32 | reward i64 | name | hash.
 *            The cluster keeps it as its chain's latest only when (height, term, sequence) is above the latest's.
 *   AUX_WORK_UPDATE (egress, to every session): the latest work of a chain, the same bytes with this type; sent when
 *            one is applied, and for every chain to a session that sends AUX_REQUEST (type | version | reserved |
 *            frontend u32), which a frontend does after it connects, after a new leader, and while it has none.
 *   AUX_FEEDER (ingress, an aux feeder after it connects: type | version | reserved | member u32): no state; the
 *            session is told every proof still waiting for its outcome (AUX_PROOF).
 *   AUX_SUBMIT (ingress, a frontend): frontend u32 | height i64 | name length u8 | hash length u8 | reserved u16 |
 *            proof length u32 | name | hash | proof. Recorded once per (chain, hash) and sent on egress as AUX_PROOF
 *            to the feeder sessions; a repeat changes nothing (its outcome, when known, is sent back to its session).
 *   AUX_RESULT (ingress, the feeder that submitted): member u32 | verdict u8 | placement u8 | name length u8 |
 *            hash length u8 | node hash length u8 | reserved 3 | height i64 | detail length u16 | reserved u16 | name |
 *            hash | node hash | detail (UTF-8). The first for a waiting proof is its outcome and goes on egress to every
 *            session as AUX_OUTCOME (the same bytes with this type); later ones change nothing.
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
    static final byte TEMPLATE = 2;
    static final byte TEMPLATE_REQUEST = 3;
    /** TEMPLATE_REQUEST: type | version | reserved | frontend u32. */
    static final int TEMPLATE_REQUEST_LENGTH = 8;
    static final byte TEMPLATE_UPDATE = 103;
    static final byte AUX_WORK = 4;
    static final byte AUX_REQUEST = 5;
    static final byte AUX_FEEDER = 6;
    static final byte AUX_SUBMIT = 7;
    static final byte AUX_RESULT = 8;
    /** AUX_REQUEST and AUX_FEEDER: type | version | reserved | frontend or member u32. */
    static final int AUX_HELLO_LENGTH = 8;
    static final byte AUX_WORK_UPDATE = 104;
    static final byte AUX_PROOF = 105;
    static final byte AUX_OUTCOME = 106;

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
    static final int MEMBER_OFFSET = 4;
    static final int TERM_OFFSET = 8;
    /** Where the template of a TEMPLATE or TEMPLATE_UPDATE message starts. */
    static final int TEMPLATE_HEADER_LENGTH = 24;

    private Protocol()
    {
    }
}
