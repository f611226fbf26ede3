package org.bitcoincommons.sv2.template;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.BlockSubsidy;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A regtest-like chain inside the process, for {@code make run}, tests and load tests: a fixed, configurable
 * compact target, the regtest halving interval (150 blocks), and real block checks on every submitted block
 * (header chain, proof of work, time, merkle root, one coinbase with the BIP34 height, subsidy, BIP141 witness
 * commitment). Each template carries a few synthetic transactions (one with a witness) so that jobs have a real
 * merkle path and a witness commitment; their inputs are fictitious and are not checked against any UTXO set.
 * Accepting a block immediately produces the next template. Thread-safe (one lock, cold path).
 */
public final class EmbeddedChain implements TemplateSource
{
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedChain.class);
    private static final long MAX_FUTURE_SEC = 7200;
    private static final byte[] OP_TRUE = {0x51};

    private final int bits;
    private final byte[] target = new byte[32];
    private final int syntheticTransactions;
    private final EpochClock clock;
    private final List<byte[]> hashes = new ArrayList<>();
    private final List<Integer> times = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    /** Told about every new template (the pool, and the Template Provider serving this chain); called outside the lock. */
    private final List<TemplateListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Template current;
    private long nextTemplateId = 1;
    private long accepted;
    private long rejected;
    private final java.util.Map<String, Long> rejectReasons = new java.util.TreeMap<>();
    private final long startMs;

    /**
     * @param bits                   compact target of every block (regtest: 0x207fffff)
     * @param syntheticTransactions  non-coinbase transactions per template (0..1000)
     * @param clock                  wall clock, ms
     */
    public EmbeddedChain(final int bits, final int syntheticTransactions, final EpochClock clock)
    {
        this.bits = bits;
        this.syntheticTransactions = syntheticTransactions;
        this.clock = clock;
        this.startMs = clock.time();
        Target.compactToLittleEndian(bits, target, 0);
        // Genesis: a header of our own, never mined; only its hash and time matter.
        final int genesisTime = (int)(clock.time() / 1000) - 1;
        final ByteBuffer g = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(1).put(new byte[32]).put(Sha256d.hash("sv2 embedded chain".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .putInt(genesisTime).putInt(bits).putInt(0);
        addBlock(Sha256d.hash(g.array()), genesisTime);
        current = nextTemplate();
    }

    /** Orders deliveries to listeners (taken before this chain's state lock, never while holding it). */
    private final Object delivery = new Object();

    @Override
    public void start(final TemplateListener listener)
    {
        addListener(listener);
    }

    /**
     * Adds a listener of new templates; it is told about the current template before this returns. Every accepted
     * block makes a new template, which every listener then receives on the submitting thread.
     */
    public void addListener(final TemplateListener listener)
    {
        // Listeners are called under the delivery lock only, never under this chain's state lock: a listener (the
        // failover source) takes its own lock, and other threads holding that lock ask this chain for its state.
        synchronized (delivery)
        {
            final Template t;
            synchronized (this)
            {
                listeners.add(listener);
                t = current;
            }
            listener.onTemplate(t, true);
        }
    }

    /**
     * The witness reserved value (BIP141) the commitments of this chain's templates are computed with: 32 zero bytes,
     * as Bitcoin Core uses. A fresh copy.
     */
    public static byte[] witnessReservedValue()
    {
        return new byte[32];
    }

    @Override
    public String name()
    {
        return "embedded";
    }

    @Override
    public synchronized long tipHeight()
    {
        return hashes.size() - 1;
    }

    @Override
    public synchronized SourceState state()
    {
        return new SourceState(name(), SourceHealth.HEALTHY, hashes.size(), HashOrder.toDisplayHex(tipHashUnlocked()),
            0, "", startMs, rejectReasons);
    }

    /** The embedded chain is always there: its state, at once. */
    @Override
    public SourceState probe(final long timeoutMs)
    {
        return state();
    }

    public synchronized byte[] tipHash()
    {
        return hashes.get(hashes.size() - 1).clone();
    }

    public synchronized Template currentTemplate()
    {
        return current;
    }

    public synchronized long accepted()
    {
        return accepted;
    }

    public synchronized long rejected()
    {
        return rejected;
    }

    /** Rejected blocks by reason (the part before any ':'). */
    public synchronized java.util.Map<String, Long> rejectReasons()
    {
        return new java.util.TreeMap<>(rejectReasons);
    }

    @Override
    public String submitBlock(final byte[] raw)
    {
        synchronized (this)
        {
            final String reason = check(raw);
            if (reason != null)
            {
                rejected++;
                rejectReasons.merge(reason.split(":")[0], 1L, Long::sum);
                LOG.warn("embedded chain rejected a block: {}", reason);
                return reason;
            }
            accepted++;
            current = nextTemplate();
            LOG.info("embedded chain accepted block {} at height {}", HashOrder.toDisplayHex(tipHashUnlocked()), hashes.size() - 1);
        }
        synchronized (delivery)
        {
            // the newest template at delivery time: two blocks accepted at once are never delivered out of order
            final Template newest;
            synchronized (this)
            {
                newest = current;
            }
            for (final TemplateListener l : listeners)
            {
                l.onTemplate(newest, true);
            }
        }
        return null;
    }

    @Override
    public void close()
    {
    }

    private byte[] tipHashUnlocked()
    {
        return hashes.get(hashes.size() - 1);
    }

    /** The checks bitcoind would make on this block against our tip; null when valid. */
    private String check(final byte[] raw)
    {
        final Block block;
        try
        {
            block = Block.parse(raw);
        }
        catch (final IllegalArgumentException ex)
        {
            return "malformed: " + ex.getMessage();
        }
        final byte[] header = block.header();
        final ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] prev = new byte[32];
        h.position(4);
        h.get(prev);
        final int time = h.getInt(68);
        final int headerBits = h.getInt(72);
        final byte[] hash = Sha256d.hash(header);
        if (known.contains(HashOrder.toDisplayHex(hash)))
        {
            return "duplicate";
        }
        if (!java.util.Arrays.equals(prev, tipHashUnlocked()))
        {
            return known.contains(HashOrder.toDisplayHex(prev)) ? "stale-prevblk" : "bad-prevblk";
        }
        if (headerBits != bits)
        {
            return "bad-diffbits";
        }
        if (!Target.hashMeetsTarget(hash, 0, target, 0))
        {
            return "high-hash";
        }
        if (Integer.toUnsignedLong(time) <= Integer.toUnsignedLong(times.get(times.size() - 1)))
        {
            return "time-too-old";
        }
        if (Integer.toUnsignedLong(time) > clock.time() / 1000 + MAX_FUTURE_SEC)
        {
            return "time-too-new";
        }
        final List<Transaction> txs = block.transactions();
        if (txs.isEmpty() || !txs.get(0).isCoinbase())
        {
            return "bad-cb-missing";
        }
        for (int i = 1; i < txs.size(); i++)
        {
            if (txs.get(i).isCoinbase())
            {
                return "bad-cb-multiple";
            }
        }
        if (!java.util.Arrays.equals(block.computeMerkleRoot(), java.util.Arrays.copyOfRange(header, 36, 68)))
        {
            return "bad-txnmrklroot";
        }
        final Transaction coinbase = txs.get(0);
        final long height = hashes.size();
        final long encodedHeight;
        try
        {
            encodedHeight = Bip34Height.decode(coinbase.inputs().get(0).scriptSig());
        }
        catch (final RuntimeException ex)
        {
            return "bad-cb-height";
        }
        if (encodedHeight != height)
        {
            return "bad-cb-height";
        }
        final int scriptSigLength = coinbase.inputs().get(0).scriptSig().length;
        if (scriptSigLength < 2 || scriptSigLength > 100)
        {
            return "bad-cb-length";
        }
        long out = 0;
        for (final TxOut o : coinbase.outputs())
        {
            out += o.valueSats();
        }
        if (out > BlockSubsidy.subsidySats(height, BlockSubsidy.REGTEST_HALVING_INTERVAL))
        {
            return "bad-cb-amount";
        }
        final String witness = checkWitness(block);
        if (witness != null)
        {
            return witness;
        }
        addBlock(hash, time);
        return null;
    }

    private static String checkWitness(final Block block)
    {
        boolean anyWitness = false;
        for (final Transaction tx : block.transactions())
        {
            anyWitness |= tx.hasWitness();
        }
        final byte[] expected = block.computeWitnessCommitment();
        final Transaction coinbase = block.transactions().get(0);
        byte[] found = null;
        for (final TxOut o : coinbase.outputs())
        {
            final byte[] s = o.scriptPubKey();
            if (s.length >= 38 && s[0] == 0x6a && s[1] == 0x24 && (s[2] & 0xff) == 0xaa && (s[3] & 0xff) == 0x21 &&
                (s[4] & 0xff) == 0xa9 && (s[5] & 0xff) == 0xed)
            {
                found = java.util.Arrays.copyOfRange(s, 6, 38);
            }
        }
        if (found == null)
        {
            return anyWitness ? "unexpected-witness" : null;
        }
        final List<byte[]> w = coinbase.inputs().get(0).witness();
        if (w.size() != 1 || w.get(0).length != 32)
        {
            return "bad-witness-nonce-size";
        }
        return java.util.Arrays.equals(found, expected) ? null : "bad-witness-merkle-match";
    }

    private void addBlock(final byte[] hash, final int time)
    {
        hashes.add(hash);
        times.add(time);
        known.add(HashOrder.toDisplayHex(hash));
    }

    private Template nextTemplate()
    {
        final int height = hashes.size();
        final List<byte[]> raw = new ArrayList<>();
        final List<byte[]> txids = new ArrayList<>();
        final List<byte[]> wtxids = new ArrayList<>();
        boolean segwit = false;
        for (int i = 0; i < syntheticTransactions; i++)
        {
            final Transaction tx = synthetic(height, i);
            segwit |= tx.hasWitness();
            raw.add(tx.serialize(TxSerialization.WITNESS));
            txids.add(tx.txid());
            wtxids.add(tx.wtxid());
        }
        final byte[] commitment = segwit
            ? Merkle.witnessCommitmentScript(Merkle.witnessCommitment(Merkle.witnessRoot(wtxids), witnessReservedValue()))
            : null;
        final int minTime = (int)Math.max(Integer.toUnsignedLong(times.get(times.size() - 1)) + 1, clock.time() / 1000);
        final byte[] path = new byte[32 * Merkle.coinbaseBranch(txids).size()];
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        for (int i = 0; i < branch.size(); i++)
        {
            System.arraycopy(branch.get(i), 0, path, 32 * i, 32);
        }
        return new Template(nextTemplateId++, height, 0x20000000, tipHashUnlocked().clone(), bits, minTime,
            BlockSubsidy.subsidySats(height, BlockSubsidy.REGTEST_HALVING_INTERVAL), path, List.copyOf(raw), commitment);
    }

    /** A structurally valid transaction with a fictitious input; the first of each template carries a witness. */
    private static Transaction synthetic(final int height, final int index)
    {
        final byte[] seed = ("embedded " + height + " " + index).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final List<byte[]> witness = index == 0 ? List.of(Sha256d.sha256(seed)) : List.of();
        final TxIn in = new TxIn(Sha256d.hash(seed), 0, new byte[0], 0xffffffff, witness);
        return new Transaction(2, List.of(in), List.of(new TxOut(1000, OP_TRUE)), 0);
    }
}
