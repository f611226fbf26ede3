package org.bitcoincommons.sv2.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.merge.AuxProofOutcome;
import org.bitcoincommons.sv2.merge.AuxWorkItem;
import org.bitcoincommons.sv2.merge.AuxWorkSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontend's aux work when {@code [cluster] aux = "cluster"}: the work the cluster sends on egress
 * (AUX_WORK_UPDATE, in log order, per chain), given to the pool's merged-mining layer, and the way its proofs go back
 * (AUX_SUBMIT over this frontend's session; the outcome comes as AUX_OUTCOME once the leader's aux feeder submitted the
 * proof to its node). Work not above what this frontend already holds for its chain (height, term, sequence) is
 * dropped, so a re-send after a new leader or an old feeder's work never moves it backwards.
 * <p>
 * Thread: {@link #onWorkUpdate}, {@link #onOutcome} and {@link #nextOutgoing} on the frontend's cluster-client
 * thread; {@link #submit} on the merged-mining layer's submitter threads (it waits for the outcome); the rest from any
 * thread.
 */
public final class ClusterAuxSource implements AuxWorkSource
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAuxSource.class);

    private final int frontendId;
    private final org.agrona.concurrent.EpochClock clock;
    /** Chain -> when work newer than the one held last arrived (the feeder re-sends unchanged work to confirm it). */
    private final Map<String, Long> confirmedAtMs = new ConcurrentHashMap<>();
    private final Map<String, AuxWorkItem> work = new ConcurrentHashMap<>();
    /** Chain -> the (height, term, sequence) of the work held, as the first 32 bytes of its AUX_WORK message. */
    private final Map<String, UnsafeBuffer> keys = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<AuxProofOutcome>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<byte[]> outgoing = new ConcurrentLinkedQueue<>();
    private volatile long updatesReceived;
    private volatile long updatesDropped;
    private final java.util.concurrent.atomic.AtomicLong proofsQueued = new java.util.concurrent.atomic.AtomicLong();
    private volatile long proofsSent;
    private volatile long proofsTooLarge;
    private volatile long proofsAccepted;
    private volatile long proofsRejected;

    public ClusterAuxSource(final int frontendId)
    {
        this(frontendId, org.agrona.concurrent.SystemEpochClock.INSTANCE);
    }

    /** @param clock when work arrives (its age: {@link #workAgeMs}) */
    public ClusterAuxSource(final int frontendId, final org.agrona.concurrent.EpochClock clock)
    {
        this.frontendId = frontendId;
        this.clock = clock;
    }

    @Override
    public long workAgeMs(final String chain)
    {
        final Long at = confirmedAtMs.get(chain);
        return at == null ? Long.MAX_VALUE : Math.max(0, clock.time() - at);
    }

    @Override
    public AuxWorkItem work(final String chain)
    {
        return work.get(chain);
    }

    @Override
    public void onWork(final Consumer<String> listener)
    {
        listeners.add(listener);
    }

    @Override
    public AuxProofOutcome submit(final String chain, final byte[] blockHash, final long height, final byte[] proof,
        final long timeoutMs) throws InterruptedException
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(AuxCodec.SUBMIT_HEADER_LENGTH + 64 + proof.length);
        final int n = AuxCodec.encodeSubmit(b, 0, frontendId, chain, blockHash, height, proof);
        final byte[] message = new byte[n];
        b.getBytes(0, message);
        final String key = ReplicatedAccounting.proofKey(chain, blockHash);
        final CompletableFuture<AuxProofOutcome> f = waiting.computeIfAbsent(key, k -> new CompletableFuture<>());
        if (!f.isDone())
        {
            proofsQueued.incrementAndGet();
            outgoing.add(message);
        }
        try
        {
            final AuxProofOutcome o = f.get(timeoutMs, TimeUnit.MILLISECONDS);
            waiting.remove(key, f);
            return o;
        }
        catch (final TimeoutException ex)
        {
            // a retry sends the proof again; an outcome that comes meanwhile is in the cluster's record, which
            // answers the repeat with it
            waiting.remove(key, f);
            return null;
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause());
        }
    }

    /** The next AUX_SUBMIT to send, without taking it (cluster-client thread), or null. */
    byte[] nextOutgoing()
    {
        return outgoing.peek();
    }

    /** The message {@link #nextOutgoing} returned was taken by ingress (cluster-client thread). */
    void sent()
    {
        outgoing.poll();
        proofsSent++;
    }

    /** The message {@link #nextOutgoing} returned cannot be sent (too large): dropped (cluster-client thread). */
    void tooLarge()
    {
        outgoing.poll();
        proofsTooLarge++;
    }

    /** True when no chain has work yet: the client asks for it (AUX_REQUEST). */
    boolean empty()
    {
        return work.isEmpty();
    }

    /** One AUX_WORK_UPDATE from egress (the cluster-client thread). */
    void onWorkUpdate(final DirectBuffer b, final int offset, final int length)
    {
        updatesReceived++;
        final AuxCodec.Work w;
        try
        {
            w = AuxCodec.decodeWork(b, offset, length, Protocol.AUX_WORK_UPDATE);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            updatesDropped++;
            LOG.warn("cluster aux source: malformed aux work of {} bytes: {}", length, ex.getMessage());
            return;
        }
        final String chain = w.item().chain();
        final UnsafeBuffer key = keys.get(chain);
        if (key != null && AuxCodec.compareWork(b, offset, key, 0) <= 0)
        {
            updatesDropped++;
            return;
        }
        final UnsafeBuffer next = new UnsafeBuffer(new byte[AuxCodec.WORK_HEIGHT_OFFSET + 8]);
        next.putBytes(0, b, offset, next.capacity());
        keys.put(chain, next);
        confirmedAtMs.put(chain, clock.time());
        final AuxWorkItem before = work.put(chain, w.item());
        if (before != null && java.util.Arrays.equals(before.hash(), w.item().hash()) &&
            java.util.Arrays.equals(before.targetLe(), w.item().targetLe()))
        {
            return; // the same work, confirmed: nothing to tell
        }
        for (final Consumer<String> l : listeners)
        {
            l.accept(chain);
        }
    }

    /** One AUX_OUTCOME from egress (the cluster-client thread): settles a proof of this frontend, if it waits. */
    void onOutcome(final DirectBuffer b, final int offset, final int length)
    {
        final AuxCodec.Result r;
        try
        {
            r = AuxCodec.decodeResult(b, offset, length, Protocol.AUX_OUTCOME);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            LOG.warn("cluster aux source: malformed aux outcome of {} bytes: {}", length, ex.getMessage());
            return;
        }
        final CompletableFuture<AuxProofOutcome> f = waiting.get(ReplicatedAccounting.proofKey(r.chain(), r.hash()));
        if (f != null && f.complete(r.outcome()))
        {
            if (r.outcome().accepted())
            {
                proofsAccepted++;
            }
            else
            {
                proofsRejected++;
            }
        }
    }

    public long updatesReceived()
    {
        return updatesReceived;
    }

    public long updatesDropped()
    {
        return updatesDropped;
    }

    /** Proofs handed to the cluster (a retry of a proof counts again). */
    public long proofsQueued()
    {
        return proofsQueued.get();
    }

    /** AUX_SUBMIT messages ingress took. */
    public long proofsSent()
    {
        return proofsSent;
    }

    /** Proofs not sent because they do not fit one ingress message. */
    public long proofsTooLarge()
    {
        return proofsTooLarge;
    }

    public long proofsAccepted()
    {
        return proofsAccepted;
    }

    public long proofsRejected()
    {
        return proofsRejected;
    }
}
