package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.template.Template;

/**
 * One mining job, shared by every channel: a template plus the pool's coinbase split around the extranonce.
 * Immutable once published to the logic thread.
 *
 * <pre>
 * stripped coinbase = coinbasePrefix | extranonce prefix (per channel) | rollable extranonce | coinbaseSuffix
 * </pre>
 * The prefix and suffix are the legacy (BIP141-stripped) serialization, as NewExtendedMiningJob carries them;
 * the witness form for the block comes from the same {@link Coinbase}.
 */
public final class Job
{
    final int jobId;
    final Template template;
    final Coinbase coinbase;
    final int version;
    final byte[] prevHash;
    final int nbits;
    final int minNtime;
    final byte[] coinbasePrefix;
    final byte[] coinbaseSuffix;
    final byte[] merklePath;
    final int merklePathCount;
    final byte[] networkTarget;
    /** Bit i set: this job's coinbase commits to chain i (bit 0, bitcoin, always). */
    final long chainMask;
    /** Extra data the merged-mining layer attached (its aux work snapshot), or null. */
    final Object auxWork;
    /** The loosest (highest) aux target, LE, or null when the job merge-mines nothing: a share above it meets no aux chain. */
    final byte[] auxMaxTarget;

    public Job(final int jobId, final Template template, final Coinbase coinbase, final long chainMask,
        final Object auxWork, final byte[] auxMaxTarget)
    {
        this.jobId = jobId;
        this.template = template;
        this.coinbase = coinbase;
        this.version = template.version();
        this.prevHash = template.prevHash();
        this.nbits = template.nbits();
        this.minNtime = template.minNtime();
        this.coinbasePrefix = coinbase.prefix();
        this.coinbaseSuffix = coinbase.suffix();
        this.merklePath = template.merklePath();
        this.merklePathCount = template.merklePathCount();
        this.networkTarget = new byte[32];
        Target.compactToLittleEndian(template.nbits(), networkTarget, 0);
        this.chainMask = chainMask | 1L;
        this.auxWork = auxWork;
        this.auxMaxTarget = auxMaxTarget;
    }

    public int jobId()
    {
        return jobId;
    }

    public Template template()
    {
        return template;
    }

    public byte[] coinbasePrefix()
    {
        return coinbasePrefix;
    }

    public byte[] coinbaseSuffix()
    {
        return coinbaseSuffix;
    }

    public Coinbase coinbase()
    {
        return coinbase;
    }

    public Object auxWork()
    {
        return auxWork;
    }

    public long chainMask()
    {
        return chainMask;
    }
}
