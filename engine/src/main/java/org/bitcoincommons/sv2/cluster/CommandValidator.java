package org.bitcoincommons.sv2.cluster;

import org.bitcoincommons.sv2.journal.AccountingListener;
import org.bitcoincommons.sv2.journal.JournalEvent;

/**
 * Checks, without changing anything, every event of a command for what {@link ReplicatedAccounting}'s state would
 * refuse (chain indexes, negative amounts, impossible difficulties), so that a command is applied whole or not at all.
 * Throws IllegalArgumentException on the first bad event. Stateless.
 */
final class CommandValidator implements AccountingListener
{
    private static void chainIndex(final int i)
    {
        if (i < 0 || i >= JournalEvent.MAX_CHAINS)
        {
            throw new IllegalArgumentException("chain index " + i);
        }
    }

    private static void amount(final long a)
    {
        if (a < 0)
        {
            throw new IllegalArgumentException("negative amount " + a);
        }
    }

    @Override
    public void shareAccepted(final long timeMs, final int workerId, final int channelId, final int sequenceNumber,
        final int jobId, final double difficulty, final long chainMask)
    {
        if (!(difficulty >= 0) || Double.isInfinite(difficulty))
        {
            throw new IllegalArgumentException("share difficulty " + difficulty);
        }
    }

    @Override
    public void worker(final long timeMs, final int workerId, final String name)
    {
    }

    @Override
    public void chain(final long timeMs, final int chainIndex, final String name)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void blockFound(final long timeMs, final int chainIndex, final int workerId, final long height,
        final byte[] h)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void auxSubmitted(final long timeMs, final int chainIndex, final byte[] h)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void auxAccepted(final long timeMs, final int chainIndex, final byte[] h)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void auxRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void auxUnknown(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void blockRejected(final long timeMs, final int chainIndex, final byte[] h, final String reason)
    {
        chainIndex(chainIndex);
    }

    @Override
    public void reward(final long timeMs, final int chainIndex, final long amount, final byte[] h)
    {
        chainIndex(chainIndex);
        amount(amount);
    }

    @Override
    public void fee(final long timeMs, final int chainIndex, final long amount, final String contributorId)
    {
        chainIndex(chainIndex);
        amount(amount);
    }

    @Override
    public void distribution(final long timeMs, final int chainIndex, final long core, final long grants,
        final long audits, final long operations)
    {
        chainIndex(chainIndex);
        amount(core);
        amount(grants);
        amount(audits);
        amount(operations);
    }
}
