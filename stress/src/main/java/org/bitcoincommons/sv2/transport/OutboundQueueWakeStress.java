package org.bitcoincommons.sv2.transport;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.agrona.DirectBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The outbound queue's wake-up protocol, raced: a producer claims, encodes and commits a frame and then asks whether
 * the writer is parked ({@link OutboundQueue#writerParked}); at the same time the writer, having found the queue
 * empty, announces that it parks and looks at the queue once more ({@link OutboundQueue#writerMayPark}). The writer
 * parks only when it may; the producer unparks only when it saw the writer parked. If neither sees the other, the
 * writer sleeps on a frame nobody wakes it for: a lost acknowledgement. That outcome must never happen.
 */
@JCStressTest
@Description("OutboundQueue: a commit racing the writer going to sleep never loses the wake-up")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the writer announced first; the producer saw it and wakes it")
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "the frame came first; the writer saw it and does not park")
@Outcome(id = "true, false", expect = ACCEPTABLE_INTERESTING,
    desc = "both saw each other: the writer stays up and gets a spare unpark (harmless)")
@Outcome(id = "false, true", expect = FORBIDDEN,
    desc = "lost wake-up: the writer parks on a committed frame and the producer does not wake it")
@State
public class OutboundQueueWakeStress
{
    private static final FrameSink DISCARD = new FrameSink()
    {
        @Override
        public void write(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        @Override
        public void flush()
        {
        }
    };

    private final OutboundQueue queue = new OutboundQueue(1024, 1 << 16, DISCARD);

    /** r1: the producer saw the writer parked (and would unpark it). */
    @Actor
    public void producer(final ZZ_Result r)
    {
        final int index = queue.claim(16);
        queue.buffer().putLong(index, 0x5354524553534c4fL);
        queue.commitQuietly(index);
        r.r1 = queue.writerParked();
    }

    /** r2: the writer parks (it found nothing to write after announcing itself). */
    @Actor
    public void writer(final ZZ_Result r)
    {
        r.r2 = queue.writerMayPark();
    }
}
