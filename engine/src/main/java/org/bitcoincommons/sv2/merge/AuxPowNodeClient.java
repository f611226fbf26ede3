package org.bitcoincommons.sv2.merge;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.AuxChainConfig;

/**
 * The pool side of a Namecoin-style node's merged-mining RPCs: {@code createauxblock <address>} /
 * {@code submitauxblock <hash> <auxpow>}, or the older wallet form {@code getauxblock} /
 * {@code getauxblock <hash> <auxpow>}. Hashes go over the wire in display hex, the AuxPoW as the hex of its
 * serialization (legacy coinbase). Thread-safe; cold path.
 */
public final class AuxPowNodeClient
{
    private final JsonRpcClient rpc;
    private final AuxChainConfig.RpcStyle style;
    private final String payoutAddress;

    public AuxPowNodeClient(final JsonRpcClient rpc, final AuxChainConfig.RpcStyle style, final String payoutAddress)
    {
        this.rpc = rpc;
        this.style = style;
        this.payoutAddress = payoutAddress;
    }

    /** Asks the node for its current aux block. */
    public AuxBlockTemplate createAuxBlock() throws RpcException
    {
        final JsonNode r = style == AuxChainConfig.RpcStyle.CREATEAUXBLOCK
            ? rpc.call("createauxblock", payoutAddress) : rpc.call("getauxblock");
        return parse(r);
    }

    /**
     * Submits a proof for the aux block {@code hash} (internal order).
     *
     * @return the node's verdict ({@code true}: accepted by ProcessNewBlock, which does not yet prove a new tip)
     */
    public boolean submitAuxBlock(final byte[] hash, final AuxPow auxPow) throws RpcException
    {
        final String hashHex = HashOrder.toDisplayHex(hash);
        final String proof = Hex.encode(auxPow.withLegacyCoinbase().serialize());
        final JsonNode r = style == AuxChainConfig.RpcStyle.CREATEAUXBLOCK
            ? rpc.call("submitauxblock", hashHex, proof) : rpc.call("getauxblock", hashHex, proof);
        if (!r.isBoolean())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "submitauxblock: expected true/false, got " + r, null);
        }
        return r.asBoolean();
    }

    /** {@code getbestblockhash}, internal order: confirms that an accepted aux block became the tip. */
    public byte[] bestBlockHash() throws RpcException
    {
        final JsonNode r = rpc.call("getbestblockhash");
        return hash(r, "getbestblockhash");
    }

    /**
     * {@code getblockhash <height>}, internal order: the main chain's block at {@code height}. A height above the tip
     * is the node's RPC error -8 ("Block height out of range").
     */
    public byte[] blockHash(final long height) throws RpcException
    {
        final JsonNode r = rpc.call("getblockhash", height);
        return hash(r, "getblockhash");
    }

    static AuxBlockTemplate parse(final JsonNode r) throws RpcException
    {
        if (r == null || !r.isObject())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "createauxblock: result is not an object", null);
        }
        final byte[] hash = hash(r.get("hash"), "createauxblock.hash");
        final JsonNode chainId = r.get("chainid");
        if (chainId == null || !chainId.canConvertToInt())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "createauxblock: no chainid", null);
        }
        final byte[] prev = r.has("previousblockhash") ? hash(r.get("previousblockhash"), "previousblockhash")
            : new byte[32];
        int bits = 0;
        final byte[] target = new byte[32];
        try
        {
            if (r.hasNonNull("bits"))
            {
                bits = (int)Long.parseLong(r.get("bits").asText(), 16);
                Target.compactToLittleEndian(bits, target, 0);
            }
            else
            {
                // the target member, "_target" (new) or "target" (old), is the 32 target bytes in little-endian order
                final JsonNode t = r.hasNonNull("_target") ? r.get("_target") : r.get("target");
                if (t == null)
                {
                    throw new RpcException(RpcException.Kind.PROTOCOL, 0, "createauxblock: neither bits nor target", null);
                }
                System.arraycopy(Hex.decode(t.asText(), 32), 0, target, 0, 32);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, "createauxblock: bad bits/target: " + ex.getMessage(),
                ex);
        }
        return new AuxBlockTemplate(hash, chainId.asInt(), prev, r.path("coinbasevalue").asLong(0), bits,
            r.path("height").asLong(-1), target);
    }

    private static byte[] hash(final JsonNode n, final String field) throws RpcException
    {
        try
        {
            if (n == null || !n.isTextual())
            {
                throw new IllegalArgumentException("missing");
            }
            return HashOrder.fromDisplayHex(n.asText());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, field + ": not a 32-byte hex hash", ex);
        }
    }
}
