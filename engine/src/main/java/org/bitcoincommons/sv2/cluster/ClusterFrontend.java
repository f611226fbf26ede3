package org.bitcoincommons.sv2.cluster;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.bitcoincommons.sv2.pool.AccountingSink;

/**
 * A pool as a frontend of the accounting cluster ({@code [cluster] role = "frontend"}): the {@link AccountingSink} the
 * pool hands every accounting event to. On the logic thread the events become numbered EVENTS commands
 * ({@link CommandBatcher}); a cluster-client thread ({@link IngressClient}) sends them to the leader, re-sends what is
 * not committed after a failover, and reports the committed sequence, which releases the held acknowledgements.
 * It runs its own Aeron media driver (SHARED threading) in {@code aeron_dir}.
 */
public final class ClusterFrontend implements AccountingSink, AutoCloseable
{
    /** The client-side settings, from {@code [cluster]}. */
    record Settings(int frontendId, long incarnation, String ingressEndpoints, String egressHost, int ingressTermLength,
        long leaderHeartbeatTimeoutMs, long sessionTimeoutMs, long resendIntervalMs, long maxUnackedBytes,
        int egressTermLength)
    {
        AeronCluster.Context clientContext(final Aeron aeron, final EgressListener listener)
        {
            return new AeronCluster.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .ingressChannel("aeron:udp?term-length=" + ingressTermLength)
                .ingressEndpoints(ingressEndpoints)
                .egressChannel("aeron:udp?endpoint=" + egressHost + ":0" +
                    (egressTermLength > 0 ? "|term-length=" + egressTermLength : ""))
                .egressListener(listener)
                .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Math.max(1000, leaderHeartbeatTimeoutMs)))
                .newLeaderTimeoutNs(TimeUnit.MILLISECONDS.toNanos(2 * leaderHeartbeatTimeoutMs));
        }
    }

    private static final int HANDOFF_BYTES = 4 << 20;

    private final ClusterConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final CommandBatcher batcher;
    private final IngressClient client;
    private final Thread thread;
    private final ClusterTemplateSource templates;
    /** The cluster's aux work and the way proofs go back ({@code [cluster] aux = "cluster"}), or null. */
    private ClusterAuxSource aux;
    private volatile Runnable wakeUp = () -> { };
    private volatile long sealed;

    private ClusterFrontend(final ClusterConfig config, final MediaDriver driver, final Aeron aeron,
        final CommandBatcher batcher, final IngressClient client, final ClusterTemplateSource templates)
    {
        this.templates = templates;
        this.config = config;
        this.driver = driver;
        this.aeron = aeron;
        this.batcher = batcher;
        this.client = client;
        this.thread = Thread.ofPlatform().daemon().name("sv2-cluster-client-" + config.frontendId()).unstarted(client);
    }

    /** Starts the media driver and the client thread; connecting to the cluster goes on in the background. */
    public static ClusterFrontend start(final ClusterConfig config)
    {
        final Settings settings = new Settings(config.frontendId(), System.currentTimeMillis(),
            config.ingressEndpoints(), config.egressHost(), config.ingressTermLength(),
            config.leaderHeartbeatTimeoutMs(), config.sessionTimeoutMs(), config.resendIntervalMs(),
            config.maxUnackedBytes(), config.clusterTemplates() ? config.logTermLength() : 0);
        MediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(ClusterNode.aeronDir(config))
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(Math.max(64 * 1024, config.ingressTermLength()))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final OneToOneRingBuffer handoff = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(HANDOFF_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
            // A command must fit Aeron's largest message on the ingress stream (1/8 of a term), with the session header.
            final int maxCommand = Math.min(64 * 1024, config.ingressTermLength() / 8 - AeronCluster.SESSION_HEADER_LENGTH);
            final CommandBatcher batcher = new CommandBatcher(config.frontendId(), settings.incarnation(), maxCommand,
                handoff);
            final ClusterFrontend[] self = new ClusterFrontend[1];
            final ClusterTemplateSource templates = config.clusterTemplates()
                ? new ClusterTemplateSource(org.agrona.concurrent.SystemEpochClock.INSTANCE) : null;
            final ClusterAuxSource aux = config.clusterAux() ? new ClusterAuxSource(config.frontendId()) : null;
            final IngressClient client = new IngressClient(aeron, settings, handoff, () -> self[0].wakeUp.run(),
                new BackoffIdleStrategy(10, 20, 1_000, 1_000_000), templates, aux);
            self[0] = new ClusterFrontend(config, driver, aeron, batcher, client, templates);
            self[0].aux = aux;
            self[0].thread.start();
            return self[0];
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    // ---------------------------------------------------------------------------------------------- AccountingSink

    @Override
    public long seal()
    {
        final long ticket = batcher.seal();
        if (ticket != NEVER)
        {
            sealed = ticket;
        }
        return ticket;
    }

    @Override
    public long committedTicket()
    {
        return client.committed();
    }

    @Override
    public void onCommit(final Runnable wakeUp)
    {
        this.wakeUp = wakeUp;
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        batcher.shareAccepted(timeMs, workerId, channelId, sequenceNumber, jobId, difficulty, chainMask);
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        batcher.worker(timeMs, workerId, name);
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        batcher.chain(timeMs, chainIndex, name);
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] hash)
    {
        batcher.blockFound(timeMs, chainIndex, workerId, height, hash);
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        batcher.auxSubmitted(timeMs, chainIndex, hash);
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        batcher.auxAccepted(timeMs, chainIndex, hash);
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        batcher.auxRejected(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        batcher.auxUnknown(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        batcher.blockRejected(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        batcher.reward(timeMs, chainIndex, amount, hash);
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        batcher.fee(timeMs, chainIndex, amount, contributorId);
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        batcher.distribution(timeMs, chainIndex, core, grants, audits, operations);
    }

    // ---------------------------------------------------------------------------------------------- templates

    /**
     * With {@code [cluster] templates = "cluster"}: the pool's only template source, the cluster's templates, with
     * found blocks submitted to {@code configured}'s first source (a bitcoind, not started: used for submitblock only;
     * the others are closed). Null with {@code templates = "local"}. Called once, before the pool starts.
     */
    public org.bitcoincommons.sv2.template.TemplateSource templateSource(
        final java.util.List<org.bitcoincommons.sv2.template.TemplateSource> configured)
    {
        if (templates == null)
        {
            return null;
        }
        for (int i = 1; i < configured.size(); i++)
        {
            configured.get(i).close();
        }
        templates.submitVia(configured.isEmpty() ? null : configured.get(0));
        return templates;
    }

    /** The cluster's templates as this frontend received them, or null with {@code templates = "local"}. */
    public ClusterTemplateSource clusterTemplates()
    {
        return templates;
    }

    /**
     * With {@code [cluster] aux = "cluster"}: where the pool's merged-mining layer takes its aux work from and sends
     * its proofs to (no aux node is polled from this frontend); null with {@code aux = "local"}.
     */
    public ClusterAuxSource auxSource()
    {
        return aux;
    }

    // ---------------------------------------------------------------------------------------------- status

    public int frontendId()
    {
        return config.frontendId();
    }

    /** The sequence of the last command sealed (the ticket a node's state reaches once it applied everything). */
    public long sealedTicket()
    {
        return sealed;
    }

    /** Every command sealed so far is committed, and nothing is waiting in the backlog. Any thread. */
    public boolean allCommitted()
    {
        return client.committed() >= sealed && client.backlogBytes() == 0;
    }

    /** The cluster session as {@code /api/status} shows it (under "cluster"). Any thread. */
    public Map<String, Object> status()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "frontend");
        m.put("frontend_id", config.frontendId());
        m.put("session_state", client.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("leader_member_id", client.leaderMemberId());
        m.put("leadership_term_id", client.leadershipTermId());
        m.put("session_id", client.sessionId());
        m.put("commands_sealed", sealed);
        m.put("commands_sent", client.highestSent());
        m.put("commands_committed", client.committed());
        m.put("commands_dropped", batcher.dropped());
        m.put("backlog_bytes", client.backlogBytes());
        m.put("connects", client.connects());
        m.put("resends", client.resends());
        m.put("stale_replies", client.staleReplies());
        if (templates != null)
        {
            m.put("template_updates_received", templates.updatesReceived());
            m.put("template_updates_dropped", templates.updatesDropped());
        }
        if (aux != null)
        {
            m.put("aux_work_updates_received", aux.updatesReceived());
            m.put("aux_work_updates_dropped", aux.updatesDropped());
            m.put("aux_proofs_sent", aux.proofsSent());
            m.put("aux_proofs_accepted", aux.proofsAccepted());
            m.put("aux_proofs_rejected", aux.proofsRejected());
        }
        return m;
    }

    /** Stops the client thread (after up to {@code waitMs} for the backlog to commit), the Aeron client and driver. */
    public void close(final long waitMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (!allCommitted() && System.nanoTime() - deadline < 0 && thread.isAlive())
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        client.stop();
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Override
    public void close()
    {
        close(5_000);
    }
}
