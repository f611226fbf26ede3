package org.bitcoincommons.sv2.pool;

/**
 * What the pool logic sends to one downstream connection. The wire layer implements it by encoding SV2
 * frames into the connection's bounded outbound queue; it never blocks the caller (a full queue closes that
 * connection). Byte arrays are only read during the call, except a job's (coinbase parts, merkle path), which are the
 * job's own immutable arrays and may be kept until that job's SetNewPrevHash. Targets, hashes and prev_hash are 32 bytes in
 * wire order (little-endian / internal byte order).
 */
public interface MiningDownstream
{
    /** A stable identifier of the connection, for logs and metrics. */
    long connectionId();

    /** The wire protocol, for the per-worker view: "sv2" unless the endpoint says otherwise. */
    default String protocol()
    {
        return "sv2";
    }

    void openStandardMiningChannelSuccess(int requestId, int channelId, byte[] target, byte[] extranoncePrefix,
        int groupChannelId);

    void openExtendedMiningChannelSuccess(int requestId, int channelId, byte[] target, int extranonceSize,
        byte[] extranoncePrefix, int groupChannelId);

    void openMiningChannelError(int requestId, String errorCode);

    void updateChannelError(int channelId, String errorCode);

    /**
     * {@code minNtime} < 0 means none (a future job). The merkle root is the 32 bytes of {@code merkleRoot} from
     * {@code merkleRootOffset}, valid during the call only.
     */
    void newMiningJob(int channelId, int jobId, long minNtime, int version, byte[] merkleRoot, int merkleRootOffset);

    /** {@code minNtime} < 0 means none (a future job). {@code merklePath} holds {@code pathCount} hashes. */
    void newExtendedMiningJob(int channelId, int jobId, long minNtime, int version, boolean versionRollingAllowed,
        byte[] merklePath, int pathCount, byte[] coinbaseTxPrefix, byte[] coinbaseTxSuffix);

    void setNewPrevHash(int channelId, int jobId, byte[] prevHash, int minNtime, int nbits);

    void setTarget(int channelId, byte[] maximumTarget);

    /** SetExtranoncePrefix: jobs sent after it use {@code extranoncePrefix}; earlier jobs keep the old one. */
    void setExtranoncePrefix(int channelId, byte[] extranoncePrefix);

    void setGroupChannel(int groupChannelId, int[] channelIds, int count);

    void submitSharesSuccess(int channelId, int lastSequenceNumber, int newSubmitsAcceptedCount, long newSharesSum);

    void submitSharesError(int channelId, int sequenceNumber, ShareError error);

    void closeChannel(int channelId, String reasonCode);

    /** SetCustomMiningJob.Success: the custom job is {@code jobId}. Only work-selection connections get it. */
    default void setCustomMiningJobSuccess(final int channelId, final int requestId, final int jobId)
    {
        throw new UnsupportedOperationException("this downstream cannot set custom jobs");
    }

    /** SetCustomMiningJob.Error with SRI's code. */
    default void setCustomMiningJobError(final int channelId, final int requestId, final String errorCode)
    {
        throw new UnsupportedOperationException("this downstream cannot set custom jobs");
    }

    /** Ends the connection with a logged reason (protocol fault, slow reader, shutdown). */
    void disconnect(String reason);
}
