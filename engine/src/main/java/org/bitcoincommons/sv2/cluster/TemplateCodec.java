package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.template.Template;

/**
 * A {@link Template} as bytes, the body of a TEMPLATE command, of its egress copy and of the snapshot's latest template.
 * Little-endian; every variable part is preceded by its length.
 *
 * <pre>
 * id u64 | height i32 | version i32 | prev_hash 32 | nbits i32 | min_ntime i32 | coinbase_value u64
 * coinbase_lock_time i32 | coinbase_sequence i32
 * merkle_path_length u32 | merkle_path
 * witness_commitment_length i32 (-1: none) | witness_commitment
 * required_outputs u32 | required_outputs x (value u64 | script_length u32 | script)
 * transactions u32 | transactions x (length u32 | transaction, witness serialization)
 * </pre>
 * Stateless; any thread.
 */
final class TemplateCodec
{
    private TemplateCodec()
    {
    }

    /** Bytes {@link #encode} writes for {@code t}. */
    static int encodedLength(final Template t)
    {
        int n = 8 + 4 + 4 + 32 + 4 + 4 + 8 + 4 + 4 + 4 + t.merklePath().length + 4 +
            (t.witnessCommitment() == null ? 0 : t.witnessCommitment().length) + 4 + 4;
        for (final TxOut o : t.requiredOutputs())
        {
            n += 8 + 4 + o.scriptPubKey().length;
        }
        for (final byte[] tx : t.transactions())
        {
            n += 4 + tx.length;
        }
        return n;
    }

    /** Writes {@code t} at {@code offset}; returns the bytes written. */
    static int encode(final Template t, final MutableDirectBuffer b, final int offset)
    {
        int p = offset;
        b.putLong(p, t.id(), LE);
        b.putInt(p + 8, t.height(), LE);
        b.putInt(p + 12, t.version(), LE);
        b.putBytes(p + 16, t.prevHash(), 0, 32);
        b.putInt(p + 48, t.nbits(), LE);
        b.putInt(p + 52, t.minNtime(), LE);
        b.putLong(p + 56, t.coinbaseValue(), LE);
        b.putInt(p + 64, t.coinbaseLockTime(), LE);
        b.putInt(p + 68, t.coinbaseSequence(), LE);
        p += 72;
        p = putBytes(b, p, t.merklePath());
        if (t.witnessCommitment() == null)
        {
            b.putInt(p, -1, LE);
            p += 4;
        }
        else
        {
            p = putBytes(b, p, t.witnessCommitment());
        }
        b.putInt(p, t.requiredOutputs().size(), LE);
        p += 4;
        for (final TxOut o : t.requiredOutputs())
        {
            b.putLong(p, o.valueSats(), LE);
            p = putBytes(b, p + 8, o.scriptPubKey());
        }
        b.putInt(p, t.transactions().size(), LE);
        p += 4;
        for (final byte[] tx : t.transactions())
        {
            p = putBytes(b, p, tx);
        }
        return p - offset;
    }

    private static int putBytes(final MutableDirectBuffer b, final int p, final byte[] bytes)
    {
        b.putInt(p, bytes.length, LE);
        b.putBytes(p + 4, bytes);
        return p + 4 + bytes.length;
    }

    /**
     * Reads a template written by {@link #encode}, exactly {@code length} bytes.
     *
     * @throws IllegalArgumentException when the bytes are not one well-formed template
     */
    static Template decode(final DirectBuffer b, final int offset, final int length)
    {
        final Reader r = new Reader(b, offset, length);
        final long id = r.int64();
        final int height = r.int32();
        final int version = r.int32();
        final byte[] prevHash = r.fixed(32);
        final int nbits = r.int32();
        final int minNtime = r.int32();
        final long coinbaseValue = r.int64();
        final int lockTime = r.int32();
        final int sequence = r.int32();
        final byte[] merklePath = r.bytes();
        if (merklePath.length % 32 != 0)
        {
            throw new IllegalArgumentException("merkle path of " + merklePath.length + " bytes");
        }
        final int commitmentLength = r.int32();
        final byte[] commitment = commitmentLength == -1 ? null : r.fixed(commitmentLength);
        final int outputCount = r.count(12);
        final List<TxOut> outputs = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++)
        {
            final long value = r.int64();
            outputs.add(new TxOut(value, r.bytes()));
        }
        final int txCount = r.count(4);
        final List<byte[]> txs = new ArrayList<>(txCount);
        for (int i = 0; i < txCount; i++)
        {
            txs.add(r.bytes());
        }
        if (r.p != r.end)
        {
            throw new IllegalArgumentException((r.end - r.p) + " bytes after the template");
        }
        return new Template(id, height, version, prevHash, nbits, minNtime, coinbaseValue, merklePath,
            List.copyOf(txs), commitment, outputs, lockTime, sequence);
    }

    private static final class Reader
    {
        final DirectBuffer b;
        final int end;
        int p;

        Reader(final DirectBuffer b, final int offset, final int length)
        {
            this.b = b;
            this.p = offset;
            this.end = offset + length;
        }

        private void need(final int n)
        {
            if (n < 0 || end - p < n)
            {
                throw new IllegalArgumentException("template truncated at " + p + " (needs " + n + " more bytes)");
            }
        }

        long int64()
        {
            need(8);
            final long v = b.getLong(p, LE);
            p += 8;
            return v;
        }

        int int32()
        {
            need(4);
            final int v = b.getInt(p, LE);
            p += 4;
            return v;
        }

        /** A count of items each at least {@code minItemBytes} long (bounded by what is left). */
        int count(final int minItemBytes)
        {
            final int n = int32();
            need((int)Math.min(Integer.MAX_VALUE, (long)Math.max(0, n) * minItemBytes));
            if (n < 0)
            {
                throw new IllegalArgumentException("negative count " + n);
            }
            return n;
        }

        byte[] fixed(final int n)
        {
            need(n);
            final byte[] out = new byte[n];
            b.getBytes(p, out);
            p += n;
            return out;
        }

        byte[] bytes()
        {
            return fixed(int32());
        }
    }
}
