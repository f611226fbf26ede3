package org.bitcoincommons.sv2.codec.td;

import java.util.List;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * NewTemplate (0x71, spec 7.2). coinbase_tx_outputs has no CompactSize prefix (coinbase_tx_outputs_count
 * gives the count) and includes the witness commitment; coinbase_tx_value_remaining is in satoshis.
 */
public record NewTemplate(
    long templateId, boolean futureTemplate, long version, long coinbaseTxVersion, byte[] coinbasePrefix,
    long coinbaseTxInputSequence, long coinbaseTxValueRemaining, long coinbaseTxOutputsCount, byte[] coinbaseTxOutputs,
    long coinbaseTxLocktime, List<byte[]> merklePath) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.NEW_TEMPLATE;

    public static NewTemplate decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final NewTemplate m = new NewTemplate(
            r.u64("template_id"), r.bool("future_template"), r.u32("version"), r.u32("coinbase_tx_version"),
            r.b0_255("coinbase_prefix"), r.u32("coinbase_tx_input_sequence"), r.u64("coinbase_tx_value_remaining"),
            r.u32("coinbase_tx_outputs_count"), r.b0_64K("coinbase_tx_outputs"), r.u32("coinbase_tx_locktime"),
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
        w.u64("template_id", templateId).bool("future_template", futureTemplate).u32("version", version)
            .u32("coinbase_tx_version", coinbaseTxVersion).b0_255("coinbase_prefix", coinbasePrefix)
            .u32("coinbase_tx_input_sequence", coinbaseTxInputSequence)
            .u64("coinbase_tx_value_remaining", coinbaseTxValueRemaining)
            .u32("coinbase_tx_outputs_count", coinbaseTxOutputsCount).b0_64K("coinbase_tx_outputs", coinbaseTxOutputs)
            .u32("coinbase_tx_locktime", coinbaseTxLocktime)
            .byteArraySequence(SCHEMA.field("merkle_path").type(), "merkle_path", merklePath);
    }
}
