package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.Job;
import org.bitcoincommons.sv2.pipeline.PipelineConsumer;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the share ring to the pool logic: decodes each ring event into a {@link PoolLogic} call.
 * Runs on the ring's consumer thread, the only thread that touches channel and job state.
 */
public final class PoolEventProcessor implements PipelineConsumer<MiningDownstream, Job>
{
    private static final Logger LOG = LoggerFactory.getLogger(PoolEventProcessor.class);

    private final PoolLogic logic;
    private final Runnable onTick;
    private final LatencyRecorder shareToAckQueued;
    /** Publication times of the shares whose acknowledgements are not queued yet (one per share, in ring order). */
    private long[] publishedNs = new long[256];
    private int published;
    private long errors;

    /**
     * @param logic            the pool logic
     * @param onTick           extra periodic work on the logic thread (accounting snapshots), after vardiff
     * @param shareToAckQueued told, per batch, how long its oldest share waited from publication until the batch's
     *                         acknowledgements were queued (null: not measured)
     */
    public PoolEventProcessor(final PoolLogic logic, final Runnable onTick, final LatencyRecorder shareToAckQueued)
    {
        this.logic = logic;
        this.onTick = onTick;
        this.shareToAckQueued = shareToAckQueued;
    }

    public long errors()
    {
        return errors;
    }

    @Override
    public void onEvent(final PipelineEvent<MiningDownstream, Job> e)
    {
        final MiningDownstream src = e.source;
        if (src == null)
        {
            dispatch(e, null);
            return;
        }
        try
        {
            dispatch(e, src);
        }
        catch (final RuntimeException ex)
        {
            // One client's message must never stop the logic thread's work for the others: its connection goes.
            logic.fault(src, describe(e.type), ex);
        }
    }

    private static String describe(final int type)
    {
        return switch (type)
        {
            case PipelineEvent.SUBMIT_STANDARD -> "handling SubmitSharesStandard";
            case PipelineEvent.SUBMIT_EXTENDED -> "handling SubmitSharesExtended";
            case PipelineEvent.CONNECTION_OPENED -> "opening the connection";
            case PipelineEvent.OPEN_STANDARD_CHANNEL -> "handling OpenStandardMiningChannel";
            case PipelineEvent.OPEN_EXTENDED_CHANNEL -> "handling OpenExtendedMiningChannel";
            case PipelineEvent.UPDATE_CHANNEL -> "handling UpdateChannel";
            case PipelineEvent.CLOSE_CHANNEL -> "handling CloseChannel";
            case PipelineEvent.CONNECTION_CLOSED -> "closing the connection";
            default -> "handling event type " + type;
        };
    }

    private void dispatch(final PipelineEvent<MiningDownstream, Job> e, final MiningDownstream src)
    {
        final ShareProcessor shares = logic.shares();
        switch (e.type)
        {
            case PipelineEvent.SUBMIT_STANDARD ->
            {
                stamp(e.publishedNs);
                shares.submitStandard(src, e.channelId, e.sequenceNumber, e.jobId, e.nonce, e.ntime, e.version);
            }
            case PipelineEvent.SUBMIT_EXTENDED ->
            {
                stamp(e.publishedNs);
                shares.submitExtended(src, e.channelId, e.sequenceNumber, e.jobId, e.nonce, e.ntime, e.version,
                    e.extranonce, 0, e.extranonceLength);
            }
            case PipelineEvent.CONNECTION_OPENED -> logic.connectionOpened(src, e.flag);
            case PipelineEvent.OPEN_STANDARD_CHANNEL -> logic.openStandardChannel(src, e.requestId, e.userIdentity,
                e.nominalHashrate, e.maxTarget);
            case PipelineEvent.OPEN_EXTENDED_CHANNEL -> logic.openExtendedChannel(src, e.requestId, e.userIdentity,
                e.nominalHashrate, e.maxTarget, e.minExtranonceSize);
            case PipelineEvent.UPDATE_CHANNEL -> logic.updateChannel(src, e.channelId, e.nominalHashrate, e.maxTarget);
            case PipelineEvent.CLOSE_CHANNEL -> logic.closeChannel(src, e.channelId);
            case PipelineEvent.CONNECTION_CLOSED ->
            {
                settle(shares);
                logic.connectionClosed(src);
            }
            case PipelineEvent.NEW_JOB -> logic.newJob(e.job, e.flag);
            case PipelineEvent.TICK ->
            {
                settle(shares);
                logic.startTick();
                logic.tickSlice(PoolLogic.TICK_SLICE);
                onTick.run();
            }
            case PipelineEvent.TICK_MORE ->
            {
                settle(shares);
                logic.tickSlice(PoolLogic.TICK_SLICE);
            }
            case PipelineEvent.TASK ->
            {
                settle(shares);
                e.task.run();
            }
            default -> throw new IllegalStateException("unknown pipeline event type " + e.type);
        }
    }

    @Override
    public void onEndOfBatch()
    {
        settle(logic.shares());
    }

    private void stamp(final long ns)
    {
        if (shareToAckQueued == null)
        {
            return;
        }
        if (published == publishedNs.length)
        {
            publishedNs = java.util.Arrays.copyOf(publishedNs, published * 2);   // grows to the largest ring batch once
        }
        publishedNs[published++] = ns;
    }

    /**
     * Validates, journals and acknowledges the staged shares, then records, for each share, how long it waited from its
     * publication until its acknowledgement was queued (per share, so that a stall weighs by the shares it delayed).
     */
    private void settle(final ShareProcessor shares)
    {
        shares.endOfBatch();
        if (published > 0)
        {
            final long now = System.nanoTime();
            for (int i = 0; i < published; i++)
            {
                shareToAckQueued.recordNs(now - publishedNs[i]);
            }
            published = 0;
        }
    }

    @Override
    public void onError(final Throwable error, final PipelineEvent<MiningDownstream, Job> event)
    {
        errors++;
        LOG.error("pool logic failed on event type {}: {}", event == null ? -1 : event.type, error.toString(), error);
    }
}
