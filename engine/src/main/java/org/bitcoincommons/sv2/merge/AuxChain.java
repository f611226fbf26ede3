package org.bitcoincommons.sv2.merge;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.bitcoincommons.sv2.config.AuxChainConfig;

/**
 * One aux chain at run time: its node client, its latest work and whether its node is up. Polled by its own
 * virtual thread; read by the coordinator when it builds a snapshot. Fields written by the poller are volatile.
 */
final class AuxChain
{
    final AuxChainConfig config;
    final int index;
    final AuxPowNodeClient auxPow;
    final RskNodeClient rsk;
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private volatile AuxWorkSnapshot.ChainWork work;
    private volatile boolean up;
    private volatile String lastError;
    private long workId;

    AuxChain(final AuxChainConfig config, final int index)
    {
        this.config = config;
        this.index = index;
        final JsonRpcClient rpc = new JsonRpcClient(config.rpcUrl(),
            config.kind() == AuxChainConfig.Kind.RSK ? JsonRpcClient.Version.V2 : JsonRpcClient.Version.V1,
            Duration.ofMillis(config.timeoutMs()), config.rpcUser(), config.rpcPassword(), config.rpcCookieFile());
        this.auxPow = config.kind() == AuxChainConfig.Kind.AUXPOW
            ? new AuxPowNodeClient(rpc, config.rpcStyle(), config.payoutAddress()) : null;
        this.rsk = config.kind() == AuxChainConfig.Kind.RSK ? new RskNodeClient(rpc) : null;
    }

    /**
     * Fetches the node's work (poller thread only).
     *
     * @return true when the work or the up/down state changed
     * @throws RpcException when the node did not answer with work; the chain is then down
     */
    boolean poll() throws RpcException
    {
        final byte[] hash;
        final byte[] target;
        final long reward;
        int chainId = config.chainId();
        try
        {
            if (auxPow != null)
            {
                final AuxBlockTemplate t = auxPow.createAuxBlock();
                hash = t.hash();
                target = t.targetLe();
                reward = t.coinbaseValue();
                chainId = t.chainId();
            }
            else
            {
                final RskWork w = rsk.getWork();
                hash = w.hashForMergedMining();
                target = w.targetLe();
                reward = w.feesPaidToMinerWei();
            }
        }
        catch (final RpcException ex)
        {
            lastError = ex.getMessage();
            up = false;
            throw ex;
        }
        lastError = null;
        final boolean wasUp = up;
        up = true;
        final AuxWorkSnapshot.ChainWork current = work;
        if (current != null && Arrays.equals(current.blockHash(), hash) && Arrays.equals(current.targetLe(), target))
        {
            return !wasUp;
        }
        if (chainId != config.chainId() && config.kind() == AuxChainConfig.Kind.AUXPOW)
        {
            up = false;
            lastError = "node reports chain id " + chainId + ", configured " + config.chainId();
            throw new RpcException(RpcException.Kind.PROTOCOL, 0, config.name() + ": " + lastError, null);
        }
        work = new AuxWorkSnapshot.ChainWork(index, config.name(), config.kind(), config.chainId(), hash, target, reward,
            ++workId, -1, new byte[0]);
        return true;
    }

    /** Marks the chain down after a failed submission (submitter thread). */
    void markDown(final String reason)
    {
        lastError = reason;
        up = false;
    }

    boolean up()
    {
        return up;
    }

    String lastError()
    {
        return lastError;
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
