package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The secp256k1 work of the NX handshake: key generation with an ElligatorSwift encoding, x-only ECDH against a
 * peer's encoding, and BIP340 signing and verification. Two implementations give the same bytes: native code in
 * libsv2hash.so through FFM, and the pure-Java {@link Secp256k1} / {@link EllSwift} code. {@link EcBackends#selected}
 * picks one per JVM; tests and benchmarks take either by name. Implementations are stateless and thread-safe.
 */
public interface EcBackend
{
    /** "native" or "java". */
    String name();

    /**
     * A key pair for a secret in [1, n): its x-only public key and a fresh random ElligatorSwift encoding.
     *
     * @throws IllegalArgumentException if the secret is out of range.
     */
    EllSwiftKeyPair keyPair(BigInteger secret, SecureRandom random);

    /**
     * The 32-byte x-coordinate of secret * P, P a point with the x-coordinate the 64 bytes at theirs[offset] encode.
     *
     * @param theirXOut 32 bytes that receive the decoded x of P, or null.
     * @throws IllegalArgumentException if the secret is not in [1, n).
     */
    byte[] ecdhX(byte[] theirs, int offset, BigInteger secret, byte[] theirXOut);

    /** {x(secretA * P), x(secretB * P)} for one encoded P, sharing its decoding and table. */
    byte[][] ecdhX2(byte[] theirs, int offset, BigInteger secretA, BigInteger secretB);

    /** The 32-byte x-coordinate that 64 bytes at encoded[offset] encode (BIP324 xswiftec). */
    byte[] decodeX(byte[] encoded, int offset);

    /** BIP340 signature (64 bytes) of message with a prepared key pair and 32 bytes of aux randomness. */
    byte[] sign(Sha256 sha, SchnorrKeyPair key, byte[] message, byte[] auxRand);

    /** BIP340 verification of a 64-byte signature (false for any other length). */
    boolean verify(Sha256 sha, SchnorrPublicKey key, byte[] message, byte[] signature);
}
