package org.bitcoincommons.sv2.noise;

import java.time.InstantSource;

/**
 * The responder (server) side of the NX handshake, SRI-style: a fresh static key per connection, certified with a
 * fresh {@link SignatureNoiseMessage} valid from now for certValiditySec, signed by the authority key. Reads act 1
 * (64 bytes), writes act 2 (234 bytes), and splits into a {@link TransportCipher} (sends with k2, receives with k1).
 * One instance per connection; not thread-safe.
 */
public final class NoiseResponder
{
    private final Sha256 sha = new Sha256();
    private final Schnorr schnorr = new Schnorr(sha);
    private final EllSwiftEcdh ecdh = new EllSwiftEcdh(sha);
    private final SymmetricState state = new SymmetricState(sha);
    private final SchnorrKeyPair authority;
    private final long certValiditySec;
    private final HandshakeRandom random;
    private final InstantSource clock;

    /**
     * @param authority       the authority key pair that signs certificates.
     * @param certValiditySec not_valid_after - valid_from of each certificate, seconds.
     */
    public NoiseResponder(
        final SchnorrKeyPair authority, final long certValiditySec, final HandshakeRandom random,
        final InstantSource clock)
    {
        this.authority = authority;
        this.certValiditySec = certValiditySec;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Reads act 1 from src[srcOffset, +64) and writes act 2 to dst[dstOffset, +234).
     */
    public TransportCipher readAct1WriteAct2(final byte[] src, final int srcOffset, final byte[] dst,
        final int dstOffset) throws NoiseException
    {
        final byte[] remoteEphemeral = EllSwift.copy(src, srcOffset);
        final AffinePoint remoteEphemeralPoint = EllSwift.decodePoint(remoteEphemeral, 0);
        state.mixHash(remoteEphemeral, 0, EllSwift.LENGTH);
        state.mixHash(remoteEphemeral, 0, 0);

        final EllSwiftKeyPair ephemeral = random.nextKeyPair();
        final EllSwiftKeyPair staticKey = random.nextKeyPair();

        System.arraycopy(ephemeral.encoded(), 0, dst, dstOffset, EllSwift.LENGTH);
        state.mixHash(ephemeral.encoded(), 0, EllSwift.LENGTH);
        state.mixKey(ecdh.sharedSecret(ephemeral.secret(), ephemeral.encoded(), remoteEphemeral, remoteEphemeralPoint,
            EllSwiftEcdh.Role.RESPONDER));

        int offset = dstOffset + EllSwift.LENGTH;
        offset += state.encryptAndHash(staticKey.encoded(), 0, EllSwift.LENGTH, dst, offset);
        state.mixKey(ecdh.sharedSecret(staticKey.secret(), staticKey.encoded(), remoteEphemeral, remoteEphemeralPoint,
            EllSwiftEcdh.Role.RESPONDER));

        final long nowSec = clock.instant().getEpochSecond();
        final byte[] auxRand = new byte[32];
        random.auxRand(auxRand);
        final byte[] cert = SignatureNoiseMessage.sign(sha, schnorr, authority, 0, nowSec,
            nowSec + certValiditySec, staticKey.xOnly(), auxRand);
        state.encryptAndHash(cert, 0, cert.length, dst, offset);

        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        state.split(k1, k2);
        return new TransportCipher(k2, k1);
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
