package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.junit.jupiter.api.Test;

/**
 * The event loop's half of {@link NoiseChannel}: {@link NoiseChannel#receive} takes the wire bytes in whatever pieces
 * the socket delivers them and yields the same frames, in the same order, as the blocking {@link NoiseChannel#readFrame}
 * reads from the same bytes; {@link NoiseChannel#sendTo} puts the same bytes on the wire as the blocking writer, however
 * little the socket takes per call. Faults (a bad tag, a header over the limit) end the channel as in the blocking path.
 */
class NoiseChannelNonBlockingTest
{
    private static final byte[] KEY_A = key(1);
    private static final byte[] KEY_B = key(2);

    private static byte[] key(final int seed)
    {
        final byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte)seed);
        return k;
    }

    /** Plaintext frames of every size class: empty, tiny, a share, one chunk exactly, several chunks. */
    private static List<byte[]> frames()
    {
        final Random r = new Random(7);
        final int[] payloads = {0, 1, 56, 1000, TransportCipher.MAX_CHUNK_PLAINTEXT, TransportCipher.MAX_CHUNK_PLAINTEXT + 1,
            3 * TransportCipher.MAX_CHUNK_PLAINTEXT + 17, 0, 56, 56, 56};
        final List<byte[]> out = new ArrayList<>();
        int type = 0x10;
        for (final int p : payloads)
        {
            final byte[] f = new byte[6 + p];
            r.nextBytes(f);
            FrameHeaderFlyweight.write(new UnsafeBuffer(f), 0, 0, false, type++ & 0xff, p);
            out.add(f);
        }
        return out;
    }

    /** The wire bytes of {@code frames} as the blocking writer sends them. */
    private static byte[] wire(final List<byte[]> frames) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final NoiseChannel sender = TransportCiphers.channel(InputStream.nullInputStream(), out, () -> { },
            TransportCiphers.of(KEY_A, KEY_B), TransportCipher.MAX_PAYLOAD_LENGTH);
        for (final byte[] f : frames)
        {
            sender.writeFrame(new UnsafeBuffer(f), 0, f.length);
        }
        return out.toByteArray();
    }

    private static NoiseChannel receiver(final Closeable transport)
    {
        final NoiseChannel c = TransportCiphers.channel(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
            transport, TransportCiphers.of(KEY_B, KEY_A), TransportCipher.MAX_PAYLOAD_LENGTH);
        c.nonBlocking();
        return c;
    }

    /** Feeds {@code wire} to a non-blocking receiver in pieces of the sizes {@code pieces} gives; returns the frames. */
    private static List<byte[]> receiveInPieces(final byte[] wire, final java.util.function.IntSupplier pieces)
        throws Exception
    {
        final NoiseChannel c = receiver(() -> { });
        final List<byte[]> got = new ArrayList<>();
        int at = 0;
        while (at < wire.length)
        {
            final int piece = Math.min(wire.length - at, Math.max(1, pieces.getAsInt()));
            final byte[] copy = java.util.Arrays.copyOfRange(wire, at, at + piece);   // only the piece is readable
            int used = 0;
            while (used < piece)
            {
                final int n = c.receive(copy, used, piece - used);
                assertTrue(n >= 1, "receive consumed nothing of " + (piece - used) + " bytes");
                used += n;
                if (c.readyFrame() > 0)
                {
                    final byte[] f = new byte[c.readyFrame()];
                    c.frameBuffer().getBytes(0, f);
                    got.add(f);
                    assertTrue(c.betweenFrames());
                    assertEquals(0, c.partialFrame());
                }
            }
            at += piece;
        }
        assertTrue(c.betweenFrames(), "bytes left over after the last frame");
        return got;
    }

    @Test
    void receivingInAnyPiecesGivesTheFramesTheBlockingReaderGives() throws Exception
    {
        final List<byte[]> frames = frames();
        final byte[] wire = wire(frames);
        // the blocking reader, from the same bytes
        final NoiseChannel blocking = TransportCiphers.channel(new ByteArrayInputStream(wire),
            OutputStream.nullOutputStream(), () -> { }, TransportCiphers.of(KEY_B, KEY_A), TransportCipher.MAX_PAYLOAD_LENGTH);
        for (final byte[] f : frames)
        {
            final int n = blocking.readFrame();
            final byte[] got = new byte[n];
            blocking.frameBuffer().getBytes(0, got);
            assertArrayEquals(f, got);
        }
        final Random r = new Random(11);
        final List<java.util.function.IntSupplier> splits = List.of(
            () -> wire.length,                 // all at once
            () -> 1,                           // a byte at a time
            () -> 21,                          // one short of a header
            () -> 22,                          // a header's length
            () -> 1 + r.nextInt(200),          // small random pieces
            () -> 1 + r.nextInt(70_000));      // pieces around a Noise message
        for (final java.util.function.IntSupplier s : splits)
        {
            final List<byte[]> got = receiveInPieces(wire, s);
            assertEquals(frames.size(), got.size());
            for (int i = 0; i < frames.size(); i++)
            {
                assertArrayEquals(frames.get(i), got.get(i), "frame " + i);
            }
        }
    }

    @Test
    void aPartialFrameIsVisibleToTheDeadlineSweeper() throws Exception
    {
        final byte[] wire = wire(List.of(frames().get(3)));   // 1,000-byte payload
        final NoiseChannel c = receiver(() -> { });
        assertEquals(22, c.receive(wire, 0, 30));   // the header, and only the header, is taken first
        assertEquals(0, c.readyFrame());
        assertEquals(1, c.partialFrame());
        assertEquals(8, c.receive(wire, 22, 8));
        assertTrue(c.receiveBufferCapacity() < 64 * 1024);
        assertEquals(wire.length - 30, c.receive(wire, 30, wire.length - 30));
        assertEquals(1006, c.readyFrame());
        assertEquals(0, c.partialFrame());
    }

    @Test
    void aTamperedFrameEndsTheChannel() throws Exception
    {
        final byte[] wire = wire(List.of(frames().get(2), frames().get(2)));
        wire[wire.length - 3] ^= 1;   // the second frame's payload tag
        final AtomicBoolean closed = new AtomicBoolean();
        final NoiseChannel c = receiver(() -> closed.set(true));
        final int first = 22 + 56 + 16;
        int at = 0;
        while (at < first)
        {
            at += c.receive(wire, at, wire.length - at);
        }
        assertEquals(62, c.readyFrame());
        final NoiseException ex = assertThrows(NoiseException.class, () ->
        {
            int i = first;
            while (i < wire.length)
            {
                i += c.receive(wire, i, wire.length - i);
            }
        });
        assertEquals(NoiseException.Reason.BAD_MAC, ex.reason());
        assertTrue(closed.get(), "the transport is closed");
    }

    @Test
    void aHeaderOverTheLimitEndsTheChannelBeforeItsPayload() throws Exception
    {
        final byte[] wire = wire(List.of(frames().get(3)));
        final AtomicBoolean closed = new AtomicBoolean();
        final NoiseChannel c = receiver(() -> closed.set(true)).maxReceivePayload(999);
        final NoiseException ex = assertThrows(NoiseException.class, () -> c.receive(wire, 0, 22));
        assertEquals(NoiseException.Reason.FRAME_TOO_LARGE, ex.reason());
        assertTrue(closed.get());
    }

    /** A socket that takes at most {@code perCall} bytes per write (0 now and then: full). */
    private static final class TrickleChannel implements WritableByteChannel
    {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        final int perCall;
        int calls;

        TrickleChannel(final int perCall)
        {
            this.perCall = perCall;
        }

        @Override
        public int write(final ByteBuffer src)
        {
            if (++calls % 3 == 0)
            {
                return 0;
            }
            final int n = Math.min(perCall, src.remaining());
            final byte[] b = new byte[n];
            src.get(b);
            taken.writeBytes(b);
            return n;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void sendingThroughASocketThatTakesLittleAtATimePutsTheBlockingWritersBytesOnTheWire() throws Exception
    {
        final List<byte[]> frames = frames();
        final byte[] expected = wire(frames);
        for (final int perCall : new int[] {1, 7, 1500, 1 << 20})
        {
            final NoiseChannel c = TransportCiphers.channel(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                () -> { }, TransportCiphers.of(KEY_A, KEY_B), TransportCipher.MAX_PAYLOAD_LENGTH);
            c.nonBlocking();
            final TrickleChannel socket = new TrickleChannel(perCall);
            int next = 0;
            while (next < frames.size() || c.unsentBytes() > 0)
            {
                // queue a frame whenever less than a share's worth is waiting, as the loop's drain would
                if (next < frames.size() && c.unsentBytes() < 100)
                {
                    final byte[] f = frames.get(next++);
                    c.queueFrame(new UnsafeBuffer(f), 0, f.length);
                }
                final int before = c.unsentBytes();
                final int n = c.sendTo(socket);
                assertEquals(before - n, c.unsentBytes());
            }
            assertArrayEquals(expected, socket.taken.toByteArray(), "taking " + perCall + " bytes per write");
            assertEquals(0, c.sendTo(socket), "nothing left to send");
        }
    }
}
