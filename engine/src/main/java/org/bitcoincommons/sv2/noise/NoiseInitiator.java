package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.ChaCha20Poly1305;
import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.EllSwiftEcdh;
import org.bitcoincommons.sv2.crypto.EllSwift;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.crypto.EcBackend;
import java.time.InstantSource;

/**
 * The initiator (client) side of the NX handshake: writes act 1 (64 bytes), reads act 2 (234 bytes), checks the
 * server certificate, and splits into a {@link TransportCipher} (sends with k1, receives with k2).
 * One instance per connection attempt; not thread-safe.
 */
public final class NoiseInitiator
{
    public static final int ACT1_LENGTH = EllSwift.LENGTH;
    public static final int ACT2_LENGTH = EllSwift.LENGTH + EllSwift.LENGTH + ChaCha20Poly1305.TAG_LENGTH
        + SignatureNoiseMessage.LENGTH + ChaCha20Poly1305.TAG_LENGTH;

    private final Sha256 sha = new Sha256();
    private final Schnorr schnorr;
    private final EllSwiftEcdh ecdh;
    private final SymmetricState state = new SymmetricState(sha);
    private final SchnorrPublicKey authorityPublicKey;
    private final HandshakeRandom random;
    private final InstantSource clock;
    private VerifiedCertificate verified;
    private EllSwiftKeyPair ephemeral;
    private byte[] serverStaticXOnly;
    private byte[] certificate;

    /**
     * @param authorityPublicKey authority key the server certificate must be signed by, or null to accept any
     *                           signature (SRI's behaviour without a configured key).
     */
    public NoiseInitiator(
        final SchnorrPublicKey authorityPublicKey, final HandshakeRandom random, final InstantSource clock)
    {
        this(authorityPublicKey, random, clock, EcBackends.selected());
    }

    /** As above with the curve work on the given backend. */
    public NoiseInitiator(
        final SchnorrPublicKey authorityPublicKey, final HandshakeRandom random, final InstantSource clock,
        final EcBackend backend)
    {
        this.schnorr = new Schnorr(sha, backend);
        this.ecdh = new EllSwiftEcdh(sha, backend);
        this.authorityPublicKey = authorityPublicKey;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Sets a non-empty Noise prologue (both sides must use the same bytes); call before the first act. Without it the
     * prologue is empty, as the SV2 spec requires over TCP.
     */
    public NoiseInitiator prologue(final byte[] prologue)
    {
        state.prologue(prologue);
        return this;
    }

    /**
     * Shares the memo of verified certificates of the config this handshake belongs to (see
     * {@link VerifiedCertificate}); null (the default) verifies every certificate in full.
     */
    NoiseInitiator verifiedCertificate(final VerifiedCertificate memo)
    {
        this.verified = memo;
        return this;
    }

    /** Writes act 1 (the ephemeral key's 64-byte encoding) at dst[dstOffset]. */
    public void writeAct1(final byte[] dst, final int dstOffset)
    {
        ephemeral = random.nextKeyPair();
        System.arraycopy(ephemeral.encoded(), 0, dst, dstOffset, ACT1_LENGTH);
        state.mixHash(ephemeral.encoded(), 0, ACT1_LENGTH);
        state.mixHash(ephemeral.encoded(), 0, 0);
    }

    /**
     * Reads act 2 from src[srcOffset, +234) and finishes the handshake.
     *
     * @throws NoiseException BAD_ACT2 if an encrypted part fails to authenticate; CERT_* if the certificate is out of
     *                        its window or not signed by the authority.
     */
    public TransportCipher readAct2(final byte[] src, final int srcOffset) throws NoiseException
    {
        if (ephemeral == null)
        {
            throw new IllegalStateException("writeAct1 first");
        }
        final byte[] remoteEphemeral = EllSwift.copy(src, srcOffset);
        state.mixHash(remoteEphemeral, 0, EllSwift.LENGTH);
        state.mixKey(ecdh.sharedSecret(ephemeral.secret(), ephemeral.encoded(), remoteEphemeral,
            EllSwiftEcdh.Role.INITIATOR));

        final byte[] remoteStatic = new byte[EllSwift.LENGTH];
        final int staticOffset = srcOffset + EllSwift.LENGTH;
        decrypt(src, staticOffset, EllSwift.LENGTH + ChaCha20Poly1305.TAG_LENGTH, remoteStatic, "static key");
        final byte[] remoteStaticXOnly = new byte[32];
        state.mixKey(ecdh.sharedSecret(ephemeral.secret(), ephemeral.encoded(), remoteStatic,
            EllSwiftEcdh.Role.INITIATOR, remoteStaticXOnly));

        final byte[] cert = new byte[SignatureNoiseMessage.LENGTH];
        decrypt(src, staticOffset + EllSwift.LENGTH + ChaCha20Poly1305.TAG_LENGTH,
            SignatureNoiseMessage.LENGTH + ChaCha20Poly1305.TAG_LENGTH, cert, "certificate");

        serverStaticXOnly = remoteStaticXOnly;
        certificate = cert;
        final long nowSec = clock.instant().getEpochSecond();
        if (verified != null && authorityPublicKey != null &&
            verified.contains(authorityPublicKey, cert, serverStaticXOnly))
        {
            // the same bytes were verified against the same key: only the window, which depends on the clock
            SignatureNoiseMessage.verify(sha, schnorr, cert, serverStaticXOnly, null, nowSec);
        }
        else
        {
            SignatureNoiseMessage.verify(sha, schnorr, cert, serverStaticXOnly, authorityPublicKey, nowSec);
            if (verified != null && authorityPublicKey != null)
            {
                verified.remember(authorityPublicKey, cert, serverStaticXOnly);
            }
        }

        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        state.split(k1, k2);
        return new TransportCipher(k1, k2);
    }

    private void decrypt(final byte[] src, final int offset, final int length, final byte[] dst, final String what)
        throws NoiseException
    {
        try
        {
            state.decryptAndHash(src, offset, length, dst, 0);
        }
        catch (final NoiseException ex)
        {
            throw new NoiseException(NoiseException.Reason.BAD_ACT2, "act 2 " + what + " failed to authenticate", ex);
        }
    }

    /** The server's static x-only key, after {@link #readAct2}. */
    public byte[] serverStaticXOnly()
    {
        return serverStaticXOnly == null ? null : serverStaticXOnly.clone();
    }

    /** The server's 74-byte certificate, after {@link #readAct2}. */
    public byte[] certificate()
    {
        return certificate == null ? null : certificate.clone();
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
