package org.bitcoincommons.sv2.jd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.CompactSize;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.JobDeclarationProtocol;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.bitcoincommons.sv2.transport.ByteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDC connection to the JDS, served on its own virtual thread (reads, checks, node calls and replies in order):
 * SetupConnection (protocol 1; DECLARE_TX_DATA = Full-Template mode), AllocateMiningJobToken, DeclareMiningJob with
 * ProvideMissingTransactions for the wtxids the mempool lacks, validation of the whole block by the node's
 * getblocktemplate proposal mode, and PushSolution. Error codes are SRI's.
 */
final class JdsConnection
{
    private static final Logger LOG = LoggerFactory.getLogger(JdsConnection.class);
    static final int PROTOCOL_VERSION = 2;

    /** A declaration waiting for ProvideMissingTransactions.Success. */
    private record Pending(DeclareMiningJob job, ChainTip tip, int extranonceLength, Transaction coinbase,
        Mempool.Tx[] found, int[] missing)
    {
    }

    private final long id;
    private final ByteStream stream;
    private final JobDeclarationServer server;
    private NoiseChannel channel;
    private UnsafeBuffer out = new UnsafeBuffer(new byte[1 << 12]);
    private boolean fullTemplate;
    private Pending pending;
    /** The declarations this connection had accepted, newest first, at most {@link #RECENT} (PushSolution's block). */
    private final java.util.ArrayDeque<Declaration> recent = new java.util.ArrayDeque<>();
    /** Declarations kept for PushSolution: a solution can arrive after the client declared on the next tip. */
    static final int RECENT = 8;

    private final Runnable onSetUp;

    JdsConnection(final long id, final ByteStream stream, final JobDeclarationServer server, final Runnable onSetUp)
    {
        this.onSetUp = onSetUp;
        this.id = id;
        this.stream = stream;
        this.server = server;
    }

    void serve()
    {
        try
        {
            channel = NoiseChannel.accept(stream, server.noise);
            channel.maxReceivePayload(Math.min(SetupConnection.MAX_LENGTH, server.noise.maxPayloadLength()));
            if (!setup())
            {
                return;
            }
            channel.maxReceivePayload(Math.min(server.maxPayloadBytes, server.noise.maxPayloadLength()));
            readLoop();
        }
        catch (final NoiseException ex)
        {
            if (ex.reason() != NoiseException.Reason.EOF)
            {
                LOG.info("jds connection {}: {}", id, ex.getMessage());
            }
        }
        catch (final CodecException | IllegalStateException ex)
        {
            LOG.info("jds connection {}: {}", id, ex.getMessage());
        }
        catch (final IOException ex)
        {
            LOG.debug("jds connection {}: {}", id, ex.toString());
        }
        finally
        {
            close();
        }
    }

    void close()
    {
        try
        {
            stream.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    private boolean setup() throws IOException
    {
        stream.readTimeout((int)Math.max(1, server.noise.handshakeTimeoutMs()));
        final int length;
        try
        {
            length = channel.readFrame();
        }
        catch (final SocketTimeoutException ex)
        {
            LOG.info("jds connection {}: no SetupConnection in time", id);
            return false;
        }
        stream.readTimeout(0);
        final DirectBuffer b = channel.frameBuffer();
        if (FrameHeaderFlyweight.msgType(b, 0) != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION)
        {
            LOG.info("jds connection {}: the first message must be SetupConnection", id);
            return false;
        }
        final SetupConnection s = SetupConnection.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
            length - FrameHeaderFlyweight.HEADER_LENGTH);
        String refusal = null;
        long flags = 0;
        if (s.protocol() != CommonProtocol.PROTOCOL_JOB_DECLARATION)
        {
            refusal = "unsupported-protocol";
        }
        else if (s.minVersion() > PROTOCOL_VERSION || s.maxVersion() < PROTOCOL_VERSION)
        {
            refusal = "protocol-version-mismatch";
        }
        else if ((s.flags() & CommonProtocol.FLAG_DECLARE_TX_DATA) == 0 && !server.config.coinbaseOnlyAllowed())
        {
            refusal = "unsupported-feature-flags";   // this JDS is Full-Template only
            flags = CommonProtocol.FLAG_DECLARE_TX_DATA;
        }
        if (refusal != null)
        {
            send(new SetupConnectionError(flags, refusal));
            LOG.info("jds connection {}: SetupConnection refused: {}", id, refusal);
            return false;
        }
        fullTemplate = (s.flags() & CommonProtocol.FLAG_DECLARE_TX_DATA) != 0;
        send(new SetupConnectionSuccess(PROTOCOL_VERSION, 0));
        onSetUp.run();
        return true;
    }

    private void readLoop() throws IOException
    {
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        while (true)
        {
            final int length = channel.readFrame();
            final DirectBuffer b = channel.frameBuffer();
            final int n = length - payload;
            if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) != 0)
            {
                continue;   // unknown extensions are ignored
            }
            switch (FrameHeaderFlyweight.msgType(b, 0))
            {
                case JobDeclarationProtocol.MESSAGE_TYPE_ALLOCATE_MINING_JOB_TOKEN ->
                    allocate(AllocateMiningJobToken.decode(b, payload, n));
                case JobDeclarationProtocol.MESSAGE_TYPE_DECLARE_MINING_JOB ->
                    declare(DeclareMiningJob.decode(b, payload, n));
                case JobDeclarationProtocol.MESSAGE_TYPE_PROVIDE_MISSING_TRANSACTIONS_SUCCESS ->
                    provided(ProvideMissingTransactionsSuccess.decode(b, payload, n));
                case JobDeclarationProtocol.MESSAGE_TYPE_PUSH_SOLUTION -> push(PushSolution.decode(b, payload, n));
                default -> throw new IllegalStateException("message type 0x" +
                    Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)) + " is not one a JDC may send");
            }
        }
    }

    private void send(final Message m) throws IOException
    {
        while (true)
        {
            try
            {
                final int n = m.encodeFrame(out, 0);
                channel.writeFrame(out, 0, n);
                return;
            }
            catch (final CodecException ex)
            {
                if (ex.category() != CodecException.Category.BUFFER_TOO_SMALL || out.capacity() >= 1 << 26)
                {
                    throw ex;
                }
                out = new UnsafeBuffer(new byte[out.capacity() * 4]);
            }
        }
    }

    private void allocate(final AllocateMiningJobToken m) throws IOException
    {
        final byte[] token = server.tokens.allocate(id, !fullTemplate, server.clock.time());
        server.tokensAllocated.increment();
        send(new AllocateMiningJobTokenSuccess(m.requestId(), token,
            payoutOutputs(server.payoutScript, server.customJobOutputs.get())));
    }

    /** coinbase_tx_outputs: CompactSize count 1, then the pool payout output with value 0. */
    static byte[] payoutOutputs(final byte[] script)
    {
        return payoutOutputs(script, List.of());
    }

    /**
     * coinbase_tx_outputs: a CompactSize count, the pool payout output with value 0, then the merged-mining outputs
     * the client is asked to include (the AuxPoW carrier, whose push goes into the scriptSig, and the RSK commitment:
     * the merge package's CustomJobCommitments documents the layout).
     */
    static byte[] payoutOutputs(final byte[] script, final List<TxOut> extra)
    {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(CompactSize.encode(1 + extra.size()));
        output(o, 0, script);
        for (final TxOut x : extra)
        {
            output(o, x.valueSats(), x.scriptPubKey());
        }
        return o.toByteArray();
    }

    private static void output(final ByteArrayOutputStream o, final long valueSats, final byte[] script)
    {
        for (int i = 0; i < 8; i++)
        {
            o.write((int)(valueSats >>> (8 * i)));
        }
        o.writeBytes(CompactSize.encode(script.length));
        o.writeBytes(script);
    }

    private void refuse(final long requestId, final String code, final String details) throws IOException
    {
        server.countError(code);
        LOG.debug("jds connection {}: DeclareMiningJob {} refused: {} ({})", id, requestId, code, details);
        send(new DeclareMiningJobError(requestId, code, details.getBytes(StandardCharsets.UTF_8)));
    }

    private void declare(final DeclareMiningJob m) throws IOException
    {
        final long now = server.clock.time();
        if (!fullTemplate)
        {
            refuse(m.requestId(), "invalid-job", "DeclareMiningJob needs DECLARE_TX_DATA (Full-Template mode)");
            return;
        }
        if (!server.tokens.spendAllocated(m.miningJobToken(), id, now))
        {
            refuse(m.requestId(), "invalid-mining-job-token", "unknown, expired, spent or another connection's token");
            return;
        }
        final ChainTip tip = server.tip.get();
        if (tip == null)
        {
            refuse(m.requestId(), "internal-error", "the pool has no chain tip yet");
            return;
        }
        final int extranonceLength;
        final Transaction coinbase;
        try
        {
            extranonceLength = DeclaredCoinbase.extranonceLength(m.coinbaseTxPrefix());
            coinbase = DeclaredCoinbase.parse(m.coinbaseTxPrefix(), m.coinbaseTxSuffix(), extranonceLength);
            DeclaredCoinbase.requirePoolPayout(coinbase, server.payoutScript);
        }
        catch (final DeclaredCoinbase.Refused r)
        {
            refuse(m.requestId(), r.code(), r.getMessage());
            return;
        }
        final long declaredHeight = declaredHeight(coinbase);
        if (declaredHeight >= 0 && declaredHeight != tip.height())
        {
            // Built on another tip than the pool's (the client's template or ours is a block behind): a race, which
            // the client answers by declaring on the new tip; the node would call it bad-cb-height on our tip.
            refuse(m.requestId(), "stale-chain-tip", "declared for height " + declaredHeight + ", the pool's tip " +
                "builds height " + tip.height());
            return;
        }
        final List<byte[]> wtxids = m.wtxidList();
        final Mempool.Tx[] found = new Mempool.Tx[wtxids.size()];
        int missingCount = lookup(wtxids, found);
        if (missingCount > 0)
        {
            try
            {
                server.mempool.refresh();
            }
            catch (final JdNode.NodeException ex)
            {
                LOG.debug("jds: mempool refresh failed: {}", ex.getMessage());
            }
            missingCount = lookup(wtxids, found);
        }
        if (missingCount > 0)
        {
            final int[] missing = new int[missingCount];
            for (int i = 0, k = 0; i < found.length; i++)
            {
                if (found[i] == null)
                {
                    missing[k++] = i;
                }
            }
            pending = new Pending(m, tip, extranonceLength, coinbase, found, missing);
            server.missingRequested.add(missingCount);
            send(new ProvideMissingTransactions(m.requestId(), missing));
            return;
        }
        finish(new Pending(m, tip, extranonceLength, coinbase, found, new int[0]));
    }

    private int lookup(final List<byte[]> wtxids, final Mempool.Tx[] found)
    {
        int missing = 0;
        for (int i = 0; i < found.length; i++)
        {
            if (found[i] == null)
            {
                found[i] = server.mempool.get(wtxids.get(i));
                if (found[i] == null)
                {
                    missing++;
                }
            }
        }
        return missing;
    }

    private void provided(final ProvideMissingTransactionsSuccess s) throws IOException
    {
        final Pending p = pending;
        if (p == null || p.job().requestId() != s.requestId())
        {
            refuse(s.requestId(), "missing-txs", "no DeclareMiningJob with this request_id waits for transactions");
            return;
        }
        pending = null;
        final List<byte[]> txs = s.transactionList();
        if (txs.size() != p.missing().length)
        {
            refuse(s.requestId(), "missing-txs", "asked for " + p.missing().length + " transactions, got " + txs.size());
            return;
        }
        for (int i = 0; i < txs.size(); i++)
        {
            final int position = p.missing()[i];
            final Transaction tx;
            try
            {
                tx = Transaction.parse(txs.get(i));
            }
            catch (final IllegalArgumentException ex)
            {
                refuse(s.requestId(), "missing-txs", "transaction " + i + " does not parse: " + ex.getMessage());
                return;
            }
            if (!Arrays.equals(tx.wtxid(), p.job().wtxidList().get(position)))
            {
                refuse(s.requestId(), "missing-txs", "transaction " + i + " is not the one at position " + position);
                return;
            }
            p.found()[position] = new Mempool.Tx(tx.txid(), txs.get(i));
        }
        finish(p);
    }

    /** Every transaction is known: validate the block on the current tip and answer. */
    private void finish(final Pending p) throws IOException
    {
        final DeclareMiningJob m = p.job();
        final ChainTip tip = server.tip.get();
        if (tip == null || !Arrays.equals(tip.prevHash(), p.tip().prevHash()))
        {
            refuse(m.requestId(), "stale-chain-tip", "the chain tip changed during the declaration");
            return;
        }
        final List<byte[]> txids = new ArrayList<>(p.found().length);
        final List<byte[]> data = new ArrayList<>(p.found().length);
        for (final Mempool.Tx tx : p.found())
        {
            txids.add(tx.txid());
            data.add(tx.data());
        }
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        final Declaration d = new Declaration(id, (int)m.version(), tip.prevHash(), tip.nbits(), tip.height(),
            m.coinbaseTxPrefix(), m.coinbaseTxSuffix(), p.extranonceLength(), p.coinbase(), List.copyOf(txids),
            List.copyOf(data), concat(branch));
        final int ntime = (int)Math.max(server.clock.time() / 1000, tip.minNtime() & 0xffffffffL);
        final byte[] block = block(d, new byte[p.extranonceLength()], (int)m.version(), tip.prevHash(), ntime,
            tip.nbits(), 0);
        final String reason;
        try
        {
            reason = server.node.proposeBlock(block);
        }
        catch (final JdNode.NodeException ex)
        {
            refuse(m.requestId(), "internal-error", "the node did not validate the block: " + ex.getMessage());
            return;
        }
        if (reason != null)
        {
            // a tip race is never a hard error: the client re-declares on the new tip
            final boolean stale = reason.contains("prevblk") || reason.contains("prev-blk") ||
                !Arrays.equals(server.tip.get().prevHash(), tip.prevHash());
            refuse(m.requestId(), stale ? "stale-chain-tip" : "invalid-job", reason);
            return;
        }
        final byte[] token = server.tokens.activate(d, server.clock.time());
        recent.addFirst(d);
        if (recent.size() > RECENT)
        {
            recent.removeLast();
        }
        server.jobsDeclared.increment();
        send(new DeclareMiningJobSuccess(m.requestId(), token));
    }

    /** The BIP34 height in the coinbase's scriptSig, or -1 when it has none (the node's check then says why). */
    private static long declaredHeight(final Transaction coinbase)
    {
        try
        {
            return Bip34Height.decode(coinbase.inputs().get(0).scriptSig());
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    static byte[] concat(final List<byte[]> hashes)
    {
        final byte[] out = new byte[hashes.size() * 32];
        for (int i = 0; i < hashes.size(); i++)
        {
            System.arraycopy(hashes.get(i), 0, out, i * 32, 32);
        }
        return out;
    }

    /** The declared job's block with this extranonce and header fields (witness serialization). */
    static byte[] block(final Declaration d, final byte[] extranonce, final int version, final byte[] prevHash,
        final int ntime, final int nbits, final int nonce)
    {
        final byte[] prefix = d.coinbasePrefix();
        final byte[] suffix = d.coinbaseSuffix();
        final byte[] coinbase = Arrays.copyOf(prefix, prefix.length + extranonce.length + suffix.length);
        System.arraycopy(extranonce, 0, coinbase, prefix.length, extranonce.length);
        System.arraycopy(suffix, 0, coinbase, prefix.length + extranonce.length, suffix.length);
        final byte[] cbTxid = Sha256d.hash(Transaction.stripWitness(coinbase));
        final byte[] root = cbTxid.clone();
        Merkle.fold(new Sha256d(), root, 0, d.merklePath(), 0, d.merklePath().length / 32, 0);
        final byte[] header = new byte[80];
        le32(header, 0, version);
        System.arraycopy(prevHash, 0, header, 4, 32);
        System.arraycopy(root, 0, header, 36, 32);
        le32(header, 68, ntime);
        le32(header, 72, nbits);
        le32(header, 76, nonce);
        final List<byte[]> txs = new ArrayList<>(1 + d.transactions().size());
        txs.add(coinbase);
        txs.addAll(d.transactions());
        return Block.serialize(header, txs);
    }

    /** The block a PushSolution completes among {@code newestFirst} (see {@link #push}), or null when none fits. */
    static byte[] solutionBlock(final Iterable<Declaration> newestFirst, final PushSolution s)
    {
        byte[] onTip = null;
        byte[] any = null;
        final byte[] target = new byte[32];
        Target.compactToLittleEndian((int)s.nbits(), target, 0);
        for (final Declaration d : newestFirst)
        {
            if (s.extranonce().length != d.extranonceLength())
            {
                continue;
            }
            final boolean sameTip = Arrays.equals(d.prevHash(), s.prevHash());
            if (!sameTip && any != null)
            {
                continue;
            }
            final byte[] block = block(d, s.extranonce(), (int)s.version(), s.prevHash(), (int)s.ntime(),
                (int)s.nbits(), (int)s.nonce());
            if (any == null)
            {
                any = block;
            }
            if (sameTip)
            {
                if (Target.hashMeetsTarget(Sha256d.hash(Arrays.copyOf(block, 80)), 0, target, 0))
                {
                    return block;
                }
                if (onTip == null)
                {
                    onTip = block;
                }
            }
        }
        return onTip != null ? onTip : any;
    }

    private static void le32(final byte[] b, final int o, final int v)
    {
        b[o] = (byte)v;
        b[o + 1] = (byte)(v >>> 8);
        b[o + 2] = (byte)(v >>> 16);
        b[o + 3] = (byte)(v >>> 24);
    }

    /**
     * PushSolution: the block it completes, to the node (fire and forget). PushSolution names no job, so the block is
     * rebuilt from this connection's declarations, newest first: the first on the solution's chain tip whose header
     * meets its target (the one the client mined), else the newest on that tip (the node then says why it refuses
     * it), else the newest. A client that declared on the next tip before pushing (a race whenever its own block
     * moved the tip) still gets its block submitted.
     */
    private void push(final PushSolution s)
    {
        server.solutionsPushed.increment();
        final byte[] block = solutionBlock(recent, s);
        if (block == null)
        {
            LOG.warn("jds connection {}: PushSolution {} (extranonce of {} bytes)", id, recent.isEmpty()
                ? "before any declared job" : "fits no declared job", s.extranonce().length);
            return;
        }
        Thread.ofVirtual().name("jds-submit").start(() ->
        {
            try
            {
                final String reason = server.node.submitBlock(block);
                if (reason == null)
                {
                    server.blocksAccepted.increment();
                    LOG.info("jds: block from connection {} accepted by the node", id);
                }
                else
                {
                    LOG.warn("jds: block from connection {} rejected by the node: {}", id, reason);
                }
            }
            catch (final JdNode.NodeException ex)
            {
                LOG.warn("jds: submitblock for connection {} failed: {}", id, ex.getMessage());
            }
        });
    }
}
