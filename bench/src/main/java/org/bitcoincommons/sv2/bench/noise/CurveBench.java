package org.bitcoincommons.sv2.bench.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.noise.AffinePoint;
import org.bitcoincommons.sv2.noise.EllSwift;
import org.bitcoincommons.sv2.noise.FieldP;
import org.bitcoincommons.sv2.noise.Schnorr;
import org.bitcoincommons.sv2.noise.Secp256k1;
import org.bitcoincommons.sv2.noise.Sha256;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The curve operations a handshake is made of, each on its own: our FieldP/Secp256k1 code against BouncyCastle's
 * secp256k1 (bc*), which is what decided the curve choice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CurveBench
{
    private static final X9ECParameters BC = CustomNamedCurves.getByName("secp256k1");
    private static final FixedPointCombMultiplier BC_COMB = new FixedPointCombMultiplier();

    private final SecureRandom random = new SecureRandom();
    private BigInteger scalar;
    private AffinePoint point;
    private ECPoint bcPoint;
    private ECFieldElement bcX;
    private byte[] encoded;
    private byte[] secretKey;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;
    private Schnorr schnorr;
    private final long[] a = new long[4];
    private final long[] b = new long[4];
    private final long[] r = new long[4];

    @Setup
    public void setup()
    {
        scalar = new BigInteger(255, random).add(BigInteger.ONE);
        final BigInteger m = new BigInteger(255, random).add(BigInteger.ONE);
        point = Secp256k1.mulG(m);
        bcPoint = BC.getG().multiply(m).normalize();
        bcX = bcPoint.getAffineXCoord();
        encoded = EllSwift.encode(point.x(), random);
        secretKey = Secp256k1.toBytes(new BigInteger(255, random).add(BigInteger.ONE));
        publicKey = Schnorr.publicKey(secretKey);
        message = new byte[32];
        schnorr = new Schnorr(new Sha256());
        signature = schnorr.sign(secretKey, message, new byte[32]);
        System.arraycopy(point.x(), 0, a, 0, 4);
        System.arraycopy(point.y(), 0, b, 0, 4);
    }

    @Benchmark
    public long[] fieldMul()
    {
        FieldP.mul(r, a, b);
        return r;
    }

    @Benchmark
    public long[] fieldSqr()
    {
        FieldP.sqr(r, a);
        return r;
    }

    @Benchmark
    public long[] fieldSqrt()
    {
        FieldP.sqrt(r, a);
        return r;
    }

    @Benchmark
    public AffinePoint mulGenerator()
    {
        return Secp256k1.mulG(scalar);
    }

    @Benchmark
    public ECPoint bcMulGenerator()
    {
        return BC_COMB.multiply(BC.getG(), scalar).normalize();
    }

    @Benchmark
    public AffinePoint mulVariableBase()
    {
        return Secp256k1.mul(point, scalar);
    }

    @Benchmark
    public ECPoint bcMulVariableBase()
    {
        return bcPoint.multiply(scalar).normalize();
    }

    @Benchmark
    public ECFieldElement bcSqrt()
    {
        return bcX.sqrt();
    }

    @Benchmark
    public byte[] ellswiftEncode()
    {
        return EllSwift.encode(point.x(), random);
    }

    @Benchmark
    public long[] ellswiftDecode()
    {
        return EllSwift.decode(encoded, 0);
    }

    @Benchmark
    public byte[] ecdhX()
    {
        return EllSwift.ecdhX(encoded, 0, scalar);
    }

    @Benchmark
    public byte[] schnorrSign()
    {
        return schnorr.sign(secretKey, message, message);
    }

    @Benchmark
    public boolean schnorrVerify()
    {
        return schnorr.verify(publicKey, message, signature);
    }
}
