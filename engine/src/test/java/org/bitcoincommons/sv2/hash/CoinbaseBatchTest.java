package org.bitcoincommons.sv2.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.bitcoincommons.sv2.Vectors;
import org.bitcoincommons.sv2.bitcoin.ByteCursor;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coinbase batches ({@link HeaderHasher#hashCoinbases}) on every implementation and native kernel, against an
 * independent computation: the coinbase assembled byte by byte, its txid by MessageDigest, the root by
 * {@link Merkle#fold}, the header hash by MessageDigest. Coinbase lengths sit around every 64-byte boundary (the
 * midstate's tail, and the final padding in one block or two), extranonces are 0..32 bytes, paths 0..20 nodes.
 * The real-chain check uses the Bitcoin mainnet parent header that Namecoin block 37174 carries as its proof of work
 * (vectors/, see SOURCES.md): its real 1238-byte coinbase split into prefix, extranonce prefix, miner extranonce and
 * suffix at many points, with its real 5-node coinbase branch, must give the header its merkle root, and the header
 * the hash the CAuxPow records (which meets the Namecoin block's target).
 */
class CoinbaseBatchTest
{
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static Stream<Arguments> backends()
    {
        return HashBackendConformanceTest.backends();
    }

    private static HashBackend backend(final HashImpl impl, final HashKernel kernel)
    {
        if (impl != HashImpl.JAVA)
        {
            assumeTrue(HashBackends.libraryPath().isPresent(), "native library not built (gcc missing?)");
            assumeTrue(kernel == HashKernel.AUTO || HashBackends.availableKernels().contains(kernel),
                "this CPU lacks " + kernel.kernelName() + "; skipped");
        }
        final HashBackend b = HashBackends.create(impl, kernel, kernel);
        assertEquals(impl, b.impl());
        return b;
    }

    /** One share of a test batch: its coinbase parts (null prefix = a header that keeps its own root). */
    private record Share(byte[] prefix, byte[] extranoncePrefix, byte[] extranonce, byte[] suffix, List<byte[]> path,
        int contextOf)
    {
    }

    /** A batch laid out for hashCoinbases plus the expected headers and hashes. */
    private static final class Batch
    {
        final int count;
        final byte[] contexts;
        final byte[] records;
        final byte[] headers;
        final byte[] wantHeaders;
        final byte[] wantHashes;

        Batch(final List<Share> shares, final long seed)
        {
            count = shares.size();
            final SplittableRandom rnd = new SplittableRandom(seed);
            headers = new byte[count * 80];
            rnd.nextBytes(headers);
            records = new byte[count * CoinbaseDescriptor.RECORD_LENGTH];
            final int[] contextAt = new int[count];
            int room = 0;
            for (int i = 0; i < count; i++)
            {
                final Share s = shares.get(i);
                if (s.prefix != null && s.contextOf == i)
                {
                    room += CoinbaseDescriptor.contextLength(s.prefix.length + s.extranoncePrefix.length,
                        s.suffix.length, s.path.size());
                }
            }
            contexts = new byte[room + 7]; // exactly full: the last context ends at the table's end
            final CoinbaseContexts writer = new CoinbaseContexts();
            int at = 7; // not at 0, so an offset counts
            wantHeaders = headers.clone();
            wantHashes = new byte[count * 32];
            final MemorySegment rec = MemorySegment.ofArray(records);
            for (int i = 0; i < count; i++)
            {
                final Share s = shares.get(i);
                final long r = (long)i * CoinbaseDescriptor.RECORD_LENGTH;
                for (int j = 4; j < CoinbaseDescriptor.RECORD_LENGTH; j++)
                {
                    records[i * CoinbaseDescriptor.RECORD_LENGTH + j] = (byte)rnd.nextInt(); // noise in unused bytes
                }
                if (s.prefix == null)
                {
                    rec.set(INT_LE, r, CoinbaseDescriptor.NONE);
                }
                else
                {
                    if (s.contextOf == i)
                    {
                        contextAt[i] = at;
                        at += writer.write(s.prefix, s.extranoncePrefix, s.suffix, flatten(s.path), s.path.size(),
                            contexts, at);
                    }
                    else
                    {
                        contextAt[i] = contextAt[s.contextOf];
                    }
                    rec.set(INT_LE, r, contextAt[i]);
                    rec.set(INT_LE, r + 4, s.extranonce.length);
                    System.arraycopy(s.extranonce, 0, records, i * CoinbaseDescriptor.RECORD_LENGTH + 8,
                        s.extranonce.length);
                    final byte[] coinbase = concat(s.prefix, s.extranoncePrefix, s.extranonce, s.suffix);
                    final byte[] root = Merkle.fold(Sha256dOracle.sha256d(coinbase, 0, coinbase.length), s.path, 0);
                    System.arraycopy(root, 0, wantHeaders, i * 80 + 36, 32);
                }
                System.arraycopy(Sha256dOracle.sha256d(wantHeaders, i * 80, 80), 0, wantHashes, i * 32, 32);
            }
        }
    }

    private static byte[] flatten(final List<byte[]> path)
    {
        final byte[] out = new byte[path.size() * 32];
        for (int i = 0; i < path.size(); i++)
        {
            System.arraycopy(path.get(i), 0, out, i * 32, 32);
        }
        return out;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int p = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, p, part.length);
            p += part.length;
        }
        return out;
    }

    private static byte[] random(final SplittableRandom rnd, final int length)
    {
        final byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * Coinbases with the part before the miner's extranonce at every length around 0, 64, 128 and 192 (the midstate
     * tail 0..63 bytes, 0 to 3 blocks in the midstate), extranonces of 0..32 bytes, whole lengths that end at 0, 1, 55,
     * 56, 57 and 63 modulo 64 (padding in one block or two) with the bytes after the midstate spanning up to 3 blocks,
     * paths of 0..20 nodes, shares that reuse an earlier share's context, and headers without a coinbase between them.
     */
    private static List<Share> edgeShares()
    {
        final SplittableRandom rnd = new SplittableRandom(2026);
        final int[] befores = {0, 1, 2, 31, 41, 55, 56, 62, 63, 64, 65, 66, 100, 126, 127, 128, 129, 190, 191, 192, 193};
        final int[] ends = {0, 1, 55, 56, 57, 63};
        final List<Share> shares = new ArrayList<>();
        int n = 0;
        for (final int before : befores)
        {
            for (int e = 0; e <= 32; e++)
            {
                if (n % 7 == 3)
                {
                    shares.add(new Share(null, null, null, null, null, -1));
                }
                final int prefixLength = rnd.nextInt(before + 1);
                final int base = 64 * (n % 3);
                final int end = ends[n % ends.length];
                final int suffixLength = base + Math.floorMod(end - (before + e + base), 64);
                final List<byte[]> path = new ArrayList<>();
                for (int p = 0; p < n % 21; p++)
                {
                    path.add(random(rnd, 32));
                }
                final int index = shares.size();
                final Share previous = shares.isEmpty() ? null : shares.get(index - 1);
                if (n % 5 == 4 && previous != null && previous.prefix != null)
                {
                    // the previous share's context with this share's own extranonce
                    shares.add(new Share(previous.prefix, previous.extranoncePrefix, random(rnd, e), previous.suffix,
                        previous.path, previous.contextOf));
                }
                else
                {
                    shares.add(new Share(random(rnd, prefixLength), random(rnd, before - prefixLength), random(rnd, e),
                        random(rnd, suffixLength), path, index));
                }
                n++;
            }
        }
        return shares;
    }

    private static final Batch EDGES = new Batch(edgeShares(), 11);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void writesTheRootsAndHashesEveryHeaderLikeMessageDigest(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final Batch batch = EDGES;
        assertTrue(batch.count > 700);
        final byte[] headers = batch.headers.clone();
        final byte[] hashes = new byte[batch.count * 32 + 32];
        b.hashCoinbases(MemorySegment.ofArray(batch.contexts), MemorySegment.ofArray(batch.records),
            MemorySegment.ofArray(headers), batch.count, MemorySegment.ofArray(hashes));
        for (int i = 0; i < batch.count; i++)
        {
            assertArrayEquals(Arrays.copyOfRange(batch.wantHeaders, i * 80, i * 80 + 80),
                Arrays.copyOfRange(headers, i * 80, i * 80 + 80), "header " + i);
            assertArrayEquals(Arrays.copyOfRange(batch.wantHashes, i * 32, i * 32 + 32),
                Arrays.copyOfRange(hashes, i * 32, i * 32 + 32), "hash " + i);
        }
        for (int i = batch.count * 32; i < hashes.length; i++)
        {
            assertEquals(0, hashes[i], "wrote past count");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void takesNativeSegmentsAndPrefixesOfTheBatch(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final Batch batch = EDGES;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment contexts = arena.allocate(batch.contexts.length + 3).asSlice(3);
            MemorySegment.copy(MemorySegment.ofArray(batch.contexts), 0, contexts, 0, batch.contexts.length);
            final MemorySegment records = arena.allocate(batch.records.length + 1).asSlice(1);
            MemorySegment.copy(MemorySegment.ofArray(batch.records), 0, records, 0, batch.records.length);
            for (final int count : new int[] {0, 1, 2, 5, 17, 64, 65, 200})
            {
                final MemorySegment headers = arena.allocate(batch.headers.length + 5).asSlice(5);
                MemorySegment.copy(MemorySegment.ofArray(batch.headers), 0, headers, 0, batch.headers.length);
                final MemorySegment hashes = arena.allocate((long)count * 32 + 1).asSlice(1);
                b.hashCoinbases(contexts, records, headers, count, hashes);
                assertArrayEquals(Arrays.copyOf(batch.wantHashes, count * 32), hashes.toArray(ValueLayout.JAVA_BYTE));
                final byte[] wantHeaders = batch.headers.clone();
                System.arraycopy(batch.wantHeaders, 0, wantHeaders, 0, count * 80);
                assertArrayEquals(wantHeaders, headers.toArray(ValueLayout.JAVA_BYTE), "count " + count);
            }
        }
    }

    /** The first record of the edge batch with a context, corrupted by {@code corrupt}. */
    private static void assertRejected(final HashBackend b, final Consumer<MemorySegment[]> corrupt)
    {
        final Batch batch = EDGES;
        final byte[] contexts = batch.contexts.clone();
        final byte[] records = batch.records.clone();
        final MemorySegment[] segments = {MemorySegment.ofArray(contexts), MemorySegment.ofArray(records)};
        corrupt.accept(segments);
        final byte[] headers = batch.headers.clone();
        final byte[] hashes = new byte[batch.count * 32];
        assertThrows(IllegalArgumentException.class, () -> b.hashCoinbases(segments[0], segments[1],
            MemorySegment.ofArray(headers), batch.count, MemorySegment.ofArray(hashes)));
        assertArrayEquals(batch.headers, headers, "headers written before the rejection");
        assertArrayEquals(new byte[batch.count * 32], hashes, "hashes written before the rejection");
    }

    /** The record (index of the last share) with the longest context, so that shortening the table cuts into it. */
    private static int lastRecord()
    {
        return EDGES.count - 1;
    }

    private static int contextOf(final MemorySegment records, final int i)
    {
        return records.get(INT_LE, (long)i * CoinbaseDescriptor.RECORD_LENGTH);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void rejectsImpossibleRecordsBeforeWritingAnything(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final int last = lastRecord();
        assertTrue(contextOf(MemorySegment.ofArray(EDGES.records), last) != CoinbaseDescriptor.NONE);
        final long r = (long)last * CoinbaseDescriptor.RECORD_LENGTH;
        // extranonce of 33 bytes, and a negative one
        assertRejected(b, s -> s[1].set(INT_LE, r + 4, 33));
        assertRejected(b, s -> s[1].set(INT_LE, r + 4, -1));
        // a context offset past the table, and one whose header overhangs its end
        assertRejected(b, s -> s[1].set(INT_LE, r, (int)s[0].byteSize()));
        assertRejected(b, s -> s[1].set(INT_LE, r, (int)s[0].byteSize() - 47));
        // the table ends inside the context's path
        assertRejected(b, s -> s[0] = s[0].asSlice(0, s[0].byteSize() - 1));
        final long ctx = contextOf(MemorySegment.ofArray(EDGES.records), last);
        // tail of 64 bytes, path of 33 nodes, hashed not a multiple of 64, a suffix reaching past the table
        assertRejected(b, s -> s[0].set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            ctx + CoinbaseDescriptor.TAIL_LENGTH_OFFSET, (short)64));
        assertRejected(b, s -> s[0].set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            ctx + CoinbaseDescriptor.PATH_COUNT_OFFSET, (short)33));
        assertRejected(b, s -> s[0].set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            ctx + CoinbaseDescriptor.HASHED_OFFSET, 65L));
        assertRejected(b, s -> s[0].set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            ctx + CoinbaseDescriptor.SUFFIX_LENGTH_OFFSET, (short)0xffff));
        // short segments
        assertThrows(IllegalArgumentException.class, () -> b.hashCoinbases(MemorySegment.ofArray(EDGES.contexts),
            MemorySegment.ofArray(EDGES.records).asSlice(0, 39), MemorySegment.ofArray(new byte[80]), 1,
            MemorySegment.ofArray(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> b.hashCoinbases(MemorySegment.ofArray(EDGES.contexts),
            MemorySegment.ofArray(EDGES.records), MemorySegment.ofArray(new byte[79]), 1,
            MemorySegment.ofArray(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> b.hashCoinbases(MemorySegment.ofArray(EDGES.contexts),
            MemorySegment.ofArray(EDGES.records), MemorySegment.ofArray(new byte[80]), 1,
            MemorySegment.ofArray(new byte[31])));
    }

    /**
     * The C function checks on its own (not only behind the Java checks): called straight through the FFM handle
     * with an impossible record it returns -1 and writes nothing.
     */
    @Test
    void theNativeCallRejectsImpossibleRecordsItself() throws Throwable
    {
        assumeTrue(FfmLibrary.HANDLES != null, "native library not loaded via FFM");
        final Batch batch = EDGES;
        final long r = (long)lastRecord() * CoinbaseDescriptor.RECORD_LENGTH;
        final List<Consumer<MemorySegment[]>> corruptions = List.of(
            s -> s[1].set(INT_LE, r + 4, 33),
            s -> s[1].set(INT_LE, r, (int)s[0].byteSize()),
            s -> s[1].set(INT_LE, r, (int)s[0].byteSize() - 47),
            s -> s[0] = s[0].asSlice(0, s[0].byteSize() - 1));
        for (final Consumer<MemorySegment[]> corrupt : corruptions)
        {
            final MemorySegment[] s = {MemorySegment.ofArray(batch.contexts.clone()),
                MemorySegment.ofArray(batch.records.clone())};
            corrupt.accept(s);
            final byte[] headers = batch.headers.clone();
            final byte[] hashes = new byte[batch.count * 32];
            final int rc = (int)FfmLibrary.HANDLES.coinbaseHeaders().invokeExact(HashKernel.AUTO.id(), s[0],
                s[0].byteSize(), s[1], MemorySegment.ofArray(headers), batch.count, MemorySegment.ofArray(hashes));
            assertEquals(-1, rc);
            assertArrayEquals(batch.headers, headers);
            assertArrayEquals(new byte[batch.count * 32], hashes);
        }
        // and the intact batch goes through the same handle
        final byte[] headers = batch.headers.clone();
        final byte[] hashes = new byte[batch.count * 32];
        final int rc = (int)FfmLibrary.HANDLES.coinbaseHeaders().invokeExact(HashKernel.AUTO.id(),
            MemorySegment.ofArray(batch.contexts), (long)batch.contexts.length, MemorySegment.ofArray(batch.records),
            MemorySegment.ofArray(headers), batch.count, MemorySegment.ofArray(hashes));
        assertEquals(0, rc);
        assertArrayEquals(batch.wantHashes, hashes);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void mainnetCoinbaseGivesItsBlockItsMerkleRootAndHash(final HashImpl impl, final HashKernel kernel)
        throws Exception
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] raw = Sha256dOracle.unhex(Vectors.read("namecoin_37174_header_auxpow.hex").strip());
        final ByteCursor cursor = new ByteCursor(raw);
        final byte[] auxHeader = cursor.readBytes(80, "aux.header");
        final int start = cursor.position();
        final Transaction coinbaseTx = Transaction.read(cursor);
        assertTrue(coinbaseTx.isCoinbase());
        final byte[] coinbase = Arrays.copyOfRange(raw, start, cursor.position());
        // the parent's block hash as the chain recorded it in the CAuxPow (internal byte order)
        final byte[] blockHash = cursor.readBytes(32, "auxpow.parent_hash");
        final int branchCount = cursor.readCount(32, "branch.count");
        final byte[] path = cursor.readBytes(branchCount * 32, "branch");
        assertEquals(5, branchCount);
        assertEquals(0, cursor.readIntLE("auxpow.coinbase_index"));
        final int chainCount = cursor.readCount(32, "chain.count");
        cursor.readBytes(chainCount * 32 + 4, "chain branch and index");
        final byte[] parentHeader = cursor.readBytes(80, "auxpow.parent_header");
        assertEquals(0, cursor.remaining());
        assertEquals(1238, coinbase.length);

        // Many splits: the miner's extranonce at offsets in and past the scriptSig, every length 0..32.
        final List<int[]> splits = new ArrayList<>();
        for (int e = 0; e <= 32; e++)
        {
            final int minerAt = 42 + 35 * e; // 42: just inside the scriptSig
            splits.add(new int[] {minerAt / 3, minerAt, e});
        }
        final int n = splits.size();
        final byte[] headers = new byte[n * 80];
        final byte[] records = new byte[n * CoinbaseDescriptor.RECORD_LENGTH];
        final byte[] contexts = new byte[n * 2000];
        final CoinbaseContexts writer = new CoinbaseContexts();
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            final int[] s = splits.get(i);
            System.arraycopy(parentHeader, 0, headers, i * 80, 80);
            Arrays.fill(headers, i * 80 + 36, i * 80 + 68, (byte)0); // the call must put the root back
            final MemorySegment rec = MemorySegment.ofArray(records);
            rec.set(INT_LE, (long)i * CoinbaseDescriptor.RECORD_LENGTH, at);
            rec.set(INT_LE, (long)i * CoinbaseDescriptor.RECORD_LENGTH + 4, s[2]);
            System.arraycopy(coinbase, s[1], records, i * CoinbaseDescriptor.RECORD_LENGTH + 8, s[2]);
            at += writer.write(Arrays.copyOfRange(coinbase, 0, s[0]), Arrays.copyOfRange(coinbase, s[0], s[1]),
                Arrays.copyOfRange(coinbase, s[1] + s[2], coinbase.length), path, branchCount, contexts, at);
        }
        final byte[] hashes = new byte[n * 32];
        b.hashCoinbases(MemorySegment.ofArray(contexts), MemorySegment.ofArray(records), MemorySegment.ofArray(headers),
            n, MemorySegment.ofArray(hashes));
        // merged mining: the parent header's hash is Namecoin's proof of work, so it meets the aux block's nBits
        final BigInteger target = compactTarget(MemorySegment.ofArray(auxHeader).get(INT_LE, 72));
        for (int i = 0; i < n; i++)
        {
            assertArrayEquals(parentHeader, Arrays.copyOfRange(headers, i * 80, i * 80 + 80), "split " + i);
            assertArrayEquals(blockHash, Arrays.copyOfRange(hashes, i * 32, i * 32 + 32), "split " + i);
            assertTrue(Sha256dOracle.le(hashes, i * 32).compareTo(target) <= 0, "meets the Namecoin block's nBits");
        }
        assertEquals("00000000000024111173f561b36ad4906df95f52503a79332d7f540c2a57db84",
            java.util.HexFormat.of().formatHex(Sha256dOracle.reversed(blockHash)));
    }

    /** The 256-bit target of a compact nBits (mantissa * 256^(exponent - 3)). */
    private static BigInteger compactTarget(final int bits)
    {
        final int exponent = bits >>> 24;
        final BigInteger mantissa = BigInteger.valueOf(bits & 0x007fffff);
        return exponent <= 3 ? mantissa.shiftRight(8 * (3 - exponent)) : mantissa.shiftLeft(8 * (exponent - 3));
    }
}
