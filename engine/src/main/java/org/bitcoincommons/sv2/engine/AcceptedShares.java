package org.bitcoincommons.sv2.engine;

import java.util.Arrays;

/**
 * The accepted shares of one validation batch, as {@link ServerListener#onSharesAccepted} receives them. A view that
 * the delivery thread reuses for the next batch: read it during the call, copy what you keep. Index {@code i} runs
 * from 0 to {@link #count()} - 1.
 */
public final class AcceptedShares
{
    private long timeMs;
    private int count;
    private String[] workers = new String[256];
    private int[] channelIds = new int[256];
    private int[] sequenceNumbers = new int[256];
    private int[] jobIds = new int[256];
    private double[] difficulties = new double[256];
    private long[] chainMasks = new long[256];

    AcceptedShares()
    {
    }

    /** When the batch was accepted (wall clock, ms). */
    public long timeMs()
    {
        return timeMs;
    }

    /** Shares in this batch. */
    public int count()
    {
        return count;
    }

    /** The user identity of the worker share {@code i} is credited to. */
    public String worker(final int i)
    {
        check(i);
        return workers[i];
    }

    public int channelId(final int i)
    {
        check(i);
        return channelIds[i];
    }

    /** The sequence number the miner gave share {@code i}. */
    public int sequenceNumber(final int i)
    {
        check(i);
        return sequenceNumbers[i];
    }

    public int jobId(final int i)
    {
        check(i);
        return jobIds[i];
    }

    /** The difficulty share {@code i} was credited with (its channel's target at the time). */
    public double difficulty(final int i)
    {
        check(i);
        return difficulties[i];
    }

    /** Bit c set: the share's job committed to chain c (0 is bitcoin), so it is credited there too. */
    public long chainMask(final int i)
    {
        check(i);
        return chainMasks[i];
    }

    /** The sum of the batch's difficulties. */
    public double totalDifficulty()
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += difficulties[i];
        }
        return sum;
    }

    void clear(final long time)
    {
        this.timeMs = time;
        this.count = 0;
    }

    void add(final String worker, final int channelId, final int sequenceNumber, final int jobId,
        final double difficulty, final long chainMask)
    {
        if (count == channelIds.length)
        {
            final int n = count * 2;
            workers = Arrays.copyOf(workers, n);
            channelIds = Arrays.copyOf(channelIds, n);
            sequenceNumbers = Arrays.copyOf(sequenceNumbers, n);
            jobIds = Arrays.copyOf(jobIds, n);
            difficulties = Arrays.copyOf(difficulties, n);
            chainMasks = Arrays.copyOf(chainMasks, n);
        }
        workers[count] = worker;
        channelIds[count] = channelId;
        sequenceNumbers[count] = sequenceNumber;
        jobIds[count] = jobId;
        difficulties[count] = difficulty;
        chainMasks[count] = chainMask;
        count++;
    }

    private void check(final int i)
    {
        if (i < 0 || i >= count)
        {
            throw new IndexOutOfBoundsException("share " + i + " of " + count);
        }
    }
}
