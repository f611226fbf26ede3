package org.bitcoincommons.sv2.codec.mining;

import java.util.List;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * SetCustomMiningJob (0x22, channel message, spec 5.3.18). coinbase_tx_outputs is CompactSize-prefixed;
 * coinbase_prefix (at most 8 bytes in practice) starts the scriptSig; merkle_path is a list of 32-byte hashes.
 */
public record SetCustomMiningJob(
    long channelId, long requestId, byte[] miningJobToken, long version, byte[] prevHash, long minNtime, long nbits,
    long coinbaseTxVersion, byte[] coinbasePrefix, long coinbaseTxInputNSequence, byte[] coinbaseTxOutputs,
    long coinbaseTxLocktime, List<byte[]> merklePath) implements Message
{
    public static final MessageSchema SCHEMA = MiningProtocol.SET_CUSTOM_MINING_JOB;

    public static SetCustomMiningJob decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final SetCustomMiningJob m = new SetCustomMiningJob(
            r.u32("channel_id"), r.u32("request_id"), r.b0_255("mining_job_token"), r.u32("version"),
            r.u256("prev_hash"), r.u32("min_ntime"), r.u32("nbits"), r.u32("coinbase_tx_version"),
            r.b0_255("coinbase_prefix"), r.u32("coinbase_tx_input_nSequence"), r.b0_64K("coinbase_tx_outputs"),
            r.u32("coinbase_tx_locktime"),
            r.byteArraySequence(SCHEMA.field("merkle_path").type(), "merkle_path"));
        r.finish();
        return m;
    }

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    @Override
    public void encodeFields(final WireWriter w)
    {
        w.u32("channel_id", channelId).u32("request_id", requestId).b0_255("mining_job_token", miningJobToken)
            .u32("version", version).u256("prev_hash", prevHash).u32("min_ntime", minNtime).u32("nbits", nbits)
            .u32("coinbase_tx_version", coinbaseTxVersion).b0_255("coinbase_prefix", coinbasePrefix)
            .u32("coinbase_tx_input_nSequence", coinbaseTxInputNSequence)
            .b0_64K("coinbase_tx_outputs", coinbaseTxOutputs).u32("coinbase_tx_locktime", coinbaseTxLocktime)
            .byteArraySequence(SCHEMA.field("merkle_path").type(), "merkle_path", merklePath);
    }
}
