package org.bitcoincommons.sv2.codec.ext;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.WireReader;
import org.bitcoincommons.sv2.codec.WireWriter;

/**
 * MergeMiningAccount (extension 0x4D4D, type 0x03), pool to client: one aux chain's account of the subscribed
 * connection, every figure counted from the subscription on. One message per chain per update, all of one update with
 * the same {@code update_sequence}. Work fields are expected hashes (difficulty sums x 2^32), U256 little-endian.
 *
 * @param sharesCredited   the connection's accepted shares whose job carried this chain's work
 * @param workCredited     their work, expected hashes (32 bytes, little-endian)
 * @param poolShares       every connection's such shares, the pool's total
 * @param poolWork         their work, expected hashes (32 bytes, little-endian)
 * @param poolBlocks       this chain's blocks the pool had rewarded
 * @param poolRewards      their rewards, in the chain's smallest unit
 * @param rewardAttributed floor(poolRewards x workCredited / poolWork): the connection's part by its work
 */
public record MergeMiningAccount(long updateSequence, int chainIndex, String chainName, long sharesCredited,
    byte[] workCredited, long poolShares, byte[] poolWork, long poolBlocks, long poolRewards, long rewardAttributed)
    implements Message
{
    public static final MessageSchema SCHEMA = MergeMiningAccountProtocol.ACCOUNT;

    public static MergeMiningAccount decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader r = new WireReader(buffer, offset, length, SCHEMA.name());
        final MergeMiningAccount m = new MergeMiningAccount(r.u32("update_sequence"), r.u8("chain_index"),
            r.str0_255("chain_name"), r.u64("shares_credited"), r.u256("work_credited"), r.u64("pool_shares"),
            r.u256("pool_work"), r.u64("pool_blocks"), r.u64("pool_rewards"), r.u64("reward_attributed"));
        r.finish();
        return m;
    }

    /** {@link #workCredited} as a number of hashes. */
    public java.math.BigInteger workCreditedHashes()
    {
        return new java.math.BigInteger(1, reversed(workCredited));
    }

    /** {@link #poolWork} as a number of hashes. */
    public java.math.BigInteger poolWorkHashes()
    {
        return new java.math.BigInteger(1, reversed(poolWork));
    }

    /** 32 bytes little-endian of {@code hashes} (0 <= hashes < 2^256). */
    public static byte[] work(final java.math.BigInteger hashes)
    {
        final byte[] big = hashes.toByteArray();
        final byte[] out = new byte[32];
        for (int i = 0; i < big.length && i < 32; i++)
        {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    private static byte[] reversed(final byte[] le)
    {
        final byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++)
        {
            be[i] = le[le.length - 1 - i];
        }
        return be;
    }

    @Override
    public String toString()
    {
        return "MergeMiningAccount[update_sequence=" + updateSequence + ", chain " + chainIndex + " " + chainName
            + ", shares_credited=" + sharesCredited + ", work_credited=" + workCreditedHashes() + ", pool_shares="
            + poolShares + ", pool_work=" + poolWorkHashes() + ", pool_blocks=" + poolBlocks + ", pool_rewards="
            + poolRewards + ", reward_attributed=" + rewardAttributed + "]";
    }

    @Override
    public MessageSchema schema()
    {
        return SCHEMA;
    }

    @Override
    public void encodeFields(final WireWriter w)
    {
        w.u32("update_sequence", updateSequence).u8("chain_index", chainIndex).str0_255("chain_name", chainName)
            .u64("shares_credited", sharesCredited).u256("work_credited", workCredited).u64("pool_shares", poolShares)
            .u256("pool_work", poolWork).u64("pool_blocks", poolBlocks).u64("pool_rewards", poolRewards)
            .u64("reward_attributed", rewardAttributed);
    }
}
