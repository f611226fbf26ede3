package org.bitcoincommons.sv2.codec;

import static org.bitcoincommons.sv2.codec.Hex.buffer;
import static org.bitcoincommons.sv2.codec.Hex.clean;
import static org.bitcoincommons.sv2.codec.Hex.hex;
import static org.bitcoincommons.sv2.codec.Hex.rep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.junit.jupiter.api.Test;

/**
 * Every Job Declaration message against bytes written by hand from the field tables of sv2-spec
 * {@code 06-Job-Declaration-Protocol.md} (commit {@code 0f38d51}; message types from {@code 08-Message-Types.md}):
 * extension 0, channel_msg bit 0, little-endian integers, B0_255/STR0_255 with a U8 length, B0_64K with a U16 length,
 * B0_16M with a U24 length, SEQ0_64K with a U16 element count. (DeclareMiningJob is in MessageRecordsTest.)
 */
class JobDeclarationMessagesTest
{
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);

    private void assertFrame(final String expectedHex, final Message m)
    {
        final int n = m.encodeFrame(out, 0);
        assertEquals(clean(expectedHex), hex(out, 0, n));
    }

    @Test
    void allocateMiningJobToken()
    {
        // user_identifier STR0_255 "al", request_id U32 = 0x01020304
        final String payload = "02 616c 04030201";
        final AllocateMiningJobToken m = AllocateMiningJobToken.decode(buffer(payload), 0, 7);
        assertEquals("al", m.userIdentifier());
        assertEquals(0x01020304L, m.requestId());
        assertFrame("0000 50 070000" + payload, m);
    }

    @Test
    void allocateMiningJobTokenSuccessCarriesThePoolPayoutOutput()
    {
        // request_id 5; token = 8-byte LE u64 7; coinbase_tx_outputs B0_64K = CompactSize 1, value 0, script 0x51
        final String outputs = "01 0000000000000000 01 51";
        final String payload = "05000000 08 0700000000000000 0b00 " + outputs;
        final AllocateMiningJobTokenSuccess m = AllocateMiningJobTokenSuccess.decode(buffer(payload), 0, 26);
        assertEquals(5, m.requestId());
        assertEquals("0700000000000000", hex(m.miningJobToken()));
        assertEquals(clean(outputs), hex(m.coinbaseTxOutputs()));
        assertFrame("0000 51 1a0000" + payload, m);
    }

    @Test
    void provideMissingTransactions()
    {
        // request_id 9, unknown_tx_position_list SEQ0_64K[U16] = [3, 7, 0x0102]
        final String payload = "09000000 0300 0300 0700 0201";
        final ProvideMissingTransactions m = ProvideMissingTransactions.decode(buffer(payload), 0, 12);
        assertArrayEquals(new int[] {3, 7, 0x0102}, m.unknownTxPositionList());
        assertFrame("0000 55 0c0000" + payload, m);
    }

    @Test
    void provideMissingTransactionsSuccess()
    {
        // request_id 9, transaction_list SEQ0_64K[B0_16M] = [aabb, cc]
        final String payload = "09000000 0200 020000 aabb 010000 cc";
        final ProvideMissingTransactionsSuccess m = ProvideMissingTransactionsSuccess.decode(buffer(payload), 0, 15);
        assertEquals(2, m.transactionList().size());
        assertEquals("aabb", hex(m.transactionList().get(0)));
        assertFrame("0000 56 0f0000" + payload,
            new ProvideMissingTransactionsSuccess(9, List.of(new byte[] {(byte)0xaa, (byte)0xbb}, new byte[] {(byte)0xcc})));
    }

    @Test
    void declareMiningJobSuccessAndError()
    {
        final String ok = "0b000000 08 0100000000000000";
        final DeclareMiningJobSuccess s = DeclareMiningJobSuccess.decode(buffer(ok), 0, 13);
        assertEquals(11, s.requestId());
        assertFrame("0000 58 0d0000" + ok, s);
        // error_code STR0_255 "stale-chain-tip", error_details B0_64K "x"
        final String err = "0b000000 0f " + hex("stale-chain-tip".getBytes(StandardCharsets.US_ASCII)) + " 0100 78";
        final DeclareMiningJobError e = DeclareMiningJobError.decode(buffer(err), 0, 23);
        assertEquals("stale-chain-tip", e.errorCode());
        assertEquals("x", new String(e.errorDetails(), StandardCharsets.US_ASCII));
        assertFrame("0000 59 170000" + err, e);
    }

    @Test
    void pushSolutionHasNoChannelBit()
    {
        // extranonce B0_32 (full), prev_hash U256, nonce, ntime, nbits, version
        final String payload = "04 01020304 " + rep("22", 32) + " 78563412 00e1f505 ffff001d 00000020";
        final PushSolution m = PushSolution.decode(buffer(payload), 0, 53);
        assertEquals(0x12345678L, m.nonce());
        assertEquals(0x1d00ffffL, m.nbits());
        assertEquals(0x20000000L, m.version());
        assertFrame("0000 60 350000" + payload, m);
    }
}
