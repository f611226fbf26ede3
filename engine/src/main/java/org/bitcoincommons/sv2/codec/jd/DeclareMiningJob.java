package org.bitcoincommons.sv2.codec.jd;

import java.util.List;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * DeclareMiningJob (0x57, JDC to JDS, spec 6.4.4). The coinbase parts keep their BIP141 fields.
 */
public record DeclareMiningJob(
    long requestId, byte[] miningJobToken, long version, byte[] coinbaseTxPrefix, byte[] coinbaseTxSuffix,
    List<byte[]> wtxidList, byte[] excessData) implements Message
{
    public static final MessageSchema SCHEMA = JobDeclarationProtocol.DECLARE_MINING_JOB;

    public static DeclareMiningJob decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final DeclareMiningJob m = new DeclareMiningJob(
            r.u32("request_id"), r.b0_255("mining_job_token"), r.u32("version"),
            r.b0_64K("coinbase_tx_prefix"), r.b0_64K("coinbase_tx_suffix"),
            r.byteArraySequence(SCHEMA.field("wtxid_list").type(), "wtxid_list"), r.b0_64K("excess_data"));
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
        w.u32("request_id", requestId).b0_255("mining_job_token", miningJobToken).u32("version", version)
            .b0_64K("coinbase_tx_prefix", coinbaseTxPrefix).b0_64K("coinbase_tx_suffix", coinbaseTxSuffix)
            .byteArraySequence(SCHEMA.field("wtxid_list").type(), "wtxid_list", wtxidList)
            .b0_64K("excess_data", excessData);
    }
}
