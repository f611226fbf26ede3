package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.bitcoincommons.sv2.crypto.EcBackend;
import org.bitcoincommons.sv2.crypto.Secp256k1;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Where a handshake gets its randomness: fresh key pairs with their ElligatorSwift encodings, and BIP340 auxiliary
 * randomness. Production uses {@link #secure(SecureRandom)}; tests inject fixed keys and encodings to replay a vector.
 */
public interface HandshakeRandom
{
    /** A fresh secret key and a fresh encoding of its public key. */
    EllSwiftKeyPair nextKeyPair();

    /** Fills 32 bytes of BIP340 aux_rand. */
    void auxRand(byte[] out32);

    /**
     * Randomness from a {@link SecureRandom}: secret keys uniform in [1, n), encodings per BIP324's randomized
     * encoder.
     */
    static HandshakeRandom secure(final SecureRandom random)
    {
        return secure(random, EcBackends.selected());
    }

    /** As {@link #secure(SecureRandom)} with key generation and encoding on the given backend. */
    static HandshakeRandom secure(final SecureRandom random, final EcBackend backend)
    {
        return new HandshakeRandom()
        {
            @Override
            public EllSwiftKeyPair nextKeyPair()
            {
                final byte[] bytes = new byte[32];
                BigInteger secret;
                do
                {
                    random.nextBytes(bytes);
                    secret = new BigInteger(1, bytes);
                }
                while (!Secp256k1.isValidSecret(secret));
                return backend.keyPair(secret, random);
            }

            @Override
            public void auxRand(final byte[] out32)
            {
                random.nextBytes(out32);
            }
        };
    }
}
