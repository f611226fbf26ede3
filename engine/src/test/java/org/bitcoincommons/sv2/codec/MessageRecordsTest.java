package org.bitcoincommons.sv2.codec;

import static org.bitcoincommons.sv2.codec.Hex.buffer;
import static org.bitcoincommons.sv2.codec.Hex.clean;
import static org.bitcoincommons.sv2.codec.Hex.hex;
import static org.bitcoincommons.sv2.codec.Hex.rep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.SetGroupChannel;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.junit.jupiter.api.Test;

/** Cold-path records against frames written out by hand from the spec tables. */
class MessageRecordsTest
{
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);

    private void assertFrame(final String expectedHex, final Message m)
    {
        final int n = m.encodeFrame(out, 0);
        assertEquals(clean(expectedHex), hex(out, 0, n));
    }

    @Test
    void setupConnection()
    {
        final String payload = "00 0200 0200 06000000 07 706f6f6c2e696f 050d 02 6162 00 02 6631 00";
        final SetupConnection m = SetupConnection.decode(buffer(payload), 0, 27);
        assertEquals(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
            CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING,
            "pool.io", 3333, "ab", "", "f1", ""), m);
        assertFrame("0000 00 1b0000" + payload, m);
    }

    @Test
    void setupConnectionRejectsNonUtf8AndOverlongStrings()
    {
        final CodecException utf8 = assertThrows(CodecException.class, () -> SetupConnection.decode(
            buffer("00 0200 0200 06000000 01 ff 050d 00 00 00 00"), 0, 16));
        assertEquals(CodecException.Category.INVALID_VALUE, utf8.category());
        assertEquals("endpoint_host", utf8.fieldName());
        final SetupConnection big = new SetupConnection(0, 2, 2, 0, "x".repeat(256), 1, "", "", "", "");
        final CodecException tooLong = assertThrows(CodecException.class, () -> big.encode(out, 0));
        assertEquals(CodecException.Category.VALUE_TOO_LARGE, tooLong.category());
        assertEquals("endpoint_host", tooLong.fieldName());
    }

    @Test
    void openStandardMiningChannel()
    {
        final String payload = "01000000 01 61 0000c03f " + rep("ff", 32);
        final OpenStandardMiningChannel m = OpenStandardMiningChannel.decode(buffer(payload), 0, 42);
        assertEquals(1.5f, m.nominalHashRate());
        assertEquals("a", m.userIdentity());
        assertFrame("0000 10 2a0000" + payload, m);
    }

    @Test
    void setGroupChannelHasNoChannelBit()
    {
        final String payload = "07000000 0300 01000000 02000000 04030201";
        final SetGroupChannel m = SetGroupChannel.decode(buffer(payload), 0, 18);
        assertEquals(7, m.groupChannelId());
        assertArrayEquals(new long[] {1, 2, 0x01020304}, m.channelIds());
        assertFrame("0000 25 120000" + payload, m);
    }

    @Test
    void declareMiningJob()
    {
        final String payload = "01000000 02 abcd 00000020 0100 01 0200 0203 0200 " + rep("44", 32) + rep("55", 32) + " 0000";
        final DeclareMiningJob m = DeclareMiningJob.decode(buffer(payload), 0, 0x56);
        assertEquals(0x20000000L, m.version());
        assertEquals(2, m.wtxidList().size());
        assertEquals(rep("55", 32), hex(m.wtxidList().get(1)));
        assertEquals(0, m.excessData().length);
        assertFrame("0000 57 560000" + payload, m);
    }

    @Test
    void newTemplate()
    {
        final String payload = "0807060504030201 01 00000020 02000000 04 03a08601 ffffffff 40be402500000000 01000000 " +
            "0300 aabbcc 00000000 01 " + rep("33", 32);
        final NewTemplate m = NewTemplate.decode(buffer(payload), 0, 0x50);
        assertEquals(0x0102030405060708L, m.templateId());
        assertTrue(m.futureTemplate());
        assertEquals(0xffffffffL, m.coinbaseTxInputSequence());
        assertEquals(625_000_000L, m.coinbaseTxValueRemaining());
        assertEquals("aabbcc", hex(m.coinbaseTxOutputs()));
        assertFrame("0000 71 500000" + payload, m);
    }

    @Test
    void requestExtensions()
    {
        final RequestExtensions m = RequestExtensions.decode(buffer("0201 0200 0200 0140"), 0, 8);
        assertEquals(0x0102, m.requestId());
        assertArrayEquals(new int[] {2, 0x4001}, m.requestedExtensions());
        assertFrame("0100 00 080000 0201 0200 0200 0140", m);
    }

    @Test
    void sequenceCountBeyondPayloadIsRejectedBeforeAllocating()
    {
        // 65535 transactions claimed in 2 bytes of payload.
        final CodecException ex = assertThrows(CodecException.class,
            () -> org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess.decode(
                buffer("01000000 ffff 0000"), 0, 8));
        assertEquals(CodecException.Category.TRUNCATED, ex.category());
        assertEquals("transaction_list", ex.fieldName());
    }

    @Test
    void boolIgnoresHighBits()
    {
        final String payload = "0100000000000000 fe 00000020 02000000 00 ffffffff 0000000000000000 00000000 0000 " +
            "00000000 00";
        assertEquals(false, NewTemplate.decode(buffer(payload), 0, 41).futureTemplate());
        assertEquals(true, NewTemplate.decode(buffer(payload.replace(" fe ", " 81 ")), 0, 41).futureTemplate());
        assertEquals(List.of(), NewTemplate.decode(buffer(payload), 0, 41).merklePath());
    }
}
