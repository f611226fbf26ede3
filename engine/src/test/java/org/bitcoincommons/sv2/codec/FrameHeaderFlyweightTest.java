package org.bitcoincommons.sv2.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderFlyweightTest
{
    @Test
    void sriSizeHintVector()
    {
        // SRI framing-sv2 test_size_hint: [0, 128, 30, 46, 0, 0] is a payload of 46 bytes.
        final UnsafeBuffer b = new UnsafeBuffer(new byte[] {0, (byte)128, 30, 46, 0, 0});
        final FrameHeaderFlyweight h = new FrameHeaderFlyweight().wrap(b, 0);
        assertEquals(0x8000, h.extensionType());
        assertTrue(h.channelMsg());
        assertEquals(0, h.extensionId());
        assertEquals(0x1e, h.msgType());
        assertEquals(46, h.msgLength());
        assertEquals(52, h.frameLength());
    }

    @Test
    void writesChannelBitAsSecondByte0x80()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        assertEquals(6, FrameHeaderFlyweight.write(b, 1, 0, true, 0x1a, 24));
        assertEquals(Hex.clean("00 | 0080 1a 180000"), Hex.hex(b, 0, 7));
        FrameHeaderFlyweight.write(b, 0, 1, false, 0x02, 0x123456);
        assertEquals(Hex.clean("0100 02 563412"), Hex.hex(b, 0, 6));
    }

    @Test
    void u24LengthIsLittleEndian()
    {
        final FrameHeaderFlyweight h = new FrameHeaderFlyweight().wrap(Hex.buffer("0000 71 ffffff"), 0);
        assertEquals(0xffffff, h.msgLength());
        assertFalse(h.channelMsg());
    }

    @Test
    void checkRejectsLengthAboveConfiguredMaximumAndShortFrames()
    {
        final FrameHeaderFlyweight h = new FrameHeaderFlyweight().wrap(Hex.buffer("0080 1a 180000" + "00".repeat(24)), 0);
        h.check(30, FrameHeaderFlyweight.MAX_MSG_LENGTH);
        final CodecException tooLarge = assertThrows(CodecException.class, () -> h.check(30, 23));
        assertEquals(CodecException.Category.LENGTH_TOO_LARGE, tooLarge.category());
        assertEquals("msg_length", tooLarge.fieldName());
        final CodecException shortFrame = assertThrows(CodecException.class, () -> h.check(29, 1 << 20));
        assertEquals(CodecException.Category.TRUNCATED, shortFrame.category());
        final CodecException shortHeader = assertThrows(CodecException.class, () -> h.check(5, 1 << 20));
        assertEquals(CodecException.Category.TRUNCATED, shortHeader.category());
    }

    @Test
    void writeRejectsLengthBeyondU24()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[6]);
        assertThrows(CodecException.class, () -> FrameHeaderFlyweight.write(b, 0, 0, false, 0, 1 << 24));
    }
}
