package org.bitcoincommons.sv2.bench.noise;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.crypto.EcBackend;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.HandshakeRandom;
import org.bitcoincommons.sv2.noise.NoiseInitiator;
import org.bitcoincommons.sv2.noise.NoiseResponder;
import org.bitcoincommons.sv2.noise.StaticKeyRotation;
import org.bitcoincommons.sv2.noise.TransportCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The responder's part of an NX handshake alone: read act 1 (made beforehand by real initiators), write act 2, split.
 * This is the CPU a pool spends per connecting miner (the initiator's work is the miner's).
 * <ul>
 * <li>{@code keys = inline}: the ephemeral key pair (k*G and its ElligatorSwift encoding) is made in the handshake,
 * as without {@code prepared_ephemeral_keys};</li>
 * <li>{@code keys = prepared}: it was made ahead ({@link org.bitcoincommons.sv2.noise.PreparedKeys} does that in the
 * background); the op is what is left on the accept path: one ElligatorSwift decode, ee and es, hashing, AEAD.</li>
 * </ul>
 * libsecp256k1's calls for the same responder work are in jmh-results/noise.md (keygen 32.7 us + two ECDH).
 */
@State(Scope.Thread)
public class ResponderBench
{
    private static final int MESSAGES = 1024;
    private static final SchnorrKeyPair AUTHORITY = SchnorrKeyPair.of(AuthorityKeys.generateSecret(new SecureRandom()));

    @Param({"native", "java"})
    public String backend;
    @Param({"inline", "prepared"})
    public String keys;

    private EcBackend ec;
    private StaticKeyRotation staticKeys;
    private HandshakeRandom random;
    private final byte[][] act1s = new byte[MESSAGES][NoiseInitiator.ACT1_LENGTH];
    private final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
    private int next;

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        ec = EcBackends.byName(backend);
        final HandshakeRandom secure = HandshakeRandom.secure(new SecureRandom(), ec);
        staticKeys = new StaticKeyRotation(AUTHORITY, 3600, 60, secure, InstantSource.system());
        final SchnorrPublicKey authorityPublic = SchnorrPublicKey.of(AUTHORITY.publicKey());
        for (int i = 0; i < MESSAGES; i++)
        {
            new NoiseInitiator(authorityPublic, secure, InstantSource.system(), ec).writeAct1(act1s[i], 0);
        }
        if ("prepared".equals(keys))
        {
            final EllSwiftKeyPair[] made = new EllSwiftKeyPair[MESSAGES];
            for (int i = 0; i < MESSAGES; i++)
            {
                made[i] = secure.nextKeyPair();
            }
            random = new HandshakeRandom()
            {
                private int i;

                @Override
                public EllSwiftKeyPair nextKeyPair()
                {
                    return made[i++ & (MESSAGES - 1)];
                }

                @Override
                public void auxRand(final byte[] out32)
                {
                    secure.auxRand(out32);
                }
            };
        }
        else
        {
            random = secure;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TransportCipher responder() throws Exception
    {
        final byte[] act1 = act1s[next++ & (MESSAGES - 1)];
        return new NoiseResponder(staticKeys, random, ec).readAct1WriteAct2(act1, 0, act2, 0);
    }
}
