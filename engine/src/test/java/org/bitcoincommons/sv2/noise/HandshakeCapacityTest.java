package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Responder keys made ahead ({@link PreparedKeys}) and the bound on concurrent handshakes (NoiseConfig turns). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakeCapacityTest
{
    private static final byte[] AUTHORITY_SECRET = AuthorityKeys.generateSecret(new SecureRandom());
    private static final byte[] AUTHORITY_PUBLIC = AuthorityKeys.publicOf(AUTHORITY_SECRET);

    private static boolean await(final long timeoutMs, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    /** One in-memory NX handshake whose responder takes its ephemeral key from {@code keys}. */
    private static void handshake(final HandshakeRandom keys) throws Exception
    {
        final SchnorrKeyPair authority = SchnorrKeyPair.of(AUTHORITY_SECRET);
        final HandshakeRandom plain = HandshakeRandom.secure(new SecureRandom());
        final StaticKeyRotation statics = new StaticKeyRotation(authority, 3600, 60, plain, InstantSource.system());
        final NoiseInitiator initiator = new NoiseInitiator(SchnorrPublicKey.of(AUTHORITY_PUBLIC), plain,
            InstantSource.system());
        final NoiseResponder responder = new NoiseResponder(statics, keys);
        final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
        final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
        initiator.writeAct1(act1, 0);
        final TransportCipher server = responder.readAct1WriteAct2(act1, 0, act2, 0);
        // The initiator derives ee from the responder's encoding: it succeeds only if the prepared pair is consistent.
        final TransportCipher client = initiator.readAct2(act2, 0);
        assertNotNull(server);
        assertNotNull(client);
    }

    @Test
    void preparedKeysFillUpAreEachHandedOutOnceAndMakeWorkingHandshakes() throws Exception
    {
        try (PreparedKeys keys = new PreparedKeys(HandshakeRandom.secure(new SecureRandom()), 64))
        {
            assertEquals(0, keys.prepared(), "nothing is prepared before the first handshake");
            keys.nextKeyPair();
            assertEquals(1, keys.madeInline(), "the first handshake makes its own key and starts the preparer");
            assertTrue(await(20_000, () -> keys.ready() == 64), () -> "ready " + keys.ready());
            final Set<String> seen = new HashSet<>();
            for (int i = 0; i < 64; i++)
            {
                final EllSwiftKeyPair k = keys.nextKeyPair();
                assertTrue(seen.add(HexFormat.of().formatHex(k.encoded())), "an encoding handed out twice");
            }
            assertEquals(64, keys.served());
            // Drained below three quarters: the preparer refills.
            assertTrue(await(20_000, () -> keys.ready() == 64), () -> "refilled to " + keys.ready());
            assertTrue(keys.prepared() >= 128);
            for (int i = 0; i < 5; i++)
            {
                handshake(keys);
            }
            assertEquals(69, keys.served());
        }
    }

    @Test
    void anEmptyQueueMakesTheKeyInlineAndAClosedOneNeverBlocks() throws Exception
    {
        final PreparedKeys keys = new PreparedKeys(HandshakeRandom.secure(new SecureRandom()), 2);
        keys.close();
        handshake(keys);
        handshake(keys);
        assertEquals(0, keys.ready());
        assertTrue(keys.madeInline() >= 2, () -> "inline " + keys.madeInline());
    }

    @Test
    void aCapacityBelowTwoIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new PreparedKeys(HandshakeRandom.secure(new SecureRandom()), 1));
    }

    @Test
    void aHandshakeWaitsForATurnAndTimesOutWithoutOneThenProceedsWhenOneIsFree() throws Exception
    {
        final NoiseConfig server = new NoiseConfig().authoritySecretKey(AUTHORITY_SECRET).handshakeTimeoutMs(400)
            .handshakeConcurrency(1);
        final NoiseConfig client = new NoiseConfig().authorityPublicKey(AUTHORITY_PUBLIC).handshakeTimeoutMs(5_000);
        try (EchoServer echo = new EchoServer(server))
        {
            // Hold the only turn: the next handshake must wait, then time out with a message naming the bound.
            assertTrue(server.acquireTurn(System.nanoTime()));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.port()))
            {
                assertThrows(java.io.IOException.class, () -> NoiseChannel.connect(new TcpStream(s), client));
            }
            final Throwable failure = echo.nextFailure(5_000);
            final NoiseException ex = assertInstanceOf(NoiseException.class, failure);
            assertEquals(NoiseException.Reason.HANDSHAKE_TIMEOUT, ex.reason());
            assertTrue(ex.getMessage().contains("no handshake turn") && ex.getMessage().contains("1 handshakes at a time"),
                ex.getMessage());
            assertEquals(1, server.handshakesQueued());
            server.releaseTurn();
            // Free again: handshakes proceed, and each returns its turn (several in a row with a bound of one).
            for (int i = 0; i < 3; i++)
            {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.port()))
                {
                    assertNotNull(NoiseChannel.connect(new TcpStream(s), client));
                    assertNotNull(echo.nextHandshake(5_000));
                }
            }
            assertTrue(server.acquireTurn(System.nanoTime()), "every turn was given back");
            server.releaseTurn();
        }
    }

    @Test
    void aNegativeConcurrencyIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new NoiseConfig().handshakeConcurrency(-1));
    }
}
