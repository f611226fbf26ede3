package org.bitcoincommons.sv2.codec.td;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * CoinbaseOutputConstraints (0x70, spec 7.1): size in bytes and sigops the pool adds to the coinbase outputs.
 * <p>
 * The sigops U16 was added to the spec in March 2025; older clients (SRI before 1.3.0) send only the U32. Decoding
 * therefore accepts a 4-byte payload and reads the sigops as {@link #DEFAULT_MAX_ADDITIONAL_SIGOPS}, as Bitcoin Core's
 * Template Provider (sv2-tp) does. Encoding always writes both fields.
 */
public record CoinbaseOutputConstraints(
    long coinbaseOutputMaxAdditionalSize, int coinbaseOutputMaxAdditionalSigops) implements Message
{
    public static final MessageSchema SCHEMA = TemplateDistributionProtocol.COINBASE_OUTPUT_CONSTRAINTS;

    /** The sigops assumed when a client omits the field (sv2-tp's default). */
    public static final int DEFAULT_MAX_ADDITIONAL_SIGOPS = 400;

    public static CoinbaseOutputConstraints decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final long size = r.u32("coinbase_output_max_additional_size");
        final int sigops = r.remaining() == 0
            ? DEFAULT_MAX_ADDITIONAL_SIGOPS
            : r.u16("coinbase_output_max_additional_sigops");
        final CoinbaseOutputConstraints m = new CoinbaseOutputConstraints(size, sigops);
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
