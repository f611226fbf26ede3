package org.bitcoincommons.sv2.pool;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.NewMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.SetTarget;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.transport.OutboundQueue;

/**
 * Encodes mining frames straight into a connection's {@link OutboundQueue}: the hot messages through reusable
 * flyweights (no allocation), the rare ones through the codec's records via a scratch buffer. One instance per
 * thread: the pool logic thread owns one, each connection's reader another.
 */
public final class MiningFrames
{
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    private final SubmitSharesSuccess success = new SubmitSharesSuccess();
    private final SubmitSharesError error = new SubmitSharesError();
    private final NewMiningJob newMiningJob = new NewMiningJob();
    private final NewExtendedMiningJob newExtendedMiningJob = new NewExtendedMiningJob();
    private final SetNewPrevHash setNewPrevHash = new SetNewPrevHash();
    private final SetTarget setTarget = new SetTarget();
    private final UnsafeBuffer view1 = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer view2 = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer view3 = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);

    /** Frames that did not fit their queue: each one closes its connection. */
    private long overflows;

    public long overflows()
    {
        return overflows;
    }

    public boolean submitSharesSuccess(final OutboundQueue q, final int channelId, final int lastSequence,
        final int count, final long sharesSum)
    {
        final int length = HEADER + SubmitSharesSuccess.BLOCK_LENGTH;
        final int index = q.claim(length);
        if (index < 0)
        {
            return overflow();
        }
        final MutableDirectBuffer b = q.buffer();
        success.wrapForEncode(b, index + HEADER)
            .channelId(channelId & 0xffffffffL)
            .lastSequenceNumber(lastSequence & 0xffffffffL)
            .newSubmitsAcceptedCount(count & 0xffffffffL)
            .newSharesSum(sharesSum);
        success.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    public boolean submitSharesError(final OutboundQueue q, final int channelId, final int sequence, final byte[] code)
    {
        final int length = HEADER + SubmitSharesError.BLOCK_LENGTH + code.length;
        final int index = q.claim(length);
        if (index < 0)
        {
            return overflow();
        }
        final MutableDirectBuffer b = q.buffer();
        error.wrapForEncode(b, index + HEADER)
            .channelId(channelId & 0xffffffffL)
            .sequenceNumber(sequence & 0xffffffffL)
            .errorCode(code);
        error.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    public boolean newMiningJob(final OutboundQueue q, final int channelId, final int jobId, final long minNtime,
        final int version, final byte[] merkleRoot, final int merkleRootOffset)
    {
        final boolean future = minNtime < 0;
        final int length = HEADER + (future ? NewMiningJob.FUTURE_JOB_LENGTH : NewMiningJob.ACTIVE_JOB_LENGTH);
        final int index = q.claim(length);
        if (index < 0)
        {
            return overflow();
        }
        view1.wrap(merkleRoot);
        final MutableDirectBuffer b = q.buffer();
        newMiningJob.encode(b, index + HEADER, channelId & 0xffffffffL, jobId & 0xffffffffL,
            future ? NewMiningJob.NO_MIN_NTIME : minNtime, version & 0xffffffffL, view1, merkleRootOffset);
        newMiningJob.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    public boolean newExtendedMiningJob(final OutboundQueue q, final int channelId, final int jobId,
        final long minNtime, final int version, final boolean versionRollingAllowed, final byte[] merklePath,
        final int pathCount, final byte[] prefix, final byte[] suffix)
    {
        final boolean future = minNtime < 0;
        final int payload = 8 + 1 + (future ? 0 : 4) + 4 + 1 + 1 + 32 * pathCount + 2 + prefix.length + 2 + suffix.length;
        final int index = q.claim(HEADER + payload);
        if (index < 0)
        {
            return overflow();
        }
        view1.wrap(merklePath);
        view2.wrap(prefix);
        view3.wrap(suffix);
        final MutableDirectBuffer b = q.buffer();
        newExtendedMiningJob.encode(b, index + HEADER, channelId & 0xffffffffL, jobId & 0xffffffffL,
            future ? NewExtendedMiningJob.NO_MIN_NTIME : minNtime, version & 0xffffffffL, versionRollingAllowed,
            view1, 0, pathCount, view2, 0, prefix.length, view3, 0, suffix.length);
        newExtendedMiningJob.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    public boolean setNewPrevHash(final OutboundQueue q, final int channelId, final int jobId, final byte[] prevHash,
        final int minNtime, final int nbits)
    {
        final int length = HEADER + 4 + 4 + 32 + 4 + 4;
        final int index = q.claim(length);
        if (index < 0)
        {
            return overflow();
        }
        view1.wrap(prevHash);
        final MutableDirectBuffer b = q.buffer();
        setNewPrevHash.wrapForEncode(b, index + HEADER)
            .channelId(channelId & 0xffffffffL)
            .jobId(jobId & 0xffffffffL)
            .prevHash(view1, 0)
            .minNtime(minNtime & 0xffffffffL)
            .nbits(nbits & 0xffffffffL);
        setNewPrevHash.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    public boolean setTarget(final OutboundQueue q, final int channelId, final byte[] target)
    {
        final int length = HEADER + 4 + 32;
        final int index = q.claim(length);
        if (index < 0)
        {
            return overflow();
        }
        view1.wrap(target);
        final MutableDirectBuffer b = q.buffer();
        setTarget.wrapForEncode(b, index + HEADER).channelId(channelId & 0xffffffffL).maximumTarget(view1, 0);
        setTarget.writeHeader(b, index);
        q.commit(index);
        return true;
    }

    /** Any message, through its record (cold path). */
    public boolean message(final OutboundQueue q, final Message m)
    {
        return enqueue(q, m, scratch) || overflow();
    }

    /**
     * Encodes one rare message with no instance (a connection's answer to SetupConnection, sent once by its reader):
     * a small scratch array that grows when the message needs it, none of an instance's flyweights and 4 KiB
     * scratch, which every connection of a reconnect storm would otherwise allocate once and drop. Returns false
     * when the queue refused the frame (the caller closes the connection).
     */
    public static boolean messageOnce(final OutboundQueue q, final Message m)
    {
        return enqueue(q, m, new UnsafeBuffer(new byte[256]));
    }

    /** Encodes {@code m} in {@code scratch} (re-wrapped on a larger array until it fits) and copies it to the queue. */
    private static boolean enqueue(final OutboundQueue q, final Message m, final UnsafeBuffer scratch)
    {
        int length;
        while (true)
        {
            try
            {
                length = m.encodeFrame(scratch, 0);
                break;
            }
            catch (final org.bitcoincommons.sv2.codec.CodecException ex)
            {
                if (scratch.capacity() >= FrameHeaderFlyweight.HEADER_LENGTH + FrameHeaderFlyweight.MAX_MSG_LENGTH)
                {
                    throw ex;
                }
                scratch.wrap(new byte[scratch.capacity() * 2]);
            }
        }
        final int index = q.claim(length);
        if (index < 0)
        {
            return false;
        }
        q.buffer().putBytes(index, scratch, 0, length);
        q.commit(index);
        return true;
    }

    private boolean overflow()
    {
        overflows++;
        return false;
    }
}
