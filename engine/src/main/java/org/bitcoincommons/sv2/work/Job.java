package org.bitcoincommons.sv2.work;

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
    private final int jobId;
    private final Template template;
    private final Coinbase coinbase;
    private final int version;
    private final byte[] prevHash;
    private final int nbits;
    private final int minNtime;
    private final byte[] coinbasePrefix;
    private final byte[] coinbaseSuffix;
    private final byte[] merklePath;
    private final int merklePathCount;
    private final byte[] networkTarget;
    /** Bit i set: this job's coinbase commits to chain i (bit 0, bitcoin, always). */
    private final long chainMask;
    /** Extra data the merged-mining layer attached (its aux work snapshot), or null. */
    private final Object auxWork;
    /** The loosest (highest) aux target, LE, or null when the job merge-mines nothing: a share above it meets no aux chain. */
    private final byte[] auxMaxTarget;

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

    /** The same work under another job id (a re-issue to one channel: same template, coinbase and aux work). */
    public Job withJobId(final int id)
    {
        return new Job(id, template, coinbase, chainMask, auxWork, auxMaxTarget);
    }

    public int jobId()
    {
        return jobId;
    }

    public Template template()
    {
        return template;
    }

    public Coinbase coinbase()
    {
        return coinbase;
    }

    /** Block version of the template (before any rolling). */
    public int version()
    {
        return version;
    }

    /** Previous block hash, internal byte order (as in the header). */
    public byte[] prevHash()
    {
        return prevHash;
    }

    /** Compact network target. */
    public int nbits()
    {
        return nbits;
    }

    /** Earliest ntime a share may carry (seconds). */
    public int minNtime()
    {
        return minNtime;
    }

    /** Legacy (BIP141-stripped) coinbase bytes before the extranonce prefix; shared, do not modify. */
    public byte[] coinbasePrefix()
    {
        return coinbasePrefix;
    }

    /** Legacy coinbase bytes after the rollable extranonce; shared, do not modify. */
    public byte[] coinbaseSuffix()
    {
        return coinbaseSuffix;
    }

    /** Merkle path of the coinbase, 32 bytes per level, concatenated; shared, do not modify. */
    public byte[] merklePath()
    {
        return merklePath;
    }

    /** Levels in the merkle path. */
    public int merklePathCount()
    {
        return merklePathCount;
    }

    /** The network target, 32 bytes little-endian; shared, do not modify. */
    public byte[] networkTarget()
    {
        return networkTarget;
    }

    public long chainMask()
    {
        return chainMask;
    }

    public Object auxWork()
    {
        return auxWork;
    }

    /** The loosest aux target (LE), or null when the job merge-mines nothing. */
    public byte[] auxMaxTarget()
    {
        return auxMaxTarget;
    }
}
