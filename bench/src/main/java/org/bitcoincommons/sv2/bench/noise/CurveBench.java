package org.bitcoincommons.sv2.bench.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.crypto.AffinePoint;
import org.bitcoincommons.sv2.crypto.EcBackend;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.crypto.EllSwift;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.FieldP;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.Secp256k1;
import org.bitcoincommons.sv2.crypto.Sha256;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The curve operations a handshake is made of, each on its own: our FieldP/Secp256k1 code against BouncyCastle's
 * secp256k1 (bc*), which is what decided the curve choice. Inputs rotate through 64 random values so that
 * data-dependent branches are not learned by the predictor (fixed inputs flattered compare-based carries 2x).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CurveBench
{
    private static final X9ECParameters BC = CustomNamedCurves.getByName("secp256k1");
    private static final FixedPointCombMultiplier BC_COMB = new FixedPointCombMultiplier();

    private final SecureRandom random = new SecureRandom();
    private static final int INPUTS = 64;
    private final BigInteger[] scalars = new BigInteger[INPUTS];
    private final AffinePoint[] points = new AffinePoint[INPUTS];
    private final ECPoint[] bcPoints = new ECPoint[INPUTS];
    private final ECFieldElement[] bcXs = new ECFieldElement[INPUTS];
    private final byte[][] encodings = new byte[INPUTS][];
    private final long[][] fieldA = new long[INPUTS][];
    private final long[][] fieldB = new long[INPUTS][];
    private int next;
    private byte[] secretKey;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;
    private Schnorr schnorr;
    private SchnorrKeyPair preparedSecret;
    private SchnorrPublicKey preparedPublic;
    private final long[] r = FieldP.create();

    @Setup
    public void setup()
    {
        for (int i = 0; i < INPUTS; i++)
        {
            scalars[i] = new BigInteger(255, random).add(BigInteger.ONE);
            final BigInteger m = new BigInteger(255, random).add(BigInteger.ONE);
            points[i] = Secp256k1.mulG(m);
            bcPoints[i] = BC.getG().multiply(m).normalize();
            bcXs[i] = bcPoints[i].getAffineXCoord();
            encodings[i] = EllSwift.encode(points[i].x(), random);
            fieldA[i] = points[i].x();
            fieldB[i] = points[i].y();
        }
        secretKey = Secp256k1.toBytes(new BigInteger(255, random).add(BigInteger.ONE));
        publicKey = Schnorr.publicKey(secretKey);
        message = new byte[32];
        schnorr = new Schnorr(new Sha256());
        signature = schnorr.sign(secretKey, message, new byte[32]);
        preparedSecret = SchnorrKeyPair.of(secretKey);
        preparedPublic = SchnorrPublicKey.of(publicKey);
    }

    /** Advances to the next random input. */
    private int rotate()
    {
        next = (next + 1) & (INPUTS - 1);
        return next;
    }

    @Benchmark
    public long[] fieldMul()
    {
        final int i = rotate();
        FieldP.mul(r, fieldA[i], fieldB[i]);
        return r;
    }

    @Benchmark
    public long[] fieldSqr()
    {
        FieldP.sqr(r, fieldA[rotate()]);
        return r;
    }

    @Benchmark
    public long[] fieldSqrt()
    {
        FieldP.sqrt(r, fieldA[rotate()]);
        return r;
    }

    @Benchmark
    public long[] fieldInv()
    {
        FieldP.inv(r, fieldA[rotate()]);
        return r;
    }

    @Benchmark
    public AffinePoint mulGenerator()
    {
        return Secp256k1.mulG(scalars[rotate()]);
    }

    @Benchmark
    public ECPoint bcMulGenerator()
    {
        return BC_COMB.multiply(BC.getG(), scalars[rotate()]).normalize();
    }

    @Benchmark
    public AffinePoint mulVariableBase()
    {
        final int i = rotate();
        return Secp256k1.mul(points[i], scalars[(i + 7) & (INPUTS - 1)]);
    }

    @Benchmark
    public ECPoint bcMulVariableBase()
    {
        final int i = rotate();
        return bcPoints[i].multiply(scalars[(i + 7) & (INPUTS - 1)]).normalize();
    }

    @Benchmark
    public ECFieldElement bcSqrt()
    {
        return bcXs[rotate()].sqrt();
    }

    @Benchmark
    public byte[] ellswiftEncode()
    {
        return EllSwift.encode(points[rotate()].x(), random);
    }

    @Benchmark
    public long[] ellswiftDecode()
    {
        return EllSwift.decode(encodings[rotate()], 0);
    }

    @Benchmark
    public byte[] ecdhX()
    {
        final int i = rotate();
        return EllSwift.ecdhX(encodings[i], 0, scalars[(i + 7) & (INPUTS - 1)]);
    }

    /** The responder's ee + es: two secrets against one decoded point, one table and one inversion. */
    @Benchmark
    public byte[][] ecdhTwoSecretsOnePoint()
    {
        final int i = rotate();
        return EllSwift.ecdhX2(EllSwift.decodePoint(encodings[i], 0), scalars[(i + 7) & (INPUTS - 1)],
            scalars[(i + 13) & (INPUTS - 1)]);
    }

    /** Sign with a prepared key pair (as the responder does with the authority key). */
    @Benchmark
    public byte[] schnorrSignPrepared()
    {
        message[0] = (byte)rotate();
        return schnorr.sign(preparedSecret, message, message);
    }

    /** Verify with a prepared public key and its fixed-base table (as the initiator does with the authority key). */
    @Benchmark
    public boolean schnorrVerifyPrepared()
    {
        return schnorr.verify(preparedPublic, message, signature);
    }

    @Benchmark
    public byte[] schnorrSign()
    {
        message[0] = (byte)rotate();
        return schnorr.sign(secretKey, message, message);
    }

    @Benchmark
    public boolean schnorrVerify()
    {
        return schnorr.verify(publicKey, message, signature);
    }

    /**
     * The handshake's curve steps through an {@link EcBackend}, native (libsv2hash.so through FFM) or java: the same
     * operations the handshake code calls, with the same argument conversions.
     */
    @State(Scope.Thread)
    public static class Backend
    {
        @Param({"native", "java"})
        public String backend;
        EcBackend ec;
        Schnorr schnorr;

        @Setup
        public void setup()
        {
            ec = EcBackends.byName(backend);
            schnorr = new Schnorr(new Sha256(), ec);
        }
    }

    /** Key generation: k * G and a fresh ElligatorSwift encoding (the initiator's and responder's ephemeral keys). */
    @Benchmark
    public EllSwiftKeyPair backendKeyPair(final Backend b)
    {
        return b.ec.keyPair(scalars[rotate()], random);
    }

    @Benchmark
    public byte[] backendDecode(final Backend b)
    {
        return b.ec.decodeX(encodings[rotate()], 0);
    }

    /** x-only ECDH: decode the peer's encoding and k * P (the initiator's ee and es). */
    @Benchmark
    public byte[] backendEcdhX(final Backend b)
    {
        final int i = rotate();
        return b.ec.ecdhX(encodings[i], 0, scalars[(i + 7) & (INPUTS - 1)], null);
    }

    /** The responder's ee + es: one decoding, two secrets against one point. */
    @Benchmark
    public byte[][] backendEcdhX2(final Backend b)
    {
        final int i = rotate();
        return b.ec.ecdhX2(encodings[i], 0, scalars[(i + 7) & (INPUTS - 1)], scalars[(i + 13) & (INPUTS - 1)]);
    }

    @Benchmark
    public byte[] backendSignPrepared(final Backend b)
    {
        message[0] = (byte)rotate();
        return b.schnorr.sign(preparedSecret, message, message);
    }

    /** Verification with the prepared authority key (its per-backend table), as the initiator does. */
    @Benchmark
    public boolean backendVerifyPrepared(final Backend b)
    {
        return b.schnorr.verify(preparedPublic, message, signature);
    }

    /** Verification from the raw 32-byte key (lift_x each time, no table). */
    @Benchmark
    public boolean backendVerifyRaw(final Backend b)
    {
        return b.schnorr.verify(publicKey, message, signature);
    }
}
