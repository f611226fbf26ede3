package org.bitcoincommons.sv2.bench.noise;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.noise.NoiseException;
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
 * One SV2 frame with a 64-byte payload through the transport framing (22-byte encrypted header + payload + tag):
 * encrypt on one side, decrypt header and payload on the other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameBench
{
    private static final int PAYLOAD = 64;

    private TransportCipher client;
    private TransportCipher server;
    private final byte[] frame = new byte[TransportCipher.HEADER_LENGTH + PAYLOAD];
    private final byte[] wire = new byte[TransportCipher.ENCRYPTED_HEADER_LENGTH + PAYLOAD + 16];
    private final byte[] back = new byte[TransportCipher.HEADER_LENGTH + PAYLOAD];

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
        client = TransportCiphers.of(k1, k2, impl);
        server = TransportCiphers.of(k2, k1, impl);
        final UnsafeBuffer header = new UnsafeBuffer(frame);
        header.putShort(0, (short)0x8000, LITTLE_ENDIAN);
        header.putByte(2, (byte)0x1a);
        header.putShort(3, (short)PAYLOAD, LITTLE_ENDIAN);
    }

    @Benchmark
    public int encryptDecrypt64() throws NoiseException
    {
        final int n = client.encryptFrame(frame, 0, frame.length, wire, 0);
        server.decryptHeader(wire, 0, back, 0);
        server.decryptPayload(wire, TransportCipher.ENCRYPTED_HEADER_LENGTH, PAYLOAD, back, TransportCipher.HEADER_LENGTH);
        return n;
    }
}
