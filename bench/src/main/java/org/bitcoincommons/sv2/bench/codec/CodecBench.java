package org.bitcoincommons.sv2.bench.codec;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode and decode of the two messages that dominate SV2 traffic: SubmitSharesStandard (every share) and
 * NewExtendedMiningJob (every job, here with a 12-hash merkle path and 100-byte coinbase parts). Decoders read
 * every field, header included, into the Blackhole. Run with {@code -prof gc}: all four must show 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench
{
    private static final int MERKLE_PATH_COUNT = 12;
    private static final int COINBASE_PART_LENGTH = 100;
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    private final FrameHeaderFlyweight header = new FrameHeaderFlyweight();
    private final SubmitSharesStandard share = new SubmitSharesStandard();
    private final NewExtendedMiningJob job = new NewExtendedMiningJob();

    private final UnsafeBuffer shareFrame = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer jobFrame = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer merklePath = new UnsafeBuffer(new byte[MERKLE_PATH_COUNT * 32]);
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[COINBASE_PART_LENGTH]);
    private final UnsafeBuffer suffix = new UnsafeBuffer(new byte[COINBASE_PART_LENGTH]);
    private int jobFrameLength;
    private long nonce;

    @Setup
    public void setup()
    {
        for (int i = 0; i < merklePath.capacity(); i++)
        {
            merklePath.putByte(i, (byte)(i * 7));
        }
        for (int i = 0; i < COINBASE_PART_LENGTH; i++)
        {
            prefix.putByte(i, (byte)i);
            suffix.putByte(i, (byte)(255 - i));
        }
        share.wrapForEncode(shareFrame, HEADER).channelId(1).sequenceNumber(2).jobId(3).nonce(0xdeadbeefL)
            .ntime(0x65000000L).version(0x20000000L).writeHeader(shareFrame, 0);
        jobFrameLength = job.encode(jobFrame, HEADER, 5, 9, 0x66000000L, 0x20000000L, true,
            merklePath, 0, MERKLE_PATH_COUNT, prefix, 0, COINBASE_PART_LENGTH, suffix, 0, COINBASE_PART_LENGTH)
            .writeHeader(jobFrame, 0);
    }

    @Benchmark
    public void submitSharesStandardDecode(final Blackhole bh)
    {
        header.wrap(shareFrame, 0);
        bh.consume(header.extensionType());
        bh.consume(header.msgType());
        final SubmitSharesStandard m = share.wrap(shareFrame, HEADER, header.msgLength());
        bh.consume(m.channelId());
        bh.consume(m.sequenceNumber());
        bh.consume(m.jobId());
        bh.consume(m.nonce());
        bh.consume(m.ntime());
        bh.consume(m.version());
    }

    @Benchmark
    public int submitSharesStandardEncode()
    {
        return share.wrapForEncode(out, HEADER).channelId(1).sequenceNumber(nonce & 0xffff_ffffL).jobId(3)
            .nonce(nonce++ & 0xffff_ffffL).ntime(0x65000000L).version(0x20000000L).writeHeader(out, 0);
    }

    @Benchmark
    public void newExtendedMiningJobDecode(final Blackhole bh)
    {
        header.wrap(jobFrame, 0);
        bh.consume(header.extensionType());
        bh.consume(header.msgType());
        final NewExtendedMiningJob m = job.wrap(jobFrame, HEADER, header.msgLength());
        bh.consume(m.channelId());
        bh.consume(m.jobId());
        bh.consume(m.minNtime());
        bh.consume(m.version());
        bh.consume(m.versionRollingAllowed());
        final int count = m.merklePathCount();
        final int pathOffset = m.merklePathOffset();
        for (int i = 0; i < count; i++)
        {
            // Each hash as four LE longs, in place (no copy): what a merkle-root builder reads.
            final int at = pathOffset + 32 * i;
            bh.consume(jobFrame.getLong(at) ^ jobFrame.getLong(at + 8) ^ jobFrame.getLong(at + 16) ^
                jobFrame.getLong(at + 24));
        }
        bh.consume(m.coinbaseTxPrefixOffset());
        bh.consume(m.coinbaseTxPrefixLength());
        bh.consume(m.coinbaseTxSuffixOffset());
        bh.consume(m.coinbaseTxSuffixLength());
    }

    @Benchmark
    public int newExtendedMiningJobEncode()
    {
        return job.encode(out, HEADER, 5, nonce++ & 0xffff_ffffL, 0x66000000L, 0x20000000L, true,
            merklePath, 0, MERKLE_PATH_COUNT, prefix, 0, COINBASE_PART_LENGTH, suffix, 0, COINBASE_PART_LENGTH)
            .writeHeader(out, 0);
    }

    /** The frame length the setup produced, for a sanity check from tests or a debugger. */
    public int jobFrameLength()
    {
        return jobFrameLength;
    }
}
