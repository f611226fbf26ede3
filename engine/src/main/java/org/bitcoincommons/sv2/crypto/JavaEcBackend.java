package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/** {@link EcBackend} on the pure-Java {@link Secp256k1}, {@link EllSwift} and BIP340 code. Stateless. */
final class JavaEcBackend implements EcBackend
{
    static final JavaEcBackend INSTANCE = new JavaEcBackend();
    static final String NAME = "java";

    private static final byte[] AUX_TAG;
    private static final byte[] NONCE_TAG;
    private static final byte[] CHALLENGE_TAG;

    static
    {
        final Sha256 sha = new Sha256();
        AUX_TAG = sha.tagHash("BIP0340/aux");
        NONCE_TAG = sha.tagHash("BIP0340/nonce");
        CHALLENGE_TAG = sha.tagHash("BIP0340/challenge");
    }

    private JavaEcBackend()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public EllSwiftKeyPair keyPair(final BigInteger secret, final SecureRandom random)
    {
        checkSecret(secret);
        return EllSwift.keyPair(secret, random);
    }

    @Override
    public byte[] ecdhX(final byte[] theirs, final int offset, final BigInteger secret, final byte[] theirXOut)
    {
        checkSecret(secret);
        final AffinePoint point = EllSwift.decodePoint(theirs, offset);
        if (theirXOut != null)
        {
            FieldP.toBytes(point.x(), theirXOut, 0);
        }
        return EllSwift.ecdhX(point, secret);
    }

    @Override
    public byte[][] ecdhX2(final byte[] theirs, final int offset, final BigInteger secretA, final BigInteger secretB)
    {
        checkSecret(secretA);
        checkSecret(secretB);
        return EllSwift.ecdhX2(EllSwift.decodePoint(theirs, offset), secretA, secretB);
    }

    @Override
    public byte[] decodeX(final byte[] encoded, final int offset)
    {
        return EllSwift.decodeToBytes(encoded, offset);
    }

    private static void checkSecret(final BigInteger secret)
    {
        if (!Secp256k1.isValidSecret(secret))
        {
            throw new IllegalArgumentException("secret out of range [1, n)");
        }
    }

    /**
     * Side channels: the nonce point uses the generator table (row scans); the final {@code k + e d mod n} uses
     * BigInteger, which is not constant time.
     */
    @Override
    public byte[] sign(final Sha256 sha, final SchnorrKeyPair key, final byte[] message, final byte[] auxRand)
    {
        final BigInteger d = key.evenYSecret();
        final byte[] pBytes = key.publicKeyNoCopy();
        final byte[] t = Secp256k1.toBytes(d);
        final byte[] auxHash = sha.tagged(AUX_TAG, auxRand);
        for (int i = 0; i < 32; i++)
        {
            t[i] ^= auxHash[i];
        }
        final BigInteger k0 = new BigInteger(1, sha.tagged(NONCE_TAG, t, pBytes, message)).mod(Secp256k1.N);
        if (k0.signum() == 0)
        {
            throw new IllegalStateException("BIP340 nonce is zero (negligible probability)");
        }
        final AffinePoint r = Secp256k1.mulG(k0);
        final BigInteger k = r.hasEvenY() ? k0 : Secp256k1.N.subtract(k0);
        final byte[] rBytes = r.xBytes();
        final BigInteger e = new BigInteger(1, sha.tagged(CHALLENGE_TAG, rBytes, pBytes, message)).mod(Secp256k1.N);
        final byte[] sig = new byte[Schnorr.SIGNATURE_LENGTH];
        System.arraycopy(rBytes, 0, sig, 0, 32);
        System.arraycopy(Secp256k1.toBytes(k.add(e.multiply(d)).mod(Secp256k1.N)), 0, sig, 32, 32);
        return sig;
    }

    @Override
    public boolean verify(final Sha256 sha, final SchnorrPublicKey key, final byte[] message, final byte[] signature)
    {
        if (signature.length != Schnorr.SIGNATURE_LENGTH)
        {
            return false;
        }
        final BigInteger r = Secp256k1.toInt(signature, 0);
        final BigInteger s = Secp256k1.toInt(signature, 32);
        if (r.compareTo(Secp256k1.P) >= 0 || s.compareTo(Secp256k1.N) >= 0)
        {
            return false;
        }
        final byte[] rBytes = Arrays.copyOfRange(signature, 0, 32);
        final BigInteger e = new BigInteger(1, sha.tagged(CHALLENGE_TAG, rBytes, key.xOnlyNoCopy(), message))
            .mod(Secp256k1.N);
        final BigInteger minusE = Secp256k1.N.subtract(e).mod(Secp256k1.N);
        final long[] table = key.javaTable();
        final AffinePoint bigR = table != null
            ? Secp256k1.mulGAddFixed(s, table, minusE)
            : Secp256k1.mulGAdd(s, key.point(), minusE);
        if (bigR == null || !bigR.hasEvenY())
        {
            return false;
        }
        return Arrays.equals(bigR.xBytes(), rBytes);
    }
}
