package org.bitcoincommons.sv2.codec.mining;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.B0_255;
import static org.bitcoincommons.sv2.codec.FieldType.B0_32;
import static org.bitcoincommons.sv2.codec.FieldType.B0_64K;
import static org.bitcoincommons.sv2.codec.FieldType.BOOL;
import static org.bitcoincommons.sv2.codec.FieldType.F32;
import static org.bitcoincommons.sv2.codec.FieldType.STR0_255;
import static org.bitcoincommons.sv2.codec.FieldType.U16;
import static org.bitcoincommons.sv2.codec.FieldType.U256;
import static org.bitcoincommons.sv2.codec.FieldType.U32;
import static org.bitcoincommons.sv2.codec.FieldType.U64;

import java.util.List;

import org.bitcoincommons.sv2.codec.FieldType;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Primitive;

/**
 * Mining protocol (spec 5.3), extension 0: message types, channel bits and schemas. 0x1e is reserved.
 */
public final class MiningProtocol
{
    public static final int EXTENSION_TYPE = 0x0000;

    public static final int MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL = 0x10;
    public static final int MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS = 0x11;
    public static final int MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR = 0x12;
    public static final int MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL = 0x13;
    public static final int MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS = 0x14;
    public static final int MESSAGE_TYPE_NEW_MINING_JOB = 0x15;
    public static final int MESSAGE_TYPE_UPDATE_CHANNEL = 0x16;
    public static final int MESSAGE_TYPE_UPDATE_CHANNEL_ERROR = 0x17;
    public static final int MESSAGE_TYPE_CLOSE_CHANNEL = 0x18;
    public static final int MESSAGE_TYPE_SET_EXTRANONCE_PREFIX = 0x19;
    public static final int MESSAGE_TYPE_SUBMIT_SHARES_STANDARD = 0x1a;
    public static final int MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED = 0x1b;
    public static final int MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS = 0x1c;
    public static final int MESSAGE_TYPE_SUBMIT_SHARES_ERROR = 0x1d;
    public static final int MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB = 0x1f;
    public static final int MESSAGE_TYPE_SET_NEW_PREV_HASH = 0x20;
    public static final int MESSAGE_TYPE_SET_TARGET = 0x21;
    public static final int MESSAGE_TYPE_SET_CUSTOM_MINING_JOB = 0x22;
    public static final int MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS = 0x23;
    public static final int MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR = 0x24;
    public static final int MESSAGE_TYPE_SET_GROUP_CHANNEL = 0x25;

    public static final boolean CHANNEL_BIT_OPEN_STANDARD_MINING_CHANNEL = false;
    public static final boolean CHANNEL_BIT_OPEN_STANDARD_MINING_CHANNEL_SUCCESS = false;
    public static final boolean CHANNEL_BIT_OPEN_MINING_CHANNEL_ERROR = false;
    public static final boolean CHANNEL_BIT_OPEN_EXTENDED_MINING_CHANNEL = false;
    public static final boolean CHANNEL_BIT_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS = false;
    public static final boolean CHANNEL_BIT_NEW_MINING_JOB = true;
    public static final boolean CHANNEL_BIT_UPDATE_CHANNEL = true;
    public static final boolean CHANNEL_BIT_UPDATE_CHANNEL_ERROR = true;
    public static final boolean CHANNEL_BIT_CLOSE_CHANNEL = true;
    public static final boolean CHANNEL_BIT_SET_EXTRANONCE_PREFIX = true;
    public static final boolean CHANNEL_BIT_SUBMIT_SHARES_STANDARD = true;
    public static final boolean CHANNEL_BIT_SUBMIT_SHARES_EXTENDED = true;
    public static final boolean CHANNEL_BIT_SUBMIT_SHARES_SUCCESS = true;
    public static final boolean CHANNEL_BIT_SUBMIT_SHARES_ERROR = true;
    public static final boolean CHANNEL_BIT_NEW_EXTENDED_MINING_JOB = true;
    public static final boolean CHANNEL_BIT_SET_NEW_PREV_HASH = true;
    public static final boolean CHANNEL_BIT_SET_TARGET = true;
    public static final boolean CHANNEL_BIT_SET_CUSTOM_MINING_JOB = true;
    public static final boolean CHANNEL_BIT_SET_CUSTOM_MINING_JOB_SUCCESS = true;
    public static final boolean CHANNEL_BIT_SET_CUSTOM_MINING_JOB_ERROR = true;
    /** SetGroupChannel is not a channel message: no channel_msg bit, no leading channel_id. */
    public static final boolean CHANNEL_BIT_SET_GROUP_CHANNEL = false;

    private static final FieldType OPTION_U32 = FieldType.option(Primitive.U32);
    private static final FieldType MERKLE_PATH = FieldType.seq0_255(Primitive.U256);

    public static final MessageSchema OPEN_STANDARD_MINING_CHANNEL = MessageSchema.of(
        "OpenStandardMiningChannel", EXTENSION_TYPE, MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL,
        CHANNEL_BIT_OPEN_STANDARD_MINING_CHANNEL,
        field("request_id", U32),
        field("user_identity", STR0_255),
        field("nominal_hash_rate", F32),
        field("max_target", U256));

    public static final MessageSchema OPEN_STANDARD_MINING_CHANNEL_SUCCESS = MessageSchema.of(
        "OpenStandardMiningChannel.Success", EXTENSION_TYPE, MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS,
        CHANNEL_BIT_OPEN_STANDARD_MINING_CHANNEL_SUCCESS,
        field("request_id", U32),
        field("channel_id", U32),
        field("target", U256),
        field("extranonce_prefix", B0_32),
        field("group_channel_id", U32));

    public static final MessageSchema OPEN_MINING_CHANNEL_ERROR = MessageSchema.of(
        "OpenMiningChannel.Error", EXTENSION_TYPE, MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR,
        CHANNEL_BIT_OPEN_MINING_CHANNEL_ERROR,
        field("request_id", U32),
        field("error_code", STR0_255));

    public static final MessageSchema OPEN_EXTENDED_MINING_CHANNEL = MessageSchema.of(
        "OpenExtendedMiningChannel", EXTENSION_TYPE, MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL,
        CHANNEL_BIT_OPEN_EXTENDED_MINING_CHANNEL,
        field("request_id", U32),
        field("user_identity", STR0_255),
        field("nominal_hash_rate", F32),
        field("max_target", U256),
        field("min_extranonce_size", U16));

    public static final MessageSchema OPEN_EXTENDED_MINING_CHANNEL_SUCCESS = MessageSchema.of(
        "OpenExtendedMiningChannel.Success", EXTENSION_TYPE, MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS,
        CHANNEL_BIT_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS,
        field("request_id", U32),
        field("channel_id", U32),
        field("target", U256),
        field("extranonce_size", U16),
        field("extranonce_prefix", B0_32),
        field("group_channel_id", U32));

    public static final MessageSchema NEW_MINING_JOB = MessageSchema.of(
        "NewMiningJob", EXTENSION_TYPE, MESSAGE_TYPE_NEW_MINING_JOB, CHANNEL_BIT_NEW_MINING_JOB,
        field("channel_id", U32),
        field("job_id", U32),
        field("min_ntime", OPTION_U32),
        field("version", U32),
        field("merkle_root", U256));

    public static final MessageSchema UPDATE_CHANNEL = MessageSchema.of(
        "UpdateChannel", EXTENSION_TYPE, MESSAGE_TYPE_UPDATE_CHANNEL, CHANNEL_BIT_UPDATE_CHANNEL,
        field("channel_id", U32),
        field("nominal_hash_rate", F32),
        field("maximum_target", U256));

    public static final MessageSchema UPDATE_CHANNEL_ERROR = MessageSchema.of(
        "UpdateChannel.Error", EXTENSION_TYPE, MESSAGE_TYPE_UPDATE_CHANNEL_ERROR, CHANNEL_BIT_UPDATE_CHANNEL_ERROR,
        field("channel_id", U32),
        field("error_code", STR0_255));

    public static final MessageSchema CLOSE_CHANNEL = MessageSchema.of(
        "CloseChannel", EXTENSION_TYPE, MESSAGE_TYPE_CLOSE_CHANNEL, CHANNEL_BIT_CLOSE_CHANNEL,
        field("channel_id", U32),
        field("reason_code", STR0_255));

    public static final MessageSchema SET_EXTRANONCE_PREFIX = MessageSchema.of(
        "SetExtranoncePrefix", EXTENSION_TYPE, MESSAGE_TYPE_SET_EXTRANONCE_PREFIX, CHANNEL_BIT_SET_EXTRANONCE_PREFIX,
        field("channel_id", U32),
        field("extranonce_prefix", B0_32));

    public static final MessageSchema SUBMIT_SHARES_STANDARD = MessageSchema.of(
        "SubmitSharesStandard", EXTENSION_TYPE, MESSAGE_TYPE_SUBMIT_SHARES_STANDARD, CHANNEL_BIT_SUBMIT_SHARES_STANDARD,
        field("channel_id", U32),
        field("sequence_number", U32),
        field("job_id", U32),
        field("nonce", U32),
        field("ntime", U32),
        field("version", U32));

    public static final MessageSchema SUBMIT_SHARES_EXTENDED = MessageSchema.of(
        "SubmitSharesExtended", EXTENSION_TYPE, MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED, CHANNEL_BIT_SUBMIT_SHARES_EXTENDED,
        field("channel_id", U32),
        field("sequence_number", U32),
        field("job_id", U32),
        field("nonce", U32),
        field("ntime", U32),
        field("version", U32),
        field("extranonce", B0_32));

    public static final MessageSchema SUBMIT_SHARES_SUCCESS = MessageSchema.of(
        "SubmitShares.Success", EXTENSION_TYPE, MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS, CHANNEL_BIT_SUBMIT_SHARES_SUCCESS,
        field("channel_id", U32),
        field("last_sequence_number", U32),
        field("new_submits_accepted_count", U32),
        field("new_shares_sum", U64));

    public static final MessageSchema SUBMIT_SHARES_ERROR = MessageSchema.of(
        "SubmitShares.Error", EXTENSION_TYPE, MESSAGE_TYPE_SUBMIT_SHARES_ERROR, CHANNEL_BIT_SUBMIT_SHARES_ERROR,
        field("channel_id", U32),
        field("sequence_number", U32),
        field("error_code", STR0_255));

    public static final MessageSchema NEW_EXTENDED_MINING_JOB = MessageSchema.of(
        "NewExtendedMiningJob", EXTENSION_TYPE, MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB,
        CHANNEL_BIT_NEW_EXTENDED_MINING_JOB,
        field("channel_id", U32),
        field("job_id", U32),
        field("min_ntime", OPTION_U32),
        field("version", U32),
        field("version_rolling_allowed", BOOL),
        field("merkle_path", MERKLE_PATH),
        field("coinbase_tx_prefix", B0_64K),
        field("coinbase_tx_suffix", B0_64K));

    public static final MessageSchema SET_NEW_PREV_HASH = MessageSchema.of(
        "SetNewPrevHash", EXTENSION_TYPE, MESSAGE_TYPE_SET_NEW_PREV_HASH, CHANNEL_BIT_SET_NEW_PREV_HASH,
        field("channel_id", U32),
        field("job_id", U32),
        field("prev_hash", U256),
        field("min_ntime", U32),
        field("nbits", U32));

    public static final MessageSchema SET_TARGET = MessageSchema.of(
        "SetTarget", EXTENSION_TYPE, MESSAGE_TYPE_SET_TARGET, CHANNEL_BIT_SET_TARGET,
        field("channel_id", U32),
        field("maximum_target", U256));

    public static final MessageSchema SET_CUSTOM_MINING_JOB = MessageSchema.of(
        "SetCustomMiningJob", EXTENSION_TYPE, MESSAGE_TYPE_SET_CUSTOM_MINING_JOB, CHANNEL_BIT_SET_CUSTOM_MINING_JOB,
        field("channel_id", U32),
        field("request_id", U32),
        field("mining_job_token", B0_255),
        field("version", U32),
        field("prev_hash", U256),
        field("min_ntime", U32),
        field("nbits", U32),
        field("coinbase_tx_version", U32),
        field("coinbase_prefix", B0_255),
        field("coinbase_tx_input_nSequence", U32),
        field("coinbase_tx_outputs", B0_64K),
        field("coinbase_tx_locktime", U32),
        field("merkle_path", MERKLE_PATH));

    public static final MessageSchema SET_CUSTOM_MINING_JOB_SUCCESS = MessageSchema.of(
        "SetCustomMiningJob.Success", EXTENSION_TYPE, MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS,
        CHANNEL_BIT_SET_CUSTOM_MINING_JOB_SUCCESS,
        field("channel_id", U32),
        field("request_id", U32),
        field("job_id", U32));

    public static final MessageSchema SET_CUSTOM_MINING_JOB_ERROR = MessageSchema.of(
        "SetCustomMiningJob.Error", EXTENSION_TYPE, MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR,
        CHANNEL_BIT_SET_CUSTOM_MINING_JOB_ERROR,
        field("channel_id", U32),
        field("request_id", U32),
        field("error_code", STR0_255));

    public static final MessageSchema SET_GROUP_CHANNEL = MessageSchema.of(
        "SetGroupChannel", EXTENSION_TYPE, MESSAGE_TYPE_SET_GROUP_CHANNEL, CHANNEL_BIT_SET_GROUP_CHANNEL,
        field("group_channel_id", U32),
        field("channel_ids", FieldType.seq0_64K(Primitive.U32)));

    public static final List<MessageSchema> SCHEMAS = List.of(
        OPEN_STANDARD_MINING_CHANNEL,
        OPEN_STANDARD_MINING_CHANNEL_SUCCESS,
        OPEN_MINING_CHANNEL_ERROR,
        OPEN_EXTENDED_MINING_CHANNEL,
        OPEN_EXTENDED_MINING_CHANNEL_SUCCESS,
        NEW_MINING_JOB,
        UPDATE_CHANNEL,
        UPDATE_CHANNEL_ERROR,
        CLOSE_CHANNEL,
        SET_EXTRANONCE_PREFIX,
        SUBMIT_SHARES_STANDARD,
        SUBMIT_SHARES_EXTENDED,
        SUBMIT_SHARES_SUCCESS,
        SUBMIT_SHARES_ERROR,
        NEW_EXTENDED_MINING_JOB,
        SET_NEW_PREV_HASH,
        SET_TARGET,
        SET_CUSTOM_MINING_JOB,
        SET_CUSTOM_MINING_JOB_SUCCESS,
        SET_CUSTOM_MINING_JOB_ERROR,
        SET_GROUP_CHANNEL);

    private MiningProtocol()
    {
    }
}
