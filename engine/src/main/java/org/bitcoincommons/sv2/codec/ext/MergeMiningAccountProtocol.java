package org.bitcoincommons.sv2.codec.ext;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.STR0_255;
import static org.bitcoincommons.sv2.codec.FieldType.U32;
import static org.bitcoincommons.sv2.codec.FieldType.U256;
import static org.bitcoincommons.sv2.codec.FieldType.U64;
import static org.bitcoincommons.sv2.codec.FieldType.U8;

import java.util.List;

import org.bitcoincommons.sv2.codec.MessageSchema;

/**
 * Merged-mining account (extension_type 0x4D4D, "MM" in ASCII, in the spec's experimental range 0x4000-0x7FFF; ours,
 * not part of the SV2 specification): a miner asks for its own account per merged-mined chain, which the pool then
 * pushes at an interval. Negotiated with RequestExtensions (extension 0x0001) first. channel_msg = 0 for every
 * message. On TCP the messages travel on the connection; on QUIC the client opens a stream of its own for them whose
 * first frame is the subscription (README, "Merged-mining account extension", has the byte layouts).
 */
public final class MergeMiningAccountProtocol
{
    public static final int EXTENSION_TYPE = 0x4D4D;

    public static final int MESSAGE_TYPE_SUBSCRIBE = 0x00;
    public static final int MESSAGE_TYPE_SUBSCRIBE_SUCCESS = 0x01;
    public static final int MESSAGE_TYPE_SUBSCRIBE_ERROR = 0x02;
    public static final int MESSAGE_TYPE_ACCOUNT = 0x03;

    public static final boolean CHANNEL_BIT = false;

    /** The interval the pool uses when the miner asks for 0, and the bounds it clamps a requested one to, ms. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;
    public static final long MIN_INTERVAL_MS = 1_000;
    public static final long MAX_INTERVAL_MS = 3_600_000;

    /**
     * Work fields are expected hashes, U256 little-endian: the sum of the shares' difficulties x 2^32 (a difficulty-1
     * share is 2^32 hashes), the unit of Bitcoin's chainwork; exact for tiny CPU-miner difficulties and never
     * overflowing for a large pool.
     */
    public static final int WORK_HASHES_PER_DIFFICULTY_LOG2 = 32;

    public static final MessageSchema SUBSCRIBE = MessageSchema.of(
        "SubscribeMergeMiningAccount", EXTENSION_TYPE, MESSAGE_TYPE_SUBSCRIBE, CHANNEL_BIT,
        field("request_id", U32),
        field("update_interval_ms", U32));

    public static final MessageSchema SUBSCRIBE_SUCCESS = MessageSchema.of(
        "SubscribeMergeMiningAccount.Success", EXTENSION_TYPE, MESSAGE_TYPE_SUBSCRIBE_SUCCESS, CHANNEL_BIT,
        field("request_id", U32),
        field("update_interval_ms", U32),
        field("chain_count", U8));

    public static final MessageSchema SUBSCRIBE_ERROR = MessageSchema.of(
        "SubscribeMergeMiningAccount.Error", EXTENSION_TYPE, MESSAGE_TYPE_SUBSCRIBE_ERROR, CHANNEL_BIT,
        field("request_id", U32),
        field("error_code", STR0_255));

    public static final MessageSchema ACCOUNT = MessageSchema.of(
        "MergeMiningAccount", EXTENSION_TYPE, MESSAGE_TYPE_ACCOUNT, CHANNEL_BIT,
        field("update_sequence", U32),
        field("chain_index", U8),
        field("chain_name", STR0_255),
        field("shares_credited", U64),
        field("work_credited", U256),
        field("pool_shares", U64),
        field("pool_work", U256),
        field("pool_blocks", U64),
        field("pool_rewards", U64),
        field("reward_attributed", U64));

    public static final List<MessageSchema> SCHEMAS = List.of(SUBSCRIBE, SUBSCRIBE_SUCCESS, SUBSCRIBE_ERROR, ACCOUNT);

    private MergeMiningAccountProtocol()
    {
    }
}
