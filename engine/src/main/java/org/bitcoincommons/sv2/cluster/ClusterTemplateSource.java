package org.bitcoincommons.sv2.cluster;

import java.util.Arrays;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.template.SourceHealth;
import org.bitcoincommons.sv2.template.SourceState;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.template.TemplateListener;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontend's template source when {@code [cluster] templates = "cluster"}: the templates the cluster sends on
 * egress (TEMPLATE_UPDATE, in log order), handed to the pool. A template that is not above the last one delivered
 * (height, term, sequence) is dropped, so the re-sends after a new leader or a reconnect deliver nothing twice. Each
 * template is given this source's own increasing id (the feeders' ids restart with each feeder).
 * <p>
 * Found blocks go to the submitter ({@link #submitVia}: the frontend's {@code [template.bitcoind]}, used for
 * {@code submitblock} only, never polled); without one a block is refused with "no-submit-path".
 * <p>
 * Thread: {@link #onUpdate} on the frontend's cluster-client thread, which therefore is the thread templates are
 * delivered on (the pool builds the job there and hands it to its logic thread); {@link #submitBlock} and the getters
 * from any thread, without this object's lock (which only orders {@link #onUpdate} with {@link #start}): a caller
 * holding the failover source's lock never waits for it.
 */
public final class ClusterTemplateSource implements TemplateSource
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTemplateSource.class);
    /** The reason a block is refused with when the frontend has no node to submit it to. */
    public static final String NO_SUBMIT_PATH = "no-submit-path";

    private volatile TemplateSource submitter;
    private final EpochClock clock;
    private final UnsafeBuffer lastKey = new UnsafeBuffer(new byte[Protocol.TEMPLATE_HEADER_LENGTH + 12]);
    private boolean haveKey;
    private TemplateListener listener;
    private volatile Template latest;
    private byte[] lastPrevHash;
    private long nextId = 1;
    private volatile SourceState state;
    private volatile long updatesReceived;
    private volatile long updatesDropped;

    public ClusterTemplateSource(final EpochClock clock)
    {
        this.clock = clock;
        this.state = SourceState.starting(name(), clock.time());
    }

    /** Where found blocks go (not started by this source; closed with it), or null. Before {@link #start}. */
    public void submitVia(final TemplateSource submitter)
    {
        this.submitter = submitter;
    }

    /** One TEMPLATE_UPDATE from egress (the cluster-client thread). */
    void onUpdate(final DirectBuffer b, final int offset, final int length)
    {
        updatesReceived++;
        final Template decoded;
        try
        {
            decoded = TemplateCodec.decode(b, offset + Protocol.TEMPLATE_HEADER_LENGTH,
                length - Protocol.TEMPLATE_HEADER_LENGTH);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            updatesDropped++;
            LOG.warn("cluster template source: a malformed template of {} bytes: {}", length, ex.getMessage());
            return;
        }
        final TemplateListener l;
        final Template t;
        final boolean newTip;
        synchronized (this)
        {
            if (haveKey && ReplicatedAccounting.compareKeys(b, offset, lastKey, 0) <= 0)
            {
                updatesDropped++;
                return;
            }
            lastKey.putBytes(0, b, offset, lastKey.capacity());
            haveKey = true;
            t = new Template(nextId++, decoded.height(), decoded.version(), decoded.prevHash(), decoded.nbits(),
                decoded.minNtime(), decoded.coinbaseValue(), decoded.merklePath(), decoded.transactions(),
                decoded.witnessCommitment(), decoded.requiredOutputs(), decoded.coinbaseLockTime(),
                decoded.coinbaseSequence());
            newTip = lastPrevHash == null || !Arrays.equals(lastPrevHash, t.prevHash());
            lastPrevHash = t.prevHash();
            latest = t;
            l = listener;
            final boolean wasHealthy = state.health() == SourceHealth.HEALTHY;
            state = new SourceState(name(), SourceHealth.HEALTHY, t.height(), displayHash(t.prevHash()), -1, "",
                wasHealthy ? state.sinceMs() : clock.time(), Map.of());
            if (l != null)
            {
                if (!wasHealthy)
                {
                    l.onStateChange(state);
                }
                l.onTemplate(t, newTip);
            }
        }
    }

    private static String displayHash(final byte[] internal)
    {
        final byte[] r = internal.clone();
        for (int i = 0; i < r.length / 2; i++)
        {
            final byte x = r[i];
            r[i] = r[r.length - 1 - i];
            r[r.length - 1 - i] = x;
        }
        return Hex.encode(r);
    }

    @Override
    public void start(final TemplateListener listener)
    {
        synchronized (this)
        {
            this.listener = listener;
            if (latest != null)
            {
                listener.onStateChange(state);
                listener.onTemplate(latest, true);
            }
        }
    }

    @Override
    public String submitBlock(final byte[] block)
    {
        final TemplateSource s = submitter;
        return s == null ? NO_SUBMIT_PATH : s.submitBlock(block);
    }

    @Override
    public String name()
    {
        return "cluster";
    }

    @Override
    public long tipHeight()
    {
        final Template t = latest;
        return t == null ? -1 : t.height() - 1;
    }

    @Override
    public SourceState state()
    {
        return state;
    }

    @Override
    public SourceState probe(final long timeoutMs)
    {
        return state;
    }

    /** The latest template delivered (with this source's id), or null. Any thread. */
    public Template latest()
    {
        return latest;
    }

    public long updatesReceived()
    {
        return updatesReceived;
    }

    public long updatesDropped()
    {
        return updatesDropped;
    }

    @Override
    public void close()
    {
        final TemplateSource s = submitter;
        if (s != null)
        {
            s.close();
        }
    }
}
