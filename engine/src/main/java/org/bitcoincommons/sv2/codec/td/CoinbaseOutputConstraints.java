package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * CoinbaseOutputConstraints (0x70, spec 7.1): size in bytes and sigops the pool adds to the coinbase.
 */
public record CoinbaseOutputConstraints(
    long coinbaseOutputMaxAdditionalSize, int coinbaseOutputMaxAdditionalSigops) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.COINBASE_OUTPUT_CONSTRAINTS;

    public static CoinbaseOutputConstraints decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final CoinbaseOutputConstraints m = new CoinbaseOutputConstraints(
            r.u32("coinbase_output_max_additional_size"), r.u16("coinbase_output_max_additional_sigops"));
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
        w.u32("coinbase_output_max_additional_size", coinbaseOutputMaxAdditionalSize)
            .u16("coinbase_output_max_additional_sigops", coinbaseOutputMaxAdditionalSigops);
    }
}
