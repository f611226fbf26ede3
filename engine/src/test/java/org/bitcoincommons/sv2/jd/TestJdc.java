package org.bitcoincommons.sv2.jd;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;

/**
 * The Job Declaration client's side of the tests, written independently of the engine's coinbase and merkle code:
 * a coinbase of its own (BIP34 height, a tag, the full extranonce, the pool's payout output paid, the BIP141
 * commitment over the template's wtxids), the merkle path from the txids, and block headers ground to a target.
 */
final class TestJdc
{
    /** One job the client mines: what it declares and what SetCustomMiningJob carries. */
    record Work(byte[] prefix, byte[] suffix, byte[] scriptSigPrefix, byte[] outputs, List<byte[]> wtxids,
        List<byte[]> txids, List<byte[]> txData, int version, byte[] prevHash, int nbits, long curtime, int height,
        int extranonceLength, List<byte[]> merklePath)
    {
        /** The coinbase with this extranonce, witness serialization (as in the block). */
        byte[] coinbase(final byte[] extranonce)
        {
            final ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(prefix);
            o.writeBytes(extranonce);
            o.writeBytes(suffix);
            return o.toByteArray();
        }

        /** The same without the BIP141 marker, flag and witness: what its txid hashes. */
        byte[] legacyCoinbase(final byte[] extranonce)
        {
            final ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(Arrays.copyOfRange(prefix, 0, 4));
            o.writeBytes(Arrays.copyOfRange(prefix, 6, prefix.length));
            o.writeBytes(extranonce);
            final int witnessStart = suffix.length - 4 - 34;
            o.writeBytes(Arrays.copyOfRange(suffix, 0, witnessStart));
            o.writeBytes(Arrays.copyOfRange(suffix, suffix.length - 4, suffix.length));
            return o.toByteArray();
        }

        byte[] header(final byte[] extranonce, final int ntime, final int nonce)
        {
            byte[] root = sha256d(legacyCoinbase(extranonce));
            for (final byte[] sibling : merklePath)
            {
                root = sha256d(cat(root, sibling));
            }
            final byte[] h = new byte[80];
            le32(h, 0, version);
            System.arraycopy(prevHash, 0, h, 4, 32);
            System.arraycopy(root, 0, h, 36, 32);
            le32(h, 68, ntime);
            le32(h, 72, nbits);
            le32(h, 76, nonce);
            return h;
        }

        /** The whole block, as bitcoind would receive it. */
        byte[] block(final byte[] header, final byte[] extranonce)
        {
            final ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(header);
            final int n = 1 + txData.size();
            if (n >= 0xfd)
            {
                o.write(0xfd);
                o.write(n);
                o.write(n >>> 8);
            }
            else
            {
                o.write(n);
            }
            o.writeBytes(coinbase(extranonce));
            txData.forEach(o::writeBytes);
            return o.toByteArray();
        }
    }

    private TestJdc()
    {
    }

    /**
     * @param outputsSwapped the witness commitment before the payout output
     * @param payoutPaid     false: the pool's payout output is left out (a declaration the JDS must refuse)
     */
    static Work work(final JsonNode t, final byte[] payoutScript, final int extranonceLength,
        final boolean outputsSwapped, final boolean payoutPaid)
    {
        return work(t, payoutScript, extranonceLength, outputsSwapped, payoutPaid, new byte[0], List.of());
    }

    /**
     * @param scriptSigPush bytes placed in the scriptSig after the BIP34 height (merged mining: the AuxPoW push)
     * @param extraOutputs  serialized outputs placed after the payout, before the witness commitment
     */
    static Work work(final JsonNode t, final byte[] payoutScript, final int extranonceLength,
        final boolean outputsSwapped, final boolean payoutPaid, final byte[] scriptSigPush,
        final List<byte[]> extraOutputs)
    {
        final List<byte[]> wtxids = new ArrayList<>();
        final List<byte[]> txids = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        for (final JsonNode tx : t.get("transactions"))
        {
            txids.add(HashOrder.fromDisplayHex(tx.get("txid").asText()));
            wtxids.add(HashOrder.fromDisplayHex(tx.get("hash").asText()));
            data.add(Hex.decode(tx.get("data").asText()));
        }
        final int height = t.get("height").asInt();
        final ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.write(3);
        script.write(height);
        script.write(height >>> 8);
        script.write(height >>> 16);
        script.writeBytes(scriptSigPush);
        final byte[] tag = "/test-jdc/".getBytes(StandardCharsets.US_ASCII);
        script.write(tag.length);
        script.writeBytes(tag);
        final byte[] scriptSigPrefix = script.toByteArray();

        final List<byte[]> leaves = new ArrayList<>();
        leaves.add(new byte[32]);
        leaves.addAll(wtxids);
        final byte[] commitment = sha256d(cat(root(leaves), new byte[32]));
        final byte[] commitmentScript = cat(Hex.decode("6a24aa21a9ed"), commitment);
        final byte[] payoutOut = output(t.get("coinbasevalue").asLong(), payoutScript);
        final byte[] commitmentOut = output(0, commitmentScript);
        final ByteArrayOutputStream outputs = new ByteArrayOutputStream();
        if (!payoutPaid)
        {
            outputs.write(2);
            outputs.writeBytes(output(t.get("coinbasevalue").asLong(), Hex.decode("51")));
            outputs.writeBytes(commitmentOut);
        }
        else
        {
            outputs.write(2 + extraOutputs.size());
            outputs.writeBytes(outputsSwapped ? commitmentOut : payoutOut);
            if (!outputsSwapped)
            {
                extraOutputs.forEach(outputs::writeBytes);
            }
            outputs.writeBytes(outputsSwapped ? payoutOut : commitmentOut);
        }

        final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        prefix.writeBytes(Hex.decode("02000000" + "0001" + "01"));
        prefix.writeBytes(new byte[32]);
        prefix.writeBytes(Hex.decode("ffffffff"));
        prefix.write(scriptSigPrefix.length + extranonceLength);
        prefix.writeBytes(scriptSigPrefix);
        final ByteArrayOutputStream suffix = new ByteArrayOutputStream();
        suffix.writeBytes(Hex.decode("feffffff"));
        suffix.writeBytes(outputs.toByteArray());
        suffix.write(1);
        suffix.write(32);
        suffix.writeBytes(new byte[32]);
        final byte[] lock = new byte[4];
        le32(lock, 0, height - 1);
        suffix.writeBytes(lock);

        final List<byte[]> path = new ArrayList<>();
        List<byte[]> level = new ArrayList<>();
        level.add(new byte[32]);
        level.addAll(txids);
        while (level.size() > 1)
        {
            path.add(level.get(1));
            level = parents(level);
        }
        return new Work(prefix.toByteArray(), suffix.toByteArray(), scriptSigPrefix, outputs.toByteArray(), wtxids,
            txids, data, t.get("version").asInt(), HashOrder.fromDisplayHex(t.get("previousblockhash").asText()),
            (int)Long.parseLong(t.get("bits").asText(), 16), t.get("curtime").asLong(), height, extranonceLength, path);
    }

    /** Finds a nonce whose header hash is at most {@code target}; returns it. */
    static int grind(final Work w, final byte[] extranonce, final int ntime, final BigInteger target)
    {
        for (int nonce = 0; nonce < 50_000_000; nonce++)
        {
            final byte[] hash = sha256d(w.header(extranonce, ntime, nonce));
            if (new BigInteger(1, HashOrder.reversed(hash)).compareTo(target) <= 0)
            {
                return nonce;
            }
        }
        throw new AssertionError("no nonce found");
    }

    static byte[] output(final long value, final byte[] script)
    {
        final byte[] o = new byte[8 + 1 + script.length];
        for (int i = 0; i < 8; i++)
        {
            o[i] = (byte)(value >>> (8 * i));
        }
        o[8] = (byte)script.length;
        System.arraycopy(script, 0, o, 9, script.length);
        return o;
    }

    static byte[] root(final List<byte[]> leaves)
    {
        List<byte[]> level = leaves;
        while (level.size() > 1)
        {
            level = parents(level);
        }
        return level.get(0);
    }

    private static List<byte[]> parents(final List<byte[]> level)
    {
        final List<byte[]> up = new ArrayList<>();
        for (int i = 0; i < level.size(); i += 2)
        {
            final byte[] right = i + 1 < level.size() ? level.get(i + 1) : level.get(i);
            up.add(sha256d(cat(level.get(i), right)));
        }
        return up;
    }

    static byte[] cat(final byte[] a, final byte[] b)
    {
        final byte[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static byte[] sha256d(final byte[] data)
    {
        try
        {
            final MessageDigest d = MessageDigest.getInstance("SHA-256");
            return d.digest(d.digest(data));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static void le32(final byte[] b, final int o, final int v)
    {
        b[o] = (byte)v;
        b[o + 1] = (byte)(v >>> 8);
        b[o + 2] = (byte)(v >>> 16);
        b[o + 3] = (byte)(v >>> 24);
    }
}
