package org.bitcoincommons.sv2.work;

import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.CoinbaseBuilder;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.template.Template;

/**
 * Turns templates into jobs: the pool's coinbase (BIP34 height, merged-mining commitments, pool signature,
 * extranonce space, payout and commitment outputs, the template's nSequence and nLockTime) split around the extranonce. Runs on the template thread;
 * job ids increase by one per job, pool-wide.
 */
public final class JobFactory
{
    /**
     * What a layer adds to a job (an empty decoration when nothing is added).
     *
     * @param scriptSigCommitment bytes placed in the scriptSig right after the height (merged-mining commitments)
     * @param outputs             extra outputs, before the payout's value is what is left of the coinbase value
     * @param payoutScript        the payout output's scriptPubKey instead of the pool's own, or null for the pool's
     *                            (a Job Declaration client pays the upstream pool's script)
     * @param extranonceLead      bytes placed in the scriptSig after the pool signature, immediately before the
     *                            extranonce (a Job Declaration client's upstream extranonce prefix: its local
     *                            extranonces then nest inside the upstream channel's); empty for none
     */
    public record Decoration(byte[] scriptSigCommitment, List<Output> outputs, long chainMask, Object auxWork,
        byte[] auxMaxTarget, byte[] payoutScript, byte[] extranonceLead)
    {
        public static final Decoration NONE = new Decoration(new byte[0], List.of(), 1L, null, null);

        /** A merged-mining decoration: the pool's payout script, nothing before the extranonce. */
        public Decoration(final byte[] scriptSigCommitment, final List<Output> outputs, final long chainMask,
            final Object auxWork, final byte[] auxMaxTarget)
        {
            this(scriptSigCommitment, outputs, chainMask, auxWork, auxMaxTarget, null, new byte[0]);
        }
    }

    /** An extra coinbase output placed before the payout (value in satoshis). */
    public record Output(long valueSats, byte[] scriptPubKey)
    {
    }

    /** Decorates each template; called once per template on the template thread. */
    @FunctionalInterface
    public interface Decorator
    {
        Decoration decorate(Template template);
    }

    private final byte[] payoutScript;
    private final byte[] poolSignature;
    private final int extranonceLength;
    private final Decorator decorator;
    private final java.util.concurrent.atomic.AtomicInteger nextJobId = new java.util.concurrent.atomic.AtomicInteger(1);

    /**
     * @param payoutScript     scriptPubKey of the pool's payout output
     * @param poolSignature    raw bytes placed in the scriptSig before the extranonce
     * @param extranonceLength full extranonce length (channel prefix plus rollable part)
     */
    public JobFactory(final byte[] payoutScript, final byte[] poolSignature, final int extranonceLength,
        final Decorator decorator)
    {
        this.payoutScript = payoutScript.clone();
        this.poolSignature = poolSignature.clone();
        this.extranonceLength = extranonceLength;
        this.decorator = decorator;
    }

    /** The next job id of the increasing sequence this factory's jobs take theirs from (any thread). */
    public int allocateJobId()
    {
        return nextJobId.getAndIncrement();
    }

    public Job create(final Template template)
    {
        final Decoration d = decorator.decorate(template);
        final byte[] lead = d.extranonceLead();
        final byte[] extra = new byte[d.scriptSigCommitment().length + poolSignature.length + lead.length];
        System.arraycopy(d.scriptSigCommitment(), 0, extra, 0, d.scriptSigCommitment().length);
        System.arraycopy(poolSignature, 0, extra, d.scriptSigCommitment().length, poolSignature.length);
        System.arraycopy(lead, 0, extra, d.scriptSigCommitment().length + poolSignature.length, lead.length);

        long payout = template.coinbaseValue();
        final List<Output> outputs = new ArrayList<>(d.outputs());
        for (final Output o : outputs)
        {
            payout -= o.valueSats();
        }
        if (payout < 0)
        {
            throw new IllegalStateException("decoration outputs exceed the coinbase value " + template.coinbaseValue());
        }
        final CoinbaseBuilder b = new CoinbaseBuilder()
            .version(2)
            .height(template.height())
            .scriptSigExtra(extra)
            .extranonceLength(extranonceLength)
            .sequence(template.coinbaseSequence())
            .lockTime(template.coinbaseLockTime())
            .addOutput(payout, d.payoutScript() == null ? payoutScript : d.payoutScript());
        // The source's own outputs (already paid for out of coinbaseValue), before ours so that an RSK commitment
        // stays the last output before the witness commitment.
        for (final TxOut o : template.requiredOutputs())
        {
            b.addOutput(o.valueSats(), o.scriptPubKey());
        }
        for (final Output o : outputs)
        {
            b.addOutput(o.valueSats(), o.scriptPubKey());
        }
        if (template.witnessCommitment() != null)
        {
            b.witnessCommitment(commitmentOf(template.witnessCommitment()));
        }
        final Coinbase coinbase = b.build();
        return new Job(nextJobId.getAndIncrement(), template, coinbase, d.chainMask(), d.auxWork(), d.auxMaxTarget());
    }

    /** The 32-byte commitment inside a 38-byte witness commitment script {@code 6a24aa21a9ed || commitment}. */
    private static byte[] commitmentOf(final byte[] script)
    {
        if (script.length != 38 || script[0] != 0x6a || script[1] != 0x24)
        {
            throw new IllegalArgumentException("not a witness commitment script");
        }
        return java.util.Arrays.copyOfRange(script, 6, 38);
    }

    /** The coinbase's merkle branch of a template with these non-coinbase txids (internal order). */
    public static byte[] merklePath(final List<byte[]> txids)
    {
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        final byte[] out = new byte[branch.size() * 32];
        for (int i = 0; i < branch.size(); i++)
        {
            System.arraycopy(branch.get(i), 0, out, i * 32, 32);
        }
        return out;
    }
}
