package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, item 2: what a peer declares in a frame header buys it nothing. A header over the receive limit ends the
 * connection before any payload is read; within the limit, the receive buffer grows only with the bytes that arrive,
 * and {@link NoiseChannel#partialFrame()} shows the frame in progress to a deadline sweeper.
 */
@Timeout(30)
class NoiseReceiveBoundTest
{
    private static final byte[] KEY_A = key(1);
    private static final byte[] KEY_B = key(2);

    private static byte[] key(final int seed)
    {
        final byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte)seed);
        return k;
    }

    private static boolean await(final long timeoutMs, final java.util.function.BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void receiveBufferGrowsWithArrivingBytesNotWithTheDeclaredLength() throws Exception
    {
        final TransportCipher sender = TransportCiphers.of(KEY_A, KEY_B);
        final PipedOutputStream wire = new PipedOutputStream();
        final PipedInputStream in = new PipedInputStream(wire, 1 << 20);
        final NoiseChannel receiver = TransportCiphers.channel(in, OutputStream.nullOutputStream(), in,
            TransportCiphers.of(KEY_B, KEY_A), TransportCipher.MAX_PAYLOAD_LENGTH);
        final int chunks = 4;
        final byte[] start = PartialFrames.start(sender, 0x1a, TransportCipher.MAX_PAYLOAD_LENGTH, chunks);
        final CompletableFuture<Throwable> reading = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                receiver.readFrame();
                return null;
            }
            catch (final Throwable t)
            {
                return t;
            }
        });
        wire.write(start);
        wire.flush();
        assertTrue(await(10_000, () -> receiver.partialFrame() == 1 && availableOf(in) == 0),
            "the reader took the header and every byte sent");
        final int arrived = start.length - TransportCipher.ENCRYPTED_HEADER_LENGTH;
        assertTrue(receiver.receiveBufferCapacity() <= 2 * arrived + TransportCipher.MAX_MESSAGE_LENGTH + 64,
            "buffer of " + receiver.receiveBufferCapacity() + " bytes after " + arrived + " arrived (declared 16 MiB)");
        wire.close();
        final Throwable end = reading.get(10, TimeUnit.SECONDS);
        assertTrue(end instanceof NoiseException ne && ne.reason() == NoiseException.Reason.EOF, String.valueOf(end));
    }

    @Test
    void aHeaderOverTheReceiveLimitEndsTheConnectionBeforeAnyPayload() throws Exception
    {
        final TransportCipher sender = TransportCiphers.of(KEY_A, KEY_B);
        final PipedOutputStream wire = new PipedOutputStream();
        final PipedInputStream in = new PipedInputStream(wire, 1 << 16);
        final NoiseChannel receiver = TransportCiphers.channel(in, OutputStream.nullOutputStream(), in,
            TransportCiphers.of(KEY_B, KEY_A), TransportCipher.MAX_PAYLOAD_LENGTH).maxReceivePayload(65_536);
        wire.write(PartialFrames.start(sender, 0x1a, 65_537, 0));
        wire.flush();
        final NoiseException ex = assertThrows(NoiseException.class, receiver::readFrame);
        assertEquals(NoiseException.Reason.FRAME_TOO_LARGE, ex.reason());
        assertTrue(receiver.receiveBufferCapacity() <= 1024, "nothing was allocated for the payload");
        assertEquals(0, receiver.partialFrame());
        assertThrows(IllegalArgumentException.class, () -> receiver.maxReceivePayload(TransportCipher.MAX_PAYLOAD_LENGTH + 1));
    }

    private static int availableOf(final PipedInputStream in)
    {
        try
        {
            return in.available();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
