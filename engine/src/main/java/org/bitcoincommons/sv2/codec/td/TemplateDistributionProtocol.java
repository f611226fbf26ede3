package org.bitcoincommons.sv2.codec.td;

import static org.bitcoincommons.sv2.codec.FieldSpec.field;
import static org.bitcoincommons.sv2.codec.FieldType.B0_255;
import static org.bitcoincommons.sv2.codec.FieldType.B0_64K;
import static org.bitcoincommons.sv2.codec.FieldType.BOOL;
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
 * Template Distribution protocol (spec 7), extension 0; no message sets the channel_msg bit.
 */
public final class TemplateDistributionProtocol
{
    public static final int EXTENSION_TYPE = 0x0000;

    public static final int MESSAGE_TYPE_COINBASE_OUTPUT_CONSTRAINTS = 0x70;
    public static final int MESSAGE_TYPE_NEW_TEMPLATE = 0x71;
    public static final int MESSAGE_TYPE_SET_NEW_PREV_HASH = 0x72;
    public static final int MESSAGE_TYPE_REQUEST_TRANSACTION_DATA = 0x73;
    public static final int MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_SUCCESS = 0x74;
    public static final int MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_ERROR = 0x75;
    public static final int MESSAGE_TYPE_SUBMIT_SOLUTION = 0x76;

    /** Every Template Distribution message has channel_msg = 0. */
    public static final boolean CHANNEL_BIT = false;

    public static final MessageSchema COINBASE_OUTPUT_CONSTRAINTS = MessageSchema.of(
        "CoinbaseOutputConstraints", EXTENSION_TYPE, MESSAGE_TYPE_COINBASE_OUTPUT_CONSTRAINTS, CHANNEL_BIT,
        field("coinbase_output_max_additional_size", U32),
        field("coinbase_output_max_additional_sigops", U16));

    /** coinbase_tx_outputs carries no CompactSize count; coinbase_tx_outputs_count gives it. */
    public static final MessageSchema NEW_TEMPLATE = MessageSchema.of(
        "NewTemplate", EXTENSION_TYPE, MESSAGE_TYPE_NEW_TEMPLATE, CHANNEL_BIT,
        field("template_id", U64),
        field("future_template", BOOL),
        field("version", U32),
        field("coinbase_tx_version", U32),
        field("coinbase_prefix", B0_255),
        field("coinbase_tx_input_sequence", U32),
        field("coinbase_tx_value_remaining", U64),
        field("coinbase_tx_outputs_count", U32),
        field("coinbase_tx_outputs", B0_64K),
        field("coinbase_tx_locktime", U32),
        field("merkle_path", FieldType.seq0_255(Primitive.U256)));

    /** Same name as the mining SetNewPrevHash (0x20); the spec spells the bits field "nBits" here. */
    public static final MessageSchema SET_NEW_PREV_HASH = MessageSchema.of(
        "SetNewPrevHash", EXTENSION_TYPE, MESSAGE_TYPE_SET_NEW_PREV_HASH, CHANNEL_BIT,
        field("template_id", U64),
        field("prev_hash", U256),
        field("header_timestamp", U32),
        field("nBits", U32),
        field("target", U256));

    public static final MessageSchema REQUEST_TRANSACTION_DATA = MessageSchema.of(
        "RequestTransactionData", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_TRANSACTION_DATA, CHANNEL_BIT,
        field("template_id", U64));

    public static final MessageSchema REQUEST_TRANSACTION_DATA_SUCCESS = MessageSchema.of(
        "RequestTransactionData.Success", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_SUCCESS, CHANNEL_BIT,
        field("template_id", U64),
        field("excess_data", B0_64K),
        field("transaction_list", FieldType.seq0_64K(Primitive.B0_16M)));

    public static final MessageSchema REQUEST_TRANSACTION_DATA_ERROR = MessageSchema.of(
        "RequestTransactionData.Error", EXTENSION_TYPE, MESSAGE_TYPE_REQUEST_TRANSACTION_DATA_ERROR, CHANNEL_BIT,
        field("template_id", U64),
        field("error_code", STR0_255));

    public static final MessageSchema SUBMIT_SOLUTION = MessageSchema.of(
        "SubmitSolution", EXTENSION_TYPE, MESSAGE_TYPE_SUBMIT_SOLUTION, CHANNEL_BIT,
        field("template_id", U64),
        field("version", U32),
        field("header_timestamp", U32),
        field("header_nonce", U32),
        field("coinbase_tx", B0_64K));

    public static final List<MessageSchema> SCHEMAS = List.of(
        COINBASE_OUTPUT_CONSTRAINTS,
        NEW_TEMPLATE,
        SET_NEW_PREV_HASH,
        REQUEST_TRANSACTION_DATA,
        REQUEST_TRANSACTION_DATA_SUCCESS,
        REQUEST_TRANSACTION_DATA_ERROR,
        SUBMIT_SOLUTION);

    private TemplateDistributionProtocol()
    {
    }
}
