package org.bitcoincommons.sv2.merge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.BlockHeader;
import org.bitcoincommons.sv2.bitcoin.ByteCursor;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Transaction;

/**
 * An aux block header with its AuxPoW, read from one of the forms aux chains hand out: the 80-byte header followed
 * by its CAuxPow; a whole aux block (header, CAuxPow, transactions); or a {@code getblock} JSON object with an
 * {@code auxpow} member (Namecoin/Dogecoin/Syscoin RPC, hashes in display hex). Cold path.
 *
 * @param header       the 80-byte aux header
 * @param auxPow       its proof
 * @param transactions the aux block's transactions when the input was a whole block, else null
 */
public record AuxBlockProof(byte[] header, AuxPow auxPow, List<Transaction> transactions)
{
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Header + CAuxPow, optionally followed by the block's transactions.
     *
     * @throws MalformedDataException when the bytes are not one of the two forms
     */
    public static AuxBlockProof fromBytes(final byte[] bytes)
    {
        final ByteCursor cursor = new ByteCursor(bytes);
        final byte[] header = cursor.readBytes(BlockHeader.ENCODED_LENGTH, "aux.header");
        final AuxPow auxPow = AuxPow.read(cursor);
        if (cursor.remaining() == 0)
        {
            return new AuxBlockProof(header, auxPow, null);
        }
        final int count = cursor.readCount(60, "aux.block.tx_count");
        if (count == 0)
        {
            throw new MalformedDataException("aux block: no transactions (a block has at least its coinbase)");
        }
        final List<Transaction> txs = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            txs.add(Transaction.read(cursor));
        }
        if (cursor.remaining() != 0)
        {
            throw new MalformedDataException("aux block: " + cursor.remaining() + " trailing bytes");
        }
        return new AuxBlockProof(header, auxPow, txs);
    }

    /**
     * A {@code getblock} (verbosity 1 or 2) result, or a JSON-RPC response whose {@code result} is one.
     *
     * @throws MalformedDataException on a missing or malformed member, or a {@code hash} that the header fields
     *     do not reproduce
     */
    public static AuxBlockProof fromGetBlockJson(final JsonNode root)
    {
        final JsonNode block = root.has("result") && root.get("result").isObject() ? root.get("result") : root;
        final JsonNode aux = block.get("auxpow");
        if (aux == null || !aux.isObject())
        {
            throw new MalformedDataException("getblock JSON: no \"auxpow\" object");
        }
        final byte[] header = new byte[BlockHeader.ENCODED_LENGTH];
        INT_LE.set(header, BlockHeader.VERSION_FIELD_OFFSET, (int)number(block, "version"));
        final String prev = block.has("previousblockhash") ? text(block, "previousblockhash") : "00".repeat(32);
        System.arraycopy(displayHash(prev, "previousblockhash"), 0, header, BlockHeader.PREV_HASH_FIELD_OFFSET, 32);
        System.arraycopy(displayHash(text(block, "merkleroot"), "merkleroot"), 0, header,
            BlockHeader.MERKLE_ROOT_FIELD_OFFSET, 32);
        INT_LE.set(header, BlockHeader.TIME_FIELD_OFFSET, (int)number(block, "time"));
        INT_LE.set(header, BlockHeader.BITS_FIELD_OFFSET, (int)Long.parseLong(text(block, "bits"), 16));
        INT_LE.set(header, BlockHeader.NONCE_FIELD_OFFSET, (int)number(block, "nonce"));
        if (block.has("hash"))
        {
            final String computed = HashOrder.toDisplayHex(Sha256d.hash(header));
            if (!computed.equalsIgnoreCase(text(block, "hash")))
            {
                throw new MalformedDataException("getblock JSON: header fields hash to " + computed + ", not \"hash\" "
                    + text(block, "hash"));
            }
        }
        final JsonNode tx = aux.get("tx");
        final String txHex = tx != null && tx.isObject() ? text(tx, "hex") : text(aux, "tx");
        final byte[] coinbase = hex(txHex, "auxpow.tx.hex");
        final byte[] parentHeader = hex(text(aux, "parentblock"), "auxpow.parentblock");
        if (parentHeader.length != BlockHeader.ENCODED_LENGTH)
        {
            throw new MalformedDataException("getblock JSON: auxpow.parentblock must be 80 bytes");
        }
        final byte[] parentHash = tx != null && tx.has("blockhash")
            ? displayHash(text(tx, "blockhash"), "auxpow.tx.blockhash") : new byte[32];
        final int index = aux.has("index") ? (int)number(aux, "index") : 0;
        final AuxPow auxPow = new AuxPow(coinbase, parentHash, branch(aux, "merklebranch"), index,
            branch(aux, "chainmerklebranch"), (int)number(aux, "chainindex"), parentHeader);
        return new AuxBlockProof(header, auxPow, null);
    }

    /** Whether the header's merkle root matches the transactions (true when there are none to check). */
    public boolean merkleRootMatches()
    {
        if (transactions == null)
        {
            return true;
        }
        final List<byte[]> txids = new ArrayList<>(transactions.size());
        for (final Transaction t : transactions)
        {
            txids.add(t.txid());
        }
        final byte[] root = Merkle.root(txids);
        for (int i = 0; i < 32; i++)
        {
            if (root[i] != header[BlockHeader.MERKLE_ROOT_FIELD_OFFSET + i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] branch(final JsonNode aux, final String name)
    {
        final JsonNode a = aux.get(name);
        if (a == null || !a.isArray())
        {
            throw new MalformedDataException("getblock JSON: auxpow." + name + " must be an array");
        }
        final byte[] out = new byte[a.size() * 32];
        for (int i = 0; i < a.size(); i++)
        {
            System.arraycopy(displayHash(a.get(i).asText(), "auxpow." + name), 0, out, i * 32, 32);
        }
        return out;
    }

    private static String text(final JsonNode n, final String name)
    {
        final JsonNode v = n.get(name);
        if (v == null || !v.isTextual())
        {
            throw new MalformedDataException("getblock JSON: \"" + name + "\" must be a string");
        }
        return v.asText();
    }

    private static long number(final JsonNode n, final String name)
    {
        final JsonNode v = n.get(name);
        if (v == null || !v.canConvertToLong())
        {
            throw new MalformedDataException("getblock JSON: \"" + name + "\" must be an integer");
        }
        return v.asLong();
    }

    private static byte[] displayHash(final String s, final String field)
    {
        try
        {
            return HashOrder.fromDisplayHex(s);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedDataException("getblock JSON: " + field + ": " + ex.getMessage());
        }
    }

    private static byte[] hex(final String s, final String field)
    {
        try
        {
            return Hex.decode(s);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedDataException("getblock JSON: " + field + ": " + ex.getMessage());
        }
    }
}
