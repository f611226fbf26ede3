package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The bounded queue of frames waiting to go to one connection, and the writer that sends them. Any thread may
 * enqueue (the pool logic thread, the connection's reader); frames are encoded straight into the ring
 * ({@link #claim}/{@link #commit}), so nothing is allocated per frame. The queue never blocks a producer: when it is
 * full the peer is not reading, and {@link #claim} returns -1 so that the caller drops the connection. The ring is
 * off-heap.
 * <p>
 * The writer is a virtual thread started when frames arrive and ended when the queue is empty, so an idle
 * connection holds no writer stack; at most one writer runs at a time (the {@code scheduled} flag), which also
 * orders its writes after the previous writer's.
 */
public final class OutboundQueue implements AutoCloseable
{
    private static final int FRAME_MSG_TYPE = 1;
    private static final int DRAIN_LIMIT = 256;

    private final RingBuffer ring;
    private final FrameSink sink;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drainLoop;
    private final MessageHandler writeHandler;
    private volatile boolean closed;
    private volatile IOException failure;
    private long framesWritten;

    /**
     * @param capacityBytes ring capacity, a power of two (frames plus 8 bytes of record header each)
     */
    public OutboundQueue(final int capacityBytes, final FrameSink sink)
    {
        final int cap = org.agrona.BitUtil.findNextPositivePowerOfTwo(Math.max(1024, capacityBytes));
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(cap + RingBufferDescriptor.TRAILER_LENGTH)));
        this.sink = sink;
        this.writeHandler = (msgTypeId, buffer, index, length) ->
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
        };
    }

    /**
     * Reserves {@code length} bytes for one frame. Returns the index to encode at in {@link #buffer()}, or -1 when
     * the queue is full or closed (the caller closes the connection).
     */
    public int claim(final int length)
    {
        if (closed)
        {
            return -1;
        }
        final int index = ring.tryClaim(FRAME_MSG_TYPE, length);
        return index > 0 ? index : -1;
    }

    public MutableDirectBuffer buffer()
    {
        return ring.buffer();
    }

    /** Publishes a claimed frame and wakes the writer. */
    public void commit(final int index)
    {
        ring.commit(index);
        if (scheduled.compareAndSet(false, true))
        {
            Thread.startVirtualThread(drain);
        }
    }

    /** Gives up a claimed frame. */
    public void abort(final int index)
    {
        ring.abort(index);
    }

    /** The largest frame that fits. */
    public int maxFrameLength()
    {
        return ring.maxMsgLength();
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

    /** Bytes waiting. */
    public int backlogBytes()
    {
        return ring.size();
    }

    private void drainLoop()
    {
        try
        {
            do
            {
                int total = 0;
                int n;
                while (!closed && (n = ring.read(writeHandler, DRAIN_LIMIT)) > 0)
                {
                    total += n;
                }
                if (total > 0 && !closed)
                {
                    sink.flush();
                }
                scheduled.set(false);
            }
            while (!closed && ring.size() > 0 && scheduled.compareAndSet(false, true));
        }
        catch (final IOException ex)
        {
            failure = ex;
            closed = true;
            scheduled.set(false);
        }
    }

    /** Stops the writer after it has written what is queued (best effort, bounded by {@code lingerMs}). */
    public void close(final long lingerMs)
    {
        final long deadline = System.currentTimeMillis() + lingerMs;
        while (!closed && (ring.size() > 0 || scheduled.get()) && System.currentTimeMillis() < deadline)
        {
            LockSupport.parkNanos(1_000_000);
        }
        close();
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
