package org.bitcoincommons.sv2.template.tdp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.ByteCursor;
import org.bitcoincommons.sv2.bitcoin.CompactSize;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.TxOut;

/**
 * NewTemplate's {@code coinbase_tx_outputs}: serialized transaction outputs (8-byte LE value, CompactSize script
 * length, script) one after another, with no CompactSize count in front (the count is a separate U32 field).
 */
final class CoinbaseOutputs
{
    /** The BIP141 witness commitment script starts {@code OP_RETURN, push 36, aa21a9ed}. */
    private static final byte[] WITNESS_COMMITMENT_HEADER = {0x6a, 0x24, (byte)0xaa, 0x21, (byte)0xa9, (byte)0xed};
    static final int WITNESS_COMMITMENT_SCRIPT_LENGTH = 38;

    private CoinbaseOutputs()
    {
    }

    static byte[] serialize(final List<TxOut> outputs)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final TxOut o : outputs)
        {
            long v = o.valueSats();
            for (int i = 0; i < 8; i++)
            {
                out.write((int)(v & 0xff));
                v >>>= 8;
            }
            final byte[] script = o.scriptPubKey();
            out.writeBytes(CompactSize.encode(script.length));
            out.writeBytes(script);
        }
        return out.toByteArray();
    }

    /**
     * @throws MalformedDataException when the bytes are not exactly {@code count} outputs
     */
    static List<TxOut> parse(final byte[] bytes, final long count)
    {
        final ByteCursor c = new ByteCursor(bytes);
        final List<TxOut> outputs = new ArrayList<>();
        for (long i = 0; i < count; i++)
        {
            final long value = c.readLongLE("coinbase_tx_outputs[" + i + "].value");
            if (value < 0)
            {
                throw new MalformedDataException("coinbase_tx_outputs[" + i + "]: negative value " + value);
            }
            outputs.add(new TxOut(value, c.readVarBytes("coinbase_tx_outputs[" + i + "].script")));
        }
        if (c.remaining() != 0)
        {
            throw new MalformedDataException("coinbase_tx_outputs: " + c.remaining() + " bytes after " + count +
                " output(s)");
        }
        return outputs;
    }

    /** Whether the script is a witness commitment ({@code 6a24aa21a9ed} and 32 bytes). */
    static boolean isWitnessCommitment(final byte[] script)
    {
        return script.length >= WITNESS_COMMITMENT_SCRIPT_LENGTH &&
            Arrays.equals(script, 0, WITNESS_COMMITMENT_HEADER.length, WITNESS_COMMITMENT_HEADER, 0,
                WITNESS_COMMITMENT_HEADER.length);
    }
}
