package org.bitcoincommons.sv2.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;

/**
 * A hostile client for the soak: one connection that sends the pool something it must refuse, then waits for the
 * pool to close it. Each {@link Kind} attacks another layer; the counters say how many were opened and how many the
 * pool closed within the wait (the rest were still open when the client gave up, which the soak reports).
 */
public final class GarbageClient
{
    /** What the connection sends. */
    public enum Kind
    {
        /** Random bytes from the first byte on: a random "act 1" (any 64 bytes decode), then bytes that fail the MAC. */
        RANDOM_BYTES,
        /** A real handshake, then an encrypted frame whose payload is random bytes under a random mining type. */
        GARBAGE_FRAME,
        /** A real handshake, then random bytes where encrypted frames belong (the MAC fails). */
        RAW_CIPHERTEXT,
        /** Part of act 1, then silence: the pool's handshake deadline must close it. */
        HALF_HANDSHAKE
    }

    private final InetSocketAddress pool;
    private final NoiseConfig noise;
    private final long waitMs;
    private final AtomicLongArray opened = new AtomicLongArray(Kind.values().length);
    private final AtomicLongArray closedByPool = new AtomicLongArray(Kind.values().length);
    private final AtomicLongArray connectFailed = new AtomicLongArray(Kind.values().length);
    private final AtomicLongArray handshakeFailed = new AtomicLongArray(Kind.values().length);

    /**
     * @param authority the pool's authority public key (for the kinds that finish a handshake)
     * @param waitMs    how long a connection waits for the pool to close it
     */
    public GarbageClient(final InetSocketAddress pool, final byte[] authority, final long waitMs)
    {
        this.pool = pool;
        this.waitMs = waitMs;
        this.noise = new NoiseConfig().authorityPublicKey(authority).handshakeTimeoutMs(10_000);
        noise.conclude();
    }

    /** Runs one hostile connection to its end (blocking). */
    public void attack(final Kind kind, final Random random)
    {
        try (Socket socket = new Socket())
        {
            try
            {
                socket.connect(pool, 10_000);
            }
            catch (final IOException ex)
            {
                connectFailed.incrementAndGet(kind.ordinal());
                return;
            }
            opened.incrementAndGet(kind.ordinal());
            socket.setSoTimeout((int)waitMs);
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            switch (kind)
            {
                case RANDOM_BYTES -> socket.getOutputStream().write(bytes(random, 64 + random.nextInt(4096)));
                case HALF_HANDSHAKE -> socket.getOutputStream().write(bytes(random, 1 + random.nextInt(63)));
                case GARBAGE_FRAME, RAW_CIPHERTEXT ->
                {
                    final NoiseChannel channel;
                    try
                    {
                        channel = NoiseChannel.connect(in, socket.getOutputStream(), socket, noise);
                    }
                    catch (final IOException ex)
                    {
                        handshakeFailed.incrementAndGet(kind.ordinal());   // not the attack: the pool refused a real handshake
                        return;
                    }
                    if (kind == Kind.RAW_CIPHERTEXT)
                    {
                        socket.getOutputStream().write(bytes(random, 22 + random.nextInt(512)));
                    }
                    else
                    {
                        final int payload = random.nextInt(256);
                        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameHeaderFlyweight.HEADER_LENGTH + payload]);
                        // a mining-protocol type (0x10..0x2f) with a payload that does not decode as that message
                        FrameHeaderFlyweight.write(frame, 0, 0, random.nextBoolean(), 0x10 + random.nextInt(0x20), payload);
                        frame.putBytes(FrameHeaderFlyweight.HEADER_LENGTH, bytes(random, payload));
                        channel.queueFrame(frame, 0, frame.capacity());
                        channel.flush();
                    }
                }
                default -> throw new IllegalStateException(kind.name());
            }
            socket.getOutputStream().flush();
            // the pool must close the connection: read until end of stream, a reset, or the wait runs out
            final byte[] sink = new byte[4096];
            while (in.read(sink) >= 0)
            {
                // drain what the pool sent before closing (act 2, an error message)
            }
            closedByPool.incrementAndGet(kind.ordinal());
        }
        catch (final SocketTimeoutException ex)
        {
            // still open when the wait ran out: counted as opened, not closed
        }
        catch (final IOException ex)
        {
            // a reset, or the handshake refused by the pool: the pool closed it
            closedByPool.incrementAndGet(kind.ordinal());
        }
    }

    private static byte[] bytes(final Random random, final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    public long opened(final Kind kind)
    {
        return opened.get(kind.ordinal());
    }

    public long closedByPool(final Kind kind)
    {
        return closedByPool.get(kind.ordinal());
    }

    public long connectFailed(final Kind kind)
    {
        return connectFailed.get(kind.ordinal());
    }

    /** Kinds that finish a real handshake first: handshakes the pool did not complete. */
    public long handshakeFailed(final Kind kind)
    {
        return handshakeFailed.get(kind.ordinal());
    }
}
