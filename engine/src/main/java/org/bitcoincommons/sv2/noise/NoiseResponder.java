package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.EllSwiftEcdh;
import org.bitcoincommons.sv2.crypto.EllSwift;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.crypto.EcBackend;
import java.time.InstantSource;

/**
 * The responder (server) side of the NX handshake. The static key and its {@link SignatureNoiseMessage} come from a
 * {@link StaticKeyRotation}: fresh per connection (SRI-style) or reused for a rotation period. Reads act 1
 * (64 bytes), writes act 2 (234 bytes), and splits into a {@link TransportCipher} (sends with k2, receives with k1).
 * One instance per connection; not thread-safe.
 */
public final class NoiseResponder
{
    private final Sha256 sha = new Sha256();
    private final Schnorr schnorr;
    private final EllSwiftEcdh ecdh;
    private final SymmetricState state = new SymmetricState(sha);
    private final StaticKeyRotation staticKeys;
    private final HandshakeRandom random;

    /**
     * A responder with a fresh static key and certificate (valid from now for certValiditySec) per connection.
     *
     * @param authority       the authority key pair that signs certificates.
     * @param certValiditySec not_valid_after - valid_from of each certificate, seconds.
     */
    public NoiseResponder(
        final SchnorrKeyPair authority, final long certValiditySec, final HandshakeRandom random,
        final InstantSource clock)
    {
        this(authority, certValiditySec, random, clock, EcBackends.selected());
    }

    /** As above with the curve work on the given backend. */
    public NoiseResponder(
        final SchnorrKeyPair authority, final long certValiditySec, final HandshakeRandom random,
        final InstantSource clock, final EcBackend backend)
    {
        this(new StaticKeyRotation(authority, certValiditySec, 0, random, clock), random, backend);
    }

    /**
     * @param staticKeys the static key source, usually shared by all connections of one config.
     * @param random     source of this connection's ephemeral key.
     */
    public NoiseResponder(final StaticKeyRotation staticKeys, final HandshakeRandom random)
    {
        this(staticKeys, random, EcBackends.selected());
    }

    /** As above with the curve work (ECDH, certificate signing) on the given backend. */
    public NoiseResponder(final StaticKeyRotation staticKeys, final HandshakeRandom random, final EcBackend backend)
    {
        this.schnorr = new Schnorr(sha, backend);
        this.ecdh = new EllSwiftEcdh(sha, backend);
        this.staticKeys = staticKeys;
        this.random = random;
    }

    /**
     * Sets a non-empty Noise prologue (both sides must use the same bytes); call before the first act. Without it the
     * prologue is empty, as the SV2 spec requires over TCP.
     */
    public NoiseResponder prologue(final byte[] prologue)
    {
        state.prologue(prologue);
        return this;
    }

    /**
     * Reads act 1 from src[srcOffset, +64) and writes act 2 to dst[dstOffset, +234).
     */
    public TransportCipher readAct1WriteAct2(final byte[] src, final int srcOffset, final byte[] dst,
        final int dstOffset) throws NoiseException
    {
        return readAct1WriteAct2(src, srcOffset, dst, dstOffset, null);
    }

    /**
     * Reads act 1 from src[srcOffset, +64) and writes act 2 to dst[dstOffset, +234); the transport ciphers' native
     * contexts are slots of {@code contexts} (null: contexts of their own), to be given back with
     * {@link TransportCipher#release} at the connection's end.
     */
    public TransportCipher readAct1WriteAct2(final byte[] src, final int srcOffset, final byte[] dst,
        final int dstOffset, final org.bitcoincommons.sv2.crypto.CipherContexts contexts) throws NoiseException
    {
        final byte[] remoteEphemeral = EllSwift.copy(src, srcOffset);
        state.mixHash(remoteEphemeral, 0, EllSwift.LENGTH);
        state.mixHash(remoteEphemeral, 0, 0);

        final EllSwiftKeyPair ephemeral = random.nextKeyPair();
        final ResponderStaticKey identity = staticKeys.staticKey(sha, schnorr);
        final EllSwiftKeyPair staticKey = identity.key();

        // ee and es are both against the initiator's ephemeral key: computed together (one table, one inversion).
        final byte[][] secrets = ecdh.sharedSecrets(ephemeral.secret(), ephemeral.encoded(), staticKey.secret(),
            staticKey.encoded(), remoteEphemeral, EllSwiftEcdh.Role.RESPONDER);

        System.arraycopy(ephemeral.encoded(), 0, dst, dstOffset, EllSwift.LENGTH);
        state.mixHash(ephemeral.encoded(), 0, EllSwift.LENGTH);
        state.mixKey(secrets[0]);

        int offset = dstOffset + EllSwift.LENGTH;
        offset += state.encryptAndHash(staticKey.encoded(), 0, EllSwift.LENGTH, dst, offset);
        state.mixKey(secrets[1]);

        final byte[] cert = identity.certificate();
        state.encryptAndHash(cert, 0, cert.length, dst, offset);

        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        state.split(k1, k2);
        final TransportCipher transport = new TransportCipher(k2, k1, AeadImpl.selected(), contexts);
        java.util.Arrays.fill(k1, (byte)0);
        java.util.Arrays.fill(k2, (byte)0);
        return transport;
    }

    byte[] chainingKey()
    {
        return state.chainingKey();
    }

    byte[] handshakeHash()
    {
        return state.handshakeHash();
    }
}
