package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.transport.FrameSink;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MiningFrames#messageOnce}: the setup answers a connection's reader sends without an instance, checked
 * byte for byte against the spec's layouts (frame header: extension_type U16, msg_type U8, msg_length U24; then
 * SetupConnection.Success = used_version U16, flags U32; SetupConnection.Error = flags U32, error_code STR0_255).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MiningFramesOnceTest
{
    private static final class Capture implements FrameSink
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            bytes.writeBytes(b);
        }

        @Override
        public void flush()
        {
        }

        synchronized byte[] get()
        {
            return bytes.toByteArray();
        }
    }

    private static byte[] send(final OutboundQueue q, final Capture c, final org.bitcoincommons.sv2.codec.Message m)
    {
        assertTrue(MiningFrames.messageOnce(q, m));
        q.close(5_000);
        return c.get();
    }

    @Test
    void setupConnectionSuccessMatchesTheSpecLayout()
    {
        final Capture c = new Capture();
        final byte[] wire = send(new OutboundQueue(1024, 1 << 16, c), c, new SetupConnectionSuccess(2, 0x5));
        assertArrayEquals(new byte[] {0, 0, 0x01, 6, 0, 0, 2, 0, 5, 0, 0, 0}, wire);
    }

    @Test
    void aLongErrorCodeGrowsTheScratch()
    {
        final String code = "x".repeat(255);   // the longest STR0_255: the frame (266 bytes) is past the first scratch
        final Capture c = new Capture();
        final byte[] wire = send(new OutboundQueue(1024, 1 << 16, c), c, new SetupConnectionError(0x6, code));
        final int payload = 4 + 1 + 255;
        assertEquals(6 + payload, wire.length);
        assertArrayEquals(new byte[] {0, 0, 0x02, (byte)payload, (byte)(payload >>> 8), 0, 6, 0, 0, 0, (byte)255},
            java.util.Arrays.copyOf(wire, 11));
        assertEquals(code, new String(wire, 11, 255, StandardCharsets.US_ASCII));
    }

    @Test
    void aClosedQueueRefusesTheFrame()
    {
        final OutboundQueue q = new OutboundQueue(1024, 1024, new Capture());
        q.close();
        assertFalse(MiningFrames.messageOnce(q, new SetupConnectionSuccess(2, 0)));
    }
}
