package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The initiator config's memo of the last verified server certificate: a hit needs the same authority key and the
 * very same certificate and static key bytes, and never skips the validity window.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VerifiedCertificateTest
{
    private static final byte[] AUTHORITY_SECRET = AuthorityKeys.generateSecret(new SecureRandom());
    private static final byte[] AUTHORITY_PUBLIC = AuthorityKeys.publicOf(AUTHORITY_SECRET);

    @Test
    void aHitNeedsTheSameKeyObjectAndTheSameBytes()
    {
        final SchnorrPublicKey authority = SchnorrPublicKey.of(AUTHORITY_PUBLIC);
        final byte[] cert = new byte[SignatureNoiseMessage.LENGTH];
        final byte[] staticKey = new byte[32];
        new SecureRandom().nextBytes(cert);
        new SecureRandom().nextBytes(staticKey);
        final VerifiedCertificate memo = new VerifiedCertificate();
        assertFalse(memo.contains(authority, cert, staticKey), "empty");
        memo.remember(authority, cert, staticKey);
        assertTrue(memo.contains(authority, cert.clone(), staticKey.clone()), "equal bytes");
        for (int i = 0; i < cert.length; i++)
        {
            final byte[] other = cert.clone();
            other[i] ^= 1;
            assertFalse(memo.contains(authority, other, staticKey), "certificate byte " + i + " changed");
        }
        for (int i = 0; i < staticKey.length; i++)
        {
            final byte[] other = staticKey.clone();
            other[i] ^= (byte)0x80;
            assertFalse(memo.contains(authority, cert, other), "static key byte " + i + " changed");
        }
        assertFalse(memo.contains(SchnorrPublicKey.of(AUTHORITY_PUBLIC), cert, staticKey),
            "another key object (a config whose authority key was set again) verifies again");
        // the memo keeps its own copies: changing the caller's arrays afterwards changes nothing
        cert[0] ^= 1;
        assertFalse(memo.contains(authority, cert, staticKey));
        cert[0] ^= 1;
        assertTrue(memo.contains(authority, cert, staticKey));
        assertEquals(2, memo.hits());
    }

    @Test
    void secondHandshakeSkipsTheSignatureButNotTheWindow() throws Exception
    {
        final AtomicLong clientNowSec = new AtomicLong(Instant.now().getEpochSecond());
        final NoiseConfig client = new NoiseConfig().authorityPublicKey(AUTHORITY_PUBLIC).handshakeTimeoutMs(5_000)
            .clock(() -> Instant.ofEpochSecond(clientNowSec.get()));
        // a long rotation interval: both connections meet the same static key and certificate
        final NoiseConfig server = new NoiseConfig().authoritySecretKey(AUTHORITY_SECRET).certValiditySec(3600)
            .staticKeyRotationSec(1800);
        try (EchoServer echo = new EchoServer(server))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.port()))
            {
                assertNotNull(NoiseChannel.connect(new TcpStream(s), client));
            }
            final VerifiedCertificate memo = client.verifiedCertificate();
            assertEquals(0, memo.hits(), "the first certificate is verified in full");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.port()))
            {
                assertNotNull(NoiseChannel.connect(new TcpStream(s), client));
            }
            assertEquals(1, memo.hits(), "the same certificate again: its signature was verified before");

            clientNowSec.addAndGet(7200);   // the client's clock is past the certificate's window
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.port()))
            {
                final NoiseException ex = assertThrows(NoiseException.class,
                    () -> NoiseChannel.connect(new TcpStream(s), client));
                assertEquals(NoiseException.Reason.CERT_EXPIRED, ex.reason());
            }
            assertEquals(2, memo.hits(), "a remembered certificate still meets the clock");
        }
    }

    @Test
    void aServerSignedByAnotherAuthorityIsRefusedAfterAGoodOne() throws Exception
    {
        final NoiseConfig client = new NoiseConfig().authorityPublicKey(AUTHORITY_PUBLIC).handshakeTimeoutMs(5_000);
        try (EchoServer good = new EchoServer(new NoiseConfig().authoritySecretKey(AUTHORITY_SECRET));
             EchoServer rogue = new EchoServer(
                 new NoiseConfig().authoritySecretKey(AuthorityKeys.generateSecret(new SecureRandom()))))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), good.port()))
            {
                assertNotNull(NoiseChannel.connect(new TcpStream(s), client));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rogue.port()))
            {
                final NoiseException ex = assertThrows(NoiseException.class,
                    () -> NoiseChannel.connect(new TcpStream(s), client));
                assertEquals(NoiseException.Reason.CERT_BAD_SIGNATURE, ex.reason());
            }
            assertEquals(0, client.verifiedCertificate().hits());
        }
    }
}
