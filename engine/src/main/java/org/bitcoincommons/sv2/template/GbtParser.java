package org.bitcoincommons.sv2.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;

/**
 * Turns a {@code getblocktemplate} result (Bitcoin Core, BIP22/BIP23/BIP9/BIP145) into a {@link Template}, checking
 * it as bitcoind's own block assembly would have to hold: every transaction parses completely, is not a coinbase, and
 * hashes to the txid (and wtxid) the node gave; dependencies point backwards; {@code target} agrees with
 * {@code bits}; and {@code default_witness_commitment}, when given, is the commitment of these transactions (it is
 * computed when absent and any transaction has a witness). Display-order hex ({@code previousblockhash}, txids,
 * target) is turned into internal order here. Cold path: once per template.
 */
final class GbtParser
{
    /** A parsed template with the fields the source keeps besides it. */
    record Parsed(Template template, String longPollId, String bestHashHex)
    {
    }

    private GbtParser()
    {
    }

    /**
     * @throws IllegalArgumentException naming the field when the template is unusable
     */
    static Parsed parse(final JsonNode gbt, final long id)
    {
        if (gbt == null || !gbt.isObject())
        {
            throw new IllegalArgumentException("getblocktemplate result is not an object");
        }
        final JsonNode rules = gbt.get("rules");
        boolean segwit = false;
        if (rules != null && rules.isArray())
        {
            for (final JsonNode r : rules)
            {
                segwit |= r.asText().equals("segwit") || r.asText().equals("!segwit");
            }
        }
        if (!segwit)
        {
            throw new IllegalArgumentException("rules: segwit is not active in this template");
        }
        final int version = (int)integer(gbt, "version", Integer.MIN_VALUE, 0xffffffffL);
        final String prevHex = hex(gbt, "previousblockhash", 32);
        final byte[] prev = HashOrder.fromDisplayHex(prevHex);
        final long height = integer(gbt, "height", 1, Integer.MAX_VALUE);
        final long coinbaseValue = integer(gbt, "coinbasevalue", 0, 21_000_000L * 100_000_000L);
        final int bits = (int)Long.parseLong(hex(gbt, "bits", 4), 16);
        final BigInteger target = Target.fromCompact(bits);
        if (gbt.has("target") && !new BigInteger(hex(gbt, "target", 32), 16).equals(target))
        {
            throw new IllegalArgumentException("target: " + gbt.get("target").asText() + " is not the target of bits " +
                gbt.get("bits").asText());
        }
        final long curtime = integer(gbt, "curtime", 0, 0xffffffffL);
        final long mintime = gbt.has("mintime") ? integer(gbt, "mintime", 0, 0xffffffffL) : curtime;
        final JsonNode txs = gbt.get("transactions");
        if (txs == null || !txs.isArray())
        {
            throw new IllegalArgumentException("transactions: missing or not an array");
        }
        final List<byte[]> raw = new ArrayList<>(txs.size());
        final List<byte[]> txids = new ArrayList<>(txs.size());
        final List<byte[]> wtxids = new ArrayList<>(txs.size());
        boolean anyWitness = false;
        for (int i = 0; i < txs.size(); i++)
        {
            final JsonNode t = txs.get(i);
            final String where = "transactions[" + i + "]";
            final byte[] data;
            final Transaction tx;
            try
            {
                data = Hex.decode(t.path("data").asText(""));
                tx = Transaction.parse(data);
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalArgumentException(where + ".data: not a transaction (" + ex.getMessage() + ")", ex);
            }
            if (tx.isCoinbase())
            {
                throw new IllegalArgumentException(where + ": a coinbase among the template's transactions");
            }
            final byte[] txid = tx.txid();
            if (!HashOrder.toDisplayHex(txid).equalsIgnoreCase(t.path("txid").asText("")))
            {
                throw new IllegalArgumentException(where + ".txid: " + t.path("txid").asText("(missing)") +
                    " is not the hash of its data (" + HashOrder.toDisplayHex(txid) + ")");
            }
            final byte[] wtxid = tx.wtxid();
            if (t.has("hash") && !HashOrder.toDisplayHex(wtxid).equalsIgnoreCase(t.get("hash").asText()))
            {
                throw new IllegalArgumentException(where + ".hash: not the wtxid of its data");
            }
            for (final JsonNode d : t.path("depends"))
            {
                if (!d.canConvertToInt() || d.asInt() < 1 || d.asInt() > i)
                {
                    throw new IllegalArgumentException(where + ".depends: " + d + " is not an earlier transaction");
                }
            }
            anyWitness |= tx.hasWitness();
            raw.add(data);
            txids.add(txid);
            wtxids.add(wtxid);
        }
        final byte[] computed = Merkle.witnessCommitmentScript(
            Merkle.witnessCommitment(Merkle.witnessRoot(wtxids), new byte[32]));
        byte[] commitment = null;
        if (gbt.has("default_witness_commitment"))
        {
            commitment = Hex.decode(gbt.get("default_witness_commitment").asText(""));
            if (!java.util.Arrays.equals(commitment, computed))
            {
                throw new IllegalArgumentException("default_witness_commitment: does not commit to the template's " +
                    "transactions (expected " + Hex.encode(computed) + ")");
            }
        }
        else if (anyWitness)
        {
            commitment = computed;
        }
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        final byte[] path = new byte[32 * branch.size()];
        for (int i = 0; i < branch.size(); i++)
        {
            System.arraycopy(branch.get(i), 0, path, 32 * i, 32);
        }
        final Template template = new Template(id, (int)height, version, prev, bits, (int)Math.max(curtime, mintime),
            coinbaseValue, path, List.copyOf(raw), commitment);
        return new Parsed(template, gbt.path("longpollid").asText(""), prevHex.toLowerCase(java.util.Locale.ROOT));
    }

    private static long integer(final JsonNode o, final String field, final long min, final long max)
    {
        final JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber())
        {
            throw new IllegalArgumentException(field + ": missing or not an integer");
        }
        final long l = v.asLong();
        if (l < min || l > max)
        {
            throw new IllegalArgumentException(field + ": " + l + " out of range");
        }
        return l;
    }

    private static String hex(final JsonNode o, final String field, final int bytes)
    {
        final JsonNode v = o.get(field);
        final String s = v == null ? "" : v.asText("");
        if (s.length() != 2 * bytes || !s.matches("[0-9a-fA-F]+"))
        {
            throw new IllegalArgumentException(field + ": expected " + bytes + " bytes of hex (got \"" + s + "\")");
        }
        return s;
    }
}
