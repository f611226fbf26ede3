package org.bitcoincommons.sv2.merge;

import java.math.BigInteger;
import java.util.List;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;

/**
 * The pool side of an RSK node's merged-mining RPCs (JSON-RPC 2.0): {@code mnr_getWork} and
 * {@code mnr_submitBitcoinBlockPartialMerkle}, and {@code eth_getBlockByNumber} to confirm where a block landed.
 * Thread-safe; cold path.
 */
public final class RskNodeClient
{
    private final JsonRpcClient rpc;

    public RskNodeClient(final JsonRpcClient rpc)
    {
        this.rpc = rpc;
    }

    public RskWork getWork() throws RpcException
    {
        return work(rpc.call("mnr_getWork"));
    }

    /** {@code mnr_getWork}'s result read into its work; separate from {@link #getWork} so that it can be fuzzed. */
    static RskWork work(final JsonNode r) throws RpcException
    {
        if (r == null || !r.isObject())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "mnr_getWork: result is not an object", null);
        }
        try
        {
            final byte[] hash = hex0x(r.get("blockHashForMergedMining"), 32);
            final byte[] targetBe = hex0x(r.get("target"), 32);
            final BigInteger fees = new BigInteger(r.path("feesPaidToMiner").asText("0"));
            final byte[] parent = r.hasNonNull("parentBlockHash") ? hex0x(r.get("parentBlockHash"), 32) : new byte[32];
            return new RskWork(hash, HashOrder.reversed(targetBe), fees.longValueExact(), r.path("notify").asBoolean(false),
                parent);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "mnr_getWork: " + ex.getMessage(), ex);
        }
    }

    /**
     * Submits a Bitcoin block header whose coinbase carries the RSK tag.
     *
     * @param blockHash      the Bitcoin header's hash, internal order (informational for the node)
     * @param header         80 bytes
     * @param coinbase       the coinbase, legacy (non-witness) serialization
     * @param coinbaseBranch the coinbase's merkle branch, internal order
     * @param txCount        transactions in the block including the coinbase
     * @return the node's {@code SubmittedBlockInfo} object
     */
    public JsonNode submitBitcoinBlockPartialMerkle(final byte[] blockHash, final byte[] header, final byte[] coinbase,
        final byte[] coinbaseTxid, final List<byte[]> coinbaseBranch, final int txCount) throws RpcException
    {
        final StringJoiner hashes = new StringJoiner(" ");
        hashes.add(Hex.encode(coinbaseTxid));
        for (final byte[] h : coinbaseBranch)
        {
            hashes.add(Hex.encode(h));
        }
        return rpc.call("mnr_submitBitcoinBlockPartialMerkle", HashOrder.toDisplayHex(blockHash), Hex.encode(header),
            Hex.encode(coinbase), hashes.toString(), Integer.toHexString(txCount));
    }

    /**
     * {@code eth_getBlockByNumber(number, false).hash}: the main chain's RSK block at {@code number}, or null when the
     * chain is not that long yet.
     */
    public byte[] blockHashAt(final long number) throws RpcException
    {
        final JsonNode r = rpc.call("eth_getBlockByNumber", "0x" + Long.toHexString(number), false);
        if (r == null || r.isNull())
        {
            return null;
        }
        try
        {
            return hex0x(r.get("hash"), 32);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "eth_getBlockByNumber: " + ex.getMessage(), ex);
        }
    }

    private static byte[] hex0x(final JsonNode n, final int length)
    {
        if (n == null || !n.isTextual())
        {
            throw new IllegalArgumentException("missing hex field");
        }
        final String s = n.asText();
        return Hex.decode(s.startsWith("0x") ? s.substring(2) : s, length);
    }
}
