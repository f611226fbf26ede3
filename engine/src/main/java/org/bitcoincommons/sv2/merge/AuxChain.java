package org.bitcoincommons.sv2.merge;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.bitcoincommons.sv2.config.AuxChainConfig;

/**
 * One aux chain at run time: its node, its latest work, its health and its submission counters. Polled by its own
 * virtual thread, submitted to by another ({@link ChainSubmitter}); read by the coordinator when it builds a
 * snapshot and by the API. The work field is written by the poller only and is volatile.
 *
 * <p>Counters add up at every quiet moment: {@code submitted == accepted + rejected + unknown + inFlight}.
 */
final class AuxChain
{
    final AuxChainConfig config;
    final int index;
    final AuxNode node;
    final ChainHealth health;
    /** Proofs submitted (each aux block at most once). */
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    /** Submissions whose outcome could not be learned within the work's lifetime (or before shutdown). */
    final AtomicLong unknown = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    /** Candidates for an aux block already submitted: not submitted again. */
    final AtomicLong duplicates = new AtomicLong();
    /** Candidates dropped because the chain's queue was full or the pool stopped first. */
    final AtomicLong dropped = new AtomicLong();
    private volatile AuxWorkSnapshot.ChainWork work;
    private long workId;

    AuxChain(final AuxChainConfig config, final int index)
    {
        this(config, index, connect(config));
    }

    /** A chain whose node is {@code node} (its own JSON-RPC node, or a {@link RemoteAuxNode}). */
    AuxChain(final AuxChainConfig config, final int index, final AuxNode node)
    {
        this.config = config;
        this.index = index;
        this.node = node;
        this.health = new ChainHealth(config.downAfterFailures(), config.maxWorkAgeMs());
    }

    /** The chain's own node over JSON-RPC, as {@code config} describes it. */
    static AuxNode connect(final AuxChainConfig config)
    {
        final JsonRpcClient rpc = new JsonRpcClient(config.rpcUrl(),
            config.kind() == AuxChainConfig.Kind.RSK ? JsonRpcClient.Version.V2 : JsonRpcClient.Version.V1,
            Duration.ofMillis(config.timeoutMs()), config.rpcUser(), config.rpcPassword(), config.rpcCookieFile());
        return config.kind() == AuxChainConfig.Kind.AUXPOW
            ? new AuxPowNode(new AuxPowNodeClient(rpc, config.rpcStyle(), config.payoutAddress()))
            : new RskNode(new RskNodeClient(rpc));
    }

    /**
     * Fetches the node's work (poller thread only).
     *
     * @return true when the work or the up/down state changed
     * @throws RpcException when the node did not answer with usable work (the failure is counted in the health)
     */
    boolean poll(final long nowMs) throws RpcException
    {
        final AuxNode.Work w;
        try
        {
            w = node.work();
        }
        catch (final RpcException ex)
        {
            // a JSON-RPC error counts too: a node that cannot hand out work (e.g. still syncing) has no usable work
            health.failed(nowMs, ex.getMessage());
            throw ex;
        }
        if (w.chainId() != config.chainId() && config.kind() == AuxChainConfig.Kind.AUXPOW)
        {
            final String reason = "node reports chain id " + w.chainId() + ", configured " + config.chainId();
            health.unusable(reason);
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, config.name() + ": " + reason, null);
        }
        final boolean cameUp = health.workConfirmed(nowMs);
        final AuxWorkSnapshot.ChainWork current = work;
        if (current != null && Arrays.equals(current.blockHash(), w.hash()) && Arrays.equals(current.targetLe(), w.targetLe()))
        {
            return cameUp;
        }
        work = new AuxWorkSnapshot.ChainWork(index, config.name(), config.kind(), config.chainId(), w.hash(),
            w.targetLe(), w.reward(), w.height(), ++workId, -1, new byte[0]);
        return true;
    }

    boolean up()
    {
        return health.up();
    }

    String lastError()
    {
        return health.lastError();
    }

    AuxWorkSnapshot.ChainWork work()
    {
        return work;
    }

    long workId()
    {
        final AuxWorkSnapshot.ChainWork w = work;
        return w == null ? 0 : w.workId();
    }
}
