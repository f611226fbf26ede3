package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.UpdateChannel;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.bitcoincommons.sv2.work.Job;

/**
 * Stage 4 of a share's path (transport, noise, codec, ring, logic, hash, journal, transport): how a decoded SV2 message
 * becomes a ring slot. Static, so publishing captures nothing and allocates nothing; shared by the TCP and QUIC
 * connections. The slot's fields are read back by {@link PoolEventProcessor} on the logic thread.
 */
final class RingTranslators
{
    private RingTranslators()
    {
    }

    static final RingTranslator<MiningDownstream, SubmitSharesStandard> SUBMIT_STANDARD =
        (e, seq, c, m) -> share(e, PipelineEvent.SUBMIT_STANDARD, c, m.channelId(), m.sequenceNumber(), m.jobId(),
            m.nonce(), m.ntime(), m.version());

    static final RingTranslator<MiningDownstream, SubmitSharesExtended> SUBMIT_EXTENDED =
        (e, seq, c, m) ->
        {
            share(e, PipelineEvent.SUBMIT_EXTENDED, c, m.channelId(), m.sequenceNumber(), m.jobId(), m.nonce(),
                m.ntime(), m.version());
            e.extranonceLength = m.extranonceLength();
            m.buffer().getBytes(m.extranonceOffset(), e.extranonce, 0, e.extranonceLength);
        };

    /** The fields both share messages carry, stamped with the publication time. */
    private static void share(final PipelineEvent<MiningDownstream, Job> e, final int type, final MiningDownstream c,
        final long channelId, final long sequenceNumber, final long jobId, final long nonce, final long ntime,
        final long version)
    {
        e.type = type;
        e.source = c;
        e.publishedNs = System.nanoTime();
        e.channelId = (int)channelId;
        e.sequenceNumber = (int)sequenceNumber;
        e.jobId = (int)jobId;
        e.nonce = (int)nonce;
        e.ntime = (int)ntime;
        e.version = (int)version;
    }

    static final RingTranslator<MiningDownstream, OpenStandardMiningChannel> OPEN_STANDARD =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.OPEN_STANDARD_CHANNEL;
            e.source = c;
            e.requestId = (int)m.requestId();
            e.userIdentity = m.userIdentity();
            e.nominalHashrate = m.nominalHashRate();
            System.arraycopy(m.maxTarget(), 0, e.maxTarget, 0, 32);
        };

    static final RingTranslator<MiningDownstream, OpenExtendedMiningChannel> OPEN_EXTENDED =
        (e, seq, c, m) ->
        {
            e.type = PipelineEvent.OPEN_EXTENDED_CHANNEL;
            e.source = c;
            e.requestId = (int)m.requestId();
            e.userIdentity = m.userIdentity();
            e.nominalHashrate = m.nominalHashRate();
            System.arraycopy(m.maxTarget(), 0, e.maxTarget, 0, 32);
            e.minExtranonceSize = m.minExtranonceSize();
        };

    static final RingTranslator<MiningDownstream, UpdateChannel> UPDATE = (e, seq, c, m) ->
    {
        e.type = PipelineEvent.UPDATE_CHANNEL;
        e.source = c;
        e.channelId = (int)m.channelId();
        e.nominalHashrate = m.nominalHashRate();
        System.arraycopy(m.maximumTarget(), 0, e.maxTarget, 0, 32);
    };

    static final RingTranslator<MiningDownstream, CloseChannel> CLOSE = (e, seq, c, m) ->
    {
        e.type = PipelineEvent.CLOSE_CHANNEL;
        e.source = c;
        e.channelId = (int)m.channelId();
    };

    static final RingTranslator<MiningDownstream, Boolean> OPENED = (e, seq, c, standardJobs) ->
    {
        e.type = PipelineEvent.CONNECTION_OPENED;
        e.source = c;
        e.flag = standardJobs;
    };

    static final RingTranslator<MiningDownstream, Object> CLOSED = (e, seq, c, unused) ->
    {
        e.type = PipelineEvent.CONNECTION_CLOSED;
        e.source = c;
    };
}
