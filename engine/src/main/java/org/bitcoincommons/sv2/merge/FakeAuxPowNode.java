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
 * A Namecoin-like node, answering as Namecoin Core's {@code AuxpowMiner} does: it keeps a chain (height -> block
 * hash), hands out aux blocks with {@code createauxblock <address>} (and the wallet form {@code getauxblock}),
 * remembers every block it handed out until the first {@code createauxblock} after its tip moved, checks submitted
 * proofs with the consensus checks ({@link AuxPowVerifier}, itself tested on real chain data), and answers as
 * {@code ProcessNewBlock} does: true for a new block (which becomes the tip when it extends it, else a side-chain
 * block), and true again for a block it already has (a repeat). {@code getbestblockhash} and
 * {@code getblockhash <height>} read the chain. {@link #serveStale} keeps handing out the block built on an old tip
 * after the tip has moved.
 */
public final class FakeAuxPowNode extends FakeRpcServer
{
    final int chainId;
    final int bits;
    private byte[] tip = new byte[32];
    private int height;
    /** Main chain block hashes (internal order) by height; index 0 is the genesis block. */
    private final List<byte[]> mainChain = new ArrayList<>();
    /** Hashes (display hex) of every block the node has, main or side chain. */
    private final java.util.Set<String> have = new java.util.HashSet<>();
    private final Map<String, byte[]> blocks = new HashMap<>();
    private final Map<String, String> byAddress = new HashMap<>();
    private byte[] tipAtLastCreate;
    final List<String> accepted = new ArrayList<>();
    final List<String> sideChain = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    /** Submissions of a block the node already had, answered true as ProcessNewBlock does. */
    int repeats;
    volatile boolean serveStale;
    private String staleAnswer;

    public FakeAuxPowNode(final int chainId, final int bits) throws IOException
    {
        super(false);
        this.chainId = chainId;
        this.bits = bits;
        this.tip = Sha256d.hash(("genesis " + chainId).getBytes(StandardCharsets.US_ASCII));
        mainChain.add(tip);
        listen();
    }

    synchronized byte[] tip()
    {
        return tip.clone();
    }

    public synchronized int height()
    {
        return height;
    }

    /** Blocks the pool mined that became the tip (each once, however often it was submitted). */
    public synchronized List<String> acceptedBlocks()
    {
        return List.copyOf(accepted);
    }

    public synchronized List<String> rejectionReasons()
    {
        return List.copyOf(rejections);
    }

    synchronized int repeats()
    {
        return repeats;
    }

    /** Another miner found a block: the tip moves; handed-out blocks go stale at the next createauxblock. */
    public synchronized void advanceTipElsewhere()
    {
        tip = Sha256d.hash(tip);
        height++;
        mainChain.add(tip);
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
            case "getblockhash" ->
            {
                final int h = params.path(0).asInt(-1);
                if (h < 0 || h > height)
                {
                    throw new RpcError(-8, "Block height out of range");
                }
                yield MAPPER.getNodeFactory().textNode(HashOrder.toDisplayHex(mainChain.get(h)));
            }
            default -> throw new RpcError(-32601, "Method not found");
        };
    }

    private JsonNode create(final String address) throws RpcError
    {
        if (tipAtLastCreate != null && !java.util.Arrays.equals(tipAtLastCreate, tip))
        {
            // as AuxpowMiner::getCurrentBlock: blocks handed out on an old tip are forgotten once the tip moved
            blocks.clear();
            byAddress.clear();
        }
        tipAtLastCreate = tip;
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
        if (!have.add(hashHex))
        {
            repeats++; // ProcessNewBlock: a block we already have is accepted again (true), nothing changes
            return true;
        }
        if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(header, 4, 36), tip))
        {
            sideChain.add(hashHex); // valid, but its parent is no longer the tip: stored off the main chain
            return true;
        }
        accepted.add(hashHex);
        tip = Sha256d.hash(header);
        height++;
        mainChain.add(tip);
        return true;
    }
}
