package org.bitcoincommons.sv2.journal;

/**
 * Hands every accounting event to two listeners, first then second (e.g. the live state, then a replication sink).
 * Adds nothing of its own; threads as the listeners require.
 */
public final class TeeListener implements AccountingListener
{
    private final AccountingListener first;
    private final AccountingListener second;

    public TeeListener(final AccountingListener first, final AccountingListener second)
    {
        this.first = first;
        this.second = second;
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        first.shareAccepted(timeMs, workerId, channelId, sequenceNumber, jobId, difficulty, chainMask);
        second.shareAccepted(timeMs, workerId, channelId, sequenceNumber, jobId, difficulty, chainMask);
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
        first.worker(timeMs, workerId, name);
        second.worker(timeMs, workerId, name);
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        first.chain(timeMs, chainIndex, name);
        second.chain(timeMs, chainIndex, name);
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] hash)
    {
        first.blockFound(timeMs, chainIndex, workerId, height, hash);
        second.blockFound(timeMs, chainIndex, workerId, height, hash);
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        first.auxSubmitted(timeMs, chainIndex, hash);
        second.auxSubmitted(timeMs, chainIndex, hash);
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] hash)
    {
        first.auxAccepted(timeMs, chainIndex, hash);
        second.auxAccepted(timeMs, chainIndex, hash);
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        first.auxRejected(timeMs, chainIndex, hash, reason);
        second.auxRejected(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        first.auxUnknown(timeMs, chainIndex, hash, reason);
        second.auxUnknown(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] hash, final String reason)
    {
        first.blockRejected(timeMs, chainIndex, hash, reason);
        second.blockRejected(timeMs, chainIndex, hash, reason);
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] hash)
    {
        first.reward(timeMs, chainIndex, amount, hash);
        second.reward(timeMs, chainIndex, amount, hash);
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        first.fee(timeMs, chainIndex, amount, contributorId);
        second.fee(timeMs, chainIndex, amount, contributorId);
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        first.distribution(timeMs, chainIndex, core, grants, audits, operations);
        second.distribution(timeMs, chainIndex, core, grants, audits, operations);
    }
}
