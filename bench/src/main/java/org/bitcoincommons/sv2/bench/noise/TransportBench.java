package org.bitcoincommons.sv2.bench.noise;

import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.ChaCha20Poly1305;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encrypt then decrypt one message through the transport AEAD, counter nonce advancing each call: our
 * allocation-free ChaCha20-Poly1305 ({@code backend} native = libsv2hash through FFM, java = pure Java) against the
 * JDK cipher (which needs a Cipher.init per message; it ignores {@code backend}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportBench
{
    @Param({"64"})
    int length;

    @Param({"native", "java"})
    String backend;

    private final byte[] key = new byte[32];
    private ChaCha20Poly1305 sender;
    private ChaCha20Poly1305 receiver;
    private final byte[] none = new byte[0];
    private byte[] plain;
    private byte[] wire;
    private byte[] back;
    private long nonce;
    private Cipher jdkEnc;
    private Cipher jdkDec;
    private SecretKeySpec jdkKey;
    private final byte[] iv = new byte[12];

    @Setup
    public void setup() throws Exception
    {
        for (int i = 0; i < 32; i++)
        {
            key[i] = (byte)(i * 7 + 1);
        }
        final AeadImpl impl = AeadImpl.fromConfigName(backend);
        sender = new ChaCha20Poly1305(impl).key(key, 0);
        receiver = new ChaCha20Poly1305(impl).key(key, 0);
        plain = new byte[length];
        wire = new byte[length + ChaCha20Poly1305.TAG_LENGTH];
        back = new byte[length];
        jdkEnc = Cipher.getInstance("ChaCha20-Poly1305");
        jdkDec = Cipher.getInstance("ChaCha20-Poly1305");
        jdkKey = new SecretKeySpec(key, "ChaCha20");
    }

    @Benchmark
    public int ours()
    {
        final long n = nonce++;
        sender.encrypt(n, none, 0, 0, plain, 0, length, wire, 0);
        return receiver.decrypt(n, none, 0, 0, wire, 0, wire.length, back, 0);
    }

    @Benchmark
    public int jdk() throws Exception
    {
        final long n = nonce++;
        for (int i = 0; i < 8; i++)
        {
            iv[4 + i] = (byte)(n >>> (8 * i));
        }
        jdkEnc.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(iv));
        jdkEnc.doFinal(plain, 0, length, wire, 0);
        jdkDec.init(Cipher.DECRYPT_MODE, jdkKey, new IvParameterSpec(iv));
        return jdkDec.doFinal(wire, 0, wire.length, back, 0);
    }
}
