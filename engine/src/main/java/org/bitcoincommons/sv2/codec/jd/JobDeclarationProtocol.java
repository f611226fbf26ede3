package org.bitcoincommons.sv2.codec.jd;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.B0_255;
import static org.bitcoincommons.sv2.codec.FieldType.B0_32;
import static org.bitcoincommons.sv2.codec.FieldType.B0_64K;
import static org.bitcoincommons.sv2.codec.FieldType.STR0_255;
import static org.bitcoincommons.sv2.codec.FieldType.U256;
import static org.bitcoincommons.sv2.codec.FieldType.U32;

import java.util.List;

import org.bitcoincommons.sv2.codec.FieldType;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Primitive;

/**
 * Job Declaration protocol (spec 6.4, as of sv2-spec commit 0f38d51), extension 0; no message sets the channel_msg
 * bit. The current spec has no IdentifyTransactions (0x53/0x54).
 */
public final class JobDeclarationProtocol
{
    public static final int EXTENSION_TYPE = 0x0000;

    public static final int MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN = 0x50;
    public static final int MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN_SUCCESS = 0x51;
    public static final int MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS = 0x55;
    public static final int MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS_SUCCESS = 0x56;
    public static final int MESSAGE_TYPE_DECLARE_MINING_JOB = 0x57;
    public static final int MESSAGE_TYPE_DECLARE_MINING_JOB_SUCCESS = 0x58;
    public static final int MESSAGE_TYPE_DECLARE_MINING_JOB_ERROR = 0x59;
    public static final int MESSAGE_TYPE_PUSH_SOLUTION = 0x60;

    /** Every Job Declaration message has channel_msg = 0. */
    public static final boolean CHANNEL_BIT = false;

    public static final MessageSchema ALLOCATE_MINING_JOB_TOKEN = MessageSchema.of(
        "AllocateMiningJobToken", EXTENSION_TYPE, MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN, CHANNEL_BIT,
        field("user_identifier", STR0_255),
        field("request_id", U32));

    /** SRI names the last field {@code coinbase_outputs}; the spec names it {@code coinbase_tx_outputs}. */
    public static final MessageSchema ALLOCATE_MINING_JOB_TOKEN_SUCCESS = MessageSchema.of(
        "AllocateMiningJobToken.Success", EXTENSION_TYPE, MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN_SUCCESS, CHANNEL_BIT,
        field("request_id", U32),
        field("mining_job_token", B0_255),
        field("coinbase_tx_outputs", B0_64K));

    public static final MessageSchema PROVIDE_MISSING_TRANSACTIONS = MessageSchema.of(
        "ProvideMissingTransactions", EXTENSION_TYPE, MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS, CHANNEL_BIT,
        field("request_id", U32),
        field("unknown_tx_position_list", FieldType.seq0_64K(Primitive.U16)));

    public static final MessageSchema PROVIDE_MISSING_TRANSACTIONS_SUCCESS = MessageSchema.of(
        "ProvideMissingTransactions.Success", EXTENSION_TYPE, MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS_SUCCESS,
        CHANNEL_BIT,
        field("request_id", U32),
        field("transaction_list", FieldType.seq0_64K(Primitive.B0_16M)));

    public static final MessageSchema DECLARE_MINING_JOB = MessageSchema.of(
        "DeclareMiningJob", EXTENSION_TYPE, MESSAGE_TYPE_DECLARE_MINING_JOB, CHANNEL_BIT,
        field("request_id", U32),
        field("mining_job_token", B0_255),
        field("version", U32),
        field("coinbase_tx_prefix", B0_64K),
        field("coinbase_tx_suffix", B0_64K),
        field("wtxid_list", FieldType.seq0_64K(Primitive.U256)),
        field("excess_data", B0_64K));

    public static final MessageSchema DECLARE_MINING_JOB_SUCCESS = MessageSchema.of(
        "DeclareMiningJob.Success", EXTENSION_TYPE, MESSAGE_TYPE_DECLARE_MINING_JOB_SUCCESS, CHANNEL_BIT,
        field("request_id", U32),
        field("new_mining_job_token", B0_255));

    public static final MessageSchema DECLARE_MINING_JOB_ERROR = MessageSchema.of(
        "DeclareMiningJob.Error", EXTENSION_TYPE, MESSAGE_TYPE_DECLARE_MINING_JOB_ERROR, CHANNEL_BIT,
        field("request_id", U32),
        field("error_code", STR0_255),
        field("error_details", B0_64K));

    /** The spec's table spells the second field "prev hash" (with a space); we use prev_hash, as SRI does. */
    public static final MessageSchema PUSH_SOLUTION = MessageSchema.of(
        "PushSolution", EXTENSION_TYPE, MESSAGE_TYPE_PUSH_SOLUTION, CHANNEL_BIT,
        field("extranonce", B0_32),
        field("prev_hash", U256),
        field("nonce", U32),
        field("ntime", U32),
        field("nbits", U32),
        field("version", U32));

    public static final List<MessageSchema> SCHEMAS = List.of(
        ALLOCATE_MINING_JOB_TOKEN,
        ALLOCATE_MINING_JOB_TOKEN_SUCCESS,
        PROVIDE_MISSING_TRANSACTIONS,
        PROVIDE_MISSING_TRANSACTIONS_SUCCESS,
        DECLARE_MINING_JOB,
        DECLARE_MINING_JOB_SUCCESS,
        DECLARE_MINING_JOB_ERROR,
        PUSH_SOLUTION);

    private JobDeclarationProtocol()
    {
    }
}
