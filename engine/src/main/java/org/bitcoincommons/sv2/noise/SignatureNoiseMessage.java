package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.Schnorr;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The server certificate sent encrypted in act 2 (SV2 spec 4.3, SIGNATURE_NOISE_MESSAGE), 74 bytes, little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |        version (U16)          |     valid_from (U32) ...      |
 *  +-------------------------------+-------------------------------+
 *  |  ... valid_from               |  not_valid_after (U32) ...    |
 *  +-------------------------------+-------------------------------+
 *  |  ... not_valid_after          |   signature (64 bytes) ...    |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The signature is BIP340 by the authority key over {@code SHA256(bytes[0, 10) || server static x-only key)}.
 * Times are Unix seconds. Stateless apart from the caller's {@link Sha256} and {@link Schnorr}.
 */
public final class SignatureNoiseMessage
{
    public static final int VERSION_FIELD_OFFSET = 0;
    public static final int VALID_FROM_FIELD_OFFSET = 2;
    public static final int NOT_VALID_AFTER_FIELD_OFFSET = 6;
    public static final int SIGNATURE_FIELD_OFFSET = 10;
    public static final int LENGTH = SIGNATURE_FIELD_OFFSET + Schnorr.SIGNATURE_LENGTH;
    /** Clock skew SRI tolerates on both ends of the validity window, seconds. */
    public static final long TIME_LEEWAY_SEC = 10;

    private SignatureNoiseMessage()
    {
    }

    /** The 32-byte message the authority signs. */
    static byte[] signedHash(final Sha256 sha, final byte[] certificate, final byte[] staticXOnly)
    {
        return sha.hash(java.util.Arrays.copyOf(certificate, SIGNATURE_FIELD_OFFSET), staticXOnly);
    }

    /**
     * Builds and signs a certificate for the server's static key.
     *
     * @param auxRand 32 bytes of BIP340 aux randomness.
     */
    public static byte[] sign(
        final Sha256 sha, final Schnorr schnorr, final SchnorrKeyPair authority, final int version,
        final long validFromSec, final long notValidAfterSec, final byte[] staticXOnly, final byte[] auxRand)
    {
        final byte[] cert = new byte[LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(cert);
        buffer.putShort(VERSION_FIELD_OFFSET, (short)version, LITTLE_ENDIAN);
        buffer.putInt(VALID_FROM_FIELD_OFFSET, (int)validFromSec, LITTLE_ENDIAN);
        buffer.putInt(NOT_VALID_AFTER_FIELD_OFFSET, (int)notValidAfterSec, LITTLE_ENDIAN);
        final byte[] signature = schnorr.sign(authority, signedHash(sha, cert, staticXOnly), auxRand);
        System.arraycopy(signature, 0, cert, SIGNATURE_FIELD_OFFSET, Schnorr.SIGNATURE_LENGTH);
        return cert;
    }

    public static int version(final byte[] certificate)
    {
        return new UnsafeBuffer(certificate).getShort(VERSION_FIELD_OFFSET, LITTLE_ENDIAN) & 0xffff;
    }

    public static long validFromSec(final byte[] certificate)
    {
        return new UnsafeBuffer(certificate).getInt(VALID_FROM_FIELD_OFFSET, LITTLE_ENDIAN) & 0xffffffffL;
    }

    public static long notValidAfterSec(final byte[] certificate)
    {
        return new UnsafeBuffer(certificate).getInt(NOT_VALID_AFTER_FIELD_OFFSET, LITTLE_ENDIAN) & 0xffffffffL;
    }

    /**
     * Checks the validity window (with {@link #TIME_LEEWAY_SEC}) and, when an authority key is given, the signature.
     * SRI skips the signature check when no authority key is configured; so do we.
     *
     * @param authorityPublicKey the authority key, or null to skip the signature check.
     */
    public static void verify(
        final Sha256 sha, final Schnorr schnorr, final byte[] certificate, final byte[] staticXOnly,
        final SchnorrPublicKey authorityPublicKey, final long nowSec) throws NoiseException
    {
        final long validFrom = validFromSec(certificate);
        final long notValidAfter = notValidAfterSec(certificate);
        if (nowSec + TIME_LEEWAY_SEC < validFrom)
        {
            throw new NoiseException(NoiseException.Reason.CERT_NOT_YET_VALID,
                "valid_from " + validFrom + " is after now " + nowSec);
        }
        if (nowSec - TIME_LEEWAY_SEC > notValidAfter)
        {
            throw new NoiseException(NoiseException.Reason.CERT_EXPIRED,
                "not_valid_after " + notValidAfter + " is before now " + nowSec);
        }
        if (authorityPublicKey != null)
        {
            final byte[] signature = java.util.Arrays.copyOfRange(certificate, SIGNATURE_FIELD_OFFSET, LENGTH);
            if (!schnorr.verify(authorityPublicKey, signedHash(sha, certificate, staticXOnly), signature))
            {
                throw new NoiseException(NoiseException.Reason.CERT_BAD_SIGNATURE,
                    "certificate not signed by the configured authority key");
            }
        }
    }
}
