package org.bitcoincommons.sv2.bitcoin;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable Bitcoin transaction with its parser and both serializations.
 *
 * <pre>
 *   legacy:  version(int32) | n_in | inputs | n_out | outputs | locktime(uint32)
 *   BIP144:  version(int32) | 0x00 marker | 0x01 flag | n_in | inputs | n_out | outputs
 *            | witness stack per input (n_items, then CompactSize-prefixed items) | locktime(uint32)
 *   input:   prev_txid(32, internal order) | prev_index(uint32) | scriptSig(var) | sequence(uint32)
 *   output:  value(int64 sats) | scriptPubKey(var)
 * </pre>
 *
 * Cold path (job building, block assembly, AuxPoW parsing): allocates.
 */
public final class Transaction
{
    /** Smallest possible encodings, used to bound counts read from the wire. */
    private static final int MIN_INPUT_BYTES = 32 + 4 + 1 + 4;
    private static final int MIN_OUTPUT_BYTES = 8 + 1;
    private static final int WITNESS_SCALE_FACTOR = 4;

    private final int version;
    private final List<TxIn> inputs;
    private final List<TxOut> outputs;
    private final int lockTime;

    public Transaction(final int version, final List<TxIn> inputs, final List<TxOut> outputs, final int lockTime)
    {
        this.version = version;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.lockTime = lockTime;
    }

    /**
     * Parse exactly one transaction filling all of {@code bytes} (either serialization).
     *
     * @throws MalformedDataException on truncation, trailing bytes, bad CompactSize or bad witness framing.
     */
    public static Transaction parse(final byte[] bytes)
    {
        final ByteCursor cursor = new ByteCursor(bytes);
        final Transaction tx = read(cursor);
        if (cursor.remaining() != 0)
        {
            throw new MalformedDataException(
                "transaction: " + cursor.remaining() + " trailing bytes after byte " + cursor.consumed());
        }
        return tx;
    }

    /**
     * Read one transaction at the cursor (e.g. inside a block or a CAuxPow) and advance past it.
     */
    public static Transaction read(final ByteCursor cursor)
    {
        final int version = cursor.readIntLE("tx.version");
        boolean witnessFormat = false;
        if (cursor.peekUint8("tx.inputs") == 0x00)
        {
            cursor.readUint8("tx.marker");
            final int flag = cursor.readUint8("tx.flag");
            if (flag != 0x01)
            {
                throw new MalformedDataException(
                    "transaction: zero inputs, or unknown BIP144 flag 0x" + Integer.toHexString(flag));
            }
            witnessFormat = true;
        }
        final int inputCount = cursor.readCount(MIN_INPUT_BYTES, "tx.input_count");
        if (inputCount == 0)
        {
            throw new MalformedDataException("transaction: no inputs");
        }
        final byte[][] prevTxids = new byte[inputCount][];
        final int[] prevIndexes = new int[inputCount];
        final byte[][] scriptSigs = new byte[inputCount][];
        final int[] sequences = new int[inputCount];
        for (int i = 0; i < inputCount; i++)
        {
            prevTxids[i] = cursor.readBytes(32, "tx.input.prev_txid");
            prevIndexes[i] = cursor.readIntLE("tx.input.prev_index");
            scriptSigs[i] = cursor.readVarBytes("tx.input.script_sig");
            sequences[i] = cursor.readIntLE("tx.input.sequence");
        }
        final int outputCount = cursor.readCount(MIN_OUTPUT_BYTES, "tx.output_count");
        final List<TxOut> outputs = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++)
        {
            final long value = cursor.readLongLE("tx.output.value");
            outputs.add(new TxOut(value, cursor.readVarBytes("tx.output.script_pubkey")));
        }
        final List<TxIn> inputs = new ArrayList<>(inputCount);
        boolean anyWitness = false;
        for (int i = 0; i < inputCount; i++)
        {
            List<byte[]> stack = List.of();
            if (witnessFormat)
            {
                final int items = cursor.readCount(1, "tx.witness.item_count");
                stack = new ArrayList<>(items);
                for (int k = 0; k < items; k++)
                {
                    stack.add(cursor.readVarBytes("tx.witness.item"));
                }
                anyWitness |= items > 0;
            }
            inputs.add(new TxIn(prevTxids[i], prevIndexes[i], scriptSigs[i], sequences[i], stack));
        }
        if (witnessFormat && !anyWitness)
        {
            throw new MalformedDataException("transaction: BIP144 marker set but every witness is empty");
        }
        final int lockTime = cursor.readIntLE("tx.locktime");
        return new Transaction(version, inputs, outputs, lockTime);
    }

    public int version()
    {
        return version;
    }

    public List<TxIn> inputs()
    {
        return inputs;
    }

    public List<TxOut> outputs()
    {
        return outputs;
    }

    public int lockTime()
    {
        return lockTime;
    }

    public boolean hasWitness()
    {
        for (final TxIn in : inputs)
        {
            if (in.hasWitness())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true for one input spending the null prevout (txid zero, index 0xffffffff).
     */
    public boolean isCoinbase()
    {
        return inputs.size() == 1 && inputs.get(0).isNullPrevout();
    }

    /**
     * BIP141 stripping: the same transaction with every witness removed (its legacy serialization is what SV2
     * extended jobs and txid use).
     */
    public Transaction withoutWitness()
    {
        final List<TxIn> stripped = new ArrayList<>(inputs.size());
        for (final TxIn in : inputs)
        {
            stripped.add(in.withoutWitness());
        }
        return new Transaction(version, stripped, outputs, lockTime);
    }

    /**
     * BIP141 stripping of raw bytes: parse either serialization and return the legacy one.
     */
    public static byte[] stripWitness(final byte[] serialized)
    {
        return parse(serialized).serialize(TxSerialization.LEGACY);
    }

    public byte[] serialize(final TxSerialization serialization)
    {
        final ByteWriter out = new ByteWriter(256);
        writeTo(out, serialization);
        return out.toByteArray();
    }

    void writeTo(final ByteWriter out, final TxSerialization serialization)
    {
        final boolean witness = serialization == TxSerialization.WITNESS && hasWitness();
        out.int32(version);
        if (witness)
        {
            out.uint8(0x00).uint8(0x01);
        }
        out.compactSize(inputs.size());
        for (final TxIn in : inputs)
        {
            in.writeTo(out);
        }
        out.compactSize(outputs.size());
        for (final TxOut o : outputs)
        {
            o.writeTo(out);
        }
        if (witness)
        {
            for (final TxIn in : inputs)
            {
                in.writeWitnessTo(out);
            }
        }
        out.int32(lockTime);
    }

    /**
     * @return sha256d of the legacy serialization, internal order.
     */
    public byte[] txid()
    {
        return Sha256d.hash(serialize(TxSerialization.LEGACY));
    }

    /**
     * @return sha256d of the witness serialization (equal to txid without witness), internal order. The witness
     *     merkle tree uses zero instead of this for the coinbase: see {@link Merkle#witnessRoot}.
     */
    public byte[] wtxid()
    {
        return Sha256d.hash(serialize(TxSerialization.WITNESS));
    }

    /**
     * @return BIP141 weight: legacy size x 3 + full size.
     */
    public int weight()
    {
        return serialize(TxSerialization.LEGACY).length * (WITNESS_SCALE_FACTOR - 1) +
            serialize(TxSerialization.WITNESS).length;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Transaction other && other.version == version && other.lockTime == lockTime &&
            other.inputs.equals(inputs) && other.outputs.equals(outputs);
    }

    @Override
    public int hashCode()
    {
        return ((version * 31 + inputs.hashCode()) * 31 + outputs.hashCode()) * 31 + lockTime;
    }
}
