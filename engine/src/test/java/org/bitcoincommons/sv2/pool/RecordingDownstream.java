package org.bitcoincommons.sv2.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records what the pool logic sends, as simple records, for assertions.
 */
class RecordingDownstream implements MiningDownstream
{
    record Msg(String name, int channelId, long a, long b, long c, byte[] bytes, byte[] bytes2, byte[] bytes3, String text)
    {
    }

    final List<Msg> sent = new ArrayList<>();
    private final long id;
    String disconnectReason;

    RecordingDownstream(final long id)
    {
        this.id = id;
    }

    List<Msg> named(final String name)
    {
        return sent.stream().filter(m -> m.name.equals(name)).toList();
    }

    Msg last(final String name)
    {
        final List<Msg> l = named(name);
        if (l.isEmpty())
        {
            throw new AssertionError("no " + name + " in " + sent.stream().map(Msg::name).toList());
        }
        return l.get(l.size() - 1);
    }

    void clear()
    {
        sent.clear();
    }

    private void add(final String name, final int ch, final long a, final long b, final long c, final byte[] x,
        final byte[] y, final byte[] z, final String text)
    {
        sent.add(new Msg(name, ch, a, b, c, x == null ? null : x.clone(), y == null ? null : y.clone(),
            z == null ? null : z.clone(), text));
    }

    @Override
    public long connectionId()
    {
        return id;
    }

    @Override
    public void openStandardMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final byte[] extranoncePrefix, final int groupChannelId)
    {
        add("OpenStandardMiningChannel.Success", channelId, requestId, groupChannelId, 0, target, extranoncePrefix, null, null);
    }

    @Override
    public void openExtendedMiningChannelSuccess(final int requestId, final int channelId, final byte[] target,
        final int extranonceSize, final byte[] extranoncePrefix, final int groupChannelId)
    {
        add("OpenExtendedMiningChannel.Success", channelId, requestId, groupChannelId, extranonceSize, target,
            extranoncePrefix, null, null);
    }

    @Override
    public void openMiningChannelError(final int requestId, final String errorCode)
    {
        add("OpenMiningChannel.Error", 0, requestId, 0, 0, null, null, null, errorCode);
    }

    @Override
    public void updateChannelError(final int channelId, final String errorCode)
    {
        add("UpdateChannel.Error", channelId, 0, 0, 0, null, null, null, errorCode);
    }

    @Override
    public void newMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final byte[] merkleRoot, final int merkleRootOffset)
    {
        add("NewMiningJob", channelId, jobId, minNtime, version,
            java.util.Arrays.copyOfRange(merkleRoot, merkleRootOffset, merkleRootOffset + 32), null, null, null);
    }

    @Override
    public void newExtendedMiningJob(final int channelId, final int jobId, final long minNtime, final int version,
        final boolean versionRollingAllowed, final byte[] merklePath, final int pathCount, final byte[] coinbaseTxPrefix,
        final byte[] coinbaseTxSuffix)
    {
        add("NewExtendedMiningJob", channelId, jobId, minNtime, version, Arrays.copyOf(merklePath, pathCount * 32),
            coinbaseTxPrefix, coinbaseTxSuffix, null);
    }

    @Override
    public void setNewPrevHash(final int channelId, final int jobId, final byte[] prevHash, final int minNtime,
        final int nbits)
    {
        add("SetNewPrevHash", channelId, jobId, minNtime, nbits, prevHash, null, null, null);
    }

    @Override
    public void setTarget(final int channelId, final byte[] maximumTarget)
    {
        add("SetTarget", channelId, 0, 0, 0, maximumTarget, null, null, null);
    }

    @Override
    public void setExtranoncePrefix(final int channelId, final byte[] extranoncePrefix)
    {
        add("SetExtranoncePrefix", channelId, 0, 0, 0, extranoncePrefix, null, null, null);
    }

    @Override
    public void setGroupChannel(final int groupChannelId, final int[] channelIds, final int count)
    {
        final byte[] ids = new byte[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = (byte)channelIds[i];
        }
        add("SetGroupChannel", groupChannelId, count, 0, 0, ids, null, null, null);
    }

    @Override
    public void submitSharesSuccess(final int channelId, final int lastSequenceNumber, final int newSubmitsAcceptedCount,
        final long newSharesSum)
    {
        add("SubmitShares.Success", channelId, lastSequenceNumber, newSubmitsAcceptedCount, newSharesSum, null, null, null, null);
    }

    @Override
    public void submitSharesError(final int channelId, final int sequenceNumber, final ShareError error)
    {
        add("SubmitShares.Error", channelId, sequenceNumber, 0, 0, null, null, null, error.code());
    }

    @Override
    public void closeChannel(final int channelId, final String reasonCode)
    {
        add("CloseChannel", channelId, 0, 0, 0, null, null, null, reasonCode);
    }

    @Override
    public void disconnect(final String reason)
    {
        disconnectReason = reason;
    }
}
