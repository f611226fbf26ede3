package org.bitcoincommons.sv2.merge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bitcoincommons.sv2.bitcoin.BlockHeader;
import org.bitcoincommons.sv2.bitcoin.ByteCursor;
import org.bitcoincommons.sv2.bitcoin.CompactSize;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;

/**
 * A serialized CAuxPow: the proof that an aux block was merge-mined in a parent (Bitcoin) block.
 * Immutable; arrays are copied in and out. Cold path (one per aux submission or verification).
 *
 * <pre>
 * parent coinbase tx        Bitcoin tx serialization (we write the legacy, non-witness form)
 * parent block hash         32 bytes, never checked by nodes
 * coinbase branch           CompactSize n | n x 32 bytes (internal order)
 * coinbase index            int32 LE, always 0
 * chain branch              CompactSize m | m x 32 bytes (internal order), m &lt;= 30
 * chain index               int32 LE (the aux chain's slot)
 * parent header             80 bytes
 * </pre>
 */
public final class AuxPow
{
    public static final int HASH_LENGTH = 32;
    /** The longest chain merkle branch any aux node accepts. */
    public static final int MAX_CHAIN_BRANCH_LENGTH = 30;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] coinbase;
    private final Transaction coinbaseTx;
    private final byte[] parentBlockHash;
    private final byte[] coinbaseBranch;
    private final int coinbaseIndex;
    private final byte[] chainBranch;
    private final int chainIndex;
    private final byte[] parentHeader;

    /**
     * @param coinbase        the parent coinbase as serialized (either serialization is accepted)
     * @param parentBlockHash 32 bytes (informational)
     * @param coinbaseBranch  concatenated 32-byte hashes, internal order
     * @param chainBranch     concatenated 32-byte hashes, internal order
     * @param parentHeader    80 bytes
     */
    public AuxPow(final byte[] coinbase, final byte[] parentBlockHash, final byte[] coinbaseBranch,
        final int coinbaseIndex, final byte[] chainBranch, final int chainIndex, final byte[] parentHeader)
    {
        requireLength(parentBlockHash, HASH_LENGTH, "parent block hash");
        requireLength(parentHeader, BlockHeader.ENCODED_LENGTH, "parent header");
        if (coinbaseBranch.length % HASH_LENGTH != 0 || chainBranch.length % HASH_LENGTH != 0)
        {
            throw new IllegalArgumentException("merkle branches must be whole 32-byte hashes");
        }
        this.coinbase = coinbase.clone();
        this.coinbaseTx = Transaction.parse(this.coinbase);
        this.parentBlockHash = parentBlockHash.clone();
        this.coinbaseBranch = coinbaseBranch.clone();
        this.coinbaseIndex = coinbaseIndex;
        this.chainBranch = chainBranch.clone();
        this.chainIndex = chainIndex;
        this.parentHeader = parentHeader.clone();
    }

    /**
     * Reads one CAuxPow at the cursor and advances past it.
     *
     * @throws MalformedDataException on truncation or a bad length prefix.
     */
    public static AuxPow read(final ByteCursor cursor)
    {
        final int start = cursor.position();
        Transaction.read(cursor);
        final byte[] coinbase = Arrays.copyOfRange(cursor.array(), start, cursor.position());
        final byte[] parentHash = cursor.readBytes(HASH_LENGTH, "auxpow.parent_block_hash");
        final byte[] coinbaseBranch = readBranch(cursor, "auxpow.coinbase_branch");
        final int coinbaseIndex = cursor.readIntLE("auxpow.coinbase_index");
        final byte[] chainBranch = readBranch(cursor, "auxpow.chain_branch");
        final int chainIndex = cursor.readIntLE("auxpow.chain_index");
        final byte[] header = cursor.readBytes(BlockHeader.ENCODED_LENGTH, "auxpow.parent_header");
        return new AuxPow(coinbase, parentHash, coinbaseBranch, coinbaseIndex, chainBranch, chainIndex, header);
    }

    /** Parses exactly one CAuxPow filling all of {@code bytes}. */
    public static AuxPow parse(final byte[] bytes)
    {
        final ByteCursor cursor = new ByteCursor(bytes);
        final AuxPow auxPow = read(cursor);
        if (cursor.remaining() != 0)
        {
            throw new MalformedDataException("auxpow: " + cursor.remaining() + " trailing bytes");
        }
        return auxPow;
    }

    private static byte[] readBranch(final ByteCursor cursor, final String field)
    {
        final int count = cursor.readCount(HASH_LENGTH, field + ".count");
        return cursor.readBytes(count * HASH_LENGTH, field);
    }

    /** The serialized CAuxPow, with the coinbase exactly as given. */
    public byte[] serialize()
    {
        final int coinbaseCount = coinbaseBranch.length / HASH_LENGTH;
        final int chainCount = chainBranch.length / HASH_LENGTH;
        final byte[] out = new byte[coinbase.length + HASH_LENGTH
            + CompactSize.encodedLength(coinbaseCount) + coinbaseBranch.length + 4
            + CompactSize.encodedLength(chainCount) + chainBranch.length + 4 + BlockHeader.ENCODED_LENGTH];
        int p = put(out, 0, coinbase);
        p = put(out, p, parentBlockHash);
        p += CompactSize.write(coinbaseCount, out, p);
        p = put(out, p, coinbaseBranch);
        INT_LE.set(out, p, coinbaseIndex);
        p += 4;
        p += CompactSize.write(chainCount, out, p);
        p = put(out, p, chainBranch);
        INT_LE.set(out, p, chainIndex);
        p += 4;
        put(out, p, parentHeader);
        return out;
    }

    private static int put(final byte[] out, final int offset, final byte[] src)
    {
        System.arraycopy(src, 0, out, offset, src.length);
        return offset + src.length;
    }

    /** The same proof with the coinbase in the legacy (non-witness) serialization, what every aux node parses. */
    public AuxPow withLegacyCoinbase()
    {
        return new AuxPow(coinbaseTx.serialize(TxSerialization.LEGACY), parentBlockHash, coinbaseBranch,
            coinbaseIndex, chainBranch, chainIndex, parentHeader);
    }

    public byte[] coinbase()
    {
        return coinbase.clone();
    }

    public Transaction coinbaseTx()
    {
        return coinbaseTx;
    }

    public byte[] parentBlockHash()
    {
        return parentBlockHash.clone();
    }

    /** Concatenated 32-byte hashes, internal order. */
    public byte[] coinbaseBranch()
    {
        return coinbaseBranch.clone();
    }

    public int coinbaseBranchLength()
    {
        return coinbaseBranch.length / HASH_LENGTH;
    }

    public int coinbaseIndex()
    {
        return coinbaseIndex;
    }

    /** Concatenated 32-byte hashes, internal order. */
    public byte[] chainBranch()
    {
        return chainBranch.clone();
    }

    public int chainBranchLength()
    {
        return chainBranch.length / HASH_LENGTH;
    }

    public int chainIndex()
    {
        return chainIndex;
    }

    public byte[] parentHeader()
    {
        return parentHeader.clone();
    }

    private static void requireLength(final byte[] b, final int length, final String what)
    {
        if (b.length != length)
        {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + b.length);
        }
    }
}
