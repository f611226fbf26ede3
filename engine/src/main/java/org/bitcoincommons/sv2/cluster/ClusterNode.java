package org.bitcoincommons.sv2.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.NoOpLock;
import org.bitcoincommons.sv2.config.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the accounting cluster ({@code [cluster] role = "node"}): an Aeron media driver, archive and consensus
 * module (one {@link ClusteredMediaDriver}) and the service container running {@link AccountingService}. Everything
 * lives under {@code cluster_dir} (archive/, consensus/) and the Aeron directory; the ports are the member's block
 * ({@link ClusterConfig}). Restarting on the same directories resumes from the latest snapshot plus the log.
 */
public final class ClusterNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** How a node starts. */
    public enum Start
    {
        /** From what its directories hold: the latest snapshot, then the log after it. */
        RESUME,
        /** From nothing: its directories are emptied first and it catches up from the other members. */
        CLEAN
    }

    private final ClusterConfig config;
    private final AccountingService service;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;

    private ClusterNode(final ClusterConfig config, final AccountingService service, final ClusteredMediaDriver driver,
        final ClusteredServiceContainer container)
    {
        this.config = config;
        this.service = service;
        this.driver = driver;
        this.container = container;
    }

    /** Starts member {@code config.memberId()}; returns once its parts run (the election goes on in the background). */
    public static ClusterNode launch(final ClusterConfig config, final Start start)
    {
        final int id = config.memberId();
        final String host = config.host(id);
        final Path base = config.clusterDir();
        final String aeronDir = aeronDir(config);
        if (start == Start.CLEAN)
        {
            IoUtil.delete(base.toFile(), true);
        }
        final String localControl = "aeron:ipc?term-length=64k";
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(Math.max(64 * 1024, config.ingressTermLength()))
            .ipcTermBufferLength(Math.max(64 * 1024, config.ingressTermLength()))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        final Archive.Context archiveCtx = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(base.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + config.endpoint(id, ClusterConfig.ARCHIVE_CONTROL_PORT_OFFSET))
            .localControlChannel(localControl)
            .replicationChannel("aeron:udp?endpoint=" + udpHost(host) + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .segmentFileLength(Math.max(config.logTermLength() * 4, 1 << 20))
            .deleteArchiveOnStart(start == Start.CLEAN);
        final AeronArchive.Context archiveClient = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .aeronDirectoryName(aeronDir)
            .controlRequestChannel(localControl)
            .controlRequestStreamId(archiveCtx.localControlStreamId())
            .controlResponseChannel(localControl);
        final ConsensusModule.Context consensusCtx = new ConsensusModule.Context()
            .aeronDirectoryName(aeronDir)
            .clusterMemberId(id)
            .clusterMembers(config.aeronMembers())
            .clusterDir(base.resolve("consensus").toFile())
            .archiveContext(archiveClient.clone())
            .serviceCount(1)
            .ingressChannel("aeron:udp?term-length=" + config.ingressTermLength())
            .logChannel("aeron:udp?term-length=" + config.logTermLength() + "|alias=sv2-raft")
            .consensusChannel("aeron:udp?alias=sv2-consensus")
            .replicationChannel("aeron:udp?endpoint=" + udpHost(host) + ":0")
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.leaderHeartbeatTimeoutMs()))
            .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(config.leaderHeartbeatIntervalMs()))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs()))
            .startupCanvassTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.startupCanvassTimeoutMs()))
            .sessionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.sessionTimeoutMs()))
            .terminationTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.leaderHeartbeatTimeoutMs()))
            .maxConcurrentSessions(1024)
            .deleteDirOnStart(start == Start.CLEAN);
        final AccountingService service = new AccountingService(
            TimeUnit.MILLISECONDS.toNanos(config.publishIntervalMs()));
        final ClusteredServiceContainer.Context serviceCtx = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(archiveClient.clone())
            .clusterDir(base.resolve("consensus").toFile())
            .clusteredService(service)
            .serviceId(0);
        ClusteredMediaDriver driver = null;
        try
        {
            driver = ClusteredMediaDriver.launch(driverCtx, archiveCtx, consensusCtx);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceCtx);
            LOG.info("cluster node {} of {} started ({}), members {}, dir {}", id, config.members().size(), start,
                config.aeronMembers(), base);
            return new ClusterNode(config, service, driver, container);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /** The Aeron directory of a node or frontend: configured, or Aeron's default with the role and id appended. */
    static String aeronDir(final ClusterConfig config)
    {
        if (!config.aeronDir().isEmpty())
        {
            return config.aeronDir();
        }
        final String suffix = config.node() ? "-sv2-node-" + config.memberId() : "-sv2-frontend-" + config.frontendId();
        return CommonContext.getAeronDirectoryName() + suffix;
    }

    private static String udpHost(final String host)
    {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    public AccountingService service()
    {
        return service;
    }

    public int memberId()
    {
        return config.memberId();
    }

    /** The consensus module's directory (for {@code bin/sv2 cluster status} and snapshots). */
    public File consensusDir()
    {
        return config.clusterDir().resolve("consensus").toFile();
    }

    public ClusterConfig config()
    {
        return config;
    }

    /** Stops the service container and then the driver, archive and consensus module. */
    @Override
    public void close()
    {
        CloseHelper.closeAll(container, driver);
        LOG.info("cluster node {} stopped", config.memberId());
    }
}
