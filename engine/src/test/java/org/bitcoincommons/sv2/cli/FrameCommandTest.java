package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code sv2 frame decode}: every expected frame below is written out by hand from the spec's byte layouts
 * (PROTOCOL.md section 2 and the spec's message tables), never produced by our encoder.
 */
class FrameCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String rep(final String byteHex, final int count)
    {
        return byteHex.repeat(count);
    }

    private static String decodeOk(final String... hex)
    {
        final String[] args = new String[hex.length + 2];
        args[0] = "frame";
        args[1] = "decode";
        System.arraycopy(hex, 0, args, 2, hex.length);
        final CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        return r.out().strip();
    }

    private static void assertJson(final String expected, final String actual) throws Exception
    {
        final JsonNode e = MAPPER.readTree(expected);
        final JsonNode a = MAPPER.readTree(actual);
        assertEquals(e, a, actual);
        assertEquals(names(e.get("fields")), names(a.get("fields")), "field order");
    }

    private static List<String> names(final JsonNode object)
    {
        final List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static CliRunner decodeBad(final String hex)
    {
        final CliRunner r = CliRunner.run("frame", "decode", hex);
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        return r;
    }

    // ---- PROTOCOL.md section 2 example frames -------------------------------------------------------------------

    @Test
    void submitSharesStandardFromProtocolNotes()
    {
        final String out = decodeOk("00 80 1a 18 00 00 | 01000000 02000000 03000000 efbeadde 00000065 00000020"
            .replace("|", ""));
        assertEquals(
            "{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":26,\"name\":\"SubmitSharesStandard\"," +
            "\"fields\":{\"channel_id\":1,\"sequence_number\":2,\"job_id\":3,\"nonce\":3735928559," +
            "\"ntime\":1694498816,\"version\":536870912}}",
            out);
    }

    @Test
    void newMiningJobFutureFromProtocolNotes()
    {
        final String out = decodeOk("0080 15 2d0000 01000000 07000000 00 00000020 " +
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        assertEquals(
            "{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":21,\"name\":\"NewMiningJob\"," +
            "\"fields\":{\"channel_id\":1,\"job_id\":7,\"min_ntime\":null,\"version\":536870912," +
            "\"merkle_root\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}}",
            out);
    }

    @Test
    void newMiningJobWithMinNtimeFromProtocolNotes()
    {
        final String out = decodeOk("0080 15 310000 01000000 07000000 01 00000065 00000020 " +
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        assertEquals(
            "{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":21,\"name\":\"NewMiningJob\"," +
            "\"fields\":{\"channel_id\":1,\"job_id\":7,\"min_ntime\":1694498816,\"version\":536870912," +
            "\"merkle_root\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}}",
            out);
    }

    @Test
    void setTargetFromProtocolNotes()
    {
        final String out = decodeOk("0080 21 240000 01000000 " + rep("ff", 28) + "00000000");
        assertEquals(
            "{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":33,\"name\":\"SetTarget\"," +
            "\"fields\":{\"channel_id\":1,\"maximum_target\":\"" + rep("ff", 28) + "00000000\"}}",
            out);
    }

    @Test
    void hexMayBeSplitAndPrefixed()
    {
        final String out = decodeOk("0x0080", "0x21", "240000", "0X01000000", rep("ff", 28) + "00000000");
        assertTrue(out.contains("\"name\":\"SetTarget\""), out);
    }

    // ---- one hand-built frame per sub-protocol ------------------------------------------------------------------

    @Test
    void setupConnection() throws Exception
    {
        // protocol 0, min 2, max 2, flags 6, "pool.io", port 3333 = 0x0d05, vendor "ab", hw "", fw "f1", id "".
        final String out = decodeOk("0000 00 1b0000 00 0200 0200 06000000 07 706f6f6c2e696f 050d 02 6162 00 02 6631 00");
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":0,\"name\":\"SetupConnection\"," +
            "\"fields\":{\"protocol\":0,\"min_version\":2,\"max_version\":2,\"flags\":6," +
            "\"endpoint_host\":\"pool.io\",\"endpoint_port\":3333,\"vendor\":\"ab\",\"hardware_version\":\"\"," +
            "\"firmware\":\"f1\",\"device_id\":\"\"}}", out);
    }

    @Test
    void channelEndpointChangedIsAChannelMessage() throws Exception
    {
        final String out = decodeOk("0080 03 040000 0a000000");
        assertJson("{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":3,\"name\":\"ChannelEndpointChanged\"," +
            "\"fields\":{\"channel_id\":10}}", out);
    }

    @Test
    void openStandardMiningChannelWithF32() throws Exception
    {
        // nominal_hash_rate 1.5f = 0x3fc00000, LE 00 00 c0 3f.
        final String out = decodeOk("0000 10 2a0000 01000000 01 61 0000c03f " + rep("ff", 32));
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":16," +
            "\"name\":\"OpenStandardMiningChannel\",\"fields\":{\"request_id\":1,\"user_identity\":\"a\"," +
            "\"nominal_hash_rate\":1.5,\"max_target\":\"" + rep("ff", 32) + "\"}}", out);
    }

    @Test
    void newExtendedMiningJobWithTwoElementMerklePath() throws Exception
    {
        final String out = decodeOk("0080 1f 5c0000 05000000 09000000 01 00000066 00000020 01 " +
            "02 " + rep("11", 32) + rep("22", 32) + " 0200 0102 0300 030405");
        assertJson("{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":31,\"name\":\"NewExtendedMiningJob\"," +
            "\"fields\":{\"channel_id\":5,\"job_id\":9,\"min_ntime\":1711276032,\"version\":536870912," +
            "\"version_rolling_allowed\":true,\"merkle_path\":[\"" + rep("11", 32) + "\",\"" + rep("22", 32) + "\"]," +
            "\"coinbase_tx_prefix\":\"0102\",\"coinbase_tx_suffix\":\"030405\"}}", out);
    }

    @Test
    void submitSharesSuccessPrintsU64AboveTwoToThe63() throws Exception
    {
        final String out = decodeOk("0080 1c 140000 01000000 0a000000 03000000 0100000000000080");
        assertJson("{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":28,\"name\":\"SubmitShares.Success\"," +
            "\"fields\":{\"channel_id\":1,\"last_sequence_number\":10,\"new_submits_accepted_count\":3," +
            "\"new_shares_sum\":9223372036854775809}}", out);
    }

    @Test
    void submitSharesExtendedWithWorkerIdentityTlv() throws Exception
    {
        // TLV (0x0002, 0x01, "test") in SRI's little-endian form: 02 00 01 04 00 74 65 73 74.
        final String out = decodeOk("0080 1b 260000 01000000 02000000 03000000 04000000 05000000 06000000 " +
            "04 a1a2a3a4 0200 01 0400 74657374");
        assertJson("{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":27,\"name\":\"SubmitSharesExtended\"," +
            "\"fields\":{\"channel_id\":1,\"sequence_number\":2,\"job_id\":3,\"nonce\":4,\"ntime\":5,\"version\":6," +
            "\"extranonce\":\"a1a2a3a4\"},\"tlv\":[{\"extension_type\":2,\"field_type\":1,\"value\":\"74657374\"}]}",
            out);
    }

    @Test
    void miningSetNewPrevHash() throws Exception
    {
        final String out = decodeOk("0080 20 300000 01000000 02000000 " + rep("cc", 32) + " 00000065 ffff001d");
        assertJson("{\"extension_type\":0,\"channel_msg\":true,\"msg_type\":32,\"name\":\"SetNewPrevHash\"," +
            "\"fields\":{\"channel_id\":1,\"job_id\":2,\"prev_hash\":\"" + rep("cc", 32) + "\"," +
            "\"min_ntime\":1694498816,\"nbits\":486604799}}", out);
    }

    @Test
    void setGroupChannelIsNotAChannelMessage() throws Exception
    {
        final String out = decodeOk("0000 25 120000 07000000 0300 01000000 02000000 04030201");
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":37,\"name\":\"SetGroupChannel\"," +
            "\"fields\":{\"group_channel_id\":7,\"channel_ids\":[1,2,16909060]}}", out);
    }

    @Test
    void allocateMiningJobToken() throws Exception
    {
        final String out = decodeOk("0000 50 060000 01 75 09000000");
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":80,\"name\":\"AllocateMiningJobToken\"," +
            "\"fields\":{\"user_identifier\":\"u\",\"request_id\":9}}", out);
    }

    @Test
    void declareMiningJob() throws Exception
    {
        final String out = decodeOk("0000 57 560000 01000000 02 abcd 00000020 0100 01 0200 0203 " +
            "0200 " + rep("44", 32) + rep("55", 32) + " 0000");
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":87,\"name\":\"DeclareMiningJob\"," +
            "\"fields\":{\"request_id\":1,\"mining_job_token\":\"abcd\",\"version\":536870912," +
            "\"coinbase_tx_prefix\":\"01\",\"coinbase_tx_suffix\":\"0203\",\"wtxid_list\":[\"" + rep("44", 32) +
            "\",\"" + rep("55", 32) + "\"],\"excess_data\":\"\"}}", out);
    }

    @Test
    void newTemplate() throws Exception
    {
        // template_id 0x0102030405060708, value remaining 625000000 = 0x2540be40.
        final String out = decodeOk("0000 71 500000 0807060504030201 01 00000020 02000000 04 03a08601 ffffffff " +
            "40be402500000000 01000000 0300 aabbcc 00000000 01 " + rep("33", 32));
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":113,\"name\":\"NewTemplate\"," +
            "\"fields\":{\"template_id\":72623859790382856,\"future_template\":true,\"version\":536870912," +
            "\"coinbase_tx_version\":2,\"coinbase_prefix\":\"03a08601\",\"coinbase_tx_input_sequence\":4294967295," +
            "\"coinbase_tx_value_remaining\":625000000,\"coinbase_tx_outputs_count\":1," +
            "\"coinbase_tx_outputs\":\"aabbcc\",\"coinbase_tx_locktime\":0,\"merkle_path\":[\"" + rep("33", 32) +
            "\"]}}", out);
    }

    @Test
    void templateDistributionSetNewPrevHashSharesTheMiningName() throws Exception
    {
        final String out = decodeOk("0000 72 500000 0100000000000000 " + rep("aa", 32) + " 00000065 ffff001d " +
            rep("bb", 32));
        assertJson("{\"extension_type\":0,\"channel_msg\":false,\"msg_type\":114,\"name\":\"SetNewPrevHash\"," +
            "\"fields\":{\"template_id\":1,\"prev_hash\":\"" + rep("aa", 32) + "\",\"header_timestamp\":1694498816," +
            "\"nBits\":486604799,\"target\":\"" + rep("bb", 32) + "\"}}", out);
    }

    @Test
    void requestExtensions() throws Exception
    {
        final String out = decodeOk("0100 00 080000 0201 0200 0200 0140");
        assertJson("{\"extension_type\":1,\"channel_msg\":false,\"msg_type\":0,\"name\":\"RequestExtensions\"," +
            "\"fields\":{\"request_id\":258,\"requested_extensions\":[2,16385]}}", out);
    }

    // ---- malformed input: one line on stderr naming message and field, exit code 2 -------------------------------

    @Test
    void truncatedFrameNamesTheCutField()
    {
        final CliRunner r = decodeBad("0080 1a 180000 01000000 02000000 03000000 efbe");
        assertTrue(r.err().contains("TRUNCATED in SubmitSharesStandard.nonce"), r.err());
    }

    @Test
    void truncatedHeader()
    {
        final CliRunner r = decodeBad("0080 1a");
        assertTrue(r.err().contains("TRUNCATED in frame.header"), r.err());
    }

    @Test
    void unknownMessageType()
    {
        final CliRunner r = decodeBad("0080 1e 000000");
        assertTrue(r.err().contains("UNKNOWN_MESSAGE"), r.err());
        assertTrue(r.err().contains("msg_type 0x1e"), r.err());
    }

    @Test
    void trailingGarbageAfterTheFrame()
    {
        final CliRunner r = decodeBad("0080 03 040000 0a000000 ff");
        assertTrue(r.err().contains("TRAILING_BYTES in ChannelEndpointChanged"), r.err());
    }

    @Test
    void trailingGarbageInsideThePayloadIsNotATlv()
    {
        final CliRunner r = decodeBad("0080 03 050000 0a000000 ff");
        assertTrue(r.err().contains("TRAILING_BYTES in ChannelEndpointChanged"), r.err());
    }

    @Test
    void optionCountAboveOne()
    {
        final CliRunner r = decodeBad("0080 15 310000 01000000 07000000 02 00000065 00000020 " + rep("00", 32));
        assertTrue(r.err().contains("INVALID_OPTION in NewMiningJob.min_ntime"), r.err());
    }

    @Test
    void b0_32LongerThan32()
    {
        final CliRunner r = decodeBad("0080 19 260000 01000000 21 " + rep("00", 33));
        assertTrue(r.err().contains("LENGTH_TOO_LARGE in SetExtranoncePrefix.extranonce_prefix"), r.err());
    }

    @Test
    void strLengthBeyondThePayload()
    {
        final CliRunner r = decodeBad("0000 04 040000 05 6162 00");
        assertTrue(r.err().contains("TRUNCATED in Reconnect.new_host"), r.err());
    }

    @Test
    void channelBitMismatch()
    {
        final CliRunner r = decodeBad("0000 03 040000 0a000000");
        assertTrue(r.err().contains("CHANNEL_BIT_MISMATCH in ChannelEndpointChanged.channel_msg"), r.err());
    }

    @Test
    void badHex()
    {
        assertTrue(decodeBad("0080zz").err().contains("bad hex"));
        assertTrue(decodeBad("008").err().contains("bad hex"));
    }
}
