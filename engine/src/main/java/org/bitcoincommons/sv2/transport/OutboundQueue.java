package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The queue of frames waiting to go to one connection, and the writer that sends them.
 * <p>
 * One producer thread at a time encodes frames straight into the queue ({@link #claim}/{@link #commit}), so nothing
 * is allocated per frame; the pool logic thread is the producer once a connection is open (before that, the
 * connection's reader). The queue starts small (off-heap) and doubles when a burst does not fit, up to a limit: a
 * peer that lets that much pile up unread is not reading, and {@link #claim} returns -1 so that the caller drops it.
 * <p>
 * The writer is one virtual thread per queue, started by the first commit and living until {@link #close}: it
 * drains what is queued, flushes, and parks when the queue is empty; a commit unparks it only when it is parked (a
 * volatile read after a full fence, no atomic read-modify-write, nothing allocated). Starting a thread per burst
 * instead cost an allocation and a scheduler submission per acknowledgement. Segments are read oldest first; the
 * producer never writes an older segment again.
 * <p>
 * On an event loop ({@link #handOver}) there is no writer thread: each commit calls the loop's drainer, and the
 * loop moves frames to the connection's Noise channel with {@link #drainTo} at its turn.
 */
public final class OutboundQueue implements AutoCloseable, MessageHandler
{
    private static final int FRAME_MSG_TYPE = 1;
    private static final int DRAIN_LIMIT = 256;

    /** One ring of the chain; {@code next} is set by the producer when it moves on. */
    private static final class Segment
    {
        final RingBuffer ring;
        volatile Segment next;

        Segment(final int capacity)
        {
            ring = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        }
    }

    private final FrameSink sink;
    private final int maxBytes;
    /** The writer, once the first commit started it. Written by the producer only. */
    private volatile Thread writer;
    /** True while the writer is parked (or about to park) on an empty queue. */
    private volatile boolean parked;
    /** Set when the writer's loop has ended. */
    private volatile boolean writerDone;
    /** Producer side. */
    private Segment tail;
    private int capacity;
    /** Writer side (read by the producer for the backlog estimate). */
    private volatile Segment head;
    private volatile boolean closed;
    private volatile IOException failure;
    private long framesWritten;
    /** Told, once per wake-up, how long the writer took to run after a commit found it parked. */
    private LongConsumer writerStartNs;
    private volatile long wokenAtNs;
    /** Set by {@link #handOver}: an event loop drains the queue; a commit calls this instead of waking a writer. */
    private volatile Runnable drainer;

    /**
     * @param initialBytes first ring's capacity (rounded up to a power of two)
     * @param maxBytes     the most that may wait unwritten before {@link #claim} gives up
     */
    public OutboundQueue(final int initialBytes, final int maxBytes, final FrameSink sink)
    {
        this.sink = sink;
        this.capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(1024, initialBytes));
        this.maxBytes = Math.max(capacity, maxBytes);
        this.tail = new Segment(capacity);
        this.head = tail;
    }

    /**
     * Reserves {@code length} bytes for one frame. Returns the index to encode at in {@link #buffer()}, or -1 when
     * the queue holds its limit or is closed (the caller closes the connection).
     */
    public int claim(final int length)
    {
        if (closed || backlogBytes() + length > maxBytes)
        {
            return -1;
        }
        int index = length <= tail.ring.maxMsgLength() ? tail.ring.tryClaim(FRAME_MSG_TYPE, length) : -1;
        while (index < 0)
        {
            // a ring takes messages up to an eighth of its capacity: a frame larger than that needs a larger ring
            final int bigger = Math.max(capacity * 2, BitUtil.findNextPositivePowerOfTwo(length * 8));
            if (bigger > maxBytes)
            {
                return -1;
            }
            capacity = bigger;
            final Segment next = new Segment(bigger);
            tail.next = next;
            tail = next;
            index = tail.ring.tryClaim(FRAME_MSG_TYPE, length);
        }
        return index;
    }

    /**
     * Reports each writer wake-up's delay (a commit that found the writer parked, to the writer running, in
     * nanoseconds) to {@code sink}; set before the first {@link #commit}. Null turns it off.
     */
    public OutboundQueue writerStartLatency(final LongConsumer sink)
    {
        this.writerStartNs = sink;
        return this;
    }

    /** The buffer of the last {@link #claim}. */
    public MutableDirectBuffer buffer()
    {
        return tail.ring.buffer();
    }

    /** Publishes the claimed frame and makes sure the writer runs. */
    public void commit(final int index)
    {
        tail.ring.commit(index);
        final Runnable d = drainer;
        if (d != null)
        {
            d.run();
            return;
        }
        final Thread w = writer;
        if (w == null)
        {
            final Thread started = Thread.ofVirtual().unstarted(this::writerLoop);
            writer = started;
            started.start();
            return;
        }
        if (writerParked())
        {
            if (writerStartNs != null)
            {
                wokenAtNs = System.nanoTime();
            }
            LockSupport.unpark(w);
        }
    }

    /**
     * The producer's half of the wake-up protocol, after its commit: true when the writer is parked (or committed to
     * parking) and must be unparked; the flag is cleared then. The writer sets {@code parked} and then looks at the
     * queue ({@link #writerMayPark}); the producer published and then looks at {@code parked}. The fence orders the
     * commit (a release store) before the read, so one of the two sees the other: no lost wake-up (checked by the
     * jcstress test OutboundQueueWakeStress).
     */
    boolean writerParked()
    {
        VarHandle.fullFence();
        if (parked)
        {
            parked = false;
            return true;
        }
        return false;
    }

    /**
     * The writer's half: announces that it is about to park, then returns true when it may (the queue is empty and
     * open), or withdraws the announcement and returns false when there is something to write.
     */
    boolean writerMayPark()
    {
        parked = true;
        if (closed || !empty())
        {
            parked = false;
            return false;
        }
        return true;
    }

    /** Publishes the claimed frame without waking or starting the writer (the stress test drives the writer's half). */
    void commitQuietly(final int index)
    {
        tail.ring.commit(index);
    }

    /** Gives up a claimed frame. */
    public void abort(final int index)
    {
        tail.ring.abort(index);
    }

    public boolean closed()
    {
        return closed;
    }

    /** Why the writer stopped, or null. */
    public IOException failure()
    {
        return failure;
    }

    public long framesWritten()
    {
        return framesWritten;
    }

    /** Bytes waiting (approximate while a writer runs). */
    public int backlogBytes()
    {
        int n = 0;
        for (Segment s = head; s != null; s = s.next)
        {
            n += s.ring.size();
        }
        return n;
    }

    private boolean empty()
    {
        for (Segment s = head; s != null; s = s.next)
        {
            if (s.ring.size() > 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands the queue to an event loop: the writer thread (if one was started) finishes the frame it is writing and
     * ends, and from now on each commit calls {@code drainer}, which makes the loop call {@link #drainTo} soon. Called
     * by the connection's own thread, while no other thread produces; waits at most {@code waitMs} for the writer.
     *
     * @return false when the writer did not end in time (a peer that is not reading): the connection should close
     */
    public boolean handOver(final Runnable drainer, final long waitMs)
    {
        this.drainer = drainer;
        final Thread w = writer;
        if (w == null)
        {
            return !closed;
        }
        LockSupport.unpark(w);
        final long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (!writerDone)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(100_000);
            LockSupport.unpark(w);
        }
        return !closed;
    }

    /**
     * The event loop's drain after {@link #handOver}: moves up to {@code maxFrames} committed frames to the sink
     * (no flush: the loop writes what the sink buffered). A frame claimed but not yet committed is left for the
     * commit that will call the drainer again.
     *
     * @return the frames moved
     */
    public int drainTo(final int maxFrames) throws IOException
    {
        final LongConsumer started = writerStartNs;
        final long wokenAt = wokenAtNs;
        if (started != null && wokenAt != 0)
        {
            wokenAtNs = 0;
            started.accept(System.nanoTime() - wokenAt);
        }
        int total = 0;
        while (!closed && total < maxFrames)
        {
            final long before = head.ring.consumerPosition();
            final int n = head.ring.read(this, maxFrames - total);
            total += n;
            if (n == 0)
            {
                if (head.ring.consumerPosition() != before)
                {
                    continue;   // a read stops at the ring's end: it passed only the padding there; go on from the start
                }
                final Segment next = head.next;
                if (next == null || head.ring.size() > 0)
                {
                    break;
                }
                head = next;
            }
        }
        final IOException f = failure;
        if (f != null)
        {
            throw f;
        }
        return total;
    }

    /** For the event loop: the time a drain was asked for (0: not recorded), reported by the next {@link #drainTo}. */
    public void drainRequested(final long nowNs)
    {
        if (writerStartNs != null && wokenAtNs == 0)
        {
            wokenAtNs = nowNs;
        }
    }

    /** True when frames are committed and not yet drained. */
    public boolean pending()
    {
        return !empty();
    }

    private void writerLoop()
    {
        try
        {
            while (!closed && drainer == null)
            {
                if (drain())
                {
                    continue;
                }
                if (!writerMayPark())
                {
                    continue;
                }
                if (drainer != null)
                {
                    break;
                }
                LockSupport.park(this);
                final LongConsumer started = writerStartNs;
                final long wokenAt = wokenAtNs;
                if (started != null && wokenAt != 0)
                {
                    wokenAtNs = 0;
                    started.accept(System.nanoTime() - wokenAt);
                }
            }
        }
        catch (final IOException ex)
        {
            failure = ex;
            closed = true;
        }
        finally
        {
            parked = false;
            writerDone = true;
        }
    }

    /**
     * Writes everything committed so far and flushes once. Returns false when there was nothing to write; spins
     * (briefly) over a frame that is claimed but not yet committed.
     */
    private boolean drain() throws IOException
    {
        int total = 0;
        while (!closed)
        {
            final int n = head.ring.read(this, DRAIN_LIMIT);
            total += n;
            if (n == 0)
            {
                final Segment next = head.next;
                if (next == null || head.ring.size() > 0)
                {
                    if (head.ring.size() > 0 && total == 0)
                    {
                        Thread.onSpinWait();   // claimed, not committed yet: the producer is encoding it
                        return true;
                    }
                    break;
                }
                head = next;   // the producer has moved on; this segment is finished
            }
        }
        if (total > 0 && !closed)
        {
            sink.flush();
        }
        return total > 0;
    }

    /** Stops after what is queued has been written (best effort, bounded by {@code lingerMs}). */
    public void close(final long lingerMs)
    {
        final long deadline = System.currentTimeMillis() + lingerMs;
        while (!closed && !writerDone && writer != null && (!empty() || !parked) &&
            System.currentTimeMillis() < deadline)
        {
            LockSupport.parkNanos(1_000_000);
        }
        close();
    }

    /**
     * The rings' reader: one committed frame to the sink. Called by the writer (or the loop's {@link #drainTo}) only,
     * never by others; the queue is its own handler so that a connection costs no object for it.
     */
    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        try
        {
            sink.write(buffer, index, length);
            framesWritten++;
        }
        catch (final IOException ex)
        {
            failure = ex;
            closed = true;
        }
    }

    @Override
    public void close()
    {
        closed = true;
        final Thread w = writer;
        if (w != null)
        {
            LockSupport.unpark(w);
        }
    }
}
