package org.bitcoincommons.sv2.jd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.config.BitcoindSourceConfig;
import org.bitcoincommons.sv2.template.BitcoindRpc;

/**
 * {@link JdNode} over Bitcoin Core's JSON-RPC (the {@code [template.bitcoind]} node): {@code getrawmempool true},
 * {@code getrawtransaction}, {@code getblocktemplate} in proposal mode and {@code submitblock}.
 */
public final class BitcoindJdNode implements JdNode
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final BitcoindRpc rpc;

    public BitcoindJdNode(final BitcoindSourceConfig config)
    {
        this(config.rpcUrl(), config.rpcUser(), config.rpcPassword(), config.rpcCookieFile());
    }

    public BitcoindJdNode(final URI url, final String user, final String password, final Path cookieFile)
    {
        this.rpc = new BitcoindRpc(url, user, password, cookieFile, Duration.ofSeconds(5));
    }

    private JsonNode call(final String method, final Object... params) throws NodeException
    {
        try
        {
            return rpc.call(method, TIMEOUT, params);
        }
        catch (final BitcoindRpc.CallException ex)
        {
            throw new NodeException(ex.getMessage(), ex);
        }
    }

    @Override
    public List<MempoolEntry> rawMempool() throws NodeException
    {
        final JsonNode result = call("getrawmempool", true);
        if (!result.isObject())
        {
            throw new NodeException("getrawmempool true: not an object", null);
        }
        final List<MempoolEntry> out = new ArrayList<>(result.size());
        for (final Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> e = it.next();
            final String wtxid = e.getValue().path("wtxid").asText("");
            if (wtxid.length() != 64)
            {
                throw new NodeException("getrawmempool true: entry " + e.getKey() + " has no wtxid", null);
            }
            out.add(new MempoolEntry(HashOrder.fromDisplayHex(e.getKey()), HashOrder.fromDisplayHex(wtxid)));
        }
        return out;
    }

    @Override
    public byte[] rawTransaction(final byte[] txid) throws NodeException
    {
        try
        {
            final JsonNode r = rpc.call("getrawtransaction", TIMEOUT, HashOrder.toDisplayHex(txid));
            return r.isTextual() ? Hex.decode(r.asText()) : null;
        }
        catch (final BitcoindRpc.CallException ex)
        {
            if (ex.failure() == BitcoindRpc.Failure.RPC_ERROR && ex.code() == -5)
            {
                return null;   // No such mempool or blockchain transaction
            }
            throw new NodeException(ex.getMessage(), ex);
        }
    }

    @Override
    public String proposeBlock(final byte[] block) throws NodeException
    {
        final JsonNode r = call("getblocktemplate", Map.of("mode", "proposal", "data", Hex.encode(block),
            "rules", List.of("segwit")));
        return r == null || r.isNull() ? null : r.asText();
    }

    @Override
    public String submitBlock(final byte[] block) throws NodeException
    {
        final JsonNode r = call("submitblock", Hex.encode(block));
        return r == null || r.isNull() ? null : r.asText();
    }
}
