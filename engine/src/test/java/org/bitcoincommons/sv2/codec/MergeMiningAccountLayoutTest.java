package org.bitcoincommons.sv2.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;
import org.junit.jupiter.api.Test;

/**
 * The merged-mining account extension's frames against their byte layouts as written in the README (section
 * "Merged-mining account extension"), byte by byte, hand-assembled here: header (extension_type 0x4D4D little-endian,
 * msg_type, U24 msg_length), then the fields.
 */
class MergeMiningAccountLayoutTest
{
    private static final HexFormat HEX = HexFormat.of();

    private static String frame(final Message m)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[512]);
        final int n = m.encodeFrame(b, 0);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return HEX.formatHex(out);
    }

    @Test
    void subscribeAndItsReplies()
    {
        assertEquals("4d4d00" + "080000" + "04030201" + "e8030000",
            frame(new SubscribeMergeMiningAccount(0x01020304L, 1000)));
        assertEquals("4d4d01" + "090000" + "07000000" + "10270000" + "02",
            frame(new SubscribeMergeMiningAccountSuccess(7, 10_000, 2)));
        assertEquals("4d4d02" + "170000" + "07000000" + "12" + HEX.formatHex("already-subscribed".getBytes()),
            frame(new SubscribeMergeMiningAccountError(7, "already-subscribed")));
    }

    @Test
    void anAccount()
    {
        final String zeros27 = "00".repeat(27);
        final String expected = "4d4d03" + "710000"
            + "01000000"                       // update_sequence 1
            + "01"                             // chain_index 1
            + "03" + "6e6d63"                  // chain_name "nmc"
            + "0500000000000000"               // shares_credited 5
            + "0000000001" + zeros27           // work_credited 2^32 hashes (one difficulty-1 share), U256 LE
            + "0700000000000000"               // pool_shares 7
            + "0000000002" + zeros27           // pool_work 2^33
            + "0100000000000000"               // pool_blocks 1
            + "00f2052a01000000"               // pool_rewards 5,000,000,000
            + "00f9029500000000";              // reward_attributed 2,500,000,000
        final MergeMiningAccount m = new MergeMiningAccount(1, 1, "nmc", 5, MergeMiningAccount.work(BigInteger.ONE
            .shiftLeft(32)), 7, MergeMiningAccount.work(BigInteger.ONE.shiftLeft(33)), 1, 5_000_000_000L, 2_500_000_000L);
        assertEquals(expected, frame(m));
        // and back, through the catalog that `bin/sv2 frame decode` uses
        final byte[] bytes = HEX.parseHex(expected);
        final MergeMiningAccount back = MergeMiningAccount.decode(new UnsafeBuffer(bytes), 6, bytes.length - 6);
        assertEquals(BigInteger.ONE.shiftLeft(32), back.workCreditedHashes());
        assertEquals(BigInteger.ONE.shiftLeft(33), back.poolWorkHashes());
        assertEquals(2_500_000_000L, back.rewardAttributed());
        assertEquals("MergeMiningAccount", MessageCatalog.decodeFrame(new UnsafeBuffer(bytes), 0, bytes.length, 1 << 16)
            .schema().name());
    }

    @Test
    void aTruncatedAccountIsRefused()
    {
        final byte[] bytes = HEX.parseHex("01000000" + "01" + "03" + "6e6d63" + "05000000");
        assertThrows(CodecException.class, () -> MergeMiningAccount.decode(new UnsafeBuffer(bytes), 0, bytes.length));
    }
}
