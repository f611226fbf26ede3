package org.bitcoincommons.sv2.crypto;

import java.math.BigInteger;

/**
 * The SV2 / BIP324 {@code v2_ecdh}: {@code SHA256(tag || tag || A || B || x)} with
 * {@code tag = SHA256("bip324_ellswift_xonly_ecdh")}, A the initiator's 64-byte encoding and B the responder's.
 * The curve work runs on an {@link EcBackend}. Not thread-safe (owns a {@link Sha256}).
 */
public final class EllSwiftEcdh
{
    /** Which side of the connection computes the secret; decides the order of A and B. */
    public enum Role
    {
        INITIATOR,
        RESPONDER
    }

    private final Sha256 sha;
    private final EcBackend backend;
    private final byte[] tag;
    /** SHA256 of the BIP324 tag, hashed once; read only. */
    private static final byte[] TAG = new Sha256().tagHash("bip324_ellswift_xonly_ecdh");

    /** On the JVM's selected backend. */
    public EllSwiftEcdh(final Sha256 sha)
    {
        this(sha, EcBackends.selected());
    }

    public EllSwiftEcdh(final Sha256 sha, final EcBackend backend)
    {
        this.sha = sha;
        this.backend = backend;
        this.tag = TAG;
    }

    /**
     * The 32-byte shared secret.
     *
     * @param secret  our secret scalar.
     * @param ours    our 64-byte encoding.
     * @param theirs  the peer's 64-byte encoding.
     * @param role    whether we initiated the connection.
     */
    public byte[] sharedSecret(final BigInteger secret, final byte[] ours, final byte[] theirs, final Role role)
    {
        return sharedSecret(secret, ours, theirs, role, null);
    }

    /** As above; theirXOut (32 bytes, or null) receives the x-only key the peer's encoding decodes to. */
    public byte[] sharedSecret(
        final BigInteger secret, final byte[] ours, final byte[] theirs, final Role role, final byte[] theirXOut)
    {
        return hash(ours, theirs, backend.ecdhX(theirs, 0, secret, theirXOut), role);
    }

    /**
     * Two shared secrets of two of our keys against one peer key, computed together (the responder's ee and es,
     * both against the initiator's ephemeral key): the same bytes as two {@link #sharedSecret} calls.
     *
     * @return {secret of keyA, secret of keyB}, 32 bytes each.
     */
    public byte[][] sharedSecrets(
        final BigInteger secretA, final byte[] oursA, final BigInteger secretB, final byte[] oursB,
        final byte[] theirs, final Role role)
    {
        final byte[][] x = backend.ecdhX2(theirs, 0, secretA, secretB);
        return new byte[][] {hash(oursA, theirs, x[0], role), hash(oursB, theirs, x[1], role)};
    }

    private byte[] hash(final byte[] ours, final byte[] theirs, final byte[] x, final Role role)
    {
        return role == Role.INITIATOR ? sha.tagged(tag, ours, theirs, x) : sha.tagged(tag, theirs, ours, x);
    }
}
