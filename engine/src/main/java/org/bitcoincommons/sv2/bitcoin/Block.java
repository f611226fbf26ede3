package org.bitcoincommons.sv2.bitcoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A full block: the 80-byte header, a CompactSize transaction count and the transactions in witness serialization,
 * which is what {@code submitblock} takes. Cold path.
 */
public final class Block
{
    private static final int MIN_TX_BYTES = 60;

    private final byte[] header;
    private final List<Transaction> transactions;

    public Block(final byte[] header, final List<Transaction> transactions)
    {
        if (header.length != BlockHeader.ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("block header must be 80 bytes, got " + header.length);
        }
        if (transactions.isEmpty())
        {
            throw new IllegalArgumentException("a block holds at least its coinbase");
        }
        this.header = header.clone();
        this.transactions = List.copyOf(transactions);
    }

    /**
     * @throws MalformedDataException on truncation, trailing bytes or malformed transactions.
     */
    public static Block parse(final byte[] bytes)
    {
        final ByteCursor cursor = new ByteCursor(bytes);
        final byte[] header = cursor.readBytes(BlockHeader.ENCODED_LENGTH, "block.header");
        final int count = cursor.readCount(MIN_TX_BYTES, "block.tx_count");
        if (count == 0)
        {
            throw new MalformedDataException("block: zero transactions");
        }
        final List<Transaction> txs = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            txs.add(Transaction.read(cursor));
        }
        if (cursor.remaining() != 0)
        {
            throw new MalformedDataException("block: " + cursor.remaining() + " trailing bytes");
        }
        return new Block(header, txs);
    }

    public byte[] header()
    {
        return header.clone();
    }

    public List<Transaction> transactions()
    {
        return transactions;
    }

    /**
     * @return header ‖ CompactSize(n) ‖ each transaction in witness serialization.
     */
    public byte[] serialize()
    {
        final ByteWriter out = new ByteWriter(BlockHeader.ENCODED_LENGTH + 9 + 256 * transactions.size());
        out.bytes(header).compactSize(transactions.size());
        for (final Transaction tx : transactions)
        {
            tx.writeTo(out, TxSerialization.WITNESS);
        }
        return out.toByteArray();
    }

    /**
     * Serialize from an 80-byte header and already-serialized transactions (e.g. the solved coinbase and the
     * template's raw transactions) without re-parsing them.
     */
    public static byte[] serialize(final byte[] header, final List<byte[]> rawTransactions)
    {
        if (header.length != BlockHeader.ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("block header must be 80 bytes, got " + header.length);
        }
        final ByteWriter out = new ByteWriter(BlockHeader.ENCODED_LENGTH + 9 + 256 * rawTransactions.size());
        out.bytes(header).compactSize(rawTransactions.size());
        for (final byte[] tx : rawTransactions)
        {
            out.bytes(tx);
        }
        return out.toByteArray();
    }

    /**
     * @return txids of all transactions in order (internal byte order).
     */
    public List<byte[]> txids()
    {
        final List<byte[]> ids = new ArrayList<>(transactions.size());
        for (final Transaction tx : transactions)
        {
            ids.add(tx.txid());
        }
        return ids;
    }

    /**
     * @return the merkle root the header should carry, recomputed from the transactions.
     */
    public byte[] computeMerkleRoot()
    {
        return Merkle.root(txids());
    }

    /**
     * @return the BIP141 witness commitment recomputed from the transactions and the coinbase's witness reserved
     *     value (its first witness item); empty when the coinbase has no witness.
     */
    public byte[] computeWitnessCommitment()
    {
        final List<byte[]> reservedStack = transactions.get(0).inputs().get(0).witness();
        if (reservedStack.size() != 1 || reservedStack.get(0).length != HashOrder.HASH_LENGTH)
        {
            return new byte[0];
        }
        final List<byte[]> others = new ArrayList<>(transactions.size() - 1);
        for (int i = 1; i < transactions.size(); i++)
        {
            others.add(transactions.get(i).wtxid());
        }
        return Merkle.witnessCommitment(Merkle.witnessRoot(others), reservedStack.get(0));
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Block other && Arrays.equals(other.header, header) &&
            other.transactions.equals(transactions);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(header) * 31 + transactions.hashCode();
    }
}
