package org.bitcoincommons.sv2.template.tdp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.CoinbaseBuilder;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;
import org.bitcoincommons.sv2.template.Template;

/**
 * Mines test blocks (on an easy target, by grinding the nonce) the way a pool would: its own coinbase with the BIP34
 * height, an anyone-can-spend payout, the provider's required outputs and the witness commitment.
 */
final class TdpTestBlocks
{
    private static final byte[] OP_TRUE = {0x51};
    private static final byte[] TAG = "tdp-test".getBytes(StandardCharsets.US_ASCII);

    private TdpTestBlocks()
    {
    }

    /** A SubmitSolution completing the provider's template as NewTemplate and SetNewPrevHash describe it. */
    static SubmitSolution solve(final NewTemplate nt, final SetNewPrevHash p)
    {
        final long height = Bip34Height.decode(nt.coinbasePrefix());
        final CoinbaseBuilder b = new CoinbaseBuilder().version(2).height(height).scriptSigExtra(TAG)
            .addOutput(nt.coinbaseTxValueRemaining(), OP_TRUE);
        for (final TxOut o : CoinbaseOutputs.parse(nt.coinbaseTxOutputs(), nt.coinbaseTxOutputsCount()))
        {
            if (CoinbaseOutputs.isWitnessCommitment(o.scriptPubKey()))
            {
                b.witnessCommitment(Arrays.copyOfRange(o.scriptPubKey(), 6, 38));
            }
            else
            {
                b.addOutput(o.valueSats(), o.scriptPubKey());
            }
        }
        final Coinbase cb = b.build();
        final byte[] root = Merkle.fold(cb.txid(new byte[0]), nt.merklePath(), 0);
        final byte[] header = grind((int)nt.version(), p.prevHash(), root, (int)p.headerTimestamp(), (int)p.nBits());
        return new SubmitSolution(nt.templateId(), nt.version(), p.headerTimestamp(),
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(76) & 0xffffffffL,
            cb.serialize(new byte[0], TxSerialization.WITNESS));
    }

    /** A full block on a template a source delivered, as the pool assembles one. */
    static byte[] block(final Template t)
    {
        final CoinbaseBuilder b = new CoinbaseBuilder().version(2).height(t.height()).scriptSigExtra(TAG)
            .addOutput(t.coinbaseValue(), OP_TRUE);
        for (final TxOut o : t.requiredOutputs())
        {
            b.addOutput(o.valueSats(), o.scriptPubKey());
        }
        if (t.witnessCommitment() != null)
        {
            b.witnessCommitment(Arrays.copyOfRange(t.witnessCommitment(), 6, 38));
        }
        final Coinbase cb = b.build();
        final byte[] root = Merkle.fold(cb.txid(new byte[0]), TemplateMessages.split(t.merklePath()), 0);
        final byte[] header = grind(t.version(), t.prevHash(), root, t.minNtime(), t.nbits());
        final List<byte[]> txs = new ArrayList<>();
        txs.add(cb.serialize(new byte[0], TxSerialization.WITNESS));
        txs.addAll(t.transactions());
        return Block.serialize(header, txs);
    }

    private static byte[] grind(final int version, final byte[] prevHash, final byte[] root, final int time,
        final int bits)
    {
        final byte[] target = new byte[32];
        Target.compactToLittleEndian(bits, target, 0);
        final ByteBuffer h = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(version).put(prevHash).put(root).putInt(time).putInt(bits);
        for (int nonce = 0; ; nonce++)
        {
            h.putInt(76, nonce);
            if (Target.hashMeetsTarget(Sha256d.hash(h.array()), 0, target, 0))
            {
                return h.array().clone();
            }
        }
    }
}
