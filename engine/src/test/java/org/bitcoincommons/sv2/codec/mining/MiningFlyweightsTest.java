package org.bitcoincommons.sv2.codec.mining;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.bitcoincommons.sv2.codec.Hex.buffer;
import static org.bitcoincommons.sv2.codec.Hex.clean;
import static org.bitcoincommons.sv2.codec.Hex.hex;
import static org.bitcoincommons.sv2.codec.Hex.rep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.junit.jupiter.api.Test;

/**
 * The hot-path flyweights against payloads written out by hand from the spec's field tables (PROTOCOL.md section 2
 * gives the first four).
 */
class MiningFlyweightsTest
{
    private static final String SUBMIT_STANDARD = "01000000 02000000 03000000 efbeadde 00000065 00000020";
    private static final String ROOT = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String NEW_JOB_FUTURE = "01000000 07000000 00 00000020 " + ROOT;
    private static final String NEW_JOB_ACTIVE = "01000000 07000000 01 00000065 00000020 " + ROOT;
    private static final String SET_TARGET = "01000000 " + rep("ff", 28) + "00000000";
    private static final String SUBMIT_EXTENDED_WITH_TLV =
        "01000000 02000000 03000000 04000000 05000000 06000000 04 a1a2a3a4 | 0200 01 0400 74657374";
    private static final String EXTENDED_JOB = "05000000 09000000 01 00000066 00000020 01 02 " + rep("11", 32) +
        rep("22", 32) + " 0200 0102 0300 030405";
    private static final String PREV_HASH = "01000000 02000000 " + rep("cc", 32) + " 00000065 ffff001d";
    private static final String SUCCESS = "01000000 0a000000 03000000 0100000000000080";
    private static final String ERROR_STALE = "01000000 05000000 0b 7374616c652d7368617265";

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);

    private static int len(final String hex)
    {
        return clean(hex).length() / 2;
    }

    @Test
    void submitSharesStandardDecode()
    {
        final SubmitSharesStandard m = new SubmitSharesStandard().wrap(buffer(SUBMIT_STANDARD), 0, 24);
        assertEquals(1, m.channelId());
        assertEquals(2, m.sequenceNumber());
        assertEquals(3, m.jobId());
        assertEquals(0xdeadbeefL, m.nonce());
        assertEquals(0x65000000L, m.ntime());
        assertEquals(0x20000000L, m.version());
        assertEquals(0, m.tlvLength());
    }

    @Test
    void submitSharesStandardEncodeWithFrame()
    {
        final SubmitSharesStandard m = new SubmitSharesStandard().wrapForEncode(out, 6)
            .channelId(1).sequenceNumber(2).jobId(3).nonce(0xdeadbeefL).ntime(0x65000000L).version(0x20000000L);
        assertEquals(30, m.writeHeader(out, 0));
        assertEquals(clean("0080 1a 180000" + SUBMIT_STANDARD), hex(out, 0, 30));
    }

    @Test
    void submitSharesStandardFaults()
    {
        final CodecException truncated = assertThrows(CodecException.class,
            () -> new SubmitSharesStandard().wrap(buffer(SUBMIT_STANDARD), 0, 23));
        assertEquals(CodecException.Category.TRUNCATED, truncated.category());
        assertEquals("SubmitSharesStandard", truncated.messageName());
        assertEquals("version", truncated.fieldName());
        final CodecException trailing = assertThrows(CodecException.class,
            () -> new SubmitSharesStandard().wrap(buffer(SUBMIT_STANDARD + "00"), 0, 25));
        assertEquals(CodecException.Category.TRAILING_BYTES, trailing.category());
        assertThrows(CodecException.class, () -> new SubmitSharesStandard().wrapForEncode(out, 0).nonce(1L << 32));
        assertThrows(CodecException.class, () -> new SubmitSharesStandard().wrapForEncode(new UnsafeBuffer(new byte[23]), 0));
    }

    @Test
    void submitSharesExtendedWithWorkerIdentity()
    {
        final SubmitSharesExtended m = new SubmitSharesExtended().wrap(buffer(SUBMIT_EXTENDED_WITH_TLV), 0, 38);
        assertEquals(1, m.channelId());
        assertEquals(6, m.version());
        assertEquals(4, m.extranonceLength());
        assertEquals(25, m.extranonceOffset());
        assertEquals("a1a2a3a4", hex(m.buffer(), m.extranonceOffset(), m.extranonceLength()));
        assertTrue(m.hasUserIdentity());
        assertEquals(4, m.getUserIdentity(out, 0));
        assertEquals("74657374", hex(out, 0, 4));
        assertEquals(9, m.tlvLength());

        final SubmitSharesExtended e = new SubmitSharesExtended().wrapForEncode(out, 100)
            .channelId(1).sequenceNumber(2).jobId(3).nonce(4).ntime(5).version(6)
            .extranonce(buffer("a1a2a3a4"), 0, 4)
            .userIdentity(new UnsafeBuffer("test".getBytes(US_ASCII)), 0, 4);
        assertEquals(38, e.encodedLength());
        assertEquals(clean(SUBMIT_EXTENDED_WITH_TLV), hex(out, 100, 38));
    }

    @Test
    void submitSharesExtendedWithoutTlv()
    {
        final String payload = "01000000 02000000 03000000 04000000 05000000 06000000 00";
        final SubmitSharesExtended m = new SubmitSharesExtended().wrap(buffer(payload), 0, 25);
        assertEquals(0, m.extranonceLength());
        assertFalse(m.hasUserIdentity());
        assertEquals(-1, m.getUserIdentity(out, 0));
    }

    @Test
    void submitSharesExtendedFaults()
    {
        final String six = "01000000 02000000 03000000 04000000 05000000 06000000 ";
        final CodecException longNonce = assertThrows(CodecException.class,
            () -> new SubmitSharesExtended().wrap(buffer(six + "21" + rep("00", 33)), 0, 25 + 33));
        assertEquals(CodecException.Category.LENGTH_TOO_LARGE, longNonce.category());
        assertEquals("extranonce", longNonce.fieldName());
        final CodecException shortNonce = assertThrows(CodecException.class,
            () -> new SubmitSharesExtended().wrap(buffer(six + "04 a1a2"), 0, 27));
        assertEquals(CodecException.Category.TRUNCATED, shortNonce.category());
        final CodecException longId = assertThrows(CodecException.class,
            () -> new SubmitSharesExtended().wrap(buffer(six + "00 0200 01 2100" + rep("41", 33)), 0, 25 + 5 + 33));
        assertEquals(CodecException.Category.LENGTH_TOO_LARGE, longId.category());
        assertEquals("user_identity", longId.fieldName());
        assertThrows(CodecException.class,
            () -> new SubmitSharesExtended().wrapForEncode(out, 0).extranonce(new UnsafeBuffer(new byte[33]), 0, 33));
        assertThrows(CodecException.class,
            () -> new SubmitSharesExtended().wrapForEncode(out, 0).userIdentity(new UnsafeBuffer(new byte[33]), 0, 33));
    }

    @Test
    void newMiningJobFutureAndActive()
    {
        final NewMiningJob future = new NewMiningJob().wrap(buffer(NEW_JOB_FUTURE), 0, 0x2d);
        assertEquals(7, future.jobId());
        assertFalse(future.hasMinNtime());
        assertEquals(NewMiningJob.NO_MIN_NTIME, future.minNtime());
        assertEquals(0x20000000L, future.version());
        assertEquals(ROOT, hex(future.buffer(), future.merkleRootOffset(), 32));

        final NewMiningJob active = new NewMiningJob().wrap(buffer(NEW_JOB_ACTIVE), 0, 0x31);
        assertEquals(0x65000000L, active.minNtime());
        assertEquals(0x20000000L, active.version());
        active.getMerkleRoot(out, 0);
        assertEquals(ROOT, hex(out, 0, 32));

        final NewMiningJob e = new NewMiningJob();
        e.encode(out, 6, 1, 7, NewMiningJob.NO_MIN_NTIME, 0x20000000L, buffer(ROOT), 0);
        assertEquals(51, e.writeHeader(out, 0));
        assertEquals(clean("0080 15 2d0000" + NEW_JOB_FUTURE), hex(out, 0, 51));
        e.encode(out, 6, 1, 7, 0x65000000L, 0x20000000L, buffer(ROOT), 0);
        assertEquals(55, e.writeHeader(out, 0));
        assertEquals(clean("0080 15 310000" + NEW_JOB_ACTIVE), hex(out, 0, 55));
    }

    @Test
    void newMiningJobFaults()
    {
        final CodecException option = assertThrows(CodecException.class,
            () -> new NewMiningJob().wrap(buffer(NEW_JOB_ACTIVE.replace(" 01 ", " 02 ")), 0, 0x31));
        assertEquals(CodecException.Category.INVALID_OPTION, option.category());
        assertEquals("min_ntime", option.fieldName());
        final CodecException cut = assertThrows(CodecException.class,
            () -> new NewMiningJob().wrap(buffer(NEW_JOB_ACTIVE), 0, 0x30));
        assertEquals("merkle_root", cut.fieldName());
    }

    @Test
    void setTarget()
    {
        final SetTarget m = new SetTarget().wrap(buffer(SET_TARGET), 0, 36);
        assertEquals(1, m.channelId());
        assertEquals(clean(rep("ff", 28) + "00000000"), hex(m.buffer(), m.maximumTargetOffset(), 32));
        final SetTarget e = new SetTarget().wrapForEncode(out, 6).channelId(1).maximumTarget(buffer(SET_TARGET), 4);
        assertEquals(42, e.writeHeader(out, 0));
        assertEquals(clean("0080 21 240000" + SET_TARGET), hex(out, 0, 42));
    }

    @Test
    void newExtendedMiningJobWithTwoElementPath()
    {
        final int length = len(EXTENDED_JOB);
        assertEquals(0x5c, length);
        final NewExtendedMiningJob m = new NewExtendedMiningJob().wrap(buffer(EXTENDED_JOB), 0, length);
        assertEquals(5, m.channelId());
        assertEquals(9, m.jobId());
        assertEquals(0x66000000L, m.minNtime());
        assertEquals(0x20000000L, m.version());
        assertTrue(m.versionRollingAllowed());
        assertEquals(2, m.merklePathCount());
        m.getMerklePath(1, out, 0);
        assertEquals(rep("22", 32), hex(out, 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getMerklePath(2, out, 0));
        assertEquals("0102", hex(m.buffer(), m.coinbaseTxPrefixOffset(), m.coinbaseTxPrefixLength()));
        assertEquals("030405", hex(m.buffer(), m.coinbaseTxSuffixOffset(), m.coinbaseTxSuffixLength()));

        final UnsafeBuffer path = buffer(rep("11", 32) + rep("22", 32));
        final NewExtendedMiningJob e = new NewExtendedMiningJob().encode(out, 6, 5, 9, 0x66000000L, 0x20000000L, true,
            path, 0, 2, buffer("0102"), 0, 2, buffer("030405"), 0, 3);
        assertEquals(6 + length, e.writeHeader(out, 0));
        assertEquals(clean("0080 1f 5c0000" + EXTENDED_JOB), hex(out, 0, 6 + length));
    }

    @Test
    void newExtendedMiningJobSequenceCountBeyondPayload()
    {
        // 255 hashes claimed, none present: rejected before any loop.
        final CodecException ex = assertThrows(CodecException.class, () -> new NewExtendedMiningJob()
            .wrap(buffer("05000000 09000000 00 00000020 01 ff 0000 0000"), 0, 19));
        assertEquals(CodecException.Category.TRUNCATED, ex.category());
        assertEquals("merkle_path", ex.fieldName());
    }

    @Test
    void setNewPrevHash()
    {
        final SetNewPrevHash m = new SetNewPrevHash().wrap(buffer(PREV_HASH), 0, 48);
        assertEquals(1, m.channelId());
        assertEquals(2, m.jobId());
        assertEquals(rep("cc", 32), hex(m.buffer(), m.prevHashOffset(), 32));
        assertEquals(0x65000000L, m.minNtime());
        assertEquals(0x1d00ffffL, m.nbits());
        final SetNewPrevHash e = new SetNewPrevHash().wrapForEncode(out, 6).channelId(1).jobId(2)
            .prevHash(buffer(rep("cc", 32)), 0).minNtime(0x65000000L).nbits(0x1d00ffffL);
        assertEquals(54, e.writeHeader(out, 0));
        assertEquals(clean("0080 20 300000" + PREV_HASH), hex(out, 0, 54));
    }

    @Test
    void submitSharesSuccessAndError()
    {
        final SubmitSharesSuccess s = new SubmitSharesSuccess().wrap(buffer(SUCCESS), 0, 20);
        assertEquals(10, s.lastSequenceNumber());
        assertEquals(3, s.newSubmitsAcceptedCount());
        assertEquals("9223372036854775809", Long.toUnsignedString(s.newSharesSum()));
        final SubmitSharesSuccess se = new SubmitSharesSuccess().wrapForEncode(out, 6).channelId(1)
            .lastSequenceNumber(10).newSubmitsAcceptedCount(3).newSharesSum(0x8000000000000001L);
        assertEquals(26, se.writeHeader(out, 0));
        assertEquals(clean("0080 1c 140000" + SUCCESS), hex(out, 0, 26));

        final SubmitSharesError err = new SubmitSharesError().wrap(buffer(ERROR_STALE), 0, 20);
        assertEquals(5, err.sequenceNumber());
        assertEquals("stale-share", err.errorCode());
        assertTrue(err.errorCodeEquals("stale-share".getBytes(US_ASCII)));
        assertFalse(err.errorCodeEquals("stale-shard".getBytes(US_ASCII)));
        final SubmitSharesError ee = new SubmitSharesError().wrapForEncode(out, 6).channelId(1).sequenceNumber(5)
            .errorCode("stale-share".getBytes(US_ASCII));
        assertEquals(26, ee.writeHeader(out, 0));
        assertEquals(clean("0080 1d 140000" + ERROR_STALE), hex(out, 0, 26));
        assertEquals(FrameHeaderFlyweight.HEADER_LENGTH + 20, ee.writeHeader(out, 0));
    }
}
