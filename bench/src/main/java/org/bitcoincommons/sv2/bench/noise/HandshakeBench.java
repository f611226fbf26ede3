package org.bitcoincommons.sv2.bench.noise;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.crypto.EcBackend;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.noise.HandshakeRandom;
import org.bitcoincommons.sv2.noise.NoiseInitiator;
import org.bitcoincommons.sv2.noise.NoiseResponder;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.noise.StaticKeyRotation;
import org.bitcoincommons.sv2.noise.TransportCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A full NX handshake in memory: initiator act 1, responder act 2 (fresh ephemeral key; static key and signed
 * certificate from a {@link StaticKeyRotation}), initiator reads act 2 and verifies the certificate. Both roles' work,
 * no I/O. The authority keys are prepared once, as NoiseConfig does for a running server or client.
 * {@code staticKeyRotationSec} = 0 makes a fresh static key and certificate per handshake (SRI's behaviour); 60 (the
 * NoiseConfig default) reuses them, so the responder skips a key generation, an encoding and a signature.
 */
@State(Scope.Thread)
public class HandshakeBench
{
    private static final SchnorrKeyPair AUTHORITY = SchnorrKeyPair.of(AuthorityKeys.generateSecret(new SecureRandom()));
    private static final SchnorrPublicKey AUTHORITY_PUBLIC = SchnorrPublicKey.of(AUTHORITY.publicKey());

    private HandshakeRandom random;
    private final InstantSource clock = InstantSource.system();
    private final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
    private final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];

    /** The server side shared by all benchmark threads, as one NoiseConfig is shared by a server's connections. */
    @State(Scope.Benchmark)
    public static class Server
    {
        @Param({"0", "60"})
        public long staticKeyRotationSec;
        /** The secp256k1 implementation of both roles: native (libsv2hash.so through FFM) or java. */
        @Param({"native", "java"})
        public String backend;
        EcBackend ec;
        StaticKeyRotation staticKeys;
        HandshakeRandom random;

        @Setup
        public void setup()
        {
            ec = EcBackends.byName(backend);
            random = HandshakeRandom.secure(new SecureRandom(), ec);
            staticKeys = new StaticKeyRotation(AUTHORITY, 3600, staticKeyRotationSec, random, InstantSource.system());
        }
    }

    @Setup
    public void setup(final Server server)
    {
        random = HandshakeRandom.secure(new SecureRandom(), server.ec);
    }

    private TransportCipher handshake(final Server server) throws Exception
    {
        final NoiseInitiator initiator = new NoiseInitiator(AUTHORITY_PUBLIC, random, clock, server.ec);
        final NoiseResponder responder = new NoiseResponder(server.staticKeys, server.random, server.ec);
        initiator.writeAct1(act1, 0);
        responder.readAct1WriteAct2(act1, 0, act2, 0);
        return initiator.readAct2(act2, 0);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TransportCipher fullHandshake(final Server server) throws Exception
    {
        return handshake(server);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public TransportCipher handshakesPerSecondTwoThreads(final Server server) throws Exception
    {
        return handshake(server);
    }
}
