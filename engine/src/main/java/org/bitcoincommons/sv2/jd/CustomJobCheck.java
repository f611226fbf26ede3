package org.bitcoincommons.sv2.jd;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.ByteCursor;
import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.CompactSize;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.template.Template;

/**
 * The pool's check of a SetCustomMiningJob against what its token names (SRI's checks and error codes): the chain tip,
 * nbits, version, the coinbase field by field (outputs in the declared order) and the merkle path recomputed from the
 * declared txids. On success it gives the work the pool's job is made of. Called on the pool logic thread; cold path.
 */
public final class CustomJobCheck
{
    /** Either an error code, or the custom work (a template with the declared transactions, and its coinbase). */
    public record Result(String error, Template template, Coinbase coinbase)
    {
        static Result error(final String code)
        {
            return new Result(code, null, null);
        }
    }

    private static final byte[] WITNESS_COMMITMENT_HEADER = {0x6a, 0x24, (byte)0xaa, 0x21, (byte)0xa9, (byte)0xed};

    private CustomJobCheck()
    {
    }

    /**
     * @param taken             what the token named (null: unknown, spent or expired)
     * @param tipPrevHash       the pool's current chain tip (its newest job's prev hash), or null when it has none
     * @param tipNbits          that tip's nbits
     * @param extranonceLength  the channel's full extranonce (its prefix plus the rollable part)
     * @param payoutScript      the pool's payout script (Coinbase-only jobs must pay it)
     */
    public static Result check(final SetCustomMiningJob m, final JobTokens.Taken taken, final byte[] tipPrevHash,
        final int tipNbits, final int extranonceLength, final byte[] payoutScript)
    {
        if (taken == null)
        {
            return Result.error("invalid-mining-job-token");
        }
        final Declaration d = taken.declaration();
        if (tipPrevHash == null || !Arrays.equals(m.prevHash(), tipPrevHash) ||
            (d != null && !Arrays.equals(d.prevHash(), tipPrevHash)))
        {
            return Result.error("stale-chain-tip");
        }
        if ((int)m.nbits() != tipNbits || (d != null && d.nbits() != tipNbits))
        {
            return Result.error("invalid-nbits");
        }
        if (d != null && (int)m.version() != d.version())
        {
            return Result.error("invalid-version");
        }
        final List<TxOut> outputs;
        try
        {
            outputs = parseOutputs(m.coinbaseTxOutputs());
        }
        catch (final IllegalArgumentException ex)
        {
            return Result.error("invalid-coinbase-tx-outputs");
        }
        if (m.merklePath().size() > 0 && m.merklePath().stream().anyMatch(h -> h.length != 32))
        {
            return Result.error("invalid-merkle-path");
        }
        final List<byte[]> witness;
        if (d != null)
        {
            final Transaction cb = d.coinbase();
            final TxIn in = cb.inputs().get(0);
            final byte[] script = in.scriptSig();
            if (d.extranonceLength() != extranonceLength)
            {
                return Result.error("invalid-coinbase-tx");
            }
            if ((int)m.coinbaseTxVersion() != cb.version())
            {
                return Result.error("invalid-coinbase-tx-version");
            }
            if (!Arrays.equals(m.coinbasePrefix(), Arrays.copyOf(script, script.length - d.extranonceLength())) ||
                !allZero(script, script.length - d.extranonceLength()))
            {
                return Result.error("invalid-coinbase-prefix");
            }
            if ((int)m.coinbaseTxInputNSequence() != in.sequence())
            {
                return Result.error("invalid-coinbase-tx-input-n-sequence");
            }
            if (!outputs.equals(cb.outputs()))
            {
                return Result.error("invalid-coinbase-tx-outputs");
            }
            if ((int)m.coinbaseTxLocktime() != cb.lockTime())
            {
                return Result.error("invalid-coinbase-tx-locktime");
            }
            if (!Arrays.equals(concat(m.merklePath()), d.merklePath()))
            {
                return Result.error("invalid-merkle-path");
            }
            witness = cb.hasWitness() ? in.witness() : null;
        }
        else
        {
            boolean paid = false;
            boolean commitment = false;
            for (final TxOut o : outputs)
            {
                paid |= Arrays.equals(o.scriptPubKey(), payoutScript) && o.valueSats() > 0;
                commitment |= o.scriptPubKey().length >= 38 &&
                    Arrays.equals(Arrays.copyOf(o.scriptPubKey(), 6), WITNESS_COMMITMENT_HEADER);
            }
            if (!paid)
            {
                return Result.error("invalid-coinbase-tx-outputs");
            }
            witness = commitment ? List.of(new byte[32]) : null;
        }
        final Coinbase coinbase;
        try
        {
            coinbase = buildCoinbase(m, extranonceLength, witness);
        }
        catch (final IllegalArgumentException ex)
        {
            return Result.error("invalid-coinbase-tx");
        }
        long value = 0;
        for (final TxOut o : outputs)
        {
            value += o.valueSats();
        }
        int height = 0;
        if (d != null)
        {
            height = d.height();
        }
        else
        {
            try
            {
                height = (int)Bip34Height.decode(m.coinbasePrefix());
            }
            catch (final RuntimeException ex)
            {
                height = 0;
            }
        }
        final Template t = new Template(-1, height, (int)m.version(), m.prevHash().clone(), (int)m.nbits(),
            (int)m.minNtime(), value, concat(m.merklePath()), d == null ? List.of() : d.transactions(), null, List.of(),
            (int)m.coinbaseTxLocktime(), (int)m.coinbaseTxInputNSequence());
        return new Result(null, t, coinbase);
    }

    private static boolean allZero(final byte[] b, final int from)
    {
        for (int i = from; i < b.length; i++)
        {
            if (b[i] != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** coinbase_tx_outputs: a CompactSize count, then the outputs, nothing after. */
    static List<TxOut> parseOutputs(final byte[] bytes)
    {
        final ByteCursor c = new ByteCursor(bytes);
        final long n = c.readCompactSize(bytes.length / 9 + 1, "coinbase_tx_outputs.count");
        final List<TxOut> out = new ArrayList<>((int)n);
        for (long i = 0; i < n; i++)
        {
            final long value = c.readLongLE("coinbase_tx_outputs.value");
            out.add(new TxOut(value, c.readVarBytes("coinbase_tx_outputs.script")));
        }
        if (c.remaining() != 0)
        {
            throw new IllegalArgumentException("bytes after the coinbase outputs");
        }
        return out;
    }

    static byte[] concat(final List<byte[]> hashes)
    {
        final byte[] out = new byte[hashes.size() * 32];
        for (int i = 0; i < hashes.size(); i++)
        {
            System.arraycopy(hashes.get(i), 0, out, i * 32, 32);
        }
        return out;
    }

    /** The custom job's coinbase (witness form when {@code witness} is not null), split around the extranonce. */
    static Coinbase buildCoinbase(final SetCustomMiningJob m, final int extranonceLength, final List<byte[]> witness)
    {
        final ByteArrayOutputStream p = new ByteArrayOutputStream();
        le32(p, (int)m.coinbaseTxVersion());
        if (witness != null)
        {
            p.write(0);
            p.write(1);
        }
        p.write(1);
        p.writeBytes(new byte[32]);
        le32(p, -1);
        p.writeBytes(CompactSize.encode(m.coinbasePrefix().length + extranonceLength));
        p.writeBytes(m.coinbasePrefix());
        final ByteArrayOutputStream s = new ByteArrayOutputStream();
        le32(s, (int)m.coinbaseTxInputNSequence());
        s.writeBytes(m.coinbaseTxOutputs());
        if (witness != null)
        {
            s.writeBytes(CompactSize.encode(witness.size()));
            for (final byte[] item : witness)
            {
                s.writeBytes(CompactSize.encode(item.length));
                s.writeBytes(item);
            }
        }
        le32(s, (int)m.coinbaseTxLocktime());
        return Coinbase.fromParts(p.toByteArray(), s.toByteArray(), extranonceLength);
    }

    private static void le32(final ByteArrayOutputStream o, final int v)
    {
        o.write(v);
        o.write(v >>> 8);
        o.write(v >>> 16);
        o.write(v >>> 24);
    }
}
