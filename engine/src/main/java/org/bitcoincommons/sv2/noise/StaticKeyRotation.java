package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import java.time.InstantSource;

/**
 * Hands the responder its static key and certificate. With a rotation period of 0 every connection gets a fresh key
 * and a freshly signed certificate (as SRI does); with a period P > 0 one key and certificate serve every connection
 * accepted in the P seconds after they were made, then the next connection makes new ones. The SV2 spec treats the
 * static key as the server's certified identity, so reusing it for a while is allowed; each connection still has its
 * own ephemeral key, so its transport keys stay fresh (forward secrecy per connection comes from the ee DH). Reuse
 * saves a key generation, an ElligatorSwift encoding and a BIP340 signature per connection.
 * <p>
 * Thread-safe: one instance is shared by every connection of a {@link NoiseConfig}. Readers see the current key
 * through a volatile field; making a new one is serialized.
 */
public final class StaticKeyRotation
{
    private final SchnorrKeyPair authority;
    private final long certValiditySec;
    private final long rotationSec;
    private final HandshakeRandom random;
    private final InstantSource clock;
    private volatile ResponderStaticKey current;

    /**
     * @param authority       signs the certificates.
     * @param certValiditySec not_valid_after - valid_from of each certificate; must exceed rotationSec so the
     *                        certificate outlives the key's use.
     * @param rotationSec     how long a static key is reused, seconds; 0 = a fresh key per connection.
     * @param random          source of key pairs and aux randomness.
     * @param clock           Unix time for certificates and rotation.
     */
    public StaticKeyRotation(
        final SchnorrKeyPair authority, final long certValiditySec, final long rotationSec, final HandshakeRandom random,
        final InstantSource clock)
    {
        if (rotationSec < 0)
        {
            throw new IllegalArgumentException("rotationSec must be >= 0, got " + rotationSec);
        }
        if (rotationSec > 0 && certValiditySec <= rotationSec)
        {
            throw new IllegalArgumentException(
                "certValiditySec (" + certValiditySec + ") must exceed the static key rotation (" + rotationSec + ")");
        }
        this.authority = authority;
        this.certValiditySec = certValiditySec;
        this.rotationSec = rotationSec;
        this.random = random;
        this.clock = clock;
    }

    public long rotationSec()
    {
        return rotationSec;
    }

    /**
     * The static key for a connection accepted now.
     *
     * @param sha     the caller's hasher (not shared between threads).
     * @param schnorr the caller's signer over sha.
     */
    public ResponderStaticKey staticKey(final Sha256 sha, final Schnorr schnorr)
    {
        final long nowSec = clock.instant().getEpochSecond();
        if (rotationSec == 0)
        {
            return create(nowSec, sha, schnorr);
        }
        final ResponderStaticKey key = current;
        if (fresh(key, nowSec))
        {
            return key;
        }
        synchronized (this)
        {
            final ResponderStaticKey again = current;
            if (fresh(again, nowSec))
            {
                return again;
            }
            final ResponderStaticKey made = create(nowSec, sha, schnorr);
            current = made;
            return made;
        }
    }

    private boolean fresh(final ResponderStaticKey key, final long nowSec)
    {
        return key != null && nowSec >= key.createdSec() && nowSec - key.createdSec() < rotationSec;
    }

    private ResponderStaticKey create(final long nowSec, final Sha256 sha, final Schnorr schnorr)
    {
        final EllSwiftKeyPair key = random.nextKeyPair();
        final byte[] auxRand = new byte[32];
        random.auxRand(auxRand);
        final byte[] cert = SignatureNoiseMessage.sign(sha, schnorr, authority, 0, nowSec, nowSec + certValiditySec,
            key.xOnly(), auxRand);
        return new ResponderStaticKey(key, cert, nowSec);
    }
}
