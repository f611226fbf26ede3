package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.merge.AuxProofOutcome;
import org.bitcoincommons.sv2.merge.AuxWorkItem;

/**
 * The aux-work messages of {@link Protocol} ({@code [cluster] aux = "cluster"}), little-endian, offsets from the
 * message's start:
 * <pre>
 * AUX_WORK / AUX_WORK_UPDATE
 *   0 type | 1 version | 2 reserved u16 | 4 member u32 | 8 term u64 | 16 sequence u64 | 24 height i64 |
 *   32 chain id i32 | 36 kind u8 (0 AuxPoW, 1 RSK) | 37 name length u8 | 38 hash length u8 | 39 reserved |
 *   40 target 32 (LE) | 72 reward i64 | 80 name (UTF-8) | hash
 * AUX_SUBMIT / AUX_PROOF
 *   0 type | 1 version | 2 reserved u16 | 4 frontend u32 | 8 height i64 | 16 name length u8 | 17 hash length u8 |
 *   18 reserved u16 | 20 proof length u32 | 24 name | hash | proof
 * AUX_RESULT / AUX_OUTCOME
 *   0 type | 1 version | 2 reserved u16 | 4 member u32 | 8 verdict u8 | 9 placement u8 | 10 name length u8 |
 *   11 hash length u8 | 12 node hash length u8 (0: none) | 13 reserved 3 | 16 height i64 | 24 detail length u16 |
 *   26 reserved u16 | 28 name | hash | node hash | detail (UTF-8)
 * </pre>
 * Decoding checks every length against the message and throws IllegalArgumentException for a malformed one.
 * Stateless; any thread.
 */
final class AuxCodec
{
    static final int WORK_HEADER_LENGTH = 80;
    static final int SUBMIT_HEADER_LENGTH = 24;
    static final int RESULT_HEADER_LENGTH = 28;
    /** A proof is at most this long (an AuxPoW with its coinbase, or RSK's partial merkle proof, is far smaller). */
    static final int MAX_PROOF_LENGTH = 256 * 1024;
    /** The node's words kept with an outcome, at most (longer ones are cut). */
    static final int MAX_DETAIL_LENGTH = 1024;

    static final int WORK_HEIGHT_OFFSET = 24;

    /** AUX_WORK decoded: the feeder's member id, term and sequence, and the work. */
    record Work(int member, long term, long sequence, AuxWorkItem item)
    {
    }

    /** AUX_SUBMIT decoded. */
    record Submit(int frontend, String chain, byte[] hash, long height, byte[] proof)
    {
    }

    /** AUX_RESULT decoded. */
    record Result(int member, String chain, byte[] hash, AuxProofOutcome outcome)
    {
    }

    private AuxCodec()
    {
    }

    private static byte[] name(final String chain)
    {
        final byte[] n = chain.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > 255)
        {
            throw new IllegalArgumentException("chain name of " + n.length + " bytes");
        }
        return n;
    }

    private static void header(final MutableDirectBuffer b, final int offset, final byte type, final int id)
    {
        b.putByte(offset + Protocol.TYPE_OFFSET, type);
        b.putByte(offset + Protocol.VERSION_OFFSET, Protocol.VERSION);
        b.putShort(offset + 2, (short)0, LE);
        b.putInt(offset + 4, id, LE);
    }

    private static void check(final DirectBuffer b, final int offset, final int length, final int header,
        final byte type)
    {
        if (length < header || b.getByte(offset + Protocol.TYPE_OFFSET) != type ||
            b.getByte(offset + Protocol.VERSION_OFFSET) != Protocol.VERSION)
        {
            throw new IllegalArgumentException("not an aux message of type " + type + " (" + length + " bytes)");
        }
    }

    // ---------------------------------------------------------------------------------------------------- work

    /** Writes AUX_WORK at {@code offset}; returns its length. */
    static int encodeWork(final MutableDirectBuffer b, final int offset, final int member, final long term,
        final long sequence, final AuxWorkItem w)
    {
        final byte[] n = name(w.chain());
        if (w.hash().length == 0 || w.hash().length > 255 || w.targetLe().length != 32)
        {
            throw new IllegalArgumentException("aux work hash of " + w.hash().length + " bytes, target of " +
                w.targetLe().length);
        }
        header(b, offset, Protocol.AUX_WORK, member);
        b.putLong(offset + 8, term, LE);
        b.putLong(offset + 16, sequence, LE);
        b.putLong(offset + WORK_HEIGHT_OFFSET, w.height(), LE);
        b.putInt(offset + 32, w.chainId(), LE);
        b.putByte(offset + 36, (byte)(w.kind() == AuxChainConfig.Kind.AUXPOW ? 0 : 1));
        b.putByte(offset + 37, (byte)n.length);
        b.putByte(offset + 38, (byte)w.hash().length);
        b.putByte(offset + 39, (byte)0);
        b.putBytes(offset + 40, w.targetLe());
        b.putLong(offset + 72, w.reward(), LE);
        b.putBytes(offset + WORK_HEADER_LENGTH, n);
        b.putBytes(offset + WORK_HEADER_LENGTH + n.length, w.hash());
        return WORK_HEADER_LENGTH + n.length + w.hash().length;
    }

    /** Reads AUX_WORK or AUX_WORK_UPDATE ({@code type}). */
    static Work decodeWork(final DirectBuffer b, final int offset, final int length, final byte type)
    {
        check(b, offset, length, WORK_HEADER_LENGTH, type);
        final int kind = b.getByte(offset + 36);
        final int nameLength = b.getByte(offset + 37) & 0xff;
        final int hashLength = b.getByte(offset + 38) & 0xff;
        if (kind < 0 || kind > 1 || nameLength == 0 || hashLength == 0 ||
            WORK_HEADER_LENGTH + nameLength + hashLength != length)
        {
            throw new IllegalArgumentException("malformed AUX_WORK of " + length + " bytes");
        }
        final byte[] target = new byte[32];
        b.getBytes(offset + 40, target);
        final byte[] hash = new byte[hashLength];
        b.getBytes(offset + WORK_HEADER_LENGTH + nameLength, hash);
        final AuxWorkItem item = new AuxWorkItem(b.getStringWithoutLengthUtf8(offset + WORK_HEADER_LENGTH, nameLength),
            kind == 0 ? AuxChainConfig.Kind.AUXPOW : AuxChainConfig.Kind.RSK, b.getInt(offset + 32, LE), hash, target,
            b.getLong(offset + 72, LE), b.getLong(offset + WORK_HEIGHT_OFFSET, LE));
        return new Work(b.getInt(offset + 4, LE), b.getLong(offset + 8, LE), b.getLong(offset + 16, LE), item);
    }

    /** The chain name of an AUX_WORK (or AUX_WORK_UPDATE) already checked by {@link #decodeWork}. */
    static String workChain(final DirectBuffer b, final int offset)
    {
        return b.getStringWithoutLengthUtf8(offset + WORK_HEADER_LENGTH, b.getByte(offset + 37) & 0xff);
    }

    /** Orders two AUX_WORK messages of one chain by (height, term, sequence). */
    static int compareWork(final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset)
    {
        int c = Long.compare(a.getLong(aOffset + WORK_HEIGHT_OFFSET, LE), b.getLong(bOffset + WORK_HEIGHT_OFFSET, LE));
        if (c == 0)
        {
            c = Long.compare(a.getLong(aOffset + 8, LE), b.getLong(bOffset + 8, LE));
        }
        if (c == 0)
        {
            c = Long.compare(a.getLong(aOffset + 16, LE), b.getLong(bOffset + 16, LE));
        }
        return c;
    }

    // ---------------------------------------------------------------------------------------------------- submit

    /** Writes AUX_SUBMIT at {@code offset}; returns its length. */
    static int encodeSubmit(final MutableDirectBuffer b, final int offset, final int frontend, final String chain,
        final byte[] hash, final long height, final byte[] proof)
    {
        final byte[] n = name(chain);
        if (hash.length == 0 || hash.length > 255 || proof.length > MAX_PROOF_LENGTH)
        {
            throw new IllegalArgumentException("aux proof: hash of " + hash.length + " bytes, proof of " + proof.length);
        }
        header(b, offset, Protocol.AUX_SUBMIT, frontend);
        b.putLong(offset + 8, height, LE);
        b.putByte(offset + 16, (byte)n.length);
        b.putByte(offset + 17, (byte)hash.length);
        b.putShort(offset + 18, (short)0, LE);
        b.putInt(offset + 20, proof.length, LE);
        int p = offset + SUBMIT_HEADER_LENGTH;
        b.putBytes(p, n);
        p += n.length;
        b.putBytes(p, hash);
        p += hash.length;
        b.putBytes(p, proof);
        p += proof.length;
        return p - offset;
    }

    /** Reads AUX_SUBMIT or AUX_PROOF ({@code type}). */
    static Submit decodeSubmit(final DirectBuffer b, final int offset, final int length, final byte type)
    {
        check(b, offset, length, SUBMIT_HEADER_LENGTH, type);
        final int nameLength = b.getByte(offset + 16) & 0xff;
        final int hashLength = b.getByte(offset + 17) & 0xff;
        final int proofLength = b.getInt(offset + 20, LE);
        if (nameLength == 0 || hashLength == 0 || proofLength < 0 || proofLength > MAX_PROOF_LENGTH ||
            (long)SUBMIT_HEADER_LENGTH + nameLength + hashLength + proofLength != length)
        {
            throw new IllegalArgumentException("malformed AUX_SUBMIT of " + length + " bytes");
        }
        int p = offset + SUBMIT_HEADER_LENGTH;
        final String chain = b.getStringWithoutLengthUtf8(p, nameLength);
        p += nameLength;
        final byte[] hash = new byte[hashLength];
        b.getBytes(p, hash);
        p += hashLength;
        final byte[] proof = new byte[proofLength];
        b.getBytes(p, proof);
        return new Submit(b.getInt(offset + 4, LE), chain, hash, b.getLong(offset + 8, LE), proof);
    }

    // ---------------------------------------------------------------------------------------------------- result

    /** Writes AUX_RESULT at {@code offset}; returns its length. The detail is cut to {@link #MAX_DETAIL_LENGTH}. */
    static int encodeResult(final MutableDirectBuffer b, final int offset, final int member, final String chain,
        final byte[] hash, final AuxProofOutcome o)
    {
        final byte[] n = name(chain);
        final byte[] nodeHash = o.nodeBlockHash() == null ? new byte[0] : o.nodeBlockHash();
        String text = o.detail() == null ? "" : o.detail();
        if (text.length() > MAX_DETAIL_LENGTH / 4)
        {
            text = text.substring(0, MAX_DETAIL_LENGTH / 4); // at most 3 UTF-8 bytes a char (4 a surrogate pair)
        }
        final byte[] detail = text.getBytes(StandardCharsets.UTF_8);
        if (hash.length == 0 || hash.length > 255 || nodeHash.length > 255)
        {
            throw new IllegalArgumentException("aux result: hash of " + hash.length + " bytes");
        }
        header(b, offset, Protocol.AUX_RESULT, member);
        b.putByte(offset + 8, (byte)o.verdict().ordinal());
        b.putByte(offset + 9, (byte)o.placement().ordinal());
        b.putByte(offset + 10, (byte)n.length);
        b.putByte(offset + 11, (byte)hash.length);
        b.putByte(offset + 12, (byte)nodeHash.length);
        b.putByte(offset + 13, (byte)0);
        b.putShort(offset + 14, (short)0, LE);
        b.putLong(offset + 16, o.height(), LE);
        b.putShort(offset + 24, (short)detail.length, LE);
        b.putShort(offset + 26, (short)0, LE);
        int p = offset + RESULT_HEADER_LENGTH;
        b.putBytes(p, n);
        p += n.length;
        b.putBytes(p, hash);
        p += hash.length;
        b.putBytes(p, nodeHash);
        p += nodeHash.length;
        b.putBytes(p, detail);
        p += detail.length;
        return p - offset;
    }

    /** Reads AUX_RESULT or AUX_OUTCOME ({@code type}). */
    static Result decodeResult(final DirectBuffer b, final int offset, final int length, final byte type)
    {
        check(b, offset, length, RESULT_HEADER_LENGTH, type);
        final int verdict = b.getByte(offset + 8);
        final int placement = b.getByte(offset + 9);
        final int nameLength = b.getByte(offset + 10) & 0xff;
        final int hashLength = b.getByte(offset + 11) & 0xff;
        final int nodeHashLength = b.getByte(offset + 12) & 0xff;
        final int detailLength = b.getShort(offset + 24, LE) & 0xffff;
        if (verdict < 0 || verdict >= AuxProofOutcome.Verdict.values().length || placement < 0 ||
            placement >= AuxProofOutcome.Placement.values().length || nameLength == 0 || hashLength == 0 ||
            detailLength > MAX_DETAIL_LENGTH ||
            RESULT_HEADER_LENGTH + nameLength + hashLength + nodeHashLength + detailLength != length)
        {
            throw new IllegalArgumentException("malformed AUX_RESULT of " + length + " bytes");
        }
        int p = offset + RESULT_HEADER_LENGTH;
        final String chain = b.getStringWithoutLengthUtf8(p, nameLength);
        p += nameLength;
        final byte[] hash = new byte[hashLength];
        b.getBytes(p, hash);
        p += hashLength;
        byte[] nodeHash = null;
        if (nodeHashLength > 0)
        {
            nodeHash = new byte[nodeHashLength];
            b.getBytes(p, nodeHash);
            p += nodeHashLength;
        }
        final String detail = b.getStringWithoutLengthUtf8(p, detailLength);
        return new Result(b.getInt(offset + 4, LE), chain, hash, new AuxProofOutcome(
            AuxProofOutcome.Verdict.values()[verdict], AuxProofOutcome.Placement.values()[placement], detail,
            b.getLong(offset + 16, LE), nodeHash));
    }

    /** Writes AUX_REQUEST or AUX_FEEDER ({@code type}) at 0; returns its length. */
    static int encodeHello(final MutableDirectBuffer b, final byte type, final int id)
    {
        header(b, 0, type, id);
        return Protocol.AUX_HELLO_LENGTH;
    }
}
