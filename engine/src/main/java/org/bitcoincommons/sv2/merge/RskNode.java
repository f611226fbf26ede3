package org.bitcoincommons.sv2.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.work.BlockCandidate;

/**
 * An RSK node. {@code mnr_submitBitcoinBlockPartialMerkle} answers the import result of the RSK block the solution
 * makes, whose hash covers the Bitcoin header: IMPORTED_BEST for a new best block, IMPORTED_NOT_BEST for another
 * solution of work already solved (a sibling), EXIST for the same solution again; INVALID_BLOCK, NO_PARENT and
 * CONSENSUS_BREAK are refusals (rskj's {@code ImportResult}). {@link #placement} compares
 * {@code eth_getBlockByNumber(height).hash} with the block the node named.
 */
final class RskNode implements AuxNode
{
    private final RskNodeClient client;

    RskNode(final RskNodeClient client)
    {
        this.client = client;
    }

    @Override
    public Work work() throws RpcException
    {
        final RskWork w = client.getWork();
        return new Work(w.hashForMergedMining(), w.targetLe(), w.feesPaidToMinerWei(), -1, -1);
    }

    /**
     * The block's transaction count for the partial merkle tree: known when the template carries the transactions;
     * a Coinbase-only custom job's does not, and any count whose tree has the path's depth gives the coinbase the same
     * branch (its sibling exists at every level), so the smallest such count is sent.
     */
    static int transactionCount(final int templateTransactions, final int pathLevels)
    {
        if (templateTransactions > 0 || pathLevels == 0)
        {
            return templateTransactions + 1;
        }
        return (1 << (pathLevels - 1)) + 1;
    }

    @Override
    public Answer submit(final AuxWorkSnapshot.ChainWork w, final BlockCandidate c) throws RpcException
    {
        final String layout = layoutProblem(c);
        if (layout != null)
        {
            return new Answer(Verdict.REFUSED, "coinbase layout: " + layout, -1, null);
        }
        return submitProof(w, proof(c));
    }

    /** Why the candidate's coinbase cannot carry RSK's commitment ({@link RskCommitment#positionProblem}), or null. */
    static String layoutProblem(final BlockCandidate c)
    {
        return RskCommitment.positionProblem(c.job().coinbase().serialize(c.extranonce(), TxSerialization.LEGACY));
    }

    /**
     * The candidate's solution as {@code mnr_submitBitcoinBlockPartialMerkle} needs it, serialized (any thread):
     * <pre>
     * block hash 32 | header 80 | transactions u32 LE | coinbase length u32 LE | coinbase (legacy) | branch count u8 |
     * branch count x 32
     * </pre>
     */
    static byte[] proof(final BlockCandidate c)
    {
        final byte[] coinbase = c.job().coinbase().serialize(c.extranonce(), TxSerialization.LEGACY);
        final byte[] path = c.job().template().merklePath();
        final int levels = path.length / 32;
        final ByteBuffer b = ByteBuffer.allocate(32 + 80 + 4 + 4 + coinbase.length + 1 + path.length)
            .order(ByteOrder.LITTLE_ENDIAN);
        b.put(c.hash()).put(c.header()).putInt(transactionCount(c.job().template().transactions().size(), levels))
            .putInt(coinbase.length).put(coinbase).put((byte)levels).put(path, 0, levels * 32);
        return b.array();
    }

    @Override
    public Answer submitProof(final AuxWorkSnapshot.ChainWork w, final byte[] proof) throws RpcException
    {
        final byte[] blockHash;
        final byte[] header;
        final int txCount;
        final byte[] coinbase;
        final List<byte[]> branch = new ArrayList<>();
        try
        {
            final ByteBuffer b = ByteBuffer.wrap(proof).order(ByteOrder.LITTLE_ENDIAN);
            blockHash = new byte[32];
            header = new byte[80];
            b.get(blockHash).get(header);
            txCount = b.getInt();
            coinbase = new byte[b.getInt()];
            b.get(coinbase);
            final int levels = b.get() & 0xff;
            for (int i = 0; i < levels; i++)
            {
                final byte[] h = new byte[32];
                b.get(h);
                branch.add(h);
            }
            if (b.hasRemaining())
            {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
        }
        catch (final RuntimeException ex)
        {
            return new Answer(Verdict.REFUSED, "malformed RSK proof: " + ex, -1, null);
        }
        final JsonNode info = client.submitBitcoinBlockPartialMerkle(blockHash, header, coinbase,
            Sha256d.hash(coinbase), branch, txCount);
        final String result;
        final long height;
        final byte[] block;
        try
        {
            result = new String(hex0x(info.path("blockImportedResult").asText("")), StandardCharsets.US_ASCII);
            height = Long.parseLong(strip0x(info.path("blockIncludedHeight").asText("")), 16);
            block = hex0x(info.path("blockHash").asText(""));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, 0,
                "mnr_submitBitcoinBlockPartialMerkle: unreadable SubmittedBlockInfo " + info, ex);
        }
        final String detail = "import result " + result + " at height " + height + ", RSK block 0x" + Hex.encode(block);
        return switch (result)
        {
            case "IMPORTED_BEST" -> new Answer(Verdict.BEST, detail, height, block);
            case "IMPORTED_NOT_BEST", "EXIST" -> new Answer(Verdict.TAKEN, detail, height, block);
            default -> new Answer(Verdict.REFUSED, detail, height, block);
        };
    }

    @Override
    public Placement placement(final AuxWorkSnapshot.ChainWork w, final Answer answer) throws RpcException
    {
        if (answer == null || answer.nodeBlockHash() == null || answer.height() < 0)
        {
            return Placement.CANNOT_TELL; // the RSK block's hash is known only from the node's answer
        }
        final byte[] main = client.blockHashAt(answer.height());
        return main != null && Arrays.equals(main, answer.nodeBlockHash()) ? Placement.MAIN_CHAIN
            : Placement.NOT_MAIN_CHAIN;
    }

    private static String strip0x(final String s)
    {
        if (!s.startsWith("0x") || s.length() < 3)
        {
            throw new IllegalArgumentException("not 0x-prefixed hex: \"" + s + "\"");
        }
        return s.substring(2);
    }

    private static byte[] hex0x(final String s)
    {
        return Hex.decode(strip0x(s));
    }
}
