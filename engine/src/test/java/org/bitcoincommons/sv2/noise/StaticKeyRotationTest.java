package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.Schnorr;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The responder's static key: fresh per connection with rotation 0, reused within the rotation period otherwise.
 * Every handshake is completed by a real initiator that checks the certificate against the authority key and its
 * validity window at the initiator's clock.
 */
class StaticKeyRotationTest
{
    private static final long START_SEC = 1_800_000_000L;
    private static final SchnorrKeyPair AUTHORITY = SchnorrKeyPair.of(AuthorityKeys.generateSecret(new SecureRandom()));
    private static final SchnorrPublicKey AUTHORITY_PUBLIC = SchnorrPublicKey.of(AUTHORITY.publicKey());

    private final AtomicLong nowSec = new AtomicLong(START_SEC);
    private final InstantSource clock = () -> Instant.ofEpochSecond(nowSec.get());
    private final HandshakeRandom random = HandshakeRandom.secure(new SecureRandom());

    /** One handshake; returns the server static key the initiator saw, after checking both sides agree. */
    private NoiseInitiator handshake(final StaticKeyRotation keys) throws NoiseException
    {
        final NoiseInitiator initiator = new NoiseInitiator(AUTHORITY_PUBLIC, random, clock);
        final NoiseResponder responder = new NoiseResponder(keys, random);
        final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
        final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
        initiator.writeAct1(act1, 0);
        final TransportCipher server = responder.readAct1WriteAct2(act1, 0, act2, 0);
        final TransportCipher client = initiator.readAct2(act2, 0);
        assertArrayEquals(client.sender().key(), server.receiver().key());
        assertArrayEquals(client.receiver().key(), server.sender().key());
        return initiator;
    }

    private static long validFrom(final byte[] cert)
    {
        return new UnsafeBuffer(cert).getInt(SignatureNoiseMessage.VALID_FROM_FIELD_OFFSET, LITTLE_ENDIAN) & 0xffffffffL;
    }

    private static long notValidAfter(final byte[] cert)
    {
        return new UnsafeBuffer(cert).getInt(SignatureNoiseMessage.NOT_VALID_AFTER_FIELD_OFFSET, LITTLE_ENDIAN)
            & 0xffffffffL;
    }

    @Test
    void rotationZeroGivesEveryConnectionItsOwnKeyAndCertificate() throws Exception
    {
        final StaticKeyRotation keys = new StaticKeyRotation(AUTHORITY, 3600, 0, random, clock);
        final NoiseInitiator first = handshake(keys);
        final NoiseInitiator second = handshake(keys);
        assertFalse(Arrays.equals(first.serverStaticXOnly(), second.serverStaticXOnly()));
        assertFalse(Arrays.equals(first.certificate(), second.certificate()));
        assertEquals(START_SEC, validFrom(second.certificate()));
        assertEquals(START_SEC + 3600, notValidAfter(second.certificate()));
    }

    @Test
    void withinThePeriodTheKeyAndCertificateAreReusedThenReplaced() throws Exception
    {
        final StaticKeyRotation keys = new StaticKeyRotation(AUTHORITY, 3600, 60, random, clock);
        final NoiseInitiator first = handshake(keys);
        nowSec.set(START_SEC + 59);
        final NoiseInitiator reused = handshake(keys);
        assertArrayEquals(first.serverStaticXOnly(), reused.serverStaticXOnly());
        assertArrayEquals(first.certificate(), reused.certificate());
        assertEquals(START_SEC, validFrom(reused.certificate()));

        nowSec.set(START_SEC + 60);
        final NoiseInitiator rotated = handshake(keys);
        assertFalse(Arrays.equals(first.serverStaticXOnly(), rotated.serverStaticXOnly()));
        assertEquals(START_SEC + 60, validFrom(rotated.certificate()));
        assertEquals(START_SEC + 60 + 3600, notValidAfter(rotated.certificate()));

        // A clock that steps back before the key was made also gets a new key (the certificate would not be valid yet).
        nowSec.set(START_SEC + 30);
        final NoiseInitiator back = handshake(keys);
        assertFalse(Arrays.equals(rotated.serverStaticXOnly(), back.serverStaticXOnly()));
        assertEquals(START_SEC + 30, validFrom(back.certificate()));
    }

    @Test
    void concurrentConnectionsInOnePeriodShareOneKey() throws Exception
    {
        final StaticKeyRotation keys = new StaticKeyRotation(AUTHORITY, 3600, 60, random, clock);
        final ResponderStaticKey[] seen = new ResponderStaticKey[4];
        final Thread[] threads = new Thread[seen.length];
        for (int i = 0; i < threads.length; i++)
        {
            final int slot = i;
            threads[i] = new Thread(() ->
            {
                final Sha256 sha = new Sha256();
                seen[slot] = keys.staticKey(sha, new Schnorr(sha));
            });
            threads[i].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        for (final ResponderStaticKey key : seen)
        {
            assertSame(seen[0], key);
        }
    }

    @Test
    void configDefaultsToSixtySecondsCappedAtHalfTheCertificateLifetime()
    {
        final NoiseConfig config = new NoiseConfig().authoritySecretKey(AuthorityKeys.generateSecret(new SecureRandom()));
        assertEquals(NoiseConfig.DEFAULT_STATIC_KEY_ROTATION_SEC, config.staticKeyRotationSec());
        assertEquals(60, config.conclude().staticKeys().rotationSec());
        assertEquals(0, config.staticKeyRotationSec(0).conclude().staticKeys().rotationSec());
        assertEquals(50, config.staticKeyRotationSec(60).certValiditySec(100).conclude().staticKeys().rotationSec());
        assertThrows(IllegalArgumentException.class, () -> config.staticKeyRotationSec(-1).conclude());
        assertThrows(IllegalArgumentException.class, () -> new StaticKeyRotation(AUTHORITY, 60, 60, random, clock));
    }
}
