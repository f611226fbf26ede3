package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.transport.TcpStream;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NoiseChannelTest
{
    private static final long SHORT_TIMEOUT_MS = 400;
    private static final byte[] AUTHORITY_SECRET = AuthorityKeys.generateSecret(new SecureRandom());
    private static final byte[] AUTHORITY_PUBLIC = AuthorityKeys.publicOf(AUTHORITY_SECRET);

    private EchoServer server;

    @AfterEach
    void stop() throws IOException
    {
        if (server != null)
        {
            server.close();
        }
    }

    private static NoiseConfig serverConfig()
    {
        return new NoiseConfig().authoritySecretKey(AUTHORITY_SECRET).handshakeTimeoutMs(SHORT_TIMEOUT_MS);
    }

    private static NoiseConfig clientConfig()
    {
        return new NoiseConfig().authorityPublicKey(AUTHORITY_PUBLIC).handshakeTimeoutMs(SHORT_TIMEOUT_MS);
    }

    private Socket socket() throws IOException
    {
        return new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    private static UnsafeBuffer frame(final int msgType, final int payloadLength, final long seed)
    {
        final byte[] bytes = new byte[TransportCipher.HEADER_LENGTH + payloadLength];
        new SplittableRandom(seed).nextBytes(bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(TransportCipher.EXTENSION_TYPE_FIELD_OFFSET, (short)0x8000, LITTLE_ENDIAN);
        buffer.putByte(TransportCipher.MSG_TYPE_FIELD_OFFSET, (byte)msgType);
        buffer.putShort(TransportCipher.MSG_LENGTH_FIELD_OFFSET, (short)payloadLength, LITTLE_ENDIAN);
        buffer.putByte(TransportCipher.MSG_LENGTH_FIELD_OFFSET + 2, (byte)(payloadLength >>> 16));
        return buffer;
    }

    private static void assertEcho(final NoiseChannel channel, final UnsafeBuffer sent) throws IOException
    {
        channel.writeFrame(sent, 0, sent.capacity());
        final UnsafeBuffer received = new UnsafeBuffer(new byte[sent.capacity() + 10]);
        final int length = channel.readFrame(received, 3);
        assertEquals(sent.capacity(), length);
        final byte[] got = new byte[length];
        received.getBytes(3, got);
        assertArrayEquals(sent.byteArray(), got);
    }

    @Test
    void roundTripsSmallEmptyAndMultiChunkFrames() throws Exception
    {
        server = new EchoServer(serverConfig());
        try (Socket socket = socket())
        {
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(socket), clientConfig());
            assertEcho(channel, frame(0x1a, 24, 1));
            assertEcho(channel, frame(0x00, 0, 2));
            assertEcho(channel, frame(0x1e, TransportCipher.MAX_CHUNK_PLAINTEXT, 3));
            assertEcho(channel, frame(0x1e, TransportCipher.MAX_CHUNK_PLAINTEXT + 1, 4));
            assertEcho(channel, frame(0x1f, 200_000, 5));
            assertEcho(channel, frame(0x1a, 24, 6));
        }
    }

    @Test
    void wireSizesFollowTheSpec() throws Exception
    {
        final TransportCipher a = new TransportCipher(new byte[32], new byte[32]);
        final UnsafeBuffer submit = frame(0x1a, 24, 7);
        final byte[] wire = new byte[1000];
        assertEquals(62, a.encryptFrame(submit.byteArray(), 0, submit.capacity(), wire, 0));
        final UnsafeBuffer empty = frame(0x00, 0, 8);
        assertEquals(22, a.encryptFrame(empty.byteArray(), 0, 6, wire, 0));
        assertEquals(0, TransportCipher.encryptedPayloadLength(0));
        assertEquals(65535, TransportCipher.encryptedPayloadLength(65519));
        assertEquals(65536 + 32, TransportCipher.encryptedPayloadLength(65536));
    }

    @Test
    void shortAct1EndsThatConnectionOnly() throws Exception
    {
        server = new EchoServer(serverConfig().handshakeTimeoutMs(5_000));
        try (Socket bad = socket())
        {
            bad.getOutputStream().write(new byte[30]);
            bad.shutdownOutput();
            assertReason(NoiseException.Reason.BAD_ACT1, server.nextFailure(5_000));
        }
        try (Socket good = socket())
        {
            assertEcho(NoiseChannel.connect(new TcpStream(good), clientConfig()), frame(1, 10, 9));
        }
    }

    @Test
    void garbageAct1FailsAtTheFirstFrame() throws Exception
    {
        // Every 64-byte string decodes to a curve point, so garbage act 1 cannot be told from a key: the server
        // answers, and the connection ends when the peer's first "frame" fails to authenticate.
        server = new EchoServer(serverConfig().handshakeTimeoutMs(5_000));
        try (Socket bad = socket())
        {
            final byte[] garbage = new byte[NoiseInitiator.ACT1_LENGTH + 62];
            new SplittableRandom(64).nextBytes(garbage);
            bad.getOutputStream().write(garbage);
            assertEquals(NoiseInitiator.ACT2_LENGTH, bad.getInputStream().readNBytes(NoiseInitiator.ACT2_LENGTH).length);
            assertReason(NoiseException.Reason.BAD_MAC, server.nextFailure(5_000));
            assertEquals(-1, bad.getInputStream().read(), "server closed the connection");
        }
    }

    @Test
    void stalledPeerTimesOutWhileAConcurrentConnectionCompletes() throws Exception
    {
        server = new EchoServer(serverConfig());
        try (Socket stalled = socket(); Socket good = socket())
        {
            stalled.getOutputStream().write(new byte[10]);
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(good), clientConfig());
            assertEcho(channel, frame(2, 100, 10));
            assertReason(NoiseException.Reason.HANDSHAKE_TIMEOUT, server.nextFailure(5_000));
            assertEquals(-1, stalled.getInputStream().read(), "server closed the stalled connection");
        }
    }

    @Test
    void clientTimesOutOnASilentServer() throws Exception
    {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort()))
        {
            final NoiseException ex = assertThrows(NoiseException.class,
                () -> NoiseChannel.connect(new TcpStream(socket), clientConfig()));
            assertEquals(NoiseException.Reason.HANDSHAKE_TIMEOUT, ex.reason());
        }
    }

    @Test
    void shortOrGarbageAct2IsRejected() throws Exception
    {
        for (final int act2Length : new int[] {100, NoiseInitiator.ACT2_LENGTH})
        {
            try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress()))
            {
                final CompletableFuture<Void> served = CompletableFuture.runAsync(() ->
                {
                    try (Socket s = fake.accept())
                    {
                        s.getInputStream().readNBytes(NoiseInitiator.ACT1_LENGTH);
                        final byte[] garbage = new byte[act2Length];
                        new SplittableRandom(act2Length).nextBytes(garbage);
                        s.getOutputStream().write(garbage);
                        s.shutdownOutput();
                        s.getInputStream().read();
                    }
                    catch (final IOException ignored)
                    {
                        // the client closing is expected
                    }
                });
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), fake.getLocalPort()))
                {
                    final NoiseException ex = assertThrows(NoiseException.class,
                        () -> NoiseChannel.connect(new TcpStream(socket), clientConfig().handshakeTimeoutMs(5_000)));
                    assertEquals(NoiseException.Reason.BAD_ACT2, ex.reason(), "act 2 of " + act2Length + " bytes");
                }
                served.get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void tamperedTransportFrameFailsTheMac() throws Exception
    {
        server = new EchoServer(serverConfig());
        try (Socket socket = socket())
        {
            // Flip one bit of the first payload byte of the first frame: past act 1 (64) and the header (22).
            final OutputStream corrupting = new FilterOutputStream(socket.getOutputStream())
            {
                private long written;

                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException
                {
                    final byte[] copy = Arrays.copyOfRange(b, off, off + len);
                    final long target = NoiseInitiator.ACT1_LENGTH + TransportCipher.ENCRYPTED_HEADER_LENGTH;
                    if (written <= target && target < written + len)
                    {
                        copy[(int)(target - written)] ^= 0x01;
                    }
                    written += len;
                    out.write(copy);
                }
            };
            final NoiseChannel channel = NoiseChannel.connect(socket.getInputStream(), corrupting, socket, clientConfig());
            final UnsafeBuffer sent = frame(0x1a, 24, 11);
            channel.writeFrame(sent, 0, sent.capacity());
            assertReason(NoiseException.Reason.BAD_MAC, server.nextFailure(5_000));
            assertThrows(IOException.class, () -> channel.readFrame(new UnsafeBuffer(new byte[100])));
        }
    }

    @Test
    void certificateWindowAndSignatureAreChecked() throws Exception
    {
        final long nowSec = InstantSource.system().instant().getEpochSecond();
        checkCertificate(serverConfig().clock(fixed(nowSec - 7200)).certValiditySec(3600),
            NoiseException.Reason.CERT_EXPIRED);
        checkCertificate(serverConfig().clock(fixed(nowSec + 3600)), NoiseException.Reason.CERT_NOT_YET_VALID);
        checkCertificate(serverConfig().authoritySecretKey(AuthorityKeys.generateSecret(new SecureRandom())),
            NoiseException.Reason.CERT_BAD_SIGNATURE);
        // Within the 10 s leeway on both ends: accepted.
        checkCertificate(serverConfig().clock(fixed(nowSec + 5)), null);
        checkCertificate(serverConfig().clock(fixed(nowSec - 3605)).certValiditySec(3600), null);
    }

    private void checkCertificate(final NoiseConfig config, final NoiseException.Reason expected) throws Exception
    {
        try (EchoServer certServer = new EchoServer(config);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), certServer.port()))
        {
            if (expected == null)
            {
                assertEcho(NoiseChannel.connect(new TcpStream(socket), clientConfig()), frame(3, 5, 12));
            }
            else
            {
                final NoiseException ex = assertThrows(NoiseException.class,
                    () -> NoiseChannel.connect(new TcpStream(socket), clientConfig()));
                assertEquals(expected, ex.reason());
            }
        }
    }

    @Test
    void oversizedFramesAreRefused() throws Exception
    {
        server = new EchoServer(serverConfig().maxPayloadLength(1000));
        try (Socket socket = socket())
        {
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(socket), clientConfig());
            assertEcho(channel, frame(4, 1000, 13));
            final UnsafeBuffer big = frame(4, 1001, 14);
            channel.writeFrame(big, 0, big.capacity());
            assertReason(NoiseException.Reason.FRAME_TOO_LARGE, server.nextFailure(5_000));
        }
        try (Socket socket = socket())
        {
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(socket), clientConfig().maxPayloadLength(10));
            final UnsafeBuffer big = frame(4, 11, 15);
            final NoiseException ex = assertThrows(NoiseException.class, () -> channel.writeFrame(big, 0, big.capacity()));
            assertEquals(NoiseException.Reason.FRAME_TOO_LARGE, ex.reason());
        }
    }

    @Test
    void nonceExhaustionClosesTheConnection() throws Exception
    {
        server = new EchoServer(serverConfig());
        try (Socket socket = socket())
        {
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(socket), clientConfig());
            channel.cipher().sender().nonce(CipherState.MAX_NONCE - 1);
            final UnsafeBuffer sent = frame(5, 8, 16);
            // The header takes nonce 2^64-2; the payload would need the reserved 2^64-1.
            final NoiseException ex = assertThrows(NoiseException.class, () -> channel.writeFrame(sent, 0, sent.capacity()));
            assertEquals(NoiseException.Reason.NONCE_EXHAUSTED, ex.reason());
            assertTrue(socket.isClosed());
        }
    }

    @Test
    void peerClosingBetweenFramesIsEof() throws Exception
    {
        server = new EchoServer(serverConfig());
        try (Socket socket = socket())
        {
            final NoiseChannel channel = NoiseChannel.connect(new TcpStream(socket), clientConfig());
            socket.shutdownOutput();
            final NoiseException ex = assertThrows(NoiseException.class,
                () -> channel.readFrame(new UnsafeBuffer(new byte[100])));
            assertEquals(NoiseException.Reason.EOF, ex.reason());
        }
    }

    private static InstantSource fixed(final long epochSec)
    {
        return InstantSource.fixed(java.time.Instant.ofEpochSecond(epochSec));
    }

    private static void assertReason(final NoiseException.Reason expected, final Throwable failure)
    {
        assertNotNull(failure, "expected a " + expected + " failure");
        final NoiseException ex = assertInstanceOf(NoiseException.class, failure, String.valueOf(failure));
        assertEquals(expected, ex.reason(), ex.getMessage());
    }
}
