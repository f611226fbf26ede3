package org.bitcoincommons.sv2.codec.td;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.Vectors;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.junit.jupiter.api.Test;

/**
 * The Template Distribution codec against Bitcoin Core's Template Provider: the hex of sv2-tp's message tests
 * ({@code vectors/sv2_tp_messages.txt}, origin in SOURCES.md), each decoded into the values the C++ test builds it
 * from and encoded back to the same bytes.
 */
class Sv2TpMessageVectorsTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, byte[]> V = load();

    private static Map<String, byte[]> load()
    {
        final Map<String, byte[]> m = new LinkedHashMap<>();
        for (final String line : Vectors.read("sv2_tp_messages.txt").split("\n"))
        {
            final String l = line.strip();
            if (l.isEmpty() || l.startsWith("#"))
            {
                continue;
            }
            final int eq = l.indexOf('=');
            m.put(l.substring(0, eq).strip(), HEX.parseHex(l.substring(eq + 1).strip()));
        }
        return m;
    }

    private static UnsafeBuffer in(final String name)
    {
        return new UnsafeBuffer(V.get(name));
    }

    private static int length(final String name)
    {
        return V.get(name).length;
    }

    private static void assertEncodes(final String name, final Message m)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final int n = m.encode(out, 0);
        final byte[] bytes = new byte[n];
        out.getBytes(0, bytes);
        assertEquals(HEX.formatHex(V.get(name)), HEX.formatHex(bytes), name);
    }

    private static byte[] hex(final String s)
    {
        return HEX.parseHex(s);
    }

    @Test
    void setupConnectionForTemplateDistribution()
    {
        final SetupConnection m = SetupConnection.decode(in("setup_connection"), 0, length("setup_connection"));
        assertEquals(new SetupConnection(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, 2, 2, 1, "0.0.0.0", 8545,
            "Bitmain", "S9i 13.5", "braiins-os-2018-09-22-1-hash", "some-device-uuid"), m);
        assertEncodes("setup_connection", m);

        final UnsafeBuffer header = in("setup_connection_header");
        assertEquals(0, FrameHeaderFlyweight.extensionType(header, 0));
        assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION, FrameHeaderFlyweight.msgType(header, 0));
        assertEquals(82, FrameHeaderFlyweight.msgLength(header, 0));
        assertEquals(82, length("setup_connection"));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        assertEquals(6 + 82, m.encodeFrame(frame, 0));
        final byte[] h = new byte[6];
        frame.getBytes(0, h);
        assertArrayEquals(V.get("setup_connection_header"), h);
    }

    @Test
    void setupConnectionSuccessAndError()
    {
        final SetupConnectionSuccess ok = SetupConnectionSuccess.decode(in("setup_connection_success"), 0, 6);
        assertEquals(new SetupConnectionSuccess(2, 3), ok);
        assertEncodes("setup_connection_success", ok);

        final SetupConnectionError error = SetupConnectionError.decode(in("setup_connection_error"), 0,
            length("setup_connection_error"));
        assertEquals(new SetupConnectionError(0, "protocol-version-mismatch"), error);
        assertEncodes("setup_connection_error", error);
    }

    @Test
    void newTemplateWithOneOutput()
    {
        final NewTemplate m = NewTemplate.decode(in("new_template"), 0, length("new_template"));
        assertEquals(1, m.templateId());
        assertFalse(m.futureTemplate());
        assertEquals(805306368L, m.version());
        assertEquals(2, m.coinbaseTxVersion());
        assertArrayEquals(hex("03012100"), m.coinbasePrefix());
        assertEquals(0xffffffffL, m.coinbaseTxInputSequence());
        assertEquals(2_100_000_000_000_000L, m.coinbaseTxValueRemaining(), "MAX_MONEY");
        assertEquals(1, m.coinbaseTxOutputsCount());
        // one serialized CTxOut: value 1, script OP_RETURN 42 (no CompactSize count in front)
        assertArrayEquals(hex("0100000000000000" + "03" + "6a012a"), m.coinbaseTxOutputs());
        assertEquals(903387, m.coinbaseTxLocktime());
        assertEquals(1, m.merklePath().size());
        assertArrayEquals(hex("1a6240823de4c8d6aaf826851bdf2b0e8d5acf7c31e8578cff4c394b5a32bd4e"), m.merklePath().get(0));
        assertEncodes("new_template", m);
    }

    @Test
    void newTemplateWithSeveralOutputs()
    {
        final NewTemplate m = NewTemplate.decode(in("new_template_multiple_outputs"), 0,
            length("new_template_multiple_outputs"));
        assertEquals(3, m.coinbaseTxOutputsCount());
        assertEquals(33, m.coinbaseTxOutputs().length);
        assertArrayEquals(hex("6400000000000000026a51" + "c800000000000000026a52" + "2c01000000000000026a53"),
            m.coinbaseTxOutputs());
        assertEquals(903387, m.coinbaseTxLocktime());
        assertEncodes("new_template_multiple_outputs", m);
    }

    @Test
    void headersOfEmptyNewTemplateAndSetNewPrevHashFrames()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[6]);
        final byte[] h = new byte[6];
        FrameHeaderFlyweight.write(out, 0, TemplateDistributionProtocol.EXTENSION_TYPE, NewTemplate.SCHEMA.channelMsg(),
            NewTemplate.SCHEMA.msgType(), 0);
        out.getBytes(0, h);
        assertArrayEquals(V.get("new_template_header"), h);
        FrameHeaderFlyweight.write(out, 0, TemplateDistributionProtocol.EXTENSION_TYPE,
            SetNewPrevHash.SCHEMA.channelMsg(), SetNewPrevHash.SCHEMA.msgType(), 0);
        out.getBytes(0, h);
        assertArrayEquals(V.get("set_new_prev_hash_header"), h);
    }

    @Test
    void setNewPrevHash()
    {
        final SetNewPrevHash m = SetNewPrevHash.decode(in("set_new_prev_hash"), 0, length("set_new_prev_hash"));
        assertEquals(2, m.templateId());
        assertArrayEquals(hex("e59a2ef8d4826b89fe637f3b5322c0f167fd2d3dc88ec568a7c2c8ffd8eb8873"), m.prevHash());
        assertEquals(1661877399L, m.headerTimestamp());
        assertEquals(58720255L, m.nBits());
        final byte[] target = new byte[32];
        org.bitcoincommons.sv2.bitcoin.Target.compactToLittleEndian((int)m.nBits(), target, 0);
        assertArrayEquals(target, m.target(), "the target is nBits expanded, little-endian");
        assertEncodes("set_new_prev_hash", m);
    }

    @Test
    void submitSolutionWithTheLengthPrefixItsCoinbaseHas()
    {
        final byte[] raw = V.get("submit_solution");
        // The vector's B0_64K prefix (0x5d) does not match the 116 bytes that follow; sv2-tp skips the prefix. A
        // spec decoder reads 93 bytes and must not take the other 23 for a coinbase.
        assertEquals(0x5d, raw[20] & 0xff);
        assertEquals(116, raw.length - 22);
        assertThrows(CodecException.class, () -> SubmitSolution.decode(new UnsafeBuffer(raw), 0, raw.length));

        final byte[] fixed = raw.clone();
        fixed[20] = 116;
        final SubmitSolution m = SubmitSolution.decode(new UnsafeBuffer(fixed), 0, fixed.length);
        assertEquals(2, m.templateId());
        assertEquals(2, m.version());
        assertEquals(1661877399L, m.headerTimestamp());
        assertEquals(58720255L, m.headerNonce());
        final Transaction coinbase = Transaction.parse(m.coinbaseTx());
        assertEquals(1, coinbase.inputs().size());
        assertEquals(List.of(0L), coinbase.outputs().stream().map(o -> o.valueSats()).toList());
        assertArrayEquals(m.coinbaseTx(), coinbase.serialize(TxSerialization.WITNESS));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final int n = m.encode(out, 0);
        final byte[] encoded = new byte[n];
        out.getBytes(0, encoded);
        assertArrayEquals(fixed, encoded);
    }

    @Test
    void coinbaseOutputConstraintsSigopsAreOptionalOnDecode()
    {
        final CoinbaseOutputConstraints both = CoinbaseOutputConstraints.decode(
            new UnsafeBuffer(hex("a0000000" + "0f00")), 0, 6);
        assertEquals(new CoinbaseOutputConstraints(160, 15), both);
        final CoinbaseOutputConstraints old = CoinbaseOutputConstraints.decode(new UnsafeBuffer(hex("a0000000")), 0, 4);
        assertEquals(new CoinbaseOutputConstraints(160, CoinbaseOutputConstraints.DEFAULT_MAX_ADDITIONAL_SIGOPS), old);
        assertEquals(400, old.coinbaseOutputMaxAdditionalSigops());
        final CodecException half = assertThrows(CodecException.class,
            () -> CoinbaseOutputConstraints.decode(new UnsafeBuffer(hex("a000000001")), 0, 5));
        assertEquals(CodecException.Category.TRUNCATED, half.category());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8]);
        assertEquals(6, old.encode(out, 0), "encoding always carries the sigops");
    }
}
