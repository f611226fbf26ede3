package org.bitcoincommons.sv2.bench.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.noise.EllSwift;
import org.bitcoincommons.sv2.noise.Schnorr;
import org.bitcoincommons.sv2.noise.Secp256k1;
import org.bitcoincommons.sv2.noise.Sha256;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The curve operations a handshake is made of, each on its own. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CurveBench
{
    private final SecureRandom random = new SecureRandom();
    private BigInteger scalar;
    private ECPoint point;
    private ECFieldElement x;
    private byte[] encoded;
    private byte[] secretKey;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;
    private Schnorr schnorr;

    @Setup
    public void setup()
    {
        scalar = new BigInteger(255, random).add(BigInteger.ONE);
        point = Secp256k1.mulG(new BigInteger(255, random).add(BigInteger.ONE));
        x = point.getAffineXCoord();
        encoded = EllSwift.encode(x, random);
        secretKey = Secp256k1.toBytes(new BigInteger(255, random).add(BigInteger.ONE));
        publicKey = Schnorr.publicKey(secretKey);
        message = new byte[32];
        schnorr = new Schnorr(new Sha256());
        signature = schnorr.sign(secretKey, message, new byte[32]);
    }

    @Benchmark
    public ECPoint mulGenerator()
    {
        return Secp256k1.mulG(scalar);
    }

    @Benchmark
    public ECPoint mulVariableBase()
    {
        return Secp256k1.mul(point, scalar);
    }

    @Benchmark
    public byte[] ellswiftEncode()
    {
        return EllSwift.encode(x, random);
    }

    @Benchmark
    public ECFieldElement ellswiftDecode()
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

    @Benchmark
    public ECFieldElement sqrt()
    {
        return x.sqrt();
    }

    @Benchmark
    public ECFieldElement invert()
    {
        return x.invert();
    }
}
