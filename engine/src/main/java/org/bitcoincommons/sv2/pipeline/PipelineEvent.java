package org.bitcoincommons.sv2.pipeline;

/**
 * One slot of the share ring. Pre-allocated by the ring and reused: a producer fills the fields its event
 * type uses, the consumer reads them during {@code onEvent} only. Shares and the control events that change
 * channel state travel through the same ring, so the consumer sees them in one order.
 *
 * @param <S> the type of the connection an event comes from (the pool's downstream)
 * @param <J> the type of a job (NEW_JOB)
 */
public final class PipelineEvent<S, J>
{
    public static final int SUBMIT_STANDARD = 1;
    public static final int SUBMIT_EXTENDED = 2;
    public static final int CONNECTION_OPENED = 3;
    public static final int OPEN_STANDARD_CHANNEL = 4;
    public static final int OPEN_EXTENDED_CHANNEL = 5;
    public static final int UPDATE_CHANNEL = 6;
    public static final int CLOSE_CHANNEL = 7;
    public static final int CONNECTION_CLOSED = 8;
    public static final int NEW_JOB = 9;
    public static final int TICK = 10;
    /** Runs {@link #task} on the consumer thread (snapshots for the API, shutdown). */
    public static final int TASK = 11;
    /** The next slice of the vardiff round a TICK started (many channels are retargeted a slice at a time). */
    public static final int TICK_MORE = 12;

    public static final int MAX_EXTRANONCE = 32;

    public int type;
    /** The connection the event came from (the pool's downstream object). */
    public S source;
    public int channelId;
    public int sequenceNumber;
    public int jobId;
    public int nonce;
    public int ntime;
    public int version;
    public final byte[] extranonce = new byte[MAX_EXTRANONCE];
    public int extranonceLength;
    /** SUBMIT_*: System.nanoTime() when the connection published the share (after decrypting it). */
    public long publishedNs;

    public int requestId;
    public String userIdentity;
    public float nominalHashrate;
    public final byte[] maxTarget = new byte[32];
    public int minExtranonceSize;
    /** CONNECTION_OPENED: requires standard jobs; NEW_JOB: a new chain tip. */
    public boolean flag;
    /** NEW_JOB: the job. */
    public J job;
    public Runnable task;

    void clearReferences()
    {
        source = null;
        userIdentity = null;
        job = null;
        task = null;
    }
}
