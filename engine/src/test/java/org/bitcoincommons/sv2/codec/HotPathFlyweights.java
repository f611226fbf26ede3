package org.bitcoincommons.sv2.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.NewMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.SetTarget;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;

/**
 * Test oracle glue: drives the eight hot-path flyweights from generic field values, so property tests can check
 * them against the schema codec (two independent implementations of the same tables).
 */
final class HotPathFlyweights
{
    static final List<MessageSchema> SCHEMAS = List.of(
        MiningProtocol.SUBMIT_SHARES_STANDARD, MiningProtocol.SUBMIT_SHARES_EXTENDED,
        MiningProtocol.SUBMIT_SHARES_SUCCESS, MiningProtocol.SUBMIT_SHARES_ERROR, MiningProtocol.NEW_MINING_JOB,
        MiningProtocol.NEW_EXTENDED_MINING_JOB, MiningProtocol.SET_NEW_PREV_HASH, MiningProtocol.SET_TARGET);

    private HotPathFlyweights()
    {
    }

    static boolean isHot(final MessageSchema schema)
    {
        return SCHEMAS.contains(schema);
    }

    private static long u32(final Map<String, Object> v, final String name)
    {
        return (Long)v.get(name);
    }

    private static byte[] bytes(final Map<String, Object> v, final String name)
    {
        return (byte[])v.get(name);
    }

    private static String hex(final DirectBuffer b, final int offset, final int length)
    {
        return Hex.hex(b, offset, length);
    }

    /** Wraps the payload with the schema's flyweight and asserts every accessor equals the expected value. */
    static MessageFlyweight assertDecodes(
        final MessageSchema schema, final Map<String, Object> v, final DirectBuffer b, final int offset, final int length)
    {
        switch (schema.name())
        {
            case "SubmitSharesStandard" ->
            {
                final SubmitSharesStandard m = new SubmitSharesStandard().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "sequence_number"), m.sequenceNumber());
                assertEquals(u32(v, "job_id"), m.jobId());
                assertEquals(u32(v, "nonce"), m.nonce());
                assertEquals(u32(v, "ntime"), m.ntime());
                assertEquals(u32(v, "version"), m.version());
                return m;
            }
            case "SubmitSharesExtended" ->
            {
                final SubmitSharesExtended m = new SubmitSharesExtended().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "sequence_number"), m.sequenceNumber());
                assertEquals(u32(v, "job_id"), m.jobId());
                assertEquals(u32(v, "nonce"), m.nonce());
                assertEquals(u32(v, "ntime"), m.ntime());
                assertEquals(u32(v, "version"), m.version());
                assertEquals(Hex.hex(bytes(v, "extranonce")), hex(b, m.extranonceOffset(), m.extranonceLength()));
                return m;
            }
            case "SubmitShares.Success" ->
            {
                final SubmitSharesSuccess m = new SubmitSharesSuccess().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "last_sequence_number"), m.lastSequenceNumber());
                assertEquals(u32(v, "new_submits_accepted_count"), m.newSubmitsAcceptedCount());
                assertEquals((long)(Long)v.get("new_shares_sum"), m.newSharesSum());
                return m;
            }
            case "SubmitShares.Error" ->
            {
                final SubmitSharesError m = new SubmitSharesError().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "sequence_number"), m.sequenceNumber());
                assertEquals(v.get("error_code"), m.errorCode());
                return m;
            }
            case "NewMiningJob" ->
            {
                final NewMiningJob m = new NewMiningJob().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "job_id"), m.jobId());
                assertEquals(v.get("min_ntime") == null ? NewMiningJob.NO_MIN_NTIME : u32(v, "min_ntime"), m.minNtime());
                assertEquals(u32(v, "version"), m.version());
                assertEquals(Hex.hex(bytes(v, "merkle_root")), hex(b, m.merkleRootOffset(), 32));
                return m;
            }
            case "NewExtendedMiningJob" ->
            {
                final NewExtendedMiningJob m = new NewExtendedMiningJob().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "job_id"), m.jobId());
                assertEquals(v.get("min_ntime") == null ? NewExtendedMiningJob.NO_MIN_NTIME : u32(v, "min_ntime"),
                    m.minNtime());
                assertEquals(u32(v, "version"), m.version());
                assertEquals(v.get("version_rolling_allowed"), m.versionRollingAllowed());
                final List<?> path = (List<?>)v.get("merkle_path");
                assertEquals(path.size(), m.merklePathCount());
                final UnsafeBuffer hash = new UnsafeBuffer(new byte[32]);
                for (int i = 0; i < path.size(); i++)
                {
                    m.getMerklePath(i, hash, 0);
                    assertArrayEquals((byte[])path.get(i), hash.byteArray());
                }
                assertEquals(Hex.hex(bytes(v, "coinbase_tx_prefix")),
                    hex(b, m.coinbaseTxPrefixOffset(), m.coinbaseTxPrefixLength()));
                assertEquals(Hex.hex(bytes(v, "coinbase_tx_suffix")),
                    hex(b, m.coinbaseTxSuffixOffset(), m.coinbaseTxSuffixLength()));
                return m;
            }
            case "SetNewPrevHash" ->
            {
                final SetNewPrevHash m = new SetNewPrevHash().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(u32(v, "job_id"), m.jobId());
                assertEquals(Hex.hex(bytes(v, "prev_hash")), hex(b, m.prevHashOffset(), 32));
                assertEquals(u32(v, "min_ntime"), m.minNtime());
                assertEquals(u32(v, "nbits"), m.nbits());
                return m;
            }
            case "SetTarget" ->
            {
                final SetTarget m = new SetTarget().wrap(b, offset, length);
                assertEquals(u32(v, "channel_id"), m.channelId());
                assertEquals(Hex.hex(bytes(v, "maximum_target")), hex(b, m.maximumTargetOffset(), 32));
                return m;
            }
            default -> throw new IllegalArgumentException(schema.name());
        }
    }

    /** Wraps a payload with the schema's flyweight (no expectations). */
    static MessageFlyweight wrap(final MessageSchema schema, final DirectBuffer b, final int offset, final int length)
    {
        return switch (schema.name())
        {
            case "SubmitSharesStandard" -> new SubmitSharesStandard().wrap(b, offset, length);
            case "SubmitSharesExtended" -> new SubmitSharesExtended().wrap(b, offset, length);
            case "SubmitShares.Success" -> new SubmitSharesSuccess().wrap(b, offset, length);
            case "SubmitShares.Error" -> new SubmitSharesError().wrap(b, offset, length);
            case "NewMiningJob" -> new NewMiningJob().wrap(b, offset, length);
            case "NewExtendedMiningJob" -> new NewExtendedMiningJob().wrap(b, offset, length);
            case "SetNewPrevHash" -> new SetNewPrevHash().wrap(b, offset, length);
            case "SetTarget" -> new SetTarget().wrap(b, offset, length);
            default -> throw new IllegalArgumentException(schema.name());
        };
    }

    /** Wraps a payload with an existing flyweight, as the hot path does (one instance per connection). */
    static void rewrap(final MessageFlyweight flyweight, final DirectBuffer b, final int offset, final int length)
    {
        switch (flyweight)
        {
            case SubmitSharesStandard m -> m.wrap(b, offset, length);
            case SubmitSharesExtended m -> m.wrap(b, offset, length);
            case SubmitSharesSuccess m -> m.wrap(b, offset, length);
            case SubmitSharesError m -> m.wrap(b, offset, length);
            case NewMiningJob m -> m.wrap(b, offset, length);
            case NewExtendedMiningJob m -> m.wrap(b, offset, length);
            case SetNewPrevHash m -> m.wrap(b, offset, length);
            case SetTarget m -> m.wrap(b, offset, length);
            default -> throw new IllegalArgumentException(flyweight.getClass().getName());
        }
    }

    /** Reads every accessor of a wrapped flyweight, as a consumer would. */
    static void readAll(final MessageFlyweight flyweight)
    {
        final UnsafeBuffer sink = new UnsafeBuffer(new byte[1 << 17]);
        switch (flyweight)
        {
            case SubmitSharesStandard m -> sink.putLong(0, m.channelId() + m.sequenceNumber() + m.jobId() + m.nonce() +
                m.ntime() + m.version());
            case SubmitSharesExtended m ->
            {
                sink.putLong(0, m.channelId() + m.sequenceNumber() + m.jobId() + m.nonce() + m.ntime() + m.version());
                m.getExtranonce(sink, 8);
                m.getUserIdentity(sink, 64);
            }
            case SubmitSharesSuccess m -> sink.putLong(0, m.channelId() + m.lastSequenceNumber() +
                m.newSubmitsAcceptedCount() + m.newSharesSum());
            case SubmitSharesError m ->
            {
                sink.putLong(0, m.channelId() + m.sequenceNumber());
                m.getErrorCode(sink, 8);
                m.errorCode();
            }
            case NewMiningJob m ->
            {
                sink.putLong(0, m.channelId() + m.jobId() + m.minNtime() + m.version());
                m.getMerkleRoot(sink, 8);
            }
            case NewExtendedMiningJob m ->
            {
                sink.putLong(0, m.channelId() + m.jobId() + m.minNtime() + m.version() + (m.versionRollingAllowed() ? 1 : 0));
                for (int i = 0; i < m.merklePathCount(); i++)
                {
                    m.getMerklePath(i, sink, 8);
                }
                m.getCoinbaseTxPrefix(sink, 64);
                m.getCoinbaseTxSuffix(sink, 64);
            }
            case SetNewPrevHash m ->
            {
                sink.putLong(0, m.channelId() + m.jobId() + m.minNtime() + m.nbits());
                m.getPrevHash(sink, 8);
            }
            case SetTarget m ->
            {
                sink.putLong(0, m.channelId());
                m.getMaximumTarget(sink, 8);
            }
            default -> throw new IllegalArgumentException(flyweight.getClass().getName());
        }
    }

    /** Encodes the message's fields (no TLVs) with its flyweight at {@code offset}; returns the payload length. */
    static int encode(final MessageSchema schema, final Map<String, Object> v, final UnsafeBuffer out, final int offset)
    {
        return switch (schema.name())
        {
            case "SubmitSharesStandard" -> new SubmitSharesStandard().wrapForEncode(out, offset)
                .channelId(u32(v, "channel_id")).sequenceNumber(u32(v, "sequence_number")).jobId(u32(v, "job_id"))
                .nonce(u32(v, "nonce")).ntime(u32(v, "ntime")).version(u32(v, "version")).encodedLength();
            case "SubmitSharesExtended" ->
            {
                final byte[] extranonce = bytes(v, "extranonce");
                yield new SubmitSharesExtended().wrapForEncode(out, offset)
                    .channelId(u32(v, "channel_id")).sequenceNumber(u32(v, "sequence_number")).jobId(u32(v, "job_id"))
                    .nonce(u32(v, "nonce")).ntime(u32(v, "ntime")).version(u32(v, "version"))
                    .extranonce(new UnsafeBuffer(extranonce), 0, extranonce.length).encodedLength();
            }
            case "SubmitShares.Success" -> new SubmitSharesSuccess().wrapForEncode(out, offset)
                .channelId(u32(v, "channel_id")).lastSequenceNumber(u32(v, "last_sequence_number"))
                .newSubmitsAcceptedCount(u32(v, "new_submits_accepted_count"))
                .newSharesSum((Long)v.get("new_shares_sum")).encodedLength();
            case "SubmitShares.Error" -> new SubmitSharesError().wrapForEncode(out, offset)
                .channelId(u32(v, "channel_id")).sequenceNumber(u32(v, "sequence_number"))
                .errorCode(((String)v.get("error_code")).getBytes(StandardCharsets.UTF_8)).encodedLength();
            case "NewMiningJob" -> new NewMiningJob().encode(out, offset, u32(v, "channel_id"), u32(v, "job_id"),
                v.get("min_ntime") == null ? NewMiningJob.NO_MIN_NTIME : u32(v, "min_ntime"), u32(v, "version"),
                new UnsafeBuffer(bytes(v, "merkle_root")), 0).encodedLength();
            case "NewExtendedMiningJob" ->
            {
                final List<?> path = (List<?>)v.get("merkle_path");
                final UnsafeBuffer pathBuffer = new UnsafeBuffer(new byte[Math.max(1, 32 * path.size())]);
                for (int i = 0; i < path.size(); i++)
                {
                    pathBuffer.putBytes(32 * i, (byte[])path.get(i));
                }
                final byte[] prefix = bytes(v, "coinbase_tx_prefix");
                final byte[] suffix = bytes(v, "coinbase_tx_suffix");
                yield new NewExtendedMiningJob().encode(out, offset, u32(v, "channel_id"), u32(v, "job_id"),
                    v.get("min_ntime") == null ? NewExtendedMiningJob.NO_MIN_NTIME : u32(v, "min_ntime"),
                    u32(v, "version"), (Boolean)v.get("version_rolling_allowed"), pathBuffer, 0, path.size(),
                    new UnsafeBuffer(prefix), 0, prefix.length, new UnsafeBuffer(suffix), 0, suffix.length)
                    .encodedLength();
            }
            case "SetNewPrevHash" -> new SetNewPrevHash().wrapForEncode(out, offset)
                .channelId(u32(v, "channel_id")).jobId(u32(v, "job_id"))
                .prevHash(new UnsafeBuffer(bytes(v, "prev_hash")), 0).minNtime(u32(v, "min_ntime"))
                .nbits(u32(v, "nbits")).encodedLength();
            case "SetTarget" -> new SetTarget().wrapForEncode(out, offset).channelId(u32(v, "channel_id"))
                .maximumTarget(new UnsafeBuffer(bytes(v, "maximum_target")), 0).encodedLength();
            default -> throw new IllegalArgumentException(schema.name());
        };
    }
}
