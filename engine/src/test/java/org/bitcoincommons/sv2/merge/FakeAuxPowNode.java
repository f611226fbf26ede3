package org.bitcoincommons.sv2.merge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;

/**
 * A Namecoin-like node: keeps a chain tip, hands out aux blocks with {@code createauxblock <address>} (and the
 * wallet form {@code getauxblock}), remembers them per address until the tip moves, checks submitted proofs with
 * the consensus checks ({@link AuxPowVerifier}, itself tested on real chain data), and advances its tip on accept.
 * {@link #serveStale} keeps handing out the block built on an old tip after the tip has moved.
 */
final class FakeAuxPowNode extends FakeRpcServer
{
    final int chainId;
    final int bits;
    private byte[] tip = new byte[32];
    private int height;
    private final Map<String, byte[]> blocks = new HashMap<>();
    private final Map<String, String> byAddress = new HashMap<>();
    final List<String> accepted = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    volatile boolean serveStale;
    private String staleAnswer;

    FakeAuxPowNode(final int chainId, final int bits) throws IOException
    {
        super(false);
        this.chainId = chainId;
        this.bits = bits;
        this.tip = Sha256d.hash(("genesis " + chainId).getBytes(StandardCharsets.US_ASCII));
        listen();
    }

    synchronized byte[] tip()
    {
        return tip.clone();
    }

    synchronized int height()
    {
        return height;
    }

    synchronized List<String> acceptedBlocks()
    {
        return List.copyOf(accepted);
    }

    synchronized List<String> rejectionReasons()
    {
        return List.copyOf(rejections);
    }

    /** Another miner found a block: the tip moves, every handed-out block goes stale. */
    synchronized void advanceTipElsewhere()
    {
        tip = Sha256d.hash(tip);
        height++;
        blocks.clear();
        byAddress.clear();
    }

    @Override
    synchronized JsonNode handle(final String method, final JsonNode params) throws RpcError
    {
        return switch (method)
        {
            case "createauxblock" ->
            {
                if (params.size() != 1)
                {
                    throw new RpcError(-1, "createauxblock <address>");
                }
                yield create(params.get(0).asText());
            }
            case "submitauxblock" ->
            {
                if (params.size() != 2)
                {
                    throw new RpcError(-1, "submitauxblock <hash> <auxpow>");
                }
                yield MAPPER.getNodeFactory().booleanNode(submit(params.get(0).asText(), params.get(1).asText()));
            }
            case "getauxblock" ->
            {
                if (params.isEmpty())
                {
                    yield create("wallet-key");
                }
                yield MAPPER.getNodeFactory().booleanNode(submit(params.get(0).asText(), params.get(1).asText()));
            }
            case "getbestblockhash" -> MAPPER.getNodeFactory().textNode(HashOrder.toDisplayHex(tip));
            default -> throw new RpcError(-32601, "Method not found");
        };
    }

    private JsonNode create(final String address) throws RpcError
    {
        if (serveStale && staleAnswer != null)
        {
            return answer(staleAnswer);
        }
        String hash = byAddress.get(address);
        if (hash == null)
        {
            final byte[] header = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x4 | AuxPowVerifier.VERSION_AUXPOW | chainId << 16)
                .put(tip)
                .put(Sha256d.hash((address + "@" + height).getBytes(StandardCharsets.UTF_8)))
                .putInt(1_700_000_000 + height)
                .putInt(bits)
                .putInt(0)
                .array();
            hash = HashOrder.toDisplayHex(Sha256d.hash(header));
            blocks.put(hash, header);
            byAddress.put(address, hash);
        }
        staleAnswer = hash;
        return answer(hash);
    }

    private ObjectNode answer(final String hash)
    {
        final ObjectNode r = MAPPER.createObjectNode();
        final byte[] header = blocks.get(hash);
        r.put("hash", hash);
        r.put("chainid", chainId);
        r.put("previousblockhash", header == null ? HashOrder.toDisplayHex(tip)
            : HashOrder.toDisplayHex(java.util.Arrays.copyOfRange(header, 4, 36)));
        r.put("coinbasevalue", 50_0000_0000L);
        r.put("bits", String.format("%08x", bits));
        r.put("height", height + 1);
        return r;
    }

    private boolean submit(final String hashHex, final String auxPowHex) throws RpcError
    {
        final byte[] header = blocks.get(hashHex);
        if (header == null)
        {
            rejections.add("block hash unknown");
            throw new RpcError(-8, "block hash unknown");
        }
        final AuxPow auxPow;
        try
        {
            auxPow = AuxPow.parse(Hex.decode(auxPowHex));
        }
        catch (final IllegalArgumentException ex)
        {
            rejections.add("decode");
            throw new RpcError(-22, "AuxPoW decode failed: " + ex.getMessage());
        }
        final AuxPowVerdict v = AuxPowVerifier.verifyHeader(header, auxPow, chainId, ParentPow.SHA256D);
        if (!v.valid())
        {
            rejections.add(v.reason());
            return false;
        }
        accepted.add(hashHex);
        tip = Sha256d.hash(header);
        height++;
        blocks.clear();
        byAddress.clear();
        return true;
    }
}
