package org.bitcoincommons.sv2.bench.noise;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.TransportCipher;
import org.bitcoincommons.sv2.noise.TransportCiphers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * NoiseChannel.writeFrame then readFrame of one SubmitSharesStandard-sized frame (6 + 24 bytes, 62 on the wire)
 * through an in-memory loopback stream on one thread: the per-share transport path, including buffer handling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChannelBench
{
    private static final int PAYLOAD = 24;

    /** One reusable byte array: writes append, reads consume, both positions reset when it drains. */
    static final class Loopback
    {
        final byte[] data = new byte[1 << 16];
        int readPosition;
        int writePosition;

        final InputStream in = new InputStream()
        {
            @Override
            public int read()
            {
                return readPosition < writePosition ? data[readPosition++] & 0xff : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len)
            {
                final int n = Math.min(len, writePosition - readPosition);
                if (n <= 0)
                {
                    return -1;
                }
                System.arraycopy(data, readPosition, b, off, n);
                readPosition += n;
                if (readPosition == writePosition)
                {
                    readPosition = 0;
                    writePosition = 0;
                }
                return n;
            }
        };

        final OutputStream out = new OutputStream()
        {
            @Override
            public void write(final int b)
            {
                data[writePosition++] = (byte)b;
            }

            @Override
            public void write(final byte[] b, final int off, final int len)
            {
                System.arraycopy(b, off, data, writePosition, len);
                writePosition += len;
            }
        };
    }

    private NoiseChannel client;
    private NoiseChannel server;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransportCipher.HEADER_LENGTH + PAYLOAD]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[1024]);

    /** The AEAD under the framing: native (libsv2hash through FFM) or java. */
    @Param({"native", "java"})
    String backend;

    @Setup
    public void setup()
    {
        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        k2[0] = 1;
        final AeadImpl impl = AeadImpl.fromConfigName(backend);
        final Loopback wire = new Loopback();
        client = TransportCiphers.channel(wire.in, wire.out, () -> { }, TransportCiphers.of(k1, k2, impl), 1 << 20);
        server = TransportCiphers.channel(wire.in, wire.out, () -> { }, TransportCiphers.of(k2, k1, impl), 1 << 20);
        frame.putShort(0, (short)0x8000, LITTLE_ENDIAN);
        frame.putByte(2, (byte)0x1a);
        frame.putShort(3, (short)PAYLOAD, LITTLE_ENDIAN);
    }

    @Benchmark
    public int writeThenReadShare() throws IOException
    {
        client.writeFrame(frame, 0, frame.capacity());
        return server.readFrame(received);
    }
}
