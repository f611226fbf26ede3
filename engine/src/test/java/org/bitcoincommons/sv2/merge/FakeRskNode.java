package org.bitcoincommons.sv2.merge;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bitcoincommons.sv2.bitcoin.Hex;

/**
 * An RSK-like node, answering as rskj's {@code MinerServerImpl} does: {@code mnr_getWork} hands out a hash for merged
 * mining and a big-endian target, the last 20 works are remembered (also after a solution), and
 * {@code mnr_submitBitcoinBlockPartialMerkle} checks the submission on its own (with MessageDigest, independent of
 * the pool's code): the last {@code RSKBLOCK:} tag in the coinbase names a known work, at most 128 bytes follow its
 * hash, the first merkle hash is the coinbase txid, coinbase txid + branch fold to the header's merkle root, and the
 * header hash is within the target. Rejections are JSON-RPC errors, code -33000. A valid solution is imported as the
 * import result says: an RSK block's hash covers the Bitcoin header, so the same submission again is
 * {@code EXIST}, another header for a work already solved is a sibling ({@code IMPORTED_NOT_BEST}), and the first
 * solution of the newest work is {@code IMPORTED_BEST}. {@code eth_getBlockByNumber} reads the chain.
 */
public final class FakeRskNode extends FakeRpcServer
{
    static final int REJECT = -33000;
    private static final byte[] TAG = "RSKBLOCK:".getBytes(StandardCharsets.US_ASCII);

    private final BigInteger target;
    private final Deque<byte[]> works = new ArrayDeque<>();
    /** Block number each remembered work would have (its parent's number + 1), by work hex. */
    private final java.util.Map<String, Long> workNumber = new java.util.HashMap<>();
    /** Main chain RSK block hashes (hex) by number; number 0 is genesis. */
    private final List<String> mainChain = new ArrayList<>(List.of(Hex.encode(sha256("rsk genesis".getBytes()))));
    private final java.util.Set<String> have = new java.util.HashSet<>();
    private byte[] current;
    private boolean notified;
    private int counter;
    /** Works whose solution became the best block (each once). */
    final List<String> accepted = new ArrayList<>();
    /** Import results other than IMPORTED_BEST (EXIST, IMPORTED_NOT_BEST). */
    final List<String> otherImports = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();

    public FakeRskNode(final BigInteger target) throws IOException
    {
        super(true);
        this.target = target;
        newWork();
        listen();
    }

    public synchronized List<String> acceptedBlocks()
    {
        return List.copyOf(accepted);
    }

    public synchronized List<String> rejectionReasons()
    {
        return List.copyOf(rejections);
    }

    synchronized List<String> otherImports()
    {
        return List.copyOf(otherImports);
    }

    public synchronized byte[] currentWork()
    {
        return current.clone();
    }

    private void newWork()
    {
        current = sha256(("rsk work " + counter++).getBytes(StandardCharsets.US_ASCII));
        works.addLast(current);
        workNumber.put(Hex.encode(current), (long)mainChain.size());
        if (works.size() > 20)
        {
            workNumber.remove(Hex.encode(works.removeFirst()));
        }
        notified = false;
    }

    @Override
    synchronized JsonNode handle(final String method, final JsonNode params) throws RpcError
    {
        switch (method)
        {
            case "mnr_getWork":
            {
                final ObjectNode r = MAPPER.createObjectNode();
                r.put("blockHashForMergedMining", "0x" + Hex.encode(current));
                final byte[] be = new byte[32];
                final byte[] t = target.toByteArray();
                System.arraycopy(t, Math.max(0, t.length - 32), be, Math.max(0, 32 - t.length), Math.min(32, t.length));
                r.put("target", "0x" + Hex.encode(be));
                r.put("feesPaidToMiner", "1000000000000");
                r.put("notify", !notified);
                r.put("parentBlockHash", "0x" + Hex.encode(sha256(current)));
                notified = true;
                return r;
            }
            case "mnr_submitBitcoinBlockPartialMerkle":
                return submit(params);
            case "eth_getBlockByNumber":
            {
                final long number = Long.parseLong(params.path(0).asText("0x0").substring(2), 16);
                if (number >= mainChain.size())
                {
                    return MAPPER.nullNode();
                }
                final ObjectNode r = MAPPER.createObjectNode();
                r.put("number", "0x" + Long.toHexString(number));
                r.put("hash", "0x" + mainChain.get((int)number));
                return r;
            }
            default:
                throw new RpcError(-32601, "the method " + method + " does not exist/is not available");
        }
    }

    private JsonNode submit(final JsonNode params) throws RpcError
    {
        if (params.size() != 5)
        {
            throw reject("expected 5 params");
        }
        final byte[] header = Hex.decode(params.get(1).asText());
        final byte[] coinbase = Hex.decode(params.get(2).asText());
        final String[] hashes = params.get(3).asText().trim().split("\\s+");
        if (header.length != 80)
        {
            throw reject("header must be 80 bytes");
        }
        int tag = -1;
        for (int i = 0; i + TAG.length <= coinbase.length; i++)
        {
            if (Arrays.equals(coinbase, i, i + TAG.length, TAG, 0, TAG.length))
            {
                tag = i;
            }
        }
        if (tag < 0 || coinbase.length - tag - TAG.length < 32)
        {
            throw reject("no RSKBLOCK: tag in the coinbase");
        }
        if (coinbase.length - (tag + TAG.length + 32) > 128)
        {
            throw reject("more than 128 bytes after the merged-mining hash");
        }
        final byte[] work = Arrays.copyOfRange(coinbase, tag + TAG.length, tag + TAG.length + 32);
        if (works.stream().noneMatch(w -> Arrays.equals(w, work)))
        {
            throw reject("unknown work " + Hex.encode(work));
        }
        byte[] node = sha256(sha256(coinbase));
        if (!Hex.encode(node).equals(hashes[0]))
        {
            throw reject("first merkle hash is not the coinbase txid");
        }
        for (int i = 1; i < hashes.length; i++)
        {
            final byte[] sibling = Hex.decode(hashes[i]);
            final byte[] pair = new byte[64];
            System.arraycopy(node, 0, pair, 0, 32);
            System.arraycopy(sibling, 0, pair, 32, 32);
            node = sha256(sha256(pair));
        }
        if (!Arrays.equals(node, Arrays.copyOfRange(header, 36, 68)))
        {
            throw reject("coinbase is not in the header's merkle root");
        }
        final byte[] hash = sha256(sha256(header));
        final byte[] be = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            be[i] = hash[31 - i];
        }
        if (new BigInteger(1, be).compareTo(target) > 0)
        {
            throw reject("header hash above the target");
        }
        // the RSK block: the work's header plus the merged-mining fields (the Bitcoin header), hashed
        final byte[] both = Arrays.copyOf(work, 32 + 80);
        System.arraycopy(header, 0, both, 32, 80);
        final String block = Hex.encode(sha256(both));
        final long number = workNumber.get(Hex.encode(work));
        final String result;
        if (!have.add(block))
        {
            result = "EXIST";
        }
        else if (number == mainChain.size())
        {
            result = "IMPORTED_BEST";
            mainChain.add(block);
            accepted.add(Hex.encode(work));
            newWork();
        }
        else
        {
            result = "IMPORTED_NOT_BEST";
        }
        if (!"IMPORTED_BEST".equals(result))
        {
            otherImports.add(result);
        }
        final ObjectNode r = MAPPER.createObjectNode();
        r.put("blockImportedResult", "0x" + Hex.encode(result.getBytes(StandardCharsets.US_ASCII)));
        r.put("blockHash", "0x" + block);
        r.put("blockIncludedHeight", "0x" + Long.toHexString(number));
        return r;
    }

    private RpcError reject(final String reason)
    {
        rejections.add(reason);
        return new RpcError(REJECT, reason);
    }

    static byte[] sha256(final byte[] data)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
