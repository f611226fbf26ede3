package org.bitcoincommons.sv2.template.tdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.template.Template;

/**
 * The Template Provider's side of the conversion: a {@link Template} of the embedded chain as Template Distribution
 * messages, shaped like Bitcoin Core's (sv2-tp): the coinbase prefix is the BIP34 height push alone, the input's
 * nSequence is 0xfffffffe and nLockTime is height - 1 (BIP54 forward compatibility), the only required output is the
 * witness commitment (value 0), and the excess data of RequestTransactionData.Success is the witness reserved value.
 * Also the reverse for SubmitSolution: the full block rebuilt from a cached template.
 */
final class TemplateMessages
{
    static final long COINBASE_TX_VERSION = 2;
    static final long COINBASE_INPUT_SEQUENCE = 0xffff_fffeL;

    private TemplateMessages()
    {
    }

    /** NewTemplate for {@code t} under the provider's {@code templateId}. */
    static NewTemplate newTemplate(final long templateId, final boolean future, final Template t)
    {
        final List<TxOut> outputs = new ArrayList<>(t.requiredOutputs());
        if (t.witnessCommitment() != null)
        {
            outputs.add(new TxOut(0, t.witnessCommitment()));
        }
        return new NewTemplate(templateId, future, Integer.toUnsignedLong(t.version()), COINBASE_TX_VERSION,
            Bip34Height.encode(t.height()), COINBASE_INPUT_SEQUENCE, t.coinbaseValue(), outputs.size(),
            CoinbaseOutputs.serialize(outputs), t.height() - 1L, split(t.merklePath()));
    }

    /** SetNewPrevHash activating {@code templateId}: header time to start from, nBits and the target they expand to. */
    static SetNewPrevHash setNewPrevHash(final long templateId, final Template t)
    {
        final byte[] target = new byte[32];
        Target.compactToLittleEndian(t.nbits(), target, 0);
        return new SetNewPrevHash(templateId, t.prevHash().clone(), Integer.toUnsignedLong(t.minNtime()),
            Integer.toUnsignedLong(t.nbits()), target);
    }

    /** The transactions of {@code t} (witness serialization, no coinbase) and the witness reserved value. */
    static RequestTransactionDataSuccess transactionData(final long templateId, final Template t)
    {
        final byte[] excess = t.witnessCommitment() == null ? new byte[0] : EmbeddedChain.witnessReservedValue();
        return new RequestTransactionDataSuccess(templateId, excess, t.transactions());
    }

    /**
     * The block a solution completes: header from the solution's version, time and nonce and the template's previous
     * hash and nBits; the merkle root folds the coinbase's txid up the template's merkle path; then the coinbase as
     * submitted (with its witness) and the template's transactions.
     *
     * @throws org.bitcoincommons.sv2.bitcoin.MalformedDataException when the coinbase does not parse
     */
    static byte[] block(final Template t, final SubmitSolution s)
    {
        final Transaction coinbase = Transaction.parse(s.coinbaseTx());
        final byte[] root = Merkle.fold(coinbase.txid(), split(t.merklePath()), 0);
        final byte[] header = new byte[80];
        putInt(header, 0, (int)s.version());
        System.arraycopy(t.prevHash(), 0, header, 4, 32);
        System.arraycopy(root, 0, header, 36, 32);
        putInt(header, 68, (int)s.headerTimestamp());
        putInt(header, 72, t.nbits());
        putInt(header, 76, (int)s.headerNonce());
        final List<byte[]> txs = new ArrayList<>(1 + t.transactions().size());
        txs.add(s.coinbaseTx());
        txs.addAll(t.transactions());
        return Block.serialize(header, txs);
    }

    /** 32-byte hashes of a concatenated merkle path. */
    static List<byte[]> split(final byte[] path)
    {
        final List<byte[]> out = new ArrayList<>(path.length / 32);
        for (int i = 0; i + 32 <= path.length; i += 32)
        {
            out.add(Arrays.copyOfRange(path, i, i + 32));
        }
        return out;
    }

    private static void putInt(final byte[] b, final int offset, final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            b[offset + i] = (byte)(value >>> (8 * i));
        }
    }
}
