package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;

/**
 * The responder's static key and the certificate that binds it to the authority, as sent in act 2.
 *
 * @param key         the static key pair (secret, 64-byte encoding, x-only key).
 * @param certificate the signed {@link SignatureNoiseMessage}, 74 bytes; do not modify.
 * @param createdSec  Unix seconds when the key was made; the certificate is valid from then.
 */
public record ResponderStaticKey(EllSwiftKeyPair key, byte[] certificate, long createdSec)
{
    @Override
    public String toString()
    {
        return "ResponderStaticKey[createdSec=" + createdSec + "]";
    }
}
